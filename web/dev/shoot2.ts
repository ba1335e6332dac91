/**
 * Dev helper: upload, subject forms and the other VOI tools, with screenshots.
 *   npx tsx web/dev/shoot2.ts <base-url> <demo-study-dir> [out-dir]   (user webdev, see shoot.ts)
 */
import { mkdirSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { chromium } from "playwright-core";

const [base = "", studyDir = "", outDir = "/tmp/web-shots"] = process.argv.slice(2);
mkdirSync(outDir, { recursive: true });
const browser = await chromium.launch({
  executablePath: "/usr/bin/chromium",
  args: [
    "--headless",
    "--no-sandbox",
    "--enable-unsafe-swiftshader",
    "--use-angle=swiftshader",
    "--disable-gpu",
    "--disable-background-networking",
    "--no-first-run",
    "--disable-component-update",
    "--disable-sync",
  ],
});
try {
  const page = await browser.newPage({ viewport: { width: 1366, height: 768 } });
  page.on("pageerror", (e) => console.log(`[pageerror] ${e.message}`));
  await page.goto(base);
  await page.getByTestId("login-username").fill("webdev");
  await page.getByTestId("login-password").fill("wrong");
  await page.getByTestId("login-submit").click();
  await page.waitForSelector("[data-testid=error-banner]");
  await page.screenshot({ path: join(outDir, "web-login-error.png") });
  await page.getByTestId("login-password").fill("webdev-password-1");
  await page.getByTestId("login-submit").click();
  await page.waitForSelector(".topbar");
  // New project + upload (PT + CT DICOM and one file that is not an image).
  await page.getByTestId("project-name").fill(`Upload ${Date.now()}`);
  await page.getByRole("button", { name: "Create" }).click();
  await page.waitForSelector("[data-testid=upload-dropzone]");
  const files = ["PT", "CT"].flatMap((m) =>
    readdirSync(join(studyDir, "dicom", m)).map((f) => join(studyDir, "dicom", m, f)),
  );
  files.push(join(studyDir, "truth", "truth.json"));
  await page.getByTestId("upload-input").setInputFiles(files);
  await page.waitForSelector("[data-testid=upload-progress], [data-testid=upload-result]");
  await page.screenshot({ path: join(outDir, "web-upload-progress.png") });
  await page.waitForSelector("[data-testid=upload-result], [data-testid=error-banner]", { timeout: 120_000 });
  await page.screenshot({ path: join(outDir, "web-upload.png"), fullPage: true });
  console.log("upload:", await page.locator("[data-testid=upload-result] p").first().textContent());
  // Subject form with a bad weight → the API's field error.
  await page.locator("[data-testid=subject-form] input").first().fill("mouse-01");
  await page.getByPlaceholder("0.022").fill("-3");
  await page.getByRole("button", { name: "Add subject" }).click();
  await page.waitForTimeout(800);
  console.log(
    "subject error:",
    await page
      .locator("[data-testid=subject-form] .banner")
      .textContent()
      .catch(() => null),
  );
  await page.screenshot({ path: join(outDir, "web-subject-error.png"), fullPage: true });
  await page.getByPlaceholder("0.022").fill("0.023");
  await page.getByRole("button", { name: "Add subject" }).click();
  await page.getByRole("link", { name: "mouse-01" }).first().click();
  await page.waitForSelector("[data-testid=injection-form]");
  await page.screenshot({ path: join(outDir, "web-subject.png"), fullPage: true });
  // Other VOI tools on the uploaded study.
  await page.goBack();
  await page.getByTestId("study-link").first().click();
  await page.waitForFunction(
    () =>
      (document.querySelector("[data-testid=viewer-canvas]") as HTMLElement | null)?.dataset.ready === "true",
    undefined,
    { timeout: 120_000, polling: 250 },
  );
  type Hook = { atsmViewer: { petMaxLps(): number[]; lpsToCanvas(p: number[]): [number, number] | null } };
  const box = (await page.getByTestId("viewer-canvas").boundingBox())!;
  const at = async (p: number[]) => {
    const xy = await page.evaluate((q) => (window as unknown as Hook).atsmViewer.lpsToCanvas(q), p);
    if (!xy) throw new Error(`LPS ${p} not on screen`);
    return [box.x + xy[0], box.y + xy[1]] as const;
  };
  const max = await page.evaluate(() => (window as unknown as Hook).atsmViewer.petMaxLps());
  const spec = (role: string) => page.getByTestId(`voi-spec-${role}`).textContent();
  await page.keyboard.press("x");
  await page.keyboard.press("t");
  let [x, y] = await at([max[0]! - 25, max[1]! - 25, max[2]!]);
  await page.mouse.click(x, y);
  [x, y] = await at([max[0]! + 25, max[1]! + 25, max[2]!]);
  await page.mouse.click(x, y);
  await page.waitForTimeout(800);
  console.log("box:", await spec("tumour"));
  console.log("banners:", await page.locator("[data-testid=error-banner]").allTextContents());
  console.log("tool help:", await page.getByTestId("tool-help").textContent());
  await page.keyboard.press("Shift+T");
  await page.waitForTimeout(800);
  console.log("threshold:", await spec("tumour"));
  await page.keyboard.press("g");
  [x, y] = await at(max);
  await page.mouse.click(x, y);
  await page.waitForTimeout(800);
  console.log("grow:", await spec("tumour"));
  console.log("banners:", await page.locator("[data-testid=error-banner]").allTextContents());
  await page.keyboard.press("r");
  await page.keyboard.press("b");
  const c = [-78, 30, max[2]!];
  [x, y] = await at(c);
  await page.mouse.move(x, y);
  await page.mouse.down();
  await page.mouse.move(x + 15, y, { steps: 5 });
  await page.mouse.move(x + 15, y + 15, { steps: 5 });
  await page.mouse.up();
  await page.getByTestId("brush-save").click();
  await page.waitForTimeout(1500);
  console.log("brush:", await spec("reference"));
  await page.waitForSelector(
    "[data-testid=metrics][data-state=ready], [data-testid=metrics][data-state=error]",
    {
      timeout: 60_000,
    },
  );
  console.log("metrics:", await page.getByTestId("metrics").getAttribute("data-state"));
  console.log(
    "tm-mean:",
    await page
      .getByTestId("tm-mean")
      .textContent()
      .catch(() => null),
  );
  await page.keyboard.press("Escape");
  await page.screenshot({ path: join(outDir, "web-viewer-tools.png"), timeout: 60_000 });
  await page.keyboard.press("1");
  await page.waitForTimeout(500);
  await page.screenshot({ path: join(outDir, "web-viewer-axial.png"), timeout: 60_000 });
  await page.keyboard.press("m");
  await page.waitForTimeout(1500);
  await page.screenshot({ path: join(outDir, "web-viewer-mip.png"), timeout: 60_000 });
} finally {
  await browser.close();
}
