/** Synthetic PET/CT studies with known truth (core part; files are written by app/twin-study). */
export { buildAnatomy, NO_SHELL, scannerGrid, TISSUE, TISSUE_HU, truthGrid } from "./anatomy.js";
export {
  buildPhantomStudy,
  excretedFraction,
  type PhantomOptions,
  type PhantomStudy,
  tracerPresetOf,
} from "./build.js";
export {
  midQuantiles,
  type ShellOxygen,
  shellVesselDensity,
  solveTumourShells,
} from "./microenvironment.js";
export { type Ellipsoid, getStudyPreset, STUDY_PRESETS, type StudyPreset } from "./presets.js";
export { summariseTruth, type TruthSummary, type VoiSphere } from "./truth.js";
