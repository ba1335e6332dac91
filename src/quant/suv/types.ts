/** Inputs and outputs of `computeSuvScaleFactors` (see index.ts for the API overview). */
import type { SuvSex } from "./body.js";

/** Decay-correction reference of the pixel values (DICOM DecayCorrection (0054,1102)). */
export type SuvDecayCorrection = "START" | "ADMIN" | "NONE";

/** Pixel units the factors apply to (DICOM Units (0054,1001)). */
export type SuvUnits = "BQML" | "CNTS" | "GML";

/**
 * How the scan (decay-reference) time was found (QIBA SUV pseudo-code, Cornerstone calculate-suv
 * `calculateScanTimes`):
 * - "series": SeriesDate/Time, when not after the earliest AcquisitionDate/Time;
 * - "ge-private": GE (0009,100D) post-injection date-time, when the series time is later;
 * - "siemens-frame": AcquisitionDateTime − FrameReferenceTime + mean count-rate time in the frame
 *   (Siemens PETsyngo 3.x), when the series time is later and every frame has timing;
 * - "earliest-acquisition": earliest AcquisitionDate/Time (fallback when the series time is later);
 * - "acquisition": per-instance acquisition (frame mean count-rate) time, for DecayCorrection NONE;
 * - "override": the caller's `scanTimeMs`;
 * - "not-needed": ADMIN or GML, where the scan time does not enter the factors (reported if known).
 */
export type SuvScanTimeRule =
  | "series"
  | "ge-private"
  | "siemens-frame"
  | "earliest-acquisition"
  | "acquisition"
  | "override"
  | "not-needed";

/** Values that win over the headers (flags of `atsm suv`). All SI except where named. */
export interface SuvOverrides {
  /** Patient weight, kg (`--weight-kg`; header PatientWeight). */
  readonly weightKg?: number;
  /** Patient height, m (`--height-cm` ÷ 100; header PatientSize). */
  readonly heightM?: number;
  /** Sex for the LBM formulas (`--sex`; header PatientSex). */
  readonly sex?: SuvSex;
  /** Injected activity at `injectionTimeMs`, Bq (`--dose-mbq` × 1e6; header RadionuclideTotalDose). */
  readonly injectedDoseBq?: number;
  /** Injection (activity reference) time, epoch ms (`--injection-time`; RadiopharmaceuticalStartDateTime). */
  readonly injectionTimeMs?: number;
  /** Activity left in syringe/line after injection, Bq (`--residual-mbq`). */
  readonly residualActivityBq?: number;
  /** Time the residual was measured, epoch ms (`--residual-time`); default: injection time. */
  readonly residualTimeMs?: number;
  /** Half-life, s (`--half-life`; header RadionuclideHalfLife). */
  readonly halfLifeS?: number;
  /** Nuclide name for the half-life when the header has none (`--nuclide`). */
  readonly nuclide?: string;
  /** Decay-correction reference (`--decay-correction`; header DecayCorrection). */
  readonly decayCorrection?: SuvDecayCorrection;
  /** Scan (decay-reference) time, epoch ms (`--scan-time`); bypasses the series/acquisition rules. */
  readonly scanTimeMs?: number;
}

/** Factors of one instance (only listed when they differ between instances). */
export interface SuvInstanceFactors {
  readonly index: number;
  readonly SOPInstanceUID: string | null;
  readonly suvBwScaleFactor: number;
  readonly suvLbmJanmaScaleFactor: number | null;
  readonly suvLbmJamesScaleFactor: number | null;
  readonly suvBsaScaleFactor: number | null;
  /** Stored value → Bq/mL factor (1 for BQML; Philips ActivityConcentrationScaleFactor for CNTS). */
  readonly bqmlScaleFactor: number | null;
  readonly scanTimeMs: number | null;
  readonly decayFactor: number | null;
}

/** Where each input came from. */
export type SuvInputSource = "header" | "override" | "table" | "default" | "absent";

/**
 * SUV scale factors of a series. Each `*ScaleFactor` multiplies the pixel value in `units`
 * (after RescaleSlope/Intercept) to give the SUV:
 * - BQML: suvBw = W[g] / D_ref[Bq] (g/mL per Bq/mL), exactly as calculate-suv;
 * - CNTS (Philips): the SUVScaleFactor (7053,1000) when present, else ActivityConcentrationScaleFactor
 *   (7053,1009) × W/D_ref;
 * - GML: 1 (pixels are already SUVbw).
 * SUL (lean body mass) and SUVbsa factors = suvBw × LBM/W and suvBw × BSA/W, i.e. LBM[g]/D_ref and
 * BSA[cm²]/D_ref for BQML (SUVbsa in cm²/mL, as calculate-suv).
 */
export interface SuvResult {
  readonly units: SuvUnits;
  readonly decayCorrection: SuvDecayCorrection;
  /** Factors of the first instance (= all instances unless `perInstance` is set). */
  readonly suvBwScaleFactor: number;
  readonly suvLbmJanmaScaleFactor: number | null;
  readonly suvLbmJamesScaleFactor: number | null;
  readonly suvBsaScaleFactor: number | null;
  /** Per-instance factors when they differ between instances (Philips CNTS, NONE, Siemens frames); else null. */
  readonly perInstance: readonly SuvInstanceFactors[] | null;
  /** D_ref / injected dose for the first instance (net of residual); 1 for ADMIN; null when not computed (GML). */
  readonly decayFactor: number | null;
  /** Time from injection to scan reference, s (first instance); null when not known. */
  readonly decayTimeS: number | null;
  /** Scan (decay-reference) time used, epoch ms (first instance); null when not known. */
  readonly scanTimeMs: number | null;
  readonly scanTimeRule: SuvScanTimeRule;
  readonly injectionTimeMs: number | null;
  readonly injectedDoseBq: number | null;
  readonly residualActivityBq: number | null;
  /** Net activity at the decay reference (dose − residual, both decayed), Bq; first instance. */
  readonly decayedDoseBq: number | null;
  readonly halfLifeS: number | null;
  /** Nuclide named by the header or override (if found in the table). */
  readonly nuclide: string | null;
  readonly weightKg: number;
  readonly heightM: number | null;
  readonly sex: SuvSex | null;
  readonly lbmJanmaKg: number | null;
  readonly lbmJamesKg: number | null;
  readonly bsaM2: number | null;
  /** Source of each input ("header", "override", "table", ...). */
  readonly sources: Readonly<Record<string, SuvInputSource>>;
  /** Non-fatal findings (assumptions made, inconsistencies tolerated). */
  readonly warnings: readonly string[];
}
