/**
 * End-to-end test of the web Workbench (issue 6) in a real browser: Debian Chromium driven by
 * playwright-core with SwiftShader WebGL2 (test/helpers/browser.ts), against the real `atsm serve`
 * process (PGlite in a temp folder; test/e2e/harness.ts) serving the built web app (dist/web).
 *
 * One browser, serial steps sharing one page: log in with the printed one-time link, create a
 * project, upload the small demo study (digital twin, DICOM PT + CT, 96×64×32 at 4 mm) through the
 * page's file input, open the viewer, place a tumour sphere by clicking the canvas and a muscle
 * (reference) sphere by typing its spec, read T/M max/mean/peak and both VOI specs from the page,
 * run `atsm quantify` as a separate process on the SAME DICOM files with the SAME specs and compare.
 * Tolerance: the page's `data-value` (full double precision, JSON) must match the CLI's within
 * rel 1e-6 (both run src/app/quantify on the same files; only the JSON round trip lies between),
 * and the displayed text must equal the CLI value rounded to the page's 3 decimals.
 * Then a screenshot of the fused viewer must not be blank (test/e2e/pixels.ts census). Also: a
 * page without a session shows the login form (API 401), and a bad upload shows the API's error.
 */
import { spawnSync } from "node:child_process";
import { mkdirSync, readdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import type { Page } from "playwright-core";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { writeTwinDemoStudy } from "../../src/app/demo/twin.js";
import { type LaunchedBrowser, launchBrowser } from "../helpers/browser.js";
import { expectClose } from "../helpers/close.js";
import {
  ensureWebBuild,
  REPO_ROOT,
  removeDir,
  type ServerProcess,
  startServer,
  tempDataDir,
} from "./harness.js";
import { pixelCensus } from "./pixels.js";

const TUMOUR_RADIUS_MM = 25; // truth.json: tumour sphere:0,0,-10,25 (twin preset patient-cervix-hypoxic)
const MUSCLE_SPEC = "sphere:85,75,0,15"; // truth.json: reference muscle sphere
const UI_TIMEOUT_MS = 120_000;
/** Per step: the slowest (viewer load on SwiftShader + a CLI quantify) takes ~30 s on 2 busy cores. */
const STEP_TIMEOUT_MS = 300_000;

let launched: LaunchedBrowser | null = null;
let server: ServerProcess | null = null;
let page: Page | null = null;
let demoDir = "";
let studyDir = "";
let skipReason: string | null = null;

beforeAll(async () => {
  ensureWebBuild();
  launched = await launchBrowser();
  if (launched === null) {
    skipReason = "no chromium";
    return;
  }
  demoDir = tempDataDir("atsm-e2e-demo-");
  studyDir = (await writeTwinDemoStudy(demoDir, { small: true })).studyDir;
  server = await startServer();
  const ctx = await launched.browser.newContext({ viewport: { width: 1400, height: 900 } });
  page = await ctx.newPage();
  page.setDefaultTimeout(UI_TIMEOUT_MS);
}, 600_000);

afterAll(async () => {
  await launched?.browser.close();
  await server?.stop();
  if (server) removeDir(server.dataDir);
  if (demoDir) removeDir(demoDir);
});

/** On a failed step: keep a screenshot and print the page text, so the failure can be read. */
afterEach(async (ctx) => {
  if (ctx.task.result?.state !== "fail" || page === null) return;
  const name = ctx.task.name.replace(/[^A-Za-z0-9]+/g, "-").slice(0, 60);
  mkdirSync(join(REPO_ROOT, "test-results"), { recursive: true });
  await page.screenshot({ path: join(REPO_ROOT, `test-results/e2e-failure-${name}.png`) }).catch(() => {});
  const text = await page
    .locator("body")
    .textContent()
    .catch((e: unknown) => String(e));
  console.error(`[e2e] failed at ${page.url()}; page text:\n${(text ?? "").slice(0, 2000)}`);
});

function need(): { page: Page; server: ServerProcess } {
  if (page === null || server === null) throw new Error(`browser test setup failed (${skipReason ?? "?"})`);
  return { page, server };
}

describe.sequential("web Workbench end to end", () => {
  it(
    "without a session the app shows the login form and the API answers 401",
    async ({ skip }) => {
      if (skipReason !== null) skip(skipReason);
      const { page, server } = need();
      await page.goto(`${server.url}/projects`);
      await page.getByTestId("login-form").waitFor();
      const status = await page.evaluate(async () => (await fetch("/api/projects")).status);
      expect(status).toBe(401);
    },
    STEP_TIMEOUT_MS,
  );

  it(
    "logs in with the one-time link printed at first start",
    async ({ skip }) => {
      if (skipReason !== null) skip(skipReason);
      const { page, server } = need();
      expect(server.oneTimeUrl, `no one-time link in the output:\n${server.output()}`).not.toBeNull();
      await page.goto(server.oneTimeUrl ?? "");
      await expect.poll(() => page.getByTestId("current-user").textContent()).toContain("admin");
      // A one-time link works once.
      const again = await fetch(server.oneTimeUrl ?? "", { redirect: "manual" });
      expect(
        again.headers.getSetCookie().some((c) => c.startsWith("atsm_session=") && !c.includes("Max-Age=0")),
      ).toBe(false);
    },
    STEP_TIMEOUT_MS,
  );

  it(
    "creates a project and shows the API's error for a bad upload",
    async ({ skip }) => {
      if (skipReason !== null) skip(skipReason);
      const { page } = need();
      await page.getByTestId("project-name").fill("E2E");
      await page.getByTestId("project-name").press("Enter");
      await page.waitForURL(/\/projects\/[0-9a-f-]{36}$/);
      await page.getByTestId("upload-dropzone").waitFor();
      const bad = {
        name: "not-an-image.dcm",
        mimeType: "application/dicom",
        buffer: Buffer.from("this is no DICOM"),
      };
      // What the API itself answers for the same file, to compare with the page's banner.
      const apiError = await page.evaluate(async (pid) => {
        const form = new FormData();
        form.append("file", new Blob(["this is no DICOM"]), "not-an-image.dcm");
        const r = await fetch(`/api/projects/${pid}/uploads`, { method: "POST", body: form });
        return { status: r.status, body: (await r.json()) as { error?: { message: string } } };
      }, page.url().split("/").pop() ?? "");
      expect(apiError.status).toBeGreaterThanOrEqual(400);
      expect(apiError.body.error?.message).toBeTruthy();
      await page.getByTestId("upload-input").setInputFiles(bad);
      const banner = page.getByTestId("error-banner");
      await banner.waitFor();
      expect(await banner.textContent()).toContain(apiError.body.error?.message ?? "<no message>");
    },
    STEP_TIMEOUT_MS,
  );

  it(
    "uploads the demo study (DICOM PET + CT) through the page",
    async ({ skip }) => {
      if (skipReason !== null) skip(skipReason);
      const { page } = need();
      const files = ["PT", "CT"].flatMap((s) =>
        readdirSync(join(studyDir, s)).map((f) => join(studyDir, s, f)),
      );
      await page.getByTestId("upload-input").setInputFiles(files);
      await page.getByTestId("upload-result").waitFor();
      expect(await page.getByTestId("upload-result").textContent()).toMatch(/Imported 1 study/);
      await page.getByTestId("upload-study-link").first().click();
      await page.waitForURL(/\/studies\/[0-9a-f-]{36}$/);
    },
    STEP_TIMEOUT_MS,
  );

  it(
    "places a tumour and a muscle sphere; T/M on the page equals `atsm quantify`",
    async ({ skip }) => {
      if (skipReason !== null) skip(skipReason);
      const { page } = need();
      await waitForFirstRender(page);
      // Tumour: Sphere tool, click the centre of the axial view (the volume centre, inside the tumour).
      await page.getByTestId("view-axial").click();
      await page.getByTestId("role-tumour").click();
      await page.getByTestId("sphere-radius").fill(String(TUMOUR_RADIUS_MM));
      await page.getByTestId("tool-sphere").click();
      const canvas = page.getByTestId("viewer-canvas");
      const box = await canvas.boundingBox();
      if (box === null) throw new Error("viewer canvas has no box");
      await canvas.click({ position: { x: box.width / 2, y: box.height / 2 } });
      await expect.poll(() => page.getByTestId("voi-spec-tumour").textContent()).toMatch(/^sphere:/);
      // Reference: typed spec.
      await page.getByTestId("role-reference").click();
      await page.getByTestId("voi-spec-input").fill(MUSCLE_SPEC);
      await page.getByTestId("voi-spec-add").click();
      await expect.poll(() => page.getByTestId("voi-spec-reference").textContent()).toMatch(/^sphere:/);
      await page.locator('[data-testid="metrics"][data-state="ready"]').waitFor();
      const tumourSpec = (await page.getByTestId("voi-spec-tumour").textContent()) ?? "";
      const referenceSpec = (await page.getByTestId("voi-spec-reference").textContent()) ?? "";
      const onPage: Record<string, { value: number; text: string }> = {};
      for (const k of ["max", "mean", "peak"]) {
        const el = page.getByTestId(`tm-${k}`);
        onPage[k] = {
          value: Number(await el.getAttribute("data-value")),
          text: (await el.textContent()) ?? "",
        };
      }
      const q = spawnSync(
        process.execPath,
        [
          "--import",
          "tsx",
          join(REPO_ROOT, "src/cli/main.ts"),
          "quantify",
          studyDir,
          "--tumor",
          tumourSpec,
          "--reference",
          referenceSpec,
          "--json",
        ],
        { cwd: REPO_ROOT, encoding: "utf8", timeout: 120_000 },
      );
      expect(q.status, q.stderr).toBe(0);
      const cli = JSON.parse(q.stdout) as { tmrMax: number; tmrMean: number; tmrPeak: number };
      const expected: Record<string, number> = { max: cli.tmrMax, mean: cli.tmrMean, peak: cli.tmrPeak };
      console.info(
        `[e2e] tumour ${tumourSpec}, reference ${referenceSpec}; page ${JSON.stringify(onPage)}; cli ${JSON.stringify(expected)}`,
      );
      for (const k of ["max", "mean", "peak"]) {
        expectClose(
          onPage[k]!.value,
          expected[k]!,
          { rel: 1e-6 },
          `T/M ${k} (page data-value vs atsm quantify)`,
        );
        expect(onPage[k]!.text, `T/M ${k} as displayed`).toBe(expected[k]!.toFixed(3));
      }
    },
    STEP_TIMEOUT_MS,
  );

  it(
    "renders a fused PET/CT image (screenshot is not blank)",
    async ({ skip }) => {
      if (skipReason !== null) skip(skipReason);
      const { page } = need();
      await page.getByTestId("view-multiplanar").click();
      await page.waitForTimeout(500); // let NiiVue draw the new layout
      const png = await page.getByTestId("viewer-canvas").screenshot();
      mkdirSync(join(REPO_ROOT, "test-results"), { recursive: true });
      writeFileSync(join(REPO_ROOT, "test-results/e2e-viewer.png"), png);
      const c = pixelCensus(new Uint8Array(png));
      console.info(`[e2e] screenshot census ${JSON.stringify(c)}`);
      // Thresholds from the small demo study in the multiplanar layout: body CT fills a large part of
      // each tile, the tumour and the colour bar are coloured. Loose on purpose (rendering, not numbers).
      expect(c.nonBackgroundFraction, "fraction of non-background pixels").toBeGreaterThan(0.15);
      expect(c.greyFraction, "fraction of grey (CT through the PET) pixels").toBeGreaterThan(0.02);
      expect(c.colouredFraction, "fraction of coloured (PET colour map) pixels").toBeGreaterThan(0.005);
      expect(c.distinctColours, "distinct colours (a colour map, not one flat colour)").toBeGreaterThan(20);
    },
    STEP_TIMEOUT_MS,
  );
});

/**
 * Wait until the viewer reports its first fused render: `window.__atsmFirstRender` when the page
 * sets it, else the canvas's `data-ready="true"` (set once both volumes are loaded and drawn).
 */
async function waitForFirstRender(page: Page): Promise<void> {
  await page.getByTestId("viewer-canvas").waitFor();
  await page.waitForFunction(
    () =>
      typeof (window as unknown as { __atsmFirstRender?: unknown }).__atsmFirstRender === "number" ||
      document.querySelector('[data-testid="viewer-canvas"][data-ready="true"]') !== null,
    undefined,
    { timeout: UI_TIMEOUT_MS },
  );
}
