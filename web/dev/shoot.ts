/**
 * Dev helper (not part of the build): drive the built app in headless Chromium and save screenshots.
 *   npx tsx web/dev/shoot.ts <one-time-login-url> <out-dir>
 * Needs a running `atsm serve` (it serves dist/web). WebGL2 in headless Chromium 156 needs SwiftShader
 * (see /work/shared/STYLE.md, tooling notes).
 */
import { mkdirSync } from "node:fs";
import { join } from "node:path";
import { chromium } from "playwright-core";

const [loginUrl, outDir = "/tmp/web-shots"] = process.argv.slice(2);
if (!loginUrl) throw new Error("usage: shoot.ts <one-time-login-url> [out-dir]");
mkdirSync(outDir, { recursive: true });
const base = new URL(loginUrl).origin;

const browser = await chromium.launch({
  executablePath: "/usr/bin/chromium",
  args: [
    "--headless",
    "--no-sandbox",
    ...(process.env.GL_ARGS ?? "--enable-unsafe-swiftshader --use-angle=swiftshader")
      .split(" ")
      .filter(Boolean),
    "--disable-background-networking",
    "--no-first-run",
    "--disable-component-update",
    "--disable-sync",
  ],
});
try {
  const page = await browser.newPage({ viewport: { width: 1366, height: 768 } });
  page.on("console", (m) => {
    if (m.type() === "error" || m.type() === "warning") console.log(`[browser ${m.type()}] ${m.text()}`);
  });
  page.on("pageerror", (e) => console.log(`[pageerror] ${e.message}`));
  const webgl2 = await page.evaluate(() => !!document.createElement("canvas").getContext("webgl2"));
  console.log("webgl2:", webgl2);
  if (loginUrl.includes("/one-time")) {
    await page.goto(loginUrl);
    await page.waitForSelector(".topbar");
    // A password user for later runs (the one-time link works once).
    await page.evaluate(async () => {
      await fetch("/api/users", {
        method: "POST",
        headers: { "Content-Type": "application/json" },
        body: JSON.stringify({ username: "webdev", password: "webdev-password-1", role: "admin" }),
      });
    });
  } else {
    await page.goto(base);
    await page.screenshot({ path: join(outDir, "web-login.png") });
    await page.getByTestId("login-username").fill("webdev");
    await page.getByTestId("login-password").fill("webdev-password-1");
    await page.getByTestId("login-submit").click();
    await page.waitForSelector(".topbar");
  }
  await page.screenshot({ path: join(outDir, "web-projects.png") });
  await page.getByText("Demo", { exact: true }).first().click();
  await page.waitForSelector("[data-testid=study-list]");
  await page.screenshot({ path: join(outDir, "web-studies.png") });
  const studyHref = await page.getByTestId("study-link").first().getAttribute("href");
  const view = process.env.VIEW ?? "";
  await page.goto(`${base}${studyHref}${view ? `?view=${view}` : ""}`);
  const t0 = Date.now();
  await page.waitForFunction(
    () =>
      (document.querySelector("[data-testid=viewer-canvas]") as HTMLElement | null)?.dataset.ready === "true",
    undefined,
    { timeout: 120_000, polling: 250 },
  );
  console.log("viewer ready in", Date.now() - t0, "ms");
  const perf = await page.evaluate(async () => {
    const fv = (window as unknown as { atsmViewer: { nv: { drawScene(): void } } }).atsmViewer;
    const t = performance.now();
    fv.nv.drawScene();
    return performance.now() - t;
  });
  console.log("drawScene ms:", perf);
  const counts = await page.evaluate(async () => {
    const nv = (window as unknown as { atsmViewer: { nv: Record<string, (...a: unknown[]) => unknown> } })
      .atsmViewer.nv;
    const c: Record<string, number> = {};
    for (const k of ["drawScene", "updateGLVolume", "refreshLayers", "createOnLocationChange"]) {
      const f = nv[k]!.bind(nv);
      c[k] = 0;
      nv[k] = (...a: unknown[]) => {
        c[k]!++;
        return f(...a);
      };
    }
    await new Promise((r) => setTimeout(r, 3000));
    return c;
  });
  console.log("calls in 3 s:", counts);
  // RAS/LPS check: NiiVue's own voxel for a RAS point vs our LPS grid mapping, at asymmetric points.
  const check = await page.evaluate(() => {
    type G = { dims: number[]; spacingMm: number[]; originMm: number[]; direction: number[] };
    const fv = (
      window as unknown as {
        atsmViewer: {
          nv: {
            volumes: {
              mm2vox(mm: number[]): ArrayLike<number>;
              getValue(x: number, y: number, z: number): number;
            }[];
          };
          petGridOrNull: G;
          readout(p: number[]): { pet: number | null };
        };
      }
    ).atsmViewer;
    const g = fv.petGridOrNull;
    const pet = fv.nv.volumes[1]!;
    const out: string[] = [];
    for (const p of [
      [62, -38, 22],
      [-78, 30, -50],
      [-38, 62, 10],
      [2, 2, -14],
    ]) {
      const ras = [-p[0]!, -p[1]!, p[2]!];
      const nvVox = Array.from(pet.mm2vox(ras)).map(Math.round);
      const d = g.direction;
      const x = p.map((v, a) => v - g.originMm[a]!);
      const ours = [0, 1, 2].map((c) =>
        Math.round((d[c]! * x[0]! + d[3 + c]! * x[1]! + d[6 + c]! * x[2]!) / g.spacingMm[c]!),
      );
      const nvValue = pet.getValue(nvVox[0]!, nvVox[1]!, nvVox[2]!);
      out.push(
        `LPS ${p} -> niivue vox ${nvVox} (value ${nvValue.toFixed(3)}), ours ${ours} (value ${fv.readout(p).pet?.toFixed(3)})`,
      );
    }
    return out;
  });
  console.log(check.join("\n"));
  await page.waitForTimeout(1500);
  await page.screenshot({ path: join(outDir, "web-viewer.png"), timeout: 60_000 });
  await page.waitForSelector("[data-testid=metrics][data-state=ready]", { timeout: 60_000 }).catch(() => {});
  await page.screenshot({ path: join(outDir, "web-viewer-metrics.png") });
  console.log(
    "tm-mean (truth masks):",
    await page
      .getByTestId("tm-mean")
      .textContent()
      .catch(() => null),
  );
  // Place a tumour sphere by clicking on the PET maximum, and a reference sphere by clicking elsewhere.
  type Hook = { atsmViewer: { petMaxLps(): number[]; lpsToCanvas(p: number[]): [number, number] | null } };
  const canvas = page.getByTestId("viewer-canvas");
  const box = (await canvas.boundingBox())!;
  const clickLps = async (p: number[]) => {
    const xy = await page.evaluate((q) => (window as unknown as Hook).atsmViewer.lpsToCanvas(q), p);
    if (!xy) throw new Error(`LPS ${p} not on screen`);
    await page.mouse.click(box.x + xy[0], box.y + xy[1]);
  };
  const max = await page.evaluate(() => (window as unknown as Hook).atsmViewer.petMaxLps());
  await page.getByTestId("tool-sphere").click();
  await page.getByTestId("role-tumour").click();
  await clickLps(max);
  await page.waitForFunction(() =>
    document.querySelector("[data-testid=voi-spec-tumour]")?.textContent?.startsWith("sphere:"),
  );
  await page.getByTestId("role-reference").click();
  await page.getByTestId("sphere-radius").fill("15");
  await clickLps([-78, 30, max[2]!]);
  await page.waitForFunction(() =>
    document.querySelector("[data-testid=voi-spec-reference]")?.textContent?.startsWith("sphere:"),
  );
  await page.waitForSelector("[data-testid=metrics][data-state=ready]", { timeout: 60_000 });
  console.log("tumour spec:", await page.getByTestId("voi-spec-tumour").textContent());
  console.log("reference spec:", await page.getByTestId("voi-spec-reference").textContent());
  console.log("tm-mean:", await page.getByTestId("tm-mean").getAttribute("data-value"));
  console.log(
    "tm-max:",
    await page.getByTestId("tm-max").textContent(),
    "tm-peak:",
    await page.getByTestId("tm-peak").textContent(),
  );
  console.log("readout:", await page.getByTestId("readout").textContent());
  await page.getByTestId("unit-tm").click();
  await page.waitForTimeout(1000);
  await page.screenshot({ path: join(outDir, "web-viewer-vois.png"), timeout: 60_000 });
  await page.keyboard.press("?");
  await page.screenshot({ path: join(outDir, "web-help.png"), timeout: 60_000 });
  await page.keyboard.press("Escape");
  await page.getByTestId("save-result").click();
  await page.waitForSelector("[data-testid=result]", { timeout: 60_000 });
  await page.screenshot({ path: join(outDir, "web-results.png"), fullPage: true, timeout: 60_000 });
  console.log("result T/M mean:", await page.getByTestId("result-tm-mean").textContent());
  console.log(base);
} finally {
  await browser.close();
}
