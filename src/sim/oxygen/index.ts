/**
 * Tissue oxygen: steady-state reaction–diffusion with Michaelis–Menten consumption from a vessel
 * map (Secomb parameters), solved by Newton + multigrid-preconditioned CG. See docs/twin-oxygen.md.
 */
export { kroghPo2MmHg, planarPenetrationDepthUm, planarPo2MmHg } from "./analytic.js";
export {
  type ConsumptionLaw,
  consumptionMmHgPerUm2,
  DEFAULT_OXYGEN_PARAMS,
  type OxygenParams,
  SECOMB_DIFFUSIVITY_SOLUBILITY,
  SECOMB_MAX_CONSUMPTION,
  SECOMB_PCRIT_MMHG,
} from "./params.js";
export {
  type OxygenProblem,
  type OxygenSolution,
  type OxygenSolveOptions,
  solveOxygen,
} from "./solve.js";
export { type Po2Histogram, type Po2HistogramOptions, po2Histogram } from "./stats.js";
