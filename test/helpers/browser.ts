/**
 * Headless Debian Chromium for browser tests, driven by playwright-core (no bundled browser).
 *
 * Chromium ≥ 139 no longer falls back to SwiftShader for WebGL on its own (STYLE.md, "WebGL in
 * headless Chromium"), and NiiVue needs WebGL2, so we ask for SwiftShader through ANGLE explicitly.
 * `--no-sandbox`: the test machines run as root, where Chromium's sandbox refuses to start.
 * On this machine (Chromium 156) the WebGL2 renderer reported is
 * "ANGLE (Google, Vulkan 1.3.0 (SwiftShader Device (Subzero)), SwiftShader driver)".
 */
import { existsSync } from "node:fs";
import { type Browser, chromium } from "playwright-core";

export const CHROMIUM_PATH = process.env.ATSM_CHROMIUM ?? "/usr/bin/chromium";

export const CHROMIUM_ARGS: readonly string[] = [
  "--enable-unsafe-swiftshader",
  "--use-angle=swiftshader",
  "--no-sandbox",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
  "--no-first-run",
  "--disable-quic",
  "--disable-dev-shm-usage",
];

export interface LaunchedBrowser {
  readonly browser: Browser;
  /** UNMASKED_RENDERER_WEBGL of a WebGL2 context, e.g. "ANGLE (… SwiftShader driver)". */
  readonly webglRenderer: string;
}

/**
 * Launch headless Chromium and check that WebGL2 works in it. Returns null (after printing why)
 * only when the browser binary is absent and CI is not "true"; in CI a missing browser or a
 * missing WebGL2 context throws, so the browser tests cannot be skipped silently there.
 */
export async function launchBrowser(): Promise<LaunchedBrowser | null> {
  if (!existsSync(CHROMIUM_PATH)) {
    const why = `chromium not found at ${CHROMIUM_PATH} (apt-get install chromium, or set ATSM_CHROMIUM)`;
    if (process.env.CI === "true") throw new Error(`browser tests need Chromium in CI: ${why}`);
    console.warn(`[browser] skipping browser tests: ${why}`);
    return null;
  }
  const browser = await chromium.launch({
    executablePath: CHROMIUM_PATH,
    headless: true,
    args: [...CHROMIUM_ARGS],
  });
  try {
    const page = await browser.newPage();
    const renderer = await page.evaluate(() => {
      const gl = document.createElement("canvas").getContext("webgl2");
      if (gl === null) return null;
      const info = gl.getExtension("WEBGL_debug_renderer_info");
      return info === null
        ? "webgl2 (renderer hidden)"
        : String(gl.getParameter(info.UNMASKED_RENDERER_WEBGL));
    });
    await page.close();
    if (renderer === null) {
      throw new Error(
        `Chromium at ${CHROMIUM_PATH} gave no WebGL2 context with args ${CHROMIUM_ARGS.join(" ")}`,
      );
    }
    return { browser, webglRenderer: renderer };
  } catch (e) {
    await browser.close();
    throw e;
  }
}
