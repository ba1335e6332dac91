/**
 * Hypoxic volume and fraction, and the T/M histogram of a tumour VOI.
 *
 * For each tumour voxel, T/M = v / reference mean (native units). With fractional weights w
 * (`voi/raster.ts`) and voxel volume V_vox (mL):
 *
 *     hypoxicVolumeMl = Σ_{T/M > cutoff} w · V_vox,   hypoxicFraction = hypoxicVolumeMl / Σ w · V_vox
 *
 * (strict ">" as in "T/M > 3.5", Dehdashti et al. J Nucl Med 2008;49:201). The histogram bins T/M in
 * [edge_b, edge_b+1) with width `binWidthTm` and reports the volume (mL) per bin; the cumulative curve
 * gives, at each lower edge x, the fraction of tumour volume with T/M ≥ x (a volume–threshold
 * curve for plotting).
 */
import { AtsmError } from "../core/errors.js";
import { voxelVolumeMl } from "../core/geometry.js";
import type { Volume } from "../core/types.js";
import { checkReferenceMean } from "./ratio.js";
import type { VoiRaster } from "./voi/raster.js";

export interface HypoxiaOptions {
  /** Hypoxia cutoff in T/M units (voxels with T/M > cutoff are hypoxic). */
  readonly cutoffTm: number;
  /** Histogram bin width in T/M units; default 0.1. */
  readonly binWidthTm?: number;
}

export interface TmHistogram {
  /** Bin edges, T/M (length bins + 1). */
  readonly binEdgesTm: Float64Array;
  /** Tumour volume per bin, mL. */
  readonly volumeMl: Float64Array;
  /** Fraction of tumour volume with T/M ≥ binEdgesTm[b] (length bins + 1; last = 0). */
  readonly fractionAtLeast: Float64Array;
}

export interface HypoxiaResult {
  readonly tumourSpec: string;
  readonly referenceSpec: string;
  readonly referenceMeanNative: number;
  readonly cutoffTm: number;
  readonly hypoxicVolumeMl: number;
  readonly tumourVolumeMl: number;
  readonly hypoxicFraction: number;
  /** Binary (centre-inside) tumour voxels above the cutoff. */
  readonly hypoxicVoxelCount: number;
  readonly histogram: TmHistogram;
}

const MAX_BINS = 10000;

/** Hypoxic volume, fraction and T/M histogram (definitions above). */
export function hypoxicVolume(
  volume: Volume,
  tumour: VoiRaster,
  reference: { readonly spec: string; readonly meanNative: number },
  options: HypoxiaOptions,
): HypoxiaResult {
  const ref = checkReferenceMean(reference.meanNative, reference.spec);
  const cutoff = options.cutoffTm;
  const bw = options.binWidthTm ?? 0.1;
  if (!(Number.isFinite(cutoff) && cutoff > 0)) {
    throw new AtsmError({
      code: "INVALID_ARGUMENT",
      message: "hypoxia cutoff must be a finite T/M value > 0",
      value: cutoff,
      field: "cutoff",
      hint: "use a preset (cervix 3.5, rectum 2.6, nsclc 3.0) or a number such as 2",
    });
  }
  if (!(Number.isFinite(bw) && bw > 0)) {
    throw new AtsmError({ code: "INVALID_ARGUMENT", message: "histogram bin width must be > 0", value: bw });
  }
  if (tumour.index.length === 0 || tumour.insideCount === 0) {
    throw new AtsmError({
      code: "EMPTY_VOI",
      message: `tumour VOI ${tumour.spec} is empty`,
      hint: "enlarge the VOI or lower its threshold",
    });
  }
  const data = volume.data;
  const vox = voxelVolumeMl(volume.spacingMm);
  let lo = Infinity;
  let hi = -Infinity;
  for (let n = 0; n < tumour.index.length; n++) {
    const t = data[tumour.index[n]!]! / ref;
    if (!Number.isFinite(t)) {
      throw new AtsmError({
        code: "NUMERIC",
        message: `tumour VOI ${tumour.spec} contains a NaN or infinite voxel`,
        hint: "check the image",
      });
    }
    if (t < lo) lo = t;
    if (t > hi) hi = t;
  }
  const first = Math.floor(lo / bw);
  let bins = Math.floor(hi / bw) - first + 1;
  if (bins > MAX_BINS) bins = MAX_BINS;
  const edges = new Float64Array(bins + 1);
  for (let b = 0; b <= bins; b++) edges[b] = (first + b) * bw;
  const hist = new Float64Array(bins);
  let total = 0;
  let hyp = 0;
  let hypCount = 0;
  for (let n = 0; n < tumour.index.length; n++) {
    const t = data[tumour.index[n]!]! / ref;
    const w = tumour.weight[n]! * vox;
    total += w;
    if (t > cutoff) {
      hyp += w;
      if (tumour.inside[n]) hypCount++;
    }
    let b = Math.floor(t / bw) - first;
    if (b < 0) b = 0;
    if (b >= bins) b = bins - 1;
    hist[b] = hist[b]! + w;
  }
  const cum = new Float64Array(bins + 1);
  let acc = 0;
  for (let b = bins - 1; b >= 0; b--) {
    acc += hist[b]!;
    cum[b] = acc / total;
  }
  return {
    tumourSpec: tumour.spec,
    referenceSpec: reference.spec,
    referenceMeanNative: ref,
    cutoffTm: cutoff,
    hypoxicVolumeMl: hyp,
    tumourVolumeMl: total,
    hypoxicFraction: total > 0 ? hyp / total : 0,
    hypoxicVoxelCount: hypCount,
    histogram: { binEdgesTm: edges, volumeMl: hist, fractionAtLeast: cum },
  };
}
