/**
 * quant/suv: SUV scale factors the QIBA / Cornerstone calculate-suv way.
 *
 * API
 * ```ts
 * import { computeSuvScaleFactors } from "../quant/suv/index.js";
 * const r = computeSuvScaleFactors(instances, { weightKg: 70, injectionTimeMs, ... });
 * suv = pixelValue * r.suvBwScaleFactor;   // pixelValue after RescaleSlope/Intercept
 * ```
 * - `instances: PetInstanceMetadata[]` — one record per instance (slice/frame) of ONE series, filled
 *   by io/ (DICOM keywords, times as epoch ms). Series-level attributes must agree (else INCONSISTENT).
 * - `overrides: SuvOverrides` — CLI values that win over headers: `weightKg` (--weight-kg),
 *   `heightM` (--height-cm ÷ 100), `sex` (--sex M|F), `injectedDoseBq` (--dose-mbq × 1e6),
 *   `injectionTimeMs` (--injection-time), `residualActivityBq` / `residualTimeMs` (--residual-mbq,
 *   --residual-time), `halfLifeS` (--half-life), `nuclide` (--nuclide), `decayCorrection`
 *   (--decay-correction), `scanTimeMs` (--scan-time).
 * - returns `SuvResult`: `suvBwScaleFactor`, `suvLbmJanmaScaleFactor`, `suvLbmJamesScaleFactor`,
 *   `suvBsaScaleFactor` (null when height/sex are missing; see `warnings`), `decayCorrection`,
 *   `decayFactor`, `scanTimeMs` + `scanTimeRule`, `perInstance` (only when factors differ between
 *   instances, e.g. Philips CNTS per-slice factors or DecayCorrection NONE), the inputs used and
 *   their `sources`, and `warnings`.
 *
 * Factor convention (calculate-suv): BQML suvBw = weight[g] / D_ref[Bq] with D_ref the injected
 * activity (minus residual) decayed to the scan reference time (START), to injection (ADMIN: no
 * decay), or to each frame's mean time (NONE). CNTS (Philips): (7053,1000) SUVScaleFactor, else
 * (7053,1009) ActivityConcentrationScaleFactor × weight/D_ref. GML: 1. SUL = suvBw × LBM/W
 * (Janmahasatian 2005, James 1976), SUVbsa = suvBw × BSA[cm²]/W[g] (Du Bois 1916; cm²/mL).
 *
 * Errors: AtsmError MISSING_INPUT naming the DICOM keyword and the flag (PatientWeight →
 * --weight-kg, RadionuclideTotalDose → --dose-mbq, RadiopharmaceuticalStartDateTime →
 * --injection-time, RadionuclideHalfLife → --nuclide); UNSUPPORTED for Units other than
 * BQML/CNTS(Philips)/GML or a non-attenuation-corrected series.
 */
export {
  bodyMassIndex,
  bodySurfaceAreaDuBoisM2,
  leanBodyMassJamesKg,
  leanBodyMassJanmahasatianKg,
  type SuvSex,
} from "./body.js";
export { computeSuvScaleFactors } from "./compute.js";
export { isoUtc } from "./iso-time.js";
export { emptyPetInstanceMetadata, type PetInstanceMetadata } from "./metadata.js";
export { frameMeanCountRateOffsetS } from "./scan-time.js";
export type {
  SuvDecayCorrection,
  SuvInputSource,
  SuvInstanceFactors,
  SuvOverrides,
  SuvResult,
  SuvScanTimeRule,
  SuvUnits,
} from "./types.js";
