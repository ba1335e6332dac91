/** Scanner model: PSF conserves activity and has the stated FWHM; downsampling; count noise. */
import { describe, expect, it } from "vitest";
import { createRng } from "../../src/core/rng.js";
import {
  addCountNoise,
  blockAverage,
  correlateNoise,
  effectiveFrameS,
  gaussianBlur,
  SCANNERS,
  simulateAcquisition,
} from "../../src/scanner/index.js";
import { expectClose } from "../helpers/close.js";
import { expectAtsmError } from "../helpers/errors.js";

function sum(a: Float32Array): number {
  let s = 0;
  for (const v of a) s += v;
  return s;
}

/** FWHM of a sampled 1-D profile by linear interpolation of the half-maximum crossings. */
function fwhmOfProfile(p: number[], h: number): number {
  let peak = 0;
  for (let i = 1; i < p.length; i++) if (p[i]! > p[peak]!) peak = i;
  const half = p[peak]! / 2;
  let l = peak;
  while (l > 0 && p[l]! > half) l--;
  let r = peak;
  while (r < p.length - 1 && p[r]! > half) r++;
  const xl = l + (half - p[l]!) / (p[l + 1]! - p[l]!);
  const xr = r - 1 + (p[r - 1]! - half) / (p[r - 1]! - p[r]!);
  return (xr - xl) * h;
}

describe("gaussianBlur", () => {
  it("conserves total activity, also for sources at the edge", () => {
    const dims = [20, 16, 12] as const;
    const a = new Float32Array(20 * 16 * 12);
    const rng = createRng(4);
    for (let u = 0; u < a.length; u++) a[u] = rng.next() < 0.05 ? 1000 * rng.next() : 0;
    a[0] = 5000; // corner source
    const b = gaussianBlur(a, dims, [0.5, 0.5, 0.8], 1.5);
    expectClose(sum(b), sum(a), { rel: 1e-5 }, "total activity after blur");
  });

  it("a point source comes back with the stated FWHM (1.5 mm at 0.25 mm, 5 mm at 1 mm) ±5 %", () => {
    for (const [fwhm, h] of [
      [1.5, 0.25],
      [5, 1],
    ] as const) {
      const n = 41;
      const a = new Float32Array(n * n * n);
      const c = 20;
      a[c + n * (c + n * c)] = 1;
      const b = gaussianBlur(a, [n, n, n], [h, h, h], fwhm);
      for (const axis of [0, 1, 2]) {
        const prof: number[] = [];
        for (let t = 0; t < n; t++) {
          const ijk = [c, c, c];
          ijk[axis] = t;
          prof.push(b[ijk[0]! + n * (ijk[1]! + n * ijk[2]!)]!);
        }
        expectClose(fwhmOfProfile(prof, h), fwhm, { rel: 0.05 }, `FWHM axis ${axis}, mm`);
      }
    }
  });

  it("zero FWHM is the identity; negative FWHM is rejected", () => {
    const a = new Float32Array([1, 2, 3, 4]);
    expect(Array.from(gaussianBlur(a, [4, 1, 1], [1, 1, 1], 0))).toEqual([1, 2, 3, 4]);
    expectAtsmError(() => gaussianBlur(a, [4, 1, 1], [1, 1, 1], -1), {
      code: "INVALID_ARGUMENT",
      message: /FWHM/,
    });
  });
});

describe("blockAverage", () => {
  it("averages 2×2×1 blocks (hand vector) and rejects non-dividing factors", () => {
    // [[1,2,3,4],[5,6,7,8]] (x fastest) with factor (2,2,1): blocks (1+2+5+6)/4 = 3.5, (3+4+7+8)/4 = 5.5.
    const r = blockAverage(new Float32Array([1, 2, 3, 4, 5, 6, 7, 8]), [4, 2, 1], [2, 2, 1]);
    expect(r.dims).toEqual([2, 1, 1]);
    expect(Array.from(r.data)).toEqual([3.5, 5.5]);
    expectAtsmError(() => blockAverage(new Float32Array(6), [3, 2, 1], [2, 1, 1]), {
      code: "INVALID_ARGUMENT",
      message: /does not divide/,
    });
  });
});

describe("addCountNoise", () => {
  it("is unbiased with Poisson variance C/(V·s·T_eff), and seeded", () => {
    // C = 10 kBq/mL, V = 0.001 mL, s = 0.01, T = 600 s, no decay: λ = 60 counts,
    // so mean 10000 Bq/mL and variance C²/λ = 1.667e6 (Bq/mL)².
    const n = 40_000;
    const c = 10_000;
    const a = new Float32Array(n).fill(c);
    const o = {
      voxelVolumeMl: 0.001,
      countsPerDecay: 0.01,
      frameDurationS: 600,
      decayConstantPerS: 0,
    };
    const x = addCountNoise(a, { ...o, rng: createRng(11) });
    let m = 0;
    for (const v of x) m += v / n;
    let v2 = 0;
    for (const v of x) v2 += (v - m) ** 2 / (n - 1);
    // Standard error of the mean: sqrt(1.667e6/4e4) = 6.5 Bq/mL → ±4 s.e. = 26.
    expectClose(m, c, { abs: 26 }, "mean, Bq/mL");
    // Relative s.e. of a variance ≈ sqrt(2/n) = 0.7 % → ±5 %.
    expectClose(v2, (c * c) / 60, { rel: 0.05 }, "variance");
    const y = addCountNoise(a, { ...o, rng: createRng(11) });
    expect(Buffer.from(x.buffer).equals(Buffer.from(y.buffer))).toBe(true);
  });

  it("decay-weighted frame length: ∫₀ᵀ e^(−λt) dt", () => {
    // 64Cu (T½ 12.7004 h) over 1 h: (1 − e^(−λT))/λ = 3600·(1 − e^(−x))/x with x = ln2/12.7004.
    const lam = Math.LN2 / (12.7004 * 3600);
    const x = lam * 3600;
    expectClose(effectiveFrameS(3600, lam), (3600 * (1 - Math.exp(-x))) / x, { rel: 1e-12 }, "T_eff");
  });
});

describe("simulateAcquisition", () => {
  it("noise-free acquisition conserves total activity through blur + downsampling", () => {
    const fine = [32, 32, 16] as const;
    const t = new Float32Array(32 * 32 * 16);
    for (let k = 4; k < 12; k++)
      for (let j = 10; j < 20; j++) for (let i = 8; i < 24; i++) t[i + 32 * (j + 32 * k)] = 5000;
    const acq = simulateAcquisition({
      truthBqPerMl: t,
      fineDims: fine,
      fineSpacingMm: [0.25, 0.25, 0.25],
      factor: [2, 2, 2],
      scanner: SCANNERS.preclinical,
    });
    expect(acq.dims).toEqual([16, 16, 8]);
    // Total activity ∝ Σ C·V: fine voxels 1/8 of scanner voxels.
    expectClose(sum(acq.noiseFreeBqPerMl) * 8, sum(t), { rel: 1e-5 }, "activity");
  });
});

describe("correlateNoise", () => {
  it("keeps the mean and the per-voxel variance, and correlates neighbours", () => {
    // Uniform field: per-voxel variance is preserved exactly in expectation by the 1/sqrt(Σw²)
    // gain; a 2-voxel FWHM Gaussian gives a neighbour correlation exp(−1/(4σ²)) ≈ 0.71 (σ = 0.85).
    const dims = [40, 40, 40] as const;
    const n = 40 ** 3;
    const mean = new Float32Array(n).fill(1000);
    const noisy = addCountNoise(mean, {
      voxelVolumeMl: 0.001,
      countsPerDecay: 0.01,
      frameDurationS: 600,
      decayConstantPerS: 0,
      rng: createRng(3),
    });
    const c = correlateNoise(noisy, mean, dims, [1, 1, 1], 2);
    let m = 0;
    for (const v of c) m += v / n;
    let v0 = 0;
    let v1 = 0;
    let cov = 0;
    for (let u = 0; u < n - 1; u++) {
      v0 += (noisy[u]! - 1000) ** 2 / n;
      v1 += (c[u]! - 1000) ** 2 / n;
      cov += ((c[u]! - 1000) * (c[u + 1]! - 1000)) / n;
    }
    // Var = C²/λ with λ = 6 counts: 1.667e5; s.e. of the mean sqrt(1.667e5/64000) = 1.6 → ±8.
    expectClose(m, 1000, { abs: 8 }, "mean after correlation");
    expectClose(v1, v0, { rel: 0.1 }, "per-voxel variance kept");
    const sigma = 2 / 2.3548;
    expectClose(cov / v1, Math.exp(-1 / (4 * sigma * sigma)), { abs: 0.05 }, "neighbour correlation");
  });
});
