/**
 * Baseline estimation for radio-TLC / radio-HPLC traces: SNIP (Statistics-sensitive Non-linear
 * Iterative Peak-clipping; Ryan et al., Nucl Instrum Methods B 1988;34:396–402, with the
 * log-log-square-root (LLS) transform and decreasing clipping window of Morháč et al.,
 * Nucl Instrum Methods A 1997;401:113–132). It follows slow backgrounds and ignores peaks narrower
 * than the clipping window.
 *
 * The input is first smoothed with a moving average (window ≈ 2m/3 + 1 points): on Poisson data
 * the clipping minimum otherwise follows downward fluctuations and biases the baseline low by
 * about one standard deviation per bin (Morháč 1997 recommends smoothing for the same reason).
 */

/** LLS transform v = ln(ln(√(y+1)+1)+1) and its inverse. */
function lls(y: number): number {
  return Math.log(Math.log(Math.sqrt(Math.max(0, y) + 1) + 1) + 1);
}
function llsInv(v: number): number {
  const a = Math.exp(Math.exp(v) - 1) - 1;
  return a * a - 1;
}

/**
 * SNIP baseline of `counts`, clipping window up to `maxHalfWidthPoints` samples (should exceed the
 * half-width of the widest peak). Writes into `out` (allocated if absent). O(n·m).
 */
export function snipBaseline(
  counts: Float64Array,
  maxHalfWidthPoints: number,
  out?: Float64Array,
): Float64Array {
  const n = counts.length;
  const m = Math.max(1, Math.min(Math.floor(maxHalfWidthPoints), Math.floor((n - 1) / 2)));
  const v = new Float64Array(n);
  const w = new Float64Array(n);
  const half = Math.max(1, Math.floor(m / 3));
  let run = 0;
  let lo = 0;
  let hi = -1;
  for (let i = 0; i < n; i++) {
    const a = Math.max(0, i - half);
    const b = Math.min(n - 1, i + half);
    while (hi < b) run += counts[++hi]!;
    while (lo < a) run -= counts[lo++]!;
    v[i] = lls(run / (b - a + 1));
  }
  // Decreasing window (Morháč) gives smoother baselines than increasing.
  for (let p = m; p >= 1; p--) {
    for (let i = 0; i < n; i++) {
      if (i - p < 0 || i + p >= n) {
        w[i] = v[i]!;
        continue;
      }
      const mean = 0.5 * (v[i - p]! + v[i + p]!);
      w[i] = Math.min(v[i]!, mean);
    }
    v.set(w);
  }
  const res = out ?? new Float64Array(n);
  for (let i = 0; i < n; i++) res[i] = Math.max(0, llsInv(v[i]!));
  return res;
}
