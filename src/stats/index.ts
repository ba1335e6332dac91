/** Statistics: distributions, t-tests, two-way ANOVA, least squares, curve fits. */
export * from "./anova.js";
export * from "./curves.js";
export * from "./descriptive.js";
export * from "./distributions.js";
export * from "./exponential.js";
export * from "./linalg.js";
export * from "./nls.js";
export * from "./ratio.js";
export * from "./special.js";
export * from "./ttest.js";
