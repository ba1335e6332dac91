import { describe, expect, it } from "vitest";
import { createRng } from "../../../src/core/rng.js";
import { getInputPreset } from "../../../src/sim/input/index.js";
import { XENOGRAFTS } from "../../../src/sim/presets/xenografts.js";
import {
  buildTracerGrid,
  drawPo2,
  hypoxicFractions,
  po2Quantiles,
  REGION_NONE,
  simulateTracerMap,
  simulateVoxel,
  type TissueRegion,
} from "../../../src/sim/tumour/index.js";
import { expectClose } from "../../helpers/close.js";
import { expectAtsmError } from "../../helpers/errors.js";

describe("tissue model vs the analytic one-tissue solution", () => {
  it("with no cells, C(t) = K1·Cp ⊗ e^{−k2 t} (closed form for the ramp + multi-exponential input)", () => {
    const input = getInputPreset("mouse");
    const k1 = 0.2 / 60;
    const k2 = 0.5 / 60;
    const region: TissueRegion = {
      ...XENOGRAFTS.FaDu!.tumour,
      tissue: {
        k1MlPerMlPerS: k1,
        k2PerS: k2,
        cellVolumeFraction: 0,
        extracellularVolumeFraction: 0.4,
        bloodVolumeFraction: 0,
      },
    };
    const times = [60, 300, 1200, 3600, 18_000];
    const grid = buildTracerGrid(input, times);
    const pet = new Float64Array(times.length);
    simulateVoxel(region, 10, grid, pet);
    const tp = input.tPeakS;
    const peak = input.amplitudesPerMl.reduce((a, b) => a + b);
    times.forEach((t, i) => {
      // ramp part: e^{−kt}/tp·((tp/k − 1/k²)e^{k·tp} + 1/k²)
      let c = (Math.exp(-k2 * t) / tp) * ((tp / k2 - 1 / k2 ** 2) * Math.exp(k2 * tp) + 1 / k2 ** 2) * peak;
      input.amplitudesPerMl.forEach((a, j) => {
        const l = input.ratesPerS[j]!;
        c += (a * (Math.exp(-l * (t - tp)) - Math.exp(-k2 * (t - tp)))) / (k2 - l);
      });
      // Tolerance 2e-3: the input is sampled piecewise-linearly on the 5–600 s grid (O(h²) error).
      expectClose(pet[i]!, k1 * c, { rel: 2e-3 }, `C(${t} s)`);
    });
  });
});

describe("tracer map kernel", () => {
  const p = XENOGRAFTS.FaDu!;
  const times = [600, 3600];
  const grid = buildTracerGrid(p.input, times);

  it("frame-major layout; REGION_NONE voxels are 0; equal pO2 → equal values", () => {
    const pO2 = new Float32Array([2, 2, 30, 5]);
    const reg = new Uint8Array([0, 0, 1, REGION_NONE]);
    const out = simulateTracerMap({ pO2MmHg: pO2, regionIndex: reg, regions: [p.tumour, p.muscle] }, grid);
    expect(out.length).toBe(8);
    expect(out[0]).toBe(out[1]);
    expect(out[3]).toBe(0);
    expect(out[7]).toBe(0);
    const one = new Float64Array(2);
    simulateVoxel(p.muscle, 30, grid, one);
    expectClose(out[2]!, one[0]!, { rel: 1e-6 }, "muscle frame 0");
    expectClose(out[4 + 2]!, one[1]!, { rel: 1e-6 }, "muscle frame 1");
  });

  it("pO2 quantum 0.01 mmHg: within 0.1 % of the exact map", () => {
    const rng = createRng(5);
    const n = 200;
    const pO2 = Float32Array.from({ length: n }, () => drawPo2(p.tumourPo2, rng));
    const exact = simulateTracerMap({ pO2MmHg: pO2, regionIndex: null, regions: [p.tumour] }, grid, {
      method: "exact",
    });
    const quant = simulateTracerMap(
      { pO2MmHg: pO2, regionIndex: null, regions: [p.tumour], pO2QuantumMmHg: 0.01 },
      grid,
      { method: "exact" },
    );
    for (let i = 0; i < exact.length; i++) expectClose(quant[i]!, exact[i]!, { rel: 1e-3 }, `voxel ${i}`);
  });

  it("rejects a region index without a region", () => {
    expectAtsmError(
      () =>
        simulateTracerMap(
          { pO2MmHg: new Float32Array(2), regionIndex: new Uint8Array([0, 3]), regions: [p.tumour] },
          grid,
        ),
      { code: "INVALID_ARGUMENT", hint: /255/ },
    );
  });

  it("rejects descending times", () => {
    expectAtsmError(() => buildTracerGrid(p.input, [600, 60]), { code: "INVALID_ARGUMENT" });
  });
});

describe("pO2 distributions", () => {
  const d = {
    kind: "lognormal-mixture",
    hypoxicFraction: 0.3,
    hypoxicMedianMmHg: 2,
    oxicMedianMmHg: 15,
    sigmaLn: 0.6,
  } as const;
  it("mid-quantile samples have the stated medians and hypoxic fraction", () => {
    const q = po2Quantiles(d, 1000);
    const hyp = Array.from(q.subarray(0, 300)).sort((a, b) => a - b);
    expectClose((hyp[149]! + hyp[150]!) / 2, 2, { rel: 0.01 }, "hypoxic median");
    const hf = hypoxicFractions(q);
    expect(hf.below2p5MmHg).toBeGreaterThan(0.15);
    expect(hf.below10MmHg).toBeGreaterThan(hf.below2p5MmHg);
  });
  it("seeded draws are reproducible", () => {
    const a = createRng(7);
    const b = createRng(7);
    for (let i = 0; i < 100; i++) expect(drawPo2(d, a)).toBe(drawPo2(d, b));
  });
});
