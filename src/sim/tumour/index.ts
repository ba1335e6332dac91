/** Cu-ATSM in tissue: per-voxel tracer kinetics driven by pO2, maps, pO2 distributions. */
export * from "./map.js";
export * from "./po2.js";
export * from "./tissue.js";
