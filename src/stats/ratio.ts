/**
 * Confidence interval of a ratio of two independent means, R = m1/m2.
 *
 * Fieller's theorem (Fieller 1954, JRSS B 16:175) with independent means (covariance 0):
 * v1 = s1²/n1, v2 = s2²/n2, g = t²·v2/m2²; if g < 1 the interval is
 *   [R ± (t/m2)·√(v1 + R²·v2 − g·v1)] / (1 − g),
 * otherwise the interval is unbounded (the denominator mean is not significantly ≠ 0) and null is
 * returned. t is the Student t quantile with Welch–Satterthwaite degrees of freedom of the linear
 * combination m1 − R·m2: ν = (v1 + R²v2)² / (v1²/(n1−1) + R⁴v2²/(n2−1)).
 * The delta-method SE, R·√(v1/m1² + v2/m2²), is reported beside it.
 */
import { mean, variance } from "./descriptive.js";
import { tQuantile } from "./distributions.js";

export interface RatioCi {
  readonly ratio: number;
  readonly ciLow: number | null;
  readonly ciHigh: number | null;
  readonly df: number | null;
  /** Delta-method standard error of the ratio. */
  readonly seDelta: number | null;
  readonly level: number;
  readonly method: "fieller";
}

/** Fieller CI of mean(x)/mean(y) for independent samples. */
export function ratioOfMeansCi(x: ArrayLike<number>, y: ArrayLike<number>, level = 0.95): RatioCi {
  const m1 = mean(x);
  const m2 = mean(y);
  const ratio = m1 / m2;
  const n1 = x.length;
  const n2 = y.length;
  if (n1 < 2 || n2 < 2 || m2 === 0) {
    return { ratio, ciLow: null, ciHigh: null, df: null, seDelta: null, level, method: "fieller" };
  }
  const v1 = variance(x) / n1;
  const v2 = variance(y) / n2;
  const seDelta = Math.abs(ratio) * Math.sqrt(v1 / (m1 * m1) + v2 / (m2 * m2));
  const num = (v1 + ratio * ratio * v2) ** 2;
  const den = (v1 * v1) / (n1 - 1) + (ratio ** 4 * v2 * v2) / (n2 - 1);
  const df = den > 0 ? num / den : n1 + n2 - 2;
  const t = tQuantile(0.5 + level / 2, df);
  const g = (t * t * v2) / (m2 * m2);
  if (!(g < 1)) return { ratio, ciLow: null, ciHigh: null, df, seDelta, level, method: "fieller" };
  const half = (t / Math.abs(m2)) * Math.sqrt(Math.max(0, v1 + ratio * ratio * v2 - g * v1));
  return {
    ratio,
    ciLow: (ratio - half) / (1 - g),
    ciHigh: (ratio + half) / (1 - g),
    df,
    seDelta: Number.isFinite(seDelta) ? seDelta : null,
    level,
    method: "fieller",
  };
}
