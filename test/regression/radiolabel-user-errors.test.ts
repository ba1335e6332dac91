/**
 * Regressions found by using `atsm radiolabel` as a radiochemist would (user-test pass):
 * - overlapping manual ROIs counted the shared bins twice (RCP 100 % PASS on a 98 % trace);
 * - a percent Rf window (45:75) gave "RCP 0 %" instead of saying Rf is a fraction;
 * - swapped origin/front gave no hint; a front outside the scanned trace passed silently;
 * - an end of synthesis before the draw gave a product larger than the activity drawn;
 * - the injection-before-EOS warning printed epoch seconds.
 */
import { describe, expect, it } from "vitest";
import { analyzeChromatogram, type Trace } from "../../src/lab/chromatogram/analyze.js";
import { planLabelling } from "../../src/lab/radiolabel/planner.js";
import { cli } from "../helpers/cli.js";
import { expectAtsmError } from "../helpers/errors.js";

/** Two Gaussians on a flat background: impurity at 12 mm, product at 60 mm (0–100 mm, 0.5 mm bins). */
function trace(): Trace {
  const n = 201;
  const x = new Float64Array(n);
  const counts = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    x[i] = i * 0.5;
    counts[i] = 10 + 1000 * Math.exp(-((x[i]! - 60) ** 2) / 8) + 30 * Math.exp(-((x[i]! - 12) ** 2) / 4);
  }
  return { axis: "positionMm", x, counts };
}
const base = { originMm: 10, frontMm: 90, productRange: [0.45, 0.75] as const };

describe("radiolabel qc: user mistakes are refused, not mis-scored", () => {
  it("overlapping ROIs are an error (they would count shared bins twice)", () => {
    expectAtsmError(
      () =>
        analyzeChromatogram(trace(), {
          ...base,
          rois: [
            [50, 70],
            [60, 80],
          ],
        }),
      { code: "INVALID_ARGUMENT", message: /overlap/, hint: /non-overlapping/ },
    );
  });
  it("an Rf window outside 0–1 is refused with a percent hint", () => {
    expectAtsmError(() => analyzeChromatogram(trace(), { ...base, productRange: [45, 75] }), {
      message: /within 0–1/,
      hint: /0\.45:0\.75/,
    });
  });
  it("swapped origin and front say so", () => {
    expectAtsmError(() => analyzeChromatogram(trace(), { ...base, originMm: 90, frontMm: 10 }), {
      message: /front \(10 mm\) must be beyond the origin \(90 mm\)/,
      hint: /swapped/,
    });
  });
  it("a front beyond the scanned trace warns", () => {
    const r = analyzeChromatogram(trace(), { ...base, frontMm: 300 });
    expect(r.warnings.join("\n")).toMatch(/outside the scanned trace/);
  });
  it("the CLI prints region units and net counts", async () => {
    const r = await cli([
      "radiolabel",
      "qc",
      "examples/radiolabel/tlc-pass.csv",
      "--origin-mm",
      "10",
      "--front-mm",
      "90",
      "--product-rf",
      "0.45:0.75",
    ]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/51\.5–64\.5 mm {2}Rf 0\.600 {2}\d+ ± \d+ net counts {2}98\.81 % {2}product/);
  });
  it("--limit out of range names the flag", async () => {
    const r = await cli(
      ["radiolabel", "qc", "examples/radiolabel/tlc-pass.csv", "--origin-mm", "10"].concat([
        "--front-mm",
        "90",
        "--product-rf",
        "0.45:0.75",
        "--limit",
        "198",
      ]),
    );
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/--limit/);
  });
});

describe("radiolabel plan: time order", () => {
  const input = {
    halfLifeS: 45720,
    stockActivityBq: 1e9,
    stockVolumeMl: 0.5,
    calibrationTimeS: 0,
    drawTimeS: 5400,
    wantedActivityBq: 400e6,
    ligandMassUg: 15,
    endOfSynthesisTimeS: 6300,
    expectedRcyDecayCorrected: 0.85,
    injectionTimesS: [10800],
    doseActivityBq: 8e6,
  };
  it("end of synthesis before the draw is an error naming --eos", () => {
    expectAtsmError(() => planLabelling({ ...input, endOfSynthesisTimeS: 3600 }), {
      message: /end of synthesis is 30\.0 min before the draw time/,
      hint: /--eos/,
    });
  });
  it("an injection before EOS is warned in minutes, not epoch seconds", () => {
    const r = planLabelling({ ...input, injectionTimesS: [5400] });
    expect(r.warnings.join("\n")).toMatch(/an injection time is 15\.0 min before the end of synthesis/);
  });
});

describe("radiolabel qc: minutes exports", () => {
  it("a Time [min] export says it was converted, and a window given in minutes lists the peaks in s", async () => {
    const { mkdtempSync, writeFileSync } = await import("node:fs");
    const { tmpdir } = await import("node:os");
    const { join } = await import("node:path");
    const dir = mkdtempSync(join(tmpdir(), "atsm-hplc-"));
    // HPLC export in minutes with decimal commas: impurity at 2 min, product at 9 min.
    const rows = ["Sample;HPLC run 1", "", "Time [min];CPS"];
    for (let i = 0; i <= 600; i++) {
      const t = i * 0.02;
      const y = Math.round(
        5 + 800 * Math.exp(-((t - 9) ** 2) / 0.02) + 20 * Math.exp(-((t - 2) ** 2) / 0.02),
      );
      rows.push(`${t.toFixed(2).replace(".", ",")};${y}`);
    }
    writeFileSync(join(dir, "hplc.txt"), `${rows.join("\n")}\n`);
    const r = await cli(["radiolabel", "qc", join(dir, "hplc.txt"), "--product-time", "8.5:9.5"]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/times converted to seconds \(×60\)/);
    expect(r.stderr).toMatch(/Peaks found at 120\.0 s, 540\.0 s/);
    expect(r.stderr).not.toMatch(/metadata lines/);
  });
});
