/**
 * Small dense matrices for the twin's ODE kernels: row-major `Float64Array(n*n)`, element (r, c)
 * at `r*n + c`. Written for n ≤ ~16 (compartment models); no allocation in the hot helpers except
 * where an output is returned.
 */

/** out = a · b (n×n, row-major). `out` must not alias `a` or `b`. */
export function matMul(a: Float64Array, b: Float64Array, n: number, out: Float64Array): Float64Array {
  for (let r = 0; r < n; r++) {
    for (let c = 0; c < n; c++) {
      let s = 0;
      for (let k = 0; k < n; k++) s += a[r * n + k]! * b[k * n + c]!;
      out[r * n + c] = s;
    }
  }
  return out;
}

/** y = M · x for an n×n matrix. `y` must not alias `x`. */
export function matVec(m: Float64Array, x: ArrayLike<number>, n: number, y: Float64Array): Float64Array {
  for (let r = 0; r < n; r++) {
    let s = 0;
    for (let k = 0; k < n; k++) s += m[r * n + k]! * x[k]!;
    y[r] = s;
  }
  return y;
}

/** Induced 1-norm (maximum absolute column sum). */
export function norm1(a: Float64Array, n: number): number {
  let best = 0;
  for (let c = 0; c < n; c++) {
    let s = 0;
    for (let r = 0; r < n; r++) s += Math.abs(a[r * n + c]!);
    if (s > best) best = s;
  }
  return best;
}

/** n×n identity. */
export function identity(n: number): Float64Array {
  const m = new Float64Array(n * n);
  for (let i = 0; i < n; i++) m[i * n + i] = 1;
  return m;
}

/**
 * Solve A·X = B for X (A n×n, B n×m, both row-major) by LU with partial pivoting. A and B are
 * copied; returns X (n×m). Throws an Error on a singular matrix (an internal fault: the Padé
 * denominator of a scaled matrix is always well conditioned).
 */
export function solve(a: Float64Array, b: Float64Array, n: number, m: number): Float64Array {
  const lu = Float64Array.from(a);
  const x = Float64Array.from(b);
  for (let k = 0; k < n; k++) {
    let p = k;
    let best = Math.abs(lu[k * n + k]!);
    for (let r = k + 1; r < n; r++) {
      const v = Math.abs(lu[r * n + k]!);
      if (v > best) {
        best = v;
        p = r;
      }
    }
    if (best === 0) throw new Error("solve: singular matrix");
    if (p !== k) {
      for (let c = 0; c < n; c++) {
        const t = lu[k * n + c]!;
        lu[k * n + c] = lu[p * n + c]!;
        lu[p * n + c] = t;
      }
      for (let c = 0; c < m; c++) {
        const t = x[k * m + c]!;
        x[k * m + c] = x[p * m + c]!;
        x[p * m + c] = t;
      }
    }
    const piv = lu[k * n + k]!;
    for (let r = k + 1; r < n; r++) {
      const f = lu[r * n + k]! / piv;
      if (f === 0) continue;
      for (let c = k + 1; c < n; c++) lu[r * n + c]! -= f * lu[k * n + c]!;
      for (let c = 0; c < m; c++) x[r * m + c]! -= f * x[k * m + c]!;
    }
  }
  for (let k = n - 1; k >= 0; k--) {
    const piv = lu[k * n + k]!;
    for (let c = 0; c < m; c++) {
      let s = x[k * m + c]!;
      for (let j = k + 1; j < n; j++) s -= lu[k * n + j]! * x[j * m + c]!;
      x[k * m + c] = s / piv;
    }
  }
  return x;
}
