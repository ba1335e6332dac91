/** Pure rendering: planes, colour maps, fusion, contours, MIP, plots, bitmap font. */
export * from "./colormap.js";
export * from "./contour.js";
export * from "./font.js";
export * from "./plane.js";
export * from "./plot.js";
export * from "./rgba.js";
export * from "./views.js";
