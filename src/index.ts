/**
 * atsm-workbench: the stable public API (Node). Browser code should import the core subpaths
 * (`atsm-workbench/physics`, `/quant`, `/lab`, `/sim`), which use no node:* module; this root
 * entry also re-exports the file readers and writers of `atsm-workbench/io`.
 *
 * ```ts
 * import { getNuclide, decayFactor, loadStudy, computeSuvScaleFactors } from "atsm-workbench";
 * getNuclide("Cu-64").halfLifeS;                 // 45 720 s (ICRP-107)
 * ```
 *
 * Two names exist in two subpaths; the explicit re-exports below pick the root's one (a local
 * export wins over `export *`), the other stays available from its subpath (docs/api.md).
 */
export * from "./core/index.js";
export * from "./io/index.js";
/** The lab assay result (the simulated assay's one is `atsm-workbench/sim`). */
export type { AssayResult } from "./lab/index.js";
export * from "./lab/index.js";
export * from "./physics/index.js";
/** Physics decay correction (the lab assay's one is `atsm-workbench/lab`). */
export { decayCorrectionFactor } from "./physics/index.js";
export * from "./quant/index.js";
export * from "./quant/suv/index.js";
export * from "./sim/index.js";
