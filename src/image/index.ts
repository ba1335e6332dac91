/**
 * image/: pure image operations on core `Volume`s: dynamic frames, orientation labels, the
 * analytic Cu-ATSM phantom, and rendering to RGBA (planes, colour maps, fusion, MIP, plots).
 *
 * ```ts
 * import { slicePlane, frameVolume } from "atsm-workbench/image";
 * ```
 */
export * from "./frames.js";
export * from "./orientation.js";
export * from "./phantom.js";
export * from "./render/index.js";
