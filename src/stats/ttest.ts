/**
 * Two-sample t-tests: Welch's unequal-variance test (default) and Student's pooled test.
 *
 * Welch: t = (m1 − m2)/√(s1²/n1 + s2²/n2), Welch–Satterthwaite
 * ν = (s1²/n1 + s2²/n2)² / [(s1²/n1)²/(n1−1) + (s2²/n2)²/(n2−1)] (Welch 1947, Biometrika 34:28).
 * Same as scipy.stats.ttest_ind(equal_var=False); checked in test/stats/ttest.test.ts.
 */
import { mean, variance } from "./descriptive.js";
import { tQuantile, tTwoSidedP } from "./distributions.js";

export interface TTestResult {
  readonly test: "welch" | "student";
  /** t statistic of group 1 minus group 2. */
  readonly t: number;
  readonly df: number;
  /** Two-sided p-value. */
  readonly p: number;
  /** Difference of means m1 − m2. */
  readonly meanDifference: number;
  /** Standard error of the difference. */
  readonly se: number;
  /** 95 % confidence interval of m1 − m2 (or at the requested level). */
  readonly ciLow: number;
  readonly ciHigh: number;
}

function check(x: ArrayLike<number>, name: string): void {
  if (x.length < 2) throw new RangeError(`${name} needs at least 2 values for a t-test, got ${x.length}`);
}

/** Welch's t-test of x vs y (two-sided), with a `level` confidence interval (default 0.95). */
export function welchTTest(x: ArrayLike<number>, y: ArrayLike<number>, level = 0.95): TTestResult {
  check(x, "group 1");
  check(y, "group 2");
  const n1 = x.length;
  const n2 = y.length;
  const v1 = variance(x) / n1;
  const v2 = variance(y) / n2;
  const se = Math.sqrt(v1 + v2);
  const diff = mean(x) - mean(y);
  const df = (v1 + v2) ** 2 / ((v1 * v1) / (n1 - 1) + (v2 * v2) / (n2 - 1));
  return finish("welch", diff, se, df, level);
}

/** Student's pooled-variance t-test of x vs y (two-sided). */
export function studentTTest(x: ArrayLike<number>, y: ArrayLike<number>, level = 0.95): TTestResult {
  check(x, "group 1");
  check(y, "group 2");
  const n1 = x.length;
  const n2 = y.length;
  const df = n1 + n2 - 2;
  const sp2 = ((n1 - 1) * variance(x) + (n2 - 1) * variance(y)) / df;
  const se = Math.sqrt(sp2 * (1 / n1 + 1 / n2));
  return finish("student", mean(x) - mean(y), se, df, level);
}

function finish(test: "welch" | "student", diff: number, se: number, df: number, level: number): TTestResult {
  if (se === 0 || !Number.isFinite(df)) {
    // Identical constant groups: t undefined. Report t = ±∞ / p = 0 when means differ, else NaN-free 0/1.
    const t = diff === 0 ? 0 : diff > 0 ? Number.POSITIVE_INFINITY : Number.NEGATIVE_INFINITY;
    return {
      test,
      t,
      df: Number.isFinite(df) ? df : 0,
      p: diff === 0 ? 1 : 0,
      meanDifference: diff,
      se,
      ciLow: diff,
      ciHigh: diff,
    };
  }
  const t = diff / se;
  const q = tQuantile(0.5 + level / 2, df);
  return {
    test,
    t,
    df,
    p: tTwoSidedP(t, df),
    meanDifference: diff,
    se,
    ciLow: diff - q * se,
    ciHigh: diff + q * se,
  };
}
