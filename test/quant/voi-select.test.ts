/** Threshold, connected-component and region-growing VOIs on phantoms with known voxel sets. */
import { describe, expect, it } from "vitest";
import { computeVoiMetrics } from "../../src/quant/metrics.js";
import { valueScaleFor } from "../../src/quant/scale.js";
import { rasterizeVoi } from "../../src/quant/voi/resolve.js";
import { expectClose } from "../helpers/close.js";
import { expectAtsmError } from "../helpers/errors.js";
import { phantom } from "./phantom.js";

// Two hot blobs on background 1: A (value 10, r = 8 mm) at x = −15, B (value 6, r = 6 mm) at x = +15.
const g = { dims: [40, 24, 24] as const, spacingMm: [2, 2, 2] as const, originMm: [-39, -23, -23] as const };
const vol = phantom(g, (x, y, z) => {
  if (Math.hypot(x + 15, y, z) <= 8) return 10;
  if (Math.hypot(x - 15, y, z) <= 6) return 6;
  return 1;
});
function countWhere(f: (v: number) => boolean): number {
  let c = 0;
  for (const v of vol.data) if (f(v)) c++;
  return c;
}
const nA = countWhere((v) => v === 10);
const nB = countWhere((v) => v === 6);

describe("threshold", () => {
  it("41 % of max inside a box covering both blobs selects both (10·0.41 = 4.1 ≤ 6)", () => {
    const v = rasterizeVoi("threshold:41%max@box:-38,-22,-22,38,22,22", { volume: vol });
    expect(v.insideCount).toBe(nA + nB);
  });
  it("absolute SUV and T/M levels", () => {
    const v = rasterizeVoi("threshold:7@box:-38,-22,-22,38,22,22", { volume: vol });
    expect(v.insideCount).toBe(nA);
    // T/M 5 with reference mean 1 -> level 5: both blobs.
    const t = rasterizeVoi("threshold:5tm", { volume: vol, referenceMeanNative: 1 });
    expect(t.insideCount).toBe(nA + nB);
    expectAtsmError(() => rasterizeVoi("threshold:5tm", { volume: vol }), {
      code: "MISSING_INPUT",
      message: /T\/M units but no reference/,
    });
  });
  it("SUV level on a Bq/mL image uses the SUV factor (SUV 7 at 1e-3 SUV per Bq/mL = 7000 Bq/mL)", () => {
    const bq = { ...vol, data: vol.data.map((v) => v * 1000), unit: "Bq/mL" };
    const v = rasterizeVoi("threshold:7suv", { volume: bq, scale: valueScaleFor("Bq/mL", 1e-3) });
    expect(v.insideCount).toBe(nA);
    expectAtsmError(() => rasterizeVoi("threshold:7suv", { volume: bq }), { code: "MISSING_INPUT" });
  });
  it("%peak: 50 % of the blob-A peak (10) → 5", () => {
    const v = rasterizeVoi("threshold:50%peak@sphere:-15,0,0,10", { volume: vol });
    expect(v.insideCount).toBe(nA);
  });
  it("threshold:0@sphere is the sphere itself (weights and flags kept)", () => {
    const a = rasterizeVoi("sphere:-15,0,0,12", { volume: vol });
    const b = rasterizeVoi("threshold:0@sphere:-15,0,0,12", { volume: vol });
    expect(Array.from(b.index)).toEqual(Array.from(a.index));
    expect(Array.from(b.weight)).toEqual(Array.from(a.weight));
    expect(b.insideCount).toBe(a.insideCount);
  });
  it("%peak without an inner VOI is rejected", () => {
    expectAtsmError(() => rasterizeVoi("threshold:50%peak", { volume: vol }), {
      code: "INVALID_ARGUMENT",
      message: /needs an inner VOI/,
    });
  });
  it("a level above every voxel is an empty-VOI error", () => {
    expectAtsmError(() => rasterizeVoi("threshold:20@sphere:-15,0,0,10", { volume: vol }), {
      code: "EMPTY_VOI",
      message: /no voxel reaches the level 20suv/,
    });
  });
});

describe("component", () => {
  it("keeps the component holding the hottest voxel", () => {
    const v = rasterizeVoi("component@threshold:41%max@box:-38,-22,-22,38,22,22", { volume: vol });
    expect(v.insideCount).toBe(nA);
    const m = computeVoiMetrics(vol, v);
    expect(m.suvMin).toBe(10);
    expectClose(m.maxVoxelMm[0], -15, { abs: 8 }, "hottest voxel is in blob A");
  });
});

describe("grow", () => {
  it("grows blob B from a seed in it and stops at the background", () => {
    const v = rasterizeVoi("grow:15,0,0,3", { volume: vol });
    expect(v.insideCount).toBe(nB);
    const s = rasterizeVoi("grow:15,0,0,50%seed@box:-38,-22,-22,38,22,22", { volume: vol });
    expect(s.insideCount).toBe(nB);
  });
  it("seed below the level or outside the image is an error", () => {
    expectAtsmError(() => rasterizeVoi("grow:0,0,0,3", { volume: vol }), {
      code: "EMPTY_VOI",
      message: /seed voxel value 1 is below the growing level 3/,
    });
    expectAtsmError(() => rasterizeVoi("grow:900,0,0,3", { volume: vol }), {
      code: "EMPTY_VOI",
      message: /seed point lies outside the image/,
    });
  });
});
