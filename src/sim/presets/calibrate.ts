/**
 * Calibration of in-vivo presets to their T/M targets (how the [F] values of xenografts.ts and
 * patients.ts were made; the tests re-run it). Levenberg–Marquardt on the logarithms of the chosen
 * tumour parameters, relative residuals (T/M − target)/target.
 */
import { levenbergMarquardt } from "../ode/levenberg-marquardt.js";
import { simulateInVivo } from "./simulate.js";
import type { InVivoPreset } from "./xenografts.js";

/**
 * Tumour parameters a calibration can move: "rho" (reductive state), "k1" (K1 with k2 scaled
 * along, i.e. perfusion at a fixed distribution volume), "k2" (k2 alone, i.e. the distribution
 * volume).
 */
export type CalibrationParameter = "rho" | "k1" | "k2";

export interface CalibrationResult {
  readonly rho: number;
  readonly k1PerMin: number;
  readonly k2PerMin: number;
  /** T/M at the target times after calibration. */
  readonly tmr: Float64Array;
}

/** Apply parameter values (natural units: ρ, K1 in mL/min/mL, k2 in /min) to a preset. */
export function withTumourParameters(
  p: InVivoPreset,
  values: Partial<Record<CalibrationParameter, number>>,
): InVivoPreset {
  const t = p.tumour.tissue;
  const k1Scale = values.k1 !== undefined ? values.k1 / (t.k1MlPerMlPerS * 60) : 1;
  const k2 = values.k2 !== undefined ? values.k2 / 60 : t.k2PerS * k1Scale;
  return {
    ...p,
    tumour: {
      ...p.tumour,
      rho: values.rho ?? p.tumour.rho,
      tissue: { ...t, k1MlPerMlPerS: t.k1MlPerMlPerS * k1Scale, k2PerS: k2 },
    },
  };
}

/** Fit `params` of the tumour to the preset's targets. */
export function calibrateInVivo(
  p: InVivoPreset,
  params: readonly CalibrationParameter[],
  samples = 32,
): CalibrationResult {
  const times = p.targets.map((t) => t.timeS);
  const current = (name: CalibrationParameter): number =>
    name === "rho"
      ? p.tumour.rho
      : name === "k1"
        ? p.tumour.tissue.k1MlPerMlPerS * 60
        : p.tumour.tissue.k2PerS * 60;
  const make = (q: Float64Array): InVivoPreset =>
    withTumourParameters(p, Object.fromEntries(params.map((nm, i) => [nm, Math.exp(q[i]!)])));
  const start = params.map((nm) => Math.log(Math.max(current(nm), 1e-6)));
  const lm = levenbergMarquardt(
    (q) => {
      const r = simulateInVivo(make(q), times, samples);
      return Float64Array.from(p.targets, (t, i) => r.tmr[i]! / t.tmr - 1);
    },
    start,
    { lower: start.map(() => Math.log(1e-6)), upper: start.map(() => Math.log(100)) },
  );
  const best = make(lm.params);
  return {
    rho: best.tumour.rho,
    k1PerMin: best.tumour.tissue.k1MlPerMlPerS * 60,
    k2PerMin: best.tumour.tissue.k2PerS * 60,
    tmr: simulateInVivo(best, times).tmr,
  };
}
