/**
 * Scan (decay-reference) time of a PET series, after the QIBA "SUV calculation vendor-neutral
 * pseudo-code" (QIBA FDG-PET/CT Technical Committee, D. Clunie, 2013) as implemented by Cornerstone
 * calculate-suv `calculateScanTimes`:
 *
 * 1. SeriesDateTime ≤ earliest AcquisitionDateTime → SeriesDateTime ("series").
 * 2. Otherwise (series time later, e.g. the series was re-created after a re-reconstruction):
 *    a. GE private (0009,100D) post-injection date-time → that ("ge-private");
 *    b. every instance has FrameReferenceTime > 0 and ActualFrameDuration > 0 → Siemens PETsyngo 3.x
 *       rule: AcquisitionDateTime − FrameReferenceTime + t̄, where t̄ = ln(λΔt/(1 − e^{−λΔt}))/λ is the
 *       time after frame start at which the activity equals its frame mean ("siemens-frame").
 *       calculate-suv keeps this branch commented out (and has e^{−λ} for e^{−λΔt} there); QIBA
 *       has it. For a frame referenced to its own start (Cornerstone's
 *       BQML_AC_DT_BEFORE_S_DT_SIEMENS case) it returns the acquisition time to < 1 ms.
 *    c. else the earliest AcquisitionDateTime ("earliest-acquisition", calculate-suv's behaviour).
 *
 * For DecayCorrection NONE each instance is referenced to its own acquisition (frame mean) time.
 */
import { AtsmError } from "../../core/errors.js";
import { frameDecayCorrectionFactor } from "../../physics/index.js";
import type { PetInstanceMetadata } from "./metadata.js";
import type { SuvScanTimeRule } from "./types.js";

export interface ScanTimes {
  readonly rule: SuvScanTimeRule;
  /** One scan time per instance, epoch ms. */
  readonly timesMs: readonly number[];
  readonly warnings: readonly string[];
}

/**
 * Time after a frame's start at which the activity equals its frame-mean activity, s:
 * t̄ = ln(λΔt / (1 − e^{−λΔt})) / λ (→ Δt/2 for λΔt → 0).
 */
export function frameMeanCountRateOffsetS(halfLifeS: number, frameDurationS: number): number {
  if (frameDurationS <= 0) return 0;
  const lambda = Math.LN2 / halfLifeS;
  const x = lambda * frameDurationS;
  if (x < 1e-2) {
    // ln(x/(1−e^{−x})) = x/2 − x²/24 + x⁴/2880 − x⁶/181440 + O(x⁸): no cancellation for short frames.
    const x2 = x * x;
    return (x / 2 - x2 / 24 + (x2 * x2) / 2880 - (x2 * x2 * x2) / 181440) / lambda;
  }
  return Math.log(frameDecayCorrectionFactor(halfLifeS, frameDurationS)) / lambda;
}

const SCAN_TIME_HINT =
  "the series needs SeriesDate/SeriesTime (0008,0021/0031) or AcquisitionDate/AcquisitionTime (0008,0022/0032); pass --scan-time 2025-03-01T09:00:00Z to give the decay-reference time";

function earliestAcquisitionMs(instances: readonly PetInstanceMetadata[]): number | null {
  let best: number | null = null;
  for (const inst of instances) {
    const t = inst.AcquisitionDateTimeMs;
    if (t !== null && Number.isFinite(t) && (best === null || t < best)) best = t;
  }
  return best;
}

function hasFrameTiming(inst: PetInstanceMetadata): boolean {
  return (
    inst.AcquisitionDateTimeMs !== null &&
    inst.FrameReferenceTime !== null &&
    inst.FrameReferenceTime > 0 &&
    inst.ActualFrameDuration !== null &&
    inst.ActualFrameDuration > 0
  );
}

/**
 * Scan times for START-corrected series (QIBA rules above). `halfLifeS` is needed only for the
 * Siemens frame rule (null skips it).
 */
export function startScanTimes(
  instances: readonly PetInstanceMetadata[],
  halfLifeS: number | null,
): ScanTimes {
  const n = instances.length;
  const series = instances[0]?.SeriesDateTimeMs ?? null;
  const earliest = earliestAcquisitionMs(instances);
  const fill = (t: number): number[] => new Array<number>(n).fill(t);
  if (series !== null && (earliest === null || series <= earliest)) {
    return { rule: "series", timesMs: fill(series), warnings: [] };
  }
  if (series === null) {
    if (earliest === null) {
      throw new AtsmError({
        code: "MISSING_INPUT",
        message: "no scan time: SeriesDate/SeriesTime and AcquisitionDate/AcquisitionTime are absent",
        field: "SeriesTime",
        hint: SCAN_TIME_HINT,
      });
    }
    return {
      rule: "earliest-acquisition",
      timesMs: fill(earliest),
      warnings: [
        "SeriesDate/SeriesTime absent: the earliest AcquisitionDate/AcquisitionTime is the scan time",
      ],
    };
  }
  // Series time is after the earliest acquisition time.
  const ge = instances.find(
    (i) => i.GEPrivatePostInjectionDateTimeMs !== null,
  )?.GEPrivatePostInjectionDateTimeMs;
  if (ge !== undefined && ge !== null) return { rule: "ge-private", timesMs: fill(ge), warnings: [] };
  if (halfLifeS !== null && instances.every(hasFrameTiming)) {
    const timesMs = instances.map(
      (i) =>
        i.AcquisitionDateTimeMs! -
        i.FrameReferenceTime! +
        frameMeanCountRateOffsetS(halfLifeS, i.ActualFrameDuration! / 1000) * 1000,
    );
    return { rule: "siemens-frame", timesMs, warnings: [] };
  }
  return {
    rule: "earliest-acquisition",
    timesMs: fill(earliest!),
    warnings: [
      "SeriesTime is after the earliest AcquisitionTime and there is no GE post-injection time or frame timing: the earliest acquisition time is the scan time (QIBA / calculate-suv)",
    ],
  };
}

/**
 * Per-instance reference times for non-decay-corrected (NONE) series: acquisition start + the
 * frame-mean offset t̄ (Δt from ActualFrameDuration; 0 when absent).
 */
export function acquisitionScanTimes(
  instances: readonly PetInstanceMetadata[],
  halfLifeS: number,
): ScanTimes {
  const warnings: string[] = [];
  const timesMs = instances.map((inst, index) => {
    const acq = inst.AcquisitionDateTimeMs;
    if (acq === null) {
      throw new AtsmError({
        code: "MISSING_INPUT",
        message: `DecayCorrection NONE needs each instance's AcquisitionDate/AcquisitionTime; instance ${index} has none`,
        field: "AcquisitionTime",
        hint: "pass --decay-correction START with --scan-time if the images are decay-corrected, or fix the headers",
      });
    }
    const durS =
      inst.ActualFrameDuration !== null && inst.ActualFrameDuration > 0 ? inst.ActualFrameDuration / 1000 : 0;
    if (durS === 0 && index === 0)
      warnings.push("ActualFrameDuration absent: frame start used as its reference time");
    return acq + frameMeanCountRateOffsetS(halfLifeS, durS) * 1000;
  });
  return { rule: "acquisition", timesMs, warnings };
}
