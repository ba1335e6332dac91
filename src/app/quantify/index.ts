/** The quantify use case (app layer): single study, outputs, batch. */
export * from "./batch.js";
export * from "./flatten.js";
export * from "./load.js";
export * from "./outputs.js";
export * from "./overrides.js";
export * from "./run.js";
export * from "./types.js";
