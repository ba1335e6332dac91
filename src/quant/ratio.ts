/**
 * Tumour-to-reference (tumour-to-muscle, T/M) ratios. The reference statistic is always the
 * reference VOI's mean (WashU 60Cu-ATSM convention: normal-muscle mean, e.g. gluteal or neck muscle;
 * see docs/quantify-methods.md), and every ratio carries the reference spec and statistic so that
 * values computed under different conventions are never mixed.
 *
 *     T/Mmax = tumour max / reference mean,  T/Mmean = tumour mean / reference mean,
 *     T/Mpeak = tumour SUVpeak / reference mean   (all in the same native unit, so unit-free).
 */
import { AtsmError } from "../core/errors.js";
import type { VoiMetrics } from "./metrics.js";

/** Tumour statistic a T/M value is based on. */
export type TumourStatistic = "max" | "mean" | "peak";

export interface ReferenceInfo {
  /** Canonical spec of the reference VOI. */
  readonly spec: string;
  /** Statistic of the reference VOI used as denominator (always the mean). */
  readonly statistic: "mean";
  /** Reference mean in the image's native unit. */
  readonly meanNative: number;
  /** Native unit. */
  readonly unit: string;
  /** Reference volume, mL. */
  readonly volumeMl: number;
}

export interface TumourToReference {
  readonly tumourSpec: string;
  readonly tmrMax: number;
  readonly tmrMean: number;
  /** NaN when the peak was not computed. */
  readonly tmrPeak: number;
  readonly reference: ReferenceInfo;
}

/** Check a reference mean and return it; throws NUMERIC naming the spec when it is ≤ 0 or not finite. */
export function checkReferenceMean(meanNative: number, spec: string): number {
  if (!(Number.isFinite(meanNative) && meanNative > 0)) {
    throw new AtsmError({
      code: "NUMERIC",
      message: `reference VOI ${spec} has mean ${meanNative}; tumour-to-reference ratios need a mean > 0`,
      value: meanNative,
      field: "reference",
      hint: "place the reference VOI in normal muscle inside the PET field of view (uptake must be > 0)",
    });
  }
  return meanNative;
}

/** T/M ratios of tumour metrics over reference metrics (both from `computeVoiMetrics` on one image). */
export function tumourToReference(tumour: VoiMetrics, reference: VoiMetrics): TumourToReference {
  if (tumour.unit !== reference.unit) {
    throw new AtsmError({
      code: "INCONSISTENT",
      message: `tumour (${tumour.unit}) and reference (${reference.unit}) metrics are in different units`,
      hint: "compute both on the same image",
    });
  }
  const ref = checkReferenceMean(reference.native.mean, reference.spec);
  return {
    tumourSpec: tumour.spec,
    tmrMax: tumour.native.max / ref,
    tmrMean: tumour.native.mean / ref,
    tmrPeak: tumour.native.peak / ref,
    reference: {
      spec: reference.spec,
      statistic: "mean",
      meanNative: ref,
      unit: reference.unit,
      volumeMl: reference.volumeMl,
    },
  };
}

/** The T/M value of one statistic. */
export function tmrOf(t: TumourToReference, statistic: TumourStatistic): number {
  return statistic === "max" ? t.tmrMax : statistic === "mean" ? t.tmrMean : t.tmrPeak;
}
