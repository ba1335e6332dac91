/**
 * The whole hypoxia read-out of one static PET image, as pure computation:
 * reference VOI → reference mean → tumour VOI (may use T/M levels) → metrics (SUVpeak included) →
 * T/M ratios → hypoxic volume / fraction / histogram → prognosis class.
 *
 * The app layer loads the study (and any `mask:` files), computes the SUV factor, and calls this.
 */
import { AtsmError } from "../core/errors.js";
import type { Mask, Volume } from "../core/types.js";
import { type HypoxiaResult, hypoxicVolume } from "./hypoxic.js";
import { computeVoiMetrics, type VoiMetrics } from "./metrics.js";
import {
  classifyPrognosis,
  type PrognosisPreset,
  type PrognosisResult,
  parseCutoff,
  type ScanConvention,
} from "./prognosis.js";
import { type TumourToReference, tumourToReference } from "./ratio.js";
import type { ValueScale } from "./scale.js";
import { valueScaleFor } from "./scale.js";
import { DEFAULT_SUPERSAMPLE, type VoiRaster } from "./voi/raster.js";
import { type RasterizeContext, rasterizeVoi } from "./voi/resolve.js";
import type { VoiSpec } from "./voi/spec.js";
import { formatVoiSpec, parseVoiSpec, voiNeedsReference } from "./voi/spec.js";

/**
 * Default hypoxic-subvolume cutoff when no prognosis preset is chosen: T/M > 2.0, the "twice normal
 * muscle" hypoxic GTV of Chao et al., Int J Radiat Oncol Biol Phys 2001;49:1171 (60Cu-ATSM-guided
 * IMRT; reference notes §3.3, [M]).
 */
export const DEFAULT_HYPOXIC_CUTOFF_TM = 2.0;

export interface QuantifyInput {
  /** Static PET image (Bq/mL or SUV). */
  readonly volume: Volume;
  readonly tumor: string | VoiSpec;
  readonly reference: string | VoiSpec | null | undefined;
  /** SUV per Bq/mL (body weight g / decay-corrected injected activity Bq) when the image is Bq/mL. */
  readonly suvPerBqPerMl?: number | null;
  /** Overrides the scale derived from unit + suvPerBqPerMl. */
  readonly scale?: ValueScale;
  readonly masks?: ReadonlyMap<string, Mask>;
  /** Prognosis preset, or its text (cervix|rectum|nsclc|NUMBER); undefined = no prognosis. */
  readonly cutoff?: string | PrognosisPreset;
  /** Hypoxic-volume cutoff (T/M); default: the preset's cutoff, else DEFAULT_HYPOXIC_CUTOFF_TM. */
  readonly hypoxicCutoffTm?: number;
  readonly histogramBinWidthTm?: number;
  readonly scan?: ScanConvention;
  readonly supersample?: number;
  /**
   * Memo of geometric VOI rasters (sphere, box, mask) between calls: they depend only on the grid,
   * the spec and (for masks) the label map, never on voxel values. The key holds the grid and the
   * canonical spec; the caller guarantees that a `mask:PATH` names the same label map every time.
   */
  readonly rasterCache?: VoiRasterCache;
}

/** Where `quantifyHypoxia` keeps geometric VOI rasters (a Map, or an LRU with the same methods). */
export interface VoiRasterCache {
  get(key: string): VoiRaster | undefined;
  set(key: string, voi: VoiRaster): unknown;
}

/** `rasterizeVoi`, through `cache` for VOIs whose raster does not depend on voxel values. */
function rasterizeCached(
  spec: string | VoiSpec,
  ctx: RasterizeContext,
  cache: VoiRasterCache | undefined,
): VoiRaster {
  const parsed = typeof spec === "string" ? parseVoiSpec(spec) : spec;
  if (cache === undefined || !(parsed.kind === "sphere" || parsed.kind === "box" || parsed.kind === "mask")) {
    return rasterizeVoi(parsed, ctx);
  }
  const g = ctx.volume;
  const key = [
    g.dims.join(","),
    g.spacingMm.join(","),
    g.originMm.join(","),
    Array.from(g.direction).join(","),
    ctx.supersample ?? DEFAULT_SUPERSAMPLE,
    formatVoiSpec(parsed),
  ].join("|");
  const hit = cache.get(key);
  if (hit !== undefined) return hit;
  const voi = rasterizeVoi(parsed, ctx);
  cache.set(key, voi);
  return voi;
}

export interface QuantifyResult {
  readonly tumor: VoiMetrics;
  readonly reference: VoiMetrics;
  readonly tmrMax: number;
  readonly tmrMean: number;
  readonly tmrPeak: number;
  readonly tmr: TumourToReference;
  readonly hypoxicVolumeMl: number;
  readonly hypoxicFraction: number;
  readonly hypoxia: HypoxiaResult;
  readonly prognosis: PrognosisResult | null;
  readonly tumorVoi: VoiRaster;
  readonly referenceVoi: VoiRaster;
  /** Clipped VOIs, truncated peak spheres, convention mismatches. */
  readonly warnings: string[];
}

/** Run the whole read-out (see file comment). Errors are AtsmErrors naming the VOI. */
export function quantifyHypoxia(input: QuantifyInput): QuantifyResult {
  const { volume } = input;
  if (input.reference === null || input.reference === undefined || input.reference === "") {
    throw new AtsmError({
      code: "MISSING_INPUT",
      message: "no reference (muscle) VOI given; tumour-to-muscle ratios need one",
      field: "reference",
      hint: "pass --reference SPEC, e.g. a sphere in normal muscle: --reference sphere:X,Y,Z,10",
    });
  }
  const scale = input.scale ?? valueScaleFor(volume.unit, input.suvPerBqPerMl ?? null);
  const base = {
    volume,
    scale,
    ...(input.masks ? { masks: input.masks } : {}),
    ...(input.supersample !== undefined ? { supersample: input.supersample } : {}),
  };
  const refSpec = typeof input.reference === "string" ? parseVoiSpec(input.reference) : input.reference;
  if (voiNeedsReference(refSpec)) {
    throw new AtsmError({
      code: "INVALID_ARGUMENT",
      message: "the reference VOI cannot use T/M (tm) levels: it defines the T/M denominator",
      value: typeof input.reference === "string" ? input.reference : undefined,
      field: "reference",
      hint: "give the reference as a sphere, box or mask in normal muscle, or use SUV / %max levels",
    });
  }
  const referenceVoi = rasterizeCached(refSpec, base, input.rasterCache);
  const reference = computeVoiMetrics(volume, referenceVoi, { scale, skipPeak: true });
  const tumorVoi = rasterizeCached(
    input.tumor,
    { ...base, referenceMeanNative: reference.native.mean },
    input.rasterCache,
  );
  const tumor = computeVoiMetrics(volume, tumorVoi, { scale });
  const tmr = tumourToReference(tumor, reference);
  const preset =
    input.cutoff === undefined
      ? null
      : typeof input.cutoff === "string"
        ? parseCutoff(input.cutoff)
        : input.cutoff;
  const hypoxia = hypoxicVolume(
    volume,
    tumorVoi,
    { spec: reference.spec, meanNative: reference.native.mean },
    {
      cutoffTm: input.hypoxicCutoffTm ?? preset?.cutoffTm ?? DEFAULT_HYPOXIC_CUTOFF_TM,
      ...(input.histogramBinWidthTm !== undefined ? { binWidthTm: input.histogramBinWidthTm } : {}),
    },
  );
  const prognosis = preset ? classifyPrognosis(preset, tmr, input.scan ?? {}) : null;
  const warnings: string[] = [];
  if (tumor.clipped) warnings.push(`tumour VOI ${tumor.spec} is cut by the image border`);
  if (reference.clipped) warnings.push(`reference VOI ${reference.spec} is cut by the image border`);
  if (tumor.peakTruncated) warnings.push("the SUVpeak sphere is cut by the image border");
  if (reference.volumeMl < 1)
    warnings.push(`reference VOI volume ${reference.volumeMl.toFixed(2)} mL is small (< 1 mL): noisy mean`);
  if (prognosis) warnings.push(...prognosis.warnings);
  return {
    tumor,
    reference,
    tmrMax: tmr.tmrMax,
    tmrMean: tmr.tmrMean,
    tmrPeak: tmr.tmrPeak,
    tmr,
    hypoxicVolumeMl: hypoxia.hypoxicVolumeMl,
    hypoxicFraction: hypoxia.hypoxicFraction,
    hypoxia,
    prognosis,
    tumorVoi,
    referenceVoi,
    warnings,
  };
}
