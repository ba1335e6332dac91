export * from "./errors.js";
export * from "./geometry.js";
export * from "./rng.js";
export * from "./types.js";
export * from "./units.js";
