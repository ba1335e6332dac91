/**
 * Cu-ATSM cell model: compartment kinetics, the in-vitro uptake/retention assay, fitting to assay
 * data, and the cell-line presets. See docs/twin.md.
 */

export { CELL_LINES, type CellLinePreset, getCellLine } from "../presets/cell-lines.js";
export * from "./assay.js";
export { parseAssayCsv } from "./assay-csv.js";
export * from "./fit.js";
export * from "./model.js";
