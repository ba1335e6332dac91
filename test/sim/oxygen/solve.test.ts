/**
 * Oxygen solver: agreement with an independent scipy Newton/spsolve solution, residual and
 * convergence, maximum principle, 2-D/3-D consistency, input errors, histogram.
 */
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import {
  consumptionMmHgPerUm2,
  DEFAULT_OXYGEN_PARAMS,
  po2Histogram,
  solveOxygen,
} from "../../../src/sim/oxygen/index.js";
import { generateVesselNetwork } from "../../../src/sim/vessels/index.js";
import { expectClose } from "../../helpers/close.js";
import { expectAtsmError } from "../../helpers/errors.js";

interface Fixture {
  dims: [number, number, number];
  spacingUm: [number, number, number];
  vessels: [number, number][];
  tissueMaskZeros: number[];
  po2MmHg: number[];
}

describe("solveOxygen", () => {
  it("matches scipy Newton + spsolve on a small anisotropic 3-D problem (1e-4 mmHg)", () => {
    // Reference: test/fixtures/make/oxygen_scipy_reference.py (scipy 1.10.1), Secomb parameters.
    const fx = JSON.parse(
      readFileSync(new URL("../../fixtures/data/oxygen/mm-small.json", import.meta.url), "utf8"),
    ) as Fixture;
    const n = fx.dims[0] * fx.dims[1] * fx.dims[2];
    const vesselMask = new Uint8Array(n);
    const vesselPo2MmHg = new Float32Array(n);
    for (const [u, p] of fx.vessels) {
      vesselMask[u] = 1;
      vesselPo2MmHg[u] = p;
    }
    const tissueMask = new Uint8Array(n).fill(1);
    for (const u of fx.tissueMaskZeros) tissueMask[u] = 0;
    const sol = solveOxygen(
      { dims: fx.dims, spacingUm: fx.spacingUm, vesselMask, vesselPo2MmHg, tissueMask },
      { tolerance: 1e-10 },
    );
    expect(sol.converged).toBe(true);
    for (let u = 0; u < n; u++) {
      if (tissueMask[u] === 0) continue;
      expectClose(sol.po2MmHg[u]!, fx.po2MmHg[u]!, { abs: 1e-4 }, `pO2 voxel ${u}`);
    }
  });

  it("converges on a random 3-D network: residual recomputed independently ≤ tolerance", () => {
    const dims = [32, 28, 24] as const;
    const spacingUm = [10, 10, 10] as const;
    const v = generateVesselNetwork({ dims, spacingUm, lengthDensityMmPerMm3: 150, seed: 3 });
    const sol = solveOxygen(
      { dims, spacingUm, vesselMask: v.mask, vesselPo2MmHg: v.po2MmHg },
      { tolerance: 1e-7 },
    );
    expect(sol.converged).toBe(true);
    expect(sol.newtonIterations).toBeLessThanOrEqual(15);
    expect(sol.relResidual).toBeLessThanOrEqual(1e-7);
    // Naive residual: Σ_nb (P − P_nb)/h² + c·P/(P+1) at every tissue voxel.
    const c = consumptionMmHgPerUm2(DEFAULT_OXYGEN_PARAMS);
    const [nx, ny, nz] = dims;
    const P = sol.po2MmHg;
    let worst = 0;
    let minP = Number.POSITIVE_INFINITY;
    let maxP = 0;
    let maxVessel = 0;
    for (let u = 0; u < P.length; u++) if (v.mask[u]) maxVessel = Math.max(maxVessel, v.po2MmHg[u]!);
    for (let k = 0; k < nz; k++)
      for (let j = 0; j < ny; j++)
        for (let i = 0; i < nx; i++) {
          const u = i + nx * (j + ny * k);
          if (v.mask[u]) continue;
          const p = P[u]!;
          minP = Math.min(minP, p);
          maxP = Math.max(maxP, p);
          let lap = 0;
          for (const [di, dj, dk] of [
            [1, 0, 0],
            [-1, 0, 0],
            [0, 1, 0],
            [0, -1, 0],
            [0, 0, 1],
            [0, 0, -1],
          ] as const) {
            const a = i + di;
            const b = j + dj;
            const e = k + dk;
            if (a < 0 || b < 0 || e < 0 || a >= nx || b >= ny || e >= nz) continue;
            lap += (p - P[a + nx * (b + ny * e)]!) / 100;
          }
          worst = Math.max(worst, Math.abs(lap + (c * p) / (p + 1)) / c);
        }
    // Maximum principle: 0 ≤ P ≤ max vessel pO2 (float32 rounding allowed).
    expect(minP).toBeGreaterThanOrEqual(-1e-6);
    expect(maxP).toBeLessThanOrEqual(maxVessel + 1e-4);
    // Float32 output rounding (~1e-7 relative on ~40 mmHg over h² = 100 µm²) bounds this.
    expect(worst).toBeLessThan(1e-3);
  });

  it("a 2-D section (nz = 1) equals a 3-D slab with z-invariant vessels", () => {
    const dims2 = [40, 30, 1] as const;
    const v = generateVesselNetwork({
      dims: dims2,
      spacingUm: [10, 10, 10],
      lengthDensityMmPerMm3: 200,
      seed: 9,
    });
    const s2 = solveOxygen({
      dims: dims2,
      spacingUm: [10, 10, 10],
      vesselMask: v.mask,
      vesselPo2MmHg: v.po2MmHg,
    });
    const m3 = new Uint8Array(40 * 30 * 3);
    const p3 = new Float32Array(40 * 30 * 3);
    for (let k = 0; k < 3; k++) {
      m3.set(v.mask, k * 1200);
      p3.set(v.po2MmHg, k * 1200);
    }
    const s3 = solveOxygen({
      dims: [40, 30, 3],
      spacingUm: [10, 10, 10],
      vesselMask: m3,
      vesselPo2MmHg: p3,
    });
    for (let u = 0; u < 1200; u++)
      expectClose(s3.po2MmHg[u + 1200]!, s2.po2MmHg[u]!, { abs: 1e-4 }, `voxel ${u}`);
  });

  it("rejects a map without vessels and mismatched array lengths", () => {
    expectAtsmError(
      () =>
        solveOxygen({
          dims: [4, 4, 1],
          spacingUm: [10, 10, 10],
          vesselMask: new Uint8Array(16),
          vesselPo2MmHg: new Float32Array(16),
        }),
      { code: "INVALID_ARGUMENT", message: /no vessel/, hint: /vessel/ },
    );
    expectAtsmError(
      () =>
        solveOxygen({
          dims: [4, 4, 1],
          spacingUm: [10, 10, 10],
          vesselMask: new Uint8Array(15),
          vesselPo2MmHg: new Float32Array(16),
        }),
      { code: "INCONSISTENT", message: /vesselMask has 15 voxels/ },
    );
    expectAtsmError(
      () =>
        solveOxygen({
          dims: [4, 4, 1],
          spacingUm: [10, 0, 10],
          vesselMask: new Uint8Array(16).fill(1),
          vesselPo2MmHg: new Float32Array(16),
        }),
      { code: "INVALID_ARGUMENT", message: /spacing/ },
    );
  });
});

describe("po2Histogram", () => {
  it("hand vector: fractions below 10 and 2.5 mmHg, mean, median, bins", () => {
    // Tissue values 1, 2, 5, 12, 30 (the vessel voxel, 40, is excluded):
    // HF10 = 3/5, HF2.5 = 2/5, mean 50/5 = 10, median 5; bins of 2.5: [0,2.5) holds 2.
    const po2 = new Float32Array([1, 2, 5, 12, 30, 40]);
    const vesselMask = new Uint8Array([0, 0, 0, 0, 0, 1]);
    const h = po2Histogram(po2, { vesselMask });
    expect(h.tissueVoxels).toBe(5);
    expectClose(h.hypoxicFraction10, 0.6, { abs: 1e-12 }, "HF10");
    expectClose(h.hypoxicFraction2p5, 0.4, { abs: 1e-12 }, "HF2.5");
    expectClose(h.meanMmHg, 10, { abs: 1e-6 }, "mean");
    expectClose(h.medianMmHg, 5, { abs: 1e-6 }, "median");
    expectClose(h.fraction[0]!, 0.4, { abs: 1e-12 }, "bin [0,2.5)");
    expectClose(h.fraction[2]!, 0.2, { abs: 1e-12 }, "bin [5,7.5)");
    let s = 0;
    for (const f of h.fraction) s += f;
    expectClose(s, 1, { abs: 1e-12 }, "fractions sum");
  });
});
