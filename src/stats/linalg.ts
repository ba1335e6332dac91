/**
 * Small dense linear algebra for least squares: Householder QR solve and Gauss–Jordan inverse.
 * Matrices are row-major Float64Array with explicit sizes (n rows × p columns). Sizes here are
 * tiny (p ≤ ~50), so clarity wins over blocking.
 */

/** Result of an ordinary least-squares solve. */
export interface LstsqResult {
  /** Coefficients (length p). Columns found to be linearly dependent get coefficient 0. */
  readonly beta: Float64Array;
  /** Residual sum of squares ‖y − Xβ‖². */
  readonly rss: number;
  /** Numerical rank of X. */
  readonly rank: number;
}

/**
 * Minimise ‖y − Xβ‖² by Householder QR with column pivoting on the fly (dependent columns, whose
 * remaining norm is below 1e-10 × the largest column norm, are dropped).
 */
export function lstsq(x: ArrayLike<number>, n: number, p: number, y: ArrayLike<number>): LstsqResult {
  if (x.length !== n * p) throw new RangeError(`design has ${x.length} entries, expected ${n}×${p}`);
  if (y.length !== n) throw new RangeError(`y has ${y.length} entries, expected ${n}`);
  const a = Float64Array.from(x as ArrayLike<number>);
  const b = Float64Array.from(y as ArrayLike<number>);
  let maxNorm = 0;
  for (let j = 0; j < p; j++) {
    let s = 0;
    for (let i = 0; i < n; i++) s += a[i * p + j]! ** 2;
    maxNorm = Math.max(maxNorm, Math.sqrt(s));
  }
  const tol = 1e-10 * Math.max(maxNorm, 1e-300);
  const used: number[] = []; // columns kept, in order; row k of R belongs to used[k]
  let k = 0;
  for (let j = 0; j < p && k < n; j++) {
    let s = 0;
    for (let i = k; i < n; i++) s += a[i * p + j]! ** 2;
    const norm = Math.sqrt(s);
    if (norm <= tol) continue;
    const akj = a[k * p + j]!;
    const alpha = akj > 0 ? -norm : norm;
    // v = x − alpha e1, stored in a column scratch
    const v = new Float64Array(n - k);
    for (let i = k; i < n; i++) v[i - k] = a[i * p + j]!;
    v[0] = v[0]! - alpha;
    let vv = 0;
    for (let i = 0; i < v.length; i++) vv += v[i]! * v[i]!;
    if (vv > 0) {
      for (let c = 0; c < p; c++) {
        let dot = 0;
        for (let i = k; i < n; i++) dot += v[i - k]! * a[i * p + c]!;
        const f = (2 * dot) / vv;
        for (let i = k; i < n; i++) a[i * p + c] = a[i * p + c]! - f * v[i - k]!;
      }
      let dot = 0;
      for (let i = k; i < n; i++) dot += v[i - k]! * b[i]!;
      const f = (2 * dot) / vv;
      for (let i = k; i < n; i++) b[i] = b[i]! - f * v[i - k]!;
    }
    used.push(j);
    k++;
  }
  const rank = used.length;
  const beta = new Float64Array(p);
  for (let r = rank - 1; r >= 0; r--) {
    const j = used[r]!;
    let s = b[r]!;
    for (let q = r + 1; q < rank; q++) s -= a[r * p + used[q]!]! * beta[used[q]!]!;
    beta[j] = s / a[r * p + j]!;
  }
  let rss = 0;
  for (let i = rank; i < n; i++) rss += b[i]! * b[i]!;
  return { beta, rss, rank };
}

/** Inverse of a p×p matrix by Gauss–Jordan with partial pivoting; null when singular. */
export function invert(m: ArrayLike<number>, p: number): Float64Array | null {
  const a = Float64Array.from(m as ArrayLike<number>);
  const inv = new Float64Array(p * p);
  for (let i = 0; i < p; i++) inv[i * p + i] = 1;
  let scale = 0;
  for (let i = 0; i < p * p; i++) scale = Math.max(scale, Math.abs(a[i]!));
  const tol = 1e-14 * Math.max(scale, 1e-300);
  for (let c = 0; c < p; c++) {
    let piv = c;
    for (let r = c + 1; r < p; r++) if (Math.abs(a[r * p + c]!) > Math.abs(a[piv * p + c]!)) piv = r;
    if (Math.abs(a[piv * p + c]!) <= tol) return null;
    if (piv !== c) {
      for (let q = 0; q < p; q++) {
        let t = a[c * p + q]!;
        a[c * p + q] = a[piv * p + q]!;
        a[piv * p + q] = t;
        t = inv[c * p + q]!;
        inv[c * p + q] = inv[piv * p + q]!;
        inv[piv * p + q] = t;
      }
    }
    const d = a[c * p + c]!;
    for (let q = 0; q < p; q++) {
      a[c * p + q] = a[c * p + q]! / d;
      inv[c * p + q] = inv[c * p + q]! / d;
    }
    for (let r = 0; r < p; r++) {
      if (r === c) continue;
      const f = a[r * p + c]!;
      if (f === 0) continue;
      for (let q = 0; q < p; q++) {
        a[r * p + q] = a[r * p + q]! - f * a[c * p + q]!;
        inv[r * p + q] = inv[r * p + q]! - f * inv[c * p + q]!;
      }
    }
  }
  return inv;
}

/** Solve the p×p system A x = b; null when A is singular. */
export function solve(m: ArrayLike<number>, p: number, rhs: ArrayLike<number>): Float64Array | null {
  const inv = invert(m, p);
  if (inv === null) return null;
  const x = new Float64Array(p);
  for (let i = 0; i < p; i++) {
    let s = 0;
    for (let j = 0; j < p; j++) s += inv[i * p + j]! * rhs[j]!;
    x[i] = s;
  }
  return x;
}
