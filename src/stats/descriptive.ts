/**
 * Descriptive statistics: mean, sample SD (n − 1 denominator, as GraphPad Prism and
 * numpy.std(ddof=1)), SEM.
 */

/** Arithmetic mean; NaN for an empty array. */
export function mean(x: ArrayLike<number>): number {
  if (x.length === 0) return Number.NaN;
  let s = 0;
  for (let i = 0; i < x.length; i++) s += x[i]!;
  return s / x.length;
}

/** Sample variance with n − 1 denominator; NaN when n < 2. Two-pass for accuracy. */
export function variance(x: ArrayLike<number>): number {
  const n = x.length;
  if (n < 2) return Number.NaN;
  const m = mean(x);
  let ss = 0;
  for (let i = 0; i < n; i++) {
    const d = x[i]! - m;
    ss += d * d;
  }
  return ss / (n - 1);
}

/** Sample standard deviation (n − 1); NaN when n < 2. */
export function sd(x: ArrayLike<number>): number {
  return Math.sqrt(variance(x));
}

/** Standard error of the mean, SD/√n; NaN when n < 2. */
export function sem(x: ArrayLike<number>): number {
  return sd(x) / Math.sqrt(x.length);
}

/** Summary of one group: n, mean, SD and SEM (SD and SEM are null when n < 2). */
export interface Summary {
  readonly n: number;
  readonly mean: number;
  readonly sd: number | null;
  readonly sem: number | null;
}

/** n, mean, SD, SEM of `x`; SD/SEM null (not NaN) when n < 2. */
export function summarize(x: ArrayLike<number>): Summary {
  const n = x.length;
  const s = n >= 2 ? sd(x) : null;
  return { n, mean: mean(x), sd: s, sem: s === null ? null : s / Math.sqrt(n) };
}
