/**
 * PET acquisition model: truth (Bq/mL on a fine grid) → PSF blur → block-average to the scanner
 * grid → optional count noise. Order: the PSF acts on the continuous object (fine grid), the
 * scanner voxel then averages it, and noise is drawn per reconstructed voxel, then given the
 * scanner's noise correlation length (noise.ts `correlateNoise`).
 */
import type { Rng } from "../core/rng.js";
import type { Vec3, Vec3i } from "../core/types.js";
import { blockAverage } from "./downsample.js";
import { addCountNoise, correlateNoise } from "./noise.js";
import { gaussianBlur } from "./psf.js";

/** Named scanner models. countsPerDecay is effective (see noise.ts) and approximate. */
export interface ScannerModel {
  readonly name: string;
  /** Reconstructed spatial resolution, FWHM mm. */
  readonly fwhmMm: number;
  /**
   * Effective detected counts per decay of a positron emitter. Preclinical: Inveon-class peak
   * sensitivity ~9 % (Bao et al., J Nucl Med 2009;50:401) × 64Cu β+ yield 17.5 % ≈ 0.016, halved
   * for reconstruction noise; clinical: ~1–2 % × 0.175 ≈ 0.003, halved likewise. Order of
   * magnitude only — it sets the noise level, not the mean.
   */
  readonly countsPerDecay: number;
  /** Correlation length of the image noise, FWHM mm (0 = independent voxels) [A]. */
  readonly noiseCorrelationFwhmMm: number;
}

export const SCANNERS: Readonly<Record<"preclinical" | "clinical", ScannerModel>> = {
  preclinical: { name: "preclinical", fwhmMm: 1.5, countsPerDecay: 0.008, noiseCorrelationFwhmMm: 1 },
  clinical: { name: "clinical", fwhmMm: 5, countsPerDecay: 0.0015, noiseCorrelationFwhmMm: 4 },
};

export interface AcquisitionOptions {
  readonly truthBqPerMl: Float32Array;
  readonly fineDims: Vec3i;
  readonly fineSpacingMm: Vec3;
  /** Integer block-averaging factors from the fine grid to the scanner grid. */
  readonly factor: Vec3i;
  readonly scanner: ScannerModel;
  /** Noise: omitted = noise-free. */
  readonly noise?: {
    readonly frameDurationS: number;
    readonly decayConstantPerS: number;
    readonly rng: Rng;
  };
}

export interface Acquisition {
  readonly dims: Vec3i;
  readonly spacingMm: Vec3;
  /** Blurred and downsampled, no noise, Bq/mL. */
  readonly noiseFreeBqPerMl: Float32Array;
  /** With count noise (same array as noiseFree when no noise was requested). */
  readonly imageBqPerMl: Float32Array;
}

export function simulateAcquisition(o: AcquisitionOptions): Acquisition {
  const blurred = gaussianBlur(o.truthBqPerMl, o.fineDims, o.fineSpacingMm, o.scanner.fwhmMm);
  const { data, dims } = blockAverage(blurred, o.fineDims, o.factor);
  const spacingMm: Vec3 = [
    o.fineSpacingMm[0] * o.factor[0],
    o.fineSpacingMm[1] * o.factor[1],
    o.fineSpacingMm[2] * o.factor[2],
  ];
  if (o.noise === undefined) return { dims, spacingMm, noiseFreeBqPerMl: data, imageBqPerMl: data };
  const voxelVolumeMl = (spacingMm[0] * spacingMm[1] * spacingMm[2]) / 1000;
  const noisy = addCountNoise(data, {
    voxelVolumeMl,
    countsPerDecay: o.scanner.countsPerDecay,
    frameDurationS: o.noise.frameDurationS,
    decayConstantPerS: o.noise.decayConstantPerS,
    rng: o.noise.rng,
  });
  const image =
    o.scanner.noiseCorrelationFwhmMm > 0
      ? correlateNoise(noisy, data, dims, spacingMm, o.scanner.noiseCorrelationFwhmMm)
      : noisy;
  return { dims, spacingMm, noiseFreeBqPerMl: data, imageBqPerMl: image };
}
