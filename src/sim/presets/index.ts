/** Named parameter sets of the twin: cell lines, xenografts, patients; calibration helpers. */
export * from "./calibrate.js";
export * from "./cell-lines.js";
export * from "./patients.js";
export * from "./provenance.js";
export * from "./simulate.js";
export * from "./xenografts.js";
