/**
 * Dev helper (not part of the build): open the demo study's viewer in headless Chromium, print PET
 * display stats, screenshot the fused view (truth VOIs drawn), save a result and download every
 * export link, checking size and content type.
 *   npx tsx web/dev/check.ts <one-time-login-url | base-url> <out-dir> [--exports]
 * A one-time link also creates the password user webdev / webdev-password-1 for later runs.
 */
import { mkdirSync, statSync } from "node:fs";
import { join } from "node:path";
import { chromium } from "playwright-core";

const [loginUrl, outDir = "/tmp/web-shots", ...flags] = process.argv.slice(2);
if (!loginUrl) throw new Error("usage: check.ts <one-time-login-url|base-url> [out-dir] [--exports]");
mkdirSync(outDir, { recursive: true });
const base = new URL(loginUrl).origin;
const browser = await chromium.launch({
  executablePath: "/usr/bin/chromium",
  args: [
    "--headless",
    "--no-sandbox",
    "--enable-unsafe-swiftshader",
    "--use-angle=swiftshader",
    "--no-first-run",
  ],
});
try {
  const ctx = await browser.newContext({ viewport: { width: 1366, height: 768 }, acceptDownloads: true });
  const page = await ctx.newPage();
  page.on("pageerror", (e) => console.log(`[pageerror] ${e.message}`));
  const assets = new Set<string>();
  page.on("request", (r) => {
    if (r.url().includes("/assets/")) assets.add(r.url().split("/assets/")[1]!);
  });
  page.on("console", (m) => m.type() === "error" && console.log(`[browser] ${m.text()}`));
  if (loginUrl.includes("/one-time")) {
    await page.goto(loginUrl);
    await page.waitForSelector(".topbar");
    await page.evaluate(() =>
      fetch("/api/users", {
        method: "POST",
        headers: { "Content-Type": "application/json" },
        body: JSON.stringify({ username: "webdev", password: "webdev-password-1", role: "admin" }),
      }),
    );
  } else {
    await page.goto(base);
    await page.getByTestId("login-username").fill("webdev");
    await page.getByTestId("login-password").fill("webdev-password-1");
    await page.getByTestId("login-submit").click();
    await page.waitForSelector(".topbar");
  }
  await page
    .getByText(process.env.PROJECT ?? "Demo", { exact: true })
    .first()
    .click();
  await page.waitForSelector("[data-testid=study-list]");
  const href = await page.getByTestId("study-link").first().getAttribute("href");
  await page.goto(`${base}${href}${process.env.VIEW ? `?view=${process.env.VIEW}` : ""}`);
  await page.waitForSelector("[data-testid=viewer-canvas][data-ready=true]", { timeout: 120_000 });
  const stats = await page.evaluate(() => {
    const fv = (window as unknown as { atsmViewer: { petBase: Float32Array; petAutoMax(): number } })
      .atsmViewer;
    const v = Float32Array.from(fv.petBase).sort();
    // (no named inner functions: tsx would wrap them in __name, unknown in the page)
    const at = [0.5, 0.95, 0.99, 0.995, 0.999].map(
      (f) => v[Math.min(v.length - 1, Math.floor(f * v.length))],
    );
    return { n: v.length, max: v[v.length - 1], p50_95_99_995_999: at, auto: fv.petAutoMax() };
  });
  console.log("PET stats", JSON.stringify(stats));
  await page.waitForSelector("[data-testid=metrics][data-state=ready]", { timeout: 60_000 }).catch(() => {});
  await page.waitForTimeout(2500);
  await page.screenshot({ path: join(outDir, "web-viewer.png") });
  console.log("readout:", await page.getByTestId("readout").textContent());
  console.log("assets fetched:", [...assets].join(" "));
  console.log(
    "tm-mean:",
    await page
      .getByTestId("tm-mean")
      .textContent()
      .catch(() => null),
  );
  if (flags.includes("--frames")) {
    const sel = page.getByTestId("frame-select");
    const opts = await sel.locator("option").allTextContents();
    console.log("frames:", opts.length, opts.slice(0, 4));
    for (const i of [1, 3]) {
      await sel.selectOption({ index: i });
      await page.waitForTimeout(2500);
      const ro = await page.getByTestId("readout-pet").textContent();
      console.log(`frame option ${i} (${opts[i]}): readout-pet ${ro}`);
      await page.screenshot({ path: join(outDir, `web-frame-${i}.png`) });
    }
  }
  if (flags.includes("--exports")) {
    await page.getByTestId("save-result").click();
    await page.waitForSelector("[data-testid=result]", { timeout: 60_000 });
    const types = new Map<string, string>();
    for (const f of ["csv", "json", "seg.dcm", "report.html", "report.pdf"]) {
      const [dl] = await Promise.all([
        page.waitForEvent("download", { timeout: 60_000 }),
        page.getByTestId(`export-${f}`).click(),
      ]);
      const path = join(outDir, dl.suggestedFilename());
      await dl.saveAs(path);
      console.log(
        `export ${f}: ${dl.suggestedFilename()} ${statSync(path).size} B failure=${await dl.failure()}`,
      );
      // Downloads fire no response event: ask again with the page's session for the headers.
      const r = await page.request.get(dl.url());
      types.set(f, `${r.status()} ${r.headers()["content-type"]} | ${r.headers()["content-disposition"]}`);
    }
    await page.waitForTimeout(500);
    for (const [f, t] of types) console.log(`  ${f}: ${t}`);
    await page.screenshot({ path: join(outDir, "web-results.png"), fullPage: true });
  }
} finally {
  await browser.close();
}
