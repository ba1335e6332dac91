/**
 * Radioactive decay of a single nuclide (no daughters), SI units: times in s, activity in Bq,
 * cumulated activity in Bq·s (= number of decays).
 *
 * A(t) = A₀·e^{−λt}, λ = ln 2 / T½ (e.g. Cherry, Sorenson & Phelps, Physics in Nuclear Medicine,
 * 4th ed., ch. 4). Every function takes the half-life, so header half-lives can be used as well as
 * the table's (`getNuclide(name).halfLifeS`). Negative elapsed times decay backwards (factor > 1).
 */
import { AtsmError } from "../core/errors.js";

function checkHalfLife(halfLifeS: number): void {
  if (!(halfLifeS > 0) || !Number.isFinite(halfLifeS)) {
    throw new AtsmError({
      code: "INVALID_ARGUMENT",
      message: "half-life must be a positive finite number of seconds",
      value: halfLifeS,
      field: "halfLifeS",
    });
  }
}

/**
 * Decay factor A(t₀+Δt)/A(t₀) = e^{−λΔt} = 2^{−Δt/T½}. Δt < 0 gives a factor > 1 (decaying
 * backwards in time).
 */
export function decayFactor(halfLifeS: number, elapsedS: number): number {
  checkHalfLife(halfLifeS);
  return Math.exp((-Math.LN2 * elapsedS) / halfLifeS);
}

/** Decay factor between two epoch-ms times (to − from), convenience for header times. */
export function decayFactorBetweenMs(halfLifeS: number, fromMs: number, toMs: number): number {
  return decayFactor(halfLifeS, (toMs - fromMs) / 1000);
}

/** Activity after `elapsedS`: A = A₀·e^{−λΔt}, Bq. */
export function activityAt(activityBq: number, halfLifeS: number, elapsedS: number): number {
  return activityBq * decayFactor(halfLifeS, elapsedS);
}

/**
 * Decay-correction factor e^{+λΔt}: multiply a value measured `elapsedS` after the reference time
 * by it to get the value at the reference time.
 */
export function decayCorrectionFactor(halfLifeS: number, elapsedS: number): number {
  return 1 / decayFactor(halfLifeS, elapsedS);
}

/**
 * Activity integrated over a frame [startS, startS+durationS], A₀ at t = 0:
 * ∫A dt = A₀·e^{−λ t_s}·(1 − e^{−λΔt})/λ, Bq·s (number of decays in the frame).
 */
export function frameIntegratedActivityBqS(
  activityBq: number,
  halfLifeS: number,
  startS: number,
  durationS: number,
): number {
  checkHalfLife(halfLifeS);
  if (!(durationS >= 0)) {
    throw new AtsmError({
      code: "INVALID_ARGUMENT",
      message: "frame duration must be ≥ 0 s",
      value: durationS,
      field: "durationS",
    });
  }
  const lambda = Math.LN2 / halfLifeS;
  // −expm1(−x) = 1 − e^{−x}, exact for short frames.
  return (activityBq * Math.exp(-lambda * startS) * -Math.expm1(-lambda * durationS)) / lambda;
}

/** Mean activity over a frame = ∫A dt / Δt, Bq (A at frame start when Δt = 0). */
export function frameMeanActivityBq(
  activityBq: number,
  halfLifeS: number,
  startS: number,
  durationS: number,
): number {
  if (durationS === 0) return activityAt(activityBq, halfLifeS, startS);
  return frameIntegratedActivityBqS(activityBq, halfLifeS, startS, durationS) / durationS;
}

/**
 * Decay-within-frame correction λΔt / (1 − e^{−λΔt}) (≥ 1): converts the frame-mean activity to the
 * activity at the frame start. 1 for Δt = 0 (limit).
 */
export function frameDecayCorrectionFactor(halfLifeS: number, durationS: number): number {
  checkHalfLife(halfLifeS);
  const x = (Math.LN2 * durationS) / halfLifeS;
  if (x === 0) return 1;
  return x / -Math.expm1(-x);
}

/**
 * Cumulated activity (number of decays) from `fromS` to `toS` (default ∞), A₀ at t = 0:
 * Ã = A₀/λ·(e^{−λ t₁} − e^{−λ t₂}), Bq·s. Complete decay from 0: A₀·T½/ln 2.
 */
export function cumulatedActivityBqS(
  activityBq: number,
  halfLifeS: number,
  fromS = 0,
  toS = Number.POSITIVE_INFINITY,
): number {
  checkHalfLife(halfLifeS);
  const lambda = Math.LN2 / halfLifeS;
  const end = toS === Number.POSITIVE_INFINITY ? 0 : Math.exp(-lambda * toS);
  return (activityBq * (Math.exp(-lambda * fromS) - end)) / lambda;
}

/** Mean life τ = T½ / ln 2, s. */
export function meanLifeS(halfLifeS: number): number {
  checkHalfLife(halfLifeS);
  return halfLifeS / Math.LN2;
}
