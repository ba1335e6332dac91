/**
 * lab/: pure bench-chemistry and in-vitro assay computations (no I/O; readers are in io/lab).
 *
 * - Radiolabelling planner (`planLabelling`, `radiochemicalYield`): activities in Bq, times in s on
 *   one caller-chosen axis, volumes in mL, ligand in mol; molar masses from `molarMassGPerMol`.
 * - Radio-TLC / radio-HPLC QC (`analyzeChromatogram`, `snipBaseline`): areas in counts, Rf, RCP.
 * - In-vitro uptake / retention assay (`analyzeAssay`, `assayStatistics`): % of added activity,
 *   % per µg protein, Welch tests, two-way ANOVA; protein standard curves (`fitStandardCurve`).
 *
 * ```ts
 * import { planLabelling, analyzeChromatogram } from "atsm-workbench/lab";
 * ```
 *
 * Note: lab's `decayCorrectionFactor` (assay counting, activity.ts) has the same name as the
 * physics one; the package root exports the physics one, `atsm-workbench/lab` this one.
 */
export * from "./assay/activity.js";
export * from "./assay/analyze.js";
export * from "./assay/counter-decay.js";
export * from "./assay/protein.js";
export * from "./assay/statistics.js";
export * from "./assay/types.js";
export * from "./chromatogram/analyze.js";
export * from "./chromatogram/baseline.js";
export * from "./protein/standard-curve.js";
export * from "./radiolabel/chemistry.js";
export * from "./radiolabel/planner.js";
