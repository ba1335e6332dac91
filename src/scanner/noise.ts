/**
 * Count noise: a voxel of concentration C (Bq/mL at frame start), volume V (mL), imaged for T s
 * with an effective sensitivity s (detected, reconstructed counts per decay) collects
 * N ~ Poisson(λ), λ = C·V·s·∫₀ᵀ e^(−λ_d t) dt, and is reported back as N / (V·s·∫…) in Bq/mL
 * decay-corrected to frame start (DICOM DecayCorrection START). E[N/k] = C and
 * Var = C / (V·s·∫…), i.e. relative s.d. 1/sqrt(λ). "Effective sensitivity" lumps the scanner
 * sensitivity, positron yield and the reconstruction's noise amplification into one number: a
 * simplification (real reconstructed noise is spatially correlated).
 */
import { AtsmError } from "../core/errors.js";
import type { Rng } from "../core/rng.js";
import type { Vec3, Vec3i } from "../core/types.js";
import { FWHM_PER_SIGMA, gaussianBlur, gaussianKernel } from "./psf.js";

export interface CountNoiseOptions {
  readonly voxelVolumeMl: number;
  /** Effective detected counts per decay (0 < s ≤ 1). */
  readonly countsPerDecay: number;
  readonly frameDurationS: number;
  /** Decay constant of the nuclide, 1/s (0 = ignore decay during the frame). */
  readonly decayConstantPerS: number;
  readonly rng: Rng;
}

/** Decay-weighted frame duration ∫₀ᵀ e^(−λt) dt, s. */
export function effectiveFrameS(frameDurationS: number, decayConstantPerS: number): number {
  const x = decayConstantPerS * frameDurationS;
  return x < 1e-9 ? frameDurationS : (-Math.expm1(-x) / x) * frameDurationS;
}

/** Poisson count noise on a Bq/mL map (negative inputs count as 0). Returns `out`. */
export function addCountNoise(bqPerMl: Float32Array, o: CountNoiseOptions, out?: Float32Array): Float32Array {
  if (!(o.countsPerDecay > 0 && o.countsPerDecay <= 1) || !(o.frameDurationS > 0) || !(o.voxelVolumeMl > 0)) {
    throw new AtsmError({
      code: "INVALID_ARGUMENT",
      message: "count noise needs 0 < countsPerDecay ≤ 1, frameDurationS > 0 and voxelVolumeMl > 0",
      value: `${o.countsPerDecay}, ${o.frameDurationS}, ${o.voxelVolumeMl}`,
      field: "countsPerDecay",
      hint: "e.g. countsPerDecay 0.02, frame 600 s",
    });
  }
  const k = o.voxelVolumeMl * o.countsPerDecay * effectiveFrameS(o.frameDurationS, o.decayConstantPerS);
  const res = out ?? new Float32Array(bqPerMl.length);
  for (let u = 0; u < bqPerMl.length; u++) {
    const lambda = Math.max(0, bqPerMl[u]!) * k;
    res[u] = o.rng.poisson(lambda) / k;
  }
  return res;
}

/**
 * Spatially correlated version of a noisy image: the noise n = noisy − mean is smoothed with a
 * Gaussian of FWHM `fwhmMm` and rescaled by 1/sqrt(Π_axes Σ_k w_k²) so that the per-voxel
 * variance is kept (exactly for a uniform field), then added back to the mean. Reconstructed PET
 * noise is correlated over about the resolution; this mimics that without a reconstruction.
 * Unbiased (E[n] = 0 is preserved by a linear filter). Returns a new array.
 */
export function correlateNoise(
  noisy: Float32Array,
  mean: Float32Array,
  dims: Vec3i,
  spacingMm: Vec3,
  fwhmMm: number,
): Float32Array {
  const n = new Float32Array(noisy.length);
  for (let u = 0; u < n.length; u++) n[u] = noisy[u]! - mean[u]!;
  const smooth = gaussianBlur(n, dims, spacingMm, fwhmMm);
  let gain = 1;
  for (let a = 0; a < 3; a++) {
    const k = gaussianKernel(fwhmMm / FWHM_PER_SIGMA / spacingMm[a]!);
    let s2 = 0;
    for (const w of k) s2 += w * w;
    gain *= s2;
  }
  const scale = 1 / Math.sqrt(gain);
  for (let u = 0; u < n.length; u++) smooth[u] = mean[u]! + scale * smooth[u]!;
  return smooth;
}
