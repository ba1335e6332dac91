/**
 * physics/: nuclide decay data (ICRP-107 and named sources) and single-nuclide decay arithmetic.
 * Pure; SI units (s, Bq, MeV for emission energies).
 *
 * ```ts
 * import { getNuclide, decayFactor } from "atsm-workbench/physics";
 * const cu64 = getNuclide("64Cu");              // T½ 45 720 s (ICRP-107)
 * decayFactor(cu64.halfLifeS, 12.7 * 3600);     // 0.5
 * ```
 */

export { BQ_PER_CI, bqToMci, bqToUci, mciToBq, uciToBq } from "../core/units.js";
export {
  activityAt,
  cumulatedActivityBqS,
  decayCorrectionFactor,
  decayFactor,
  decayFactorBetweenMs,
  frameDecayCorrectionFactor,
  frameIntegratedActivityBqS,
  frameMeanActivityBq,
  meanLifeS,
} from "./decay.js";
export { localDoseFromCompleteDecayGy, MEV_TO_J } from "./energy.js";
export {
  type DecayBranch,
  type DecayMode,
  decayConstantPerS,
  findNuclide,
  findNuclideInText,
  getNuclide,
  NUCLIDE_NAMES,
  NUCLIDES,
  type Nuclide,
  type NuclideDicomCodes,
  type NuclideField,
} from "./nuclides.js";
