/**
 * Frame-window summing with decay. Truth: a static distribution A0 (at t = 0) decaying with
 * T½(Cu-60) = 23.7 min (ICRP-107, reference/nuclides.md). Uncorrected frame values are the
 * analytic frame averages A0·e^{−λs}(1 − e^{−λd})/(λd); corrected frames hold A0.
 */
import { describe, expect, it } from "vitest";
import type { DynamicVolume } from "../../src/core/types.js";
import { identityDirection } from "../../src/core/types.js";
import { sumFrameWindow } from "../../src/quant/frames.js";
import { expectClose } from "../helpers/close.js";
import { expectAtsmError } from "../helpers/errors.js";

const HALF_LIFE_CU60_S = 23.7 * 60; // ICRP-107
const lambda = Math.LN2 / HALF_LIFE_CU60_S;
const starts = [0, 600, 1200, 1800, 2400, 3000];
const durs = [600, 600, 600, 600, 600, 600];
const A0 = [5, 20]; // two voxels

function dyn(corrected: boolean): DynamicVolume {
  const data = new Float32Array(2 * starts.length);
  starts.forEach((s, f) => {
    const d = durs[f]!;
    const avg = corrected ? 1 : (Math.exp(-lambda * s) * -Math.expm1(-lambda * d)) / (lambda * d);
    data[2 * f] = A0[0]! * avg;
    data[2 * f + 1] = A0[1]! * avg;
  });
  return {
    data,
    dims: [2, 1, 1],
    spacingMm: [1, 1, 1],
    originMm: [0, 0, 0],
    direction: identityDirection(),
    unit: "Bq/mL",
    frameStartS: Float64Array.from(starts),
    frameDurationS: Float64Array.from(durs),
    decayCorrectedToS: corrected ? 0 : null,
  };
}

describe("sumFrameWindow", () => {
  it("uncorrected frames corrected to injection recover A0 (30–60 min)", () => {
    const r = sumFrameWindow(dyn(false), {
      startS: 1800,
      endS: 3600,
      halfLifeS: HALF_LIFE_CU60_S,
      referenceTimeS: 0,
    });
    expect(r.frames).toEqual([3, 4, 5]);
    expectClose(r.volume.data[0]!, 5, { rel: 1e-6 }, "voxel 0 (float32 frames)");
    expectClose(r.volume.data[1]!, 20, { rel: 1e-6 }, "voxel 1");
    expect(r.decayCorrectedToS).toBe(0);
  });
  it("uncorrected frames default to the window start as reference: A0·e^{−λ·1800}", () => {
    const r = sumFrameWindow(dyn(false), { startS: 1800, endS: 3600, halfLifeS: HALF_LIFE_CU60_S });
    expect(r.decayCorrectedToS).toBe(1800);
    expectClose(r.volume.data[1]!, 20 * Math.exp(-lambda * 1800), { rel: 1e-6 }, "voxel 1");
  });
  it("corrected frames: duration-weighted mean, re-referenced on request", () => {
    const c = sumFrameWindow(dyn(true), { startS: 1800, endS: 3600, halfLifeS: HALF_LIFE_CU60_S });
    expectClose(c.volume.data[1]!, 20, { rel: 1e-7 }, "corrected to 0");
    const r = sumFrameWindow(dyn(true), {
      startS: 1800,
      endS: 3600,
      halfLifeS: HALF_LIFE_CU60_S,
      referenceTimeS: 600,
    });
    expectClose(r.volume.data[1]!, 20 * Math.exp(-lambda * 600), { rel: 1e-7 }, "re-referenced to 600 s");
  });
  it("warns about straddling frames and rejects empty windows / bad half-life", () => {
    const r = sumFrameWindow(dyn(true), { startS: 1500, endS: 3600, halfLifeS: HALF_LIFE_CU60_S });
    expect(r.frames).toEqual([3, 4, 5]);
    expect(r.warnings[0]).toMatch(/frame 2 .* straddles/);
    expectAtsmError(() => sumFrameWindow(dyn(true), { startS: 4000, endS: 5000, halfLifeS: 1 }), {
      code: "INVALID_ARGUMENT",
      message: /no frame lies inside the window 4000-5000 s/,
    });
    expectAtsmError(() => sumFrameWindow(dyn(true), { startS: 0, endS: 600, halfLifeS: 0 }), {
      code: "INVALID_ARGUMENT",
      message: /half-life/,
    });
  });
});
