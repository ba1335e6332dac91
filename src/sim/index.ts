/**
 * sim/: the Cu-ATSM digital twin (pure; seeded; no I/O). SI-style units in names: s, mmHg, µm,
 * mL, Bq; plasma input in fraction of injected activity per mL.
 *
 * - cell model and in-vitro assay simulation/fit (`simulateAssay`, `fitCellLine`, `CELL_LINES`)
 * - tissue tracer kinetics driven by pO2 (`simulateVoxel`, `simulateTracerMap`, `po2Quantiles`)
 * - tissue oxygen from a vessel map (`solveOxygen`, `kroghPo2MmHg`, `generateVesselNetwork`)
 * - plasma input functions (`INPUT_PRESETS`, `plasmaConcentration`)
 * - xenograft / patient presets and calibration (`XENOGRAFTS`, `PATIENTS`, `simulateInVivo`)
 * - synthetic PET/CT phantoms with known truth (`buildPhantomStudy`, `STUDY_PRESETS`)
 *
 * ```ts
 * import { solveOxygen, kroghPo2MmHg } from "atsm-workbench/sim";
 * ```
 *
 * Note: `AssayResult` here is the simulated assay (sim/cell); the package root exports the lab
 * assay's `AssayResult` (lab/assay) under that name.
 */
export * from "./cell/index.js";
export * from "./input/index.js";
export * from "./oxygen/index.js";
export * from "./phantom/index.js";
export * from "./presets/index.js";
export * from "./tumour/index.js";
export * from "./vessels/index.js";
