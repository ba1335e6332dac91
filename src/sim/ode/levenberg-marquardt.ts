/**
 * Levenberg–Marquardt least squares with a finite-difference Jacobian (Marquardt, J Soc Ind Appl
 * Math 1963;11:431; damping scaled by diag(JᵀJ) as in MINPACK `lmder`, Moré 1978). Small problems
 * only (a handful of parameters, tens of residuals): normal equations solved densely.
 *
 * Standard errors: covariance = s²·(JᵀJ)⁻¹ at the optimum with s² = SSR/(m − p) (m residuals,
 * p parameters) — the usual asymptotic estimate of nonlinear regression (Bates & Watts 1988, §2.3).
 */
import { solve } from "./matrix.js";

export interface LmOptions {
  /** Maximum iterations (default 200). */
  readonly maxIterations?: number;
  /** Stop when the relative decrease of SSR is below this (default 1e-12). */
  readonly tolerance?: number;
  /** Relative step for the finite-difference Jacobian (default 1e-6). */
  readonly diffStep?: number;
  /** Lower bounds per parameter (clamped after each step). */
  readonly lower?: readonly number[];
  /** Upper bounds per parameter. */
  readonly upper?: readonly number[];
}

export interface LmResult {
  readonly params: Float64Array;
  /** Asymptotic standard errors (NaN when m ≤ p or JᵀJ is singular). */
  readonly standardErrors: Float64Array;
  readonly residuals: Float64Array;
  /** Sum of squared residuals at the optimum. */
  readonly ssr: number;
  readonly iterations: number;
  readonly converged: boolean;
}

/**
 * Minimise Σ rᵢ(p)² from `start`. `residuals` must return a new or reused Float64Array of fixed
 * length m for every p.
 */
export function levenbergMarquardt(
  residuals: (p: Float64Array) => Float64Array,
  start: readonly number[],
  opts: LmOptions = {},
): LmResult {
  const np = start.length;
  const maxIt = opts.maxIterations ?? 200;
  const tol = opts.tolerance ?? 1e-12;
  const h = opts.diffStep ?? 1e-6;
  const clamp = (p: Float64Array): void => {
    for (let i = 0; i < np; i++) {
      const lo = opts.lower?.[i];
      const hi = opts.upper?.[i];
      if (lo !== undefined && p[i]! < lo) p[i] = lo;
      if (hi !== undefined && p[i]! > hi) p[i] = hi;
    }
  };
  let p = Float64Array.from(start);
  clamp(p);
  let r = Float64Array.from(residuals(p));
  const m = r.length;
  const ssrOf = (v: Float64Array): number => {
    let s = 0;
    for (let i = 0; i < v.length; i++) s += v[i]! * v[i]!;
    return s;
  };
  let ssr = ssrOf(r);
  let lambda = 1e-3;
  let it = 0;
  let converged = false;
  const jac = new Float64Array(m * np);
  const jacobian = (): void => {
    for (let j = 0; j < np; j++) {
      const q = Float64Array.from(p);
      const dj = h * Math.max(Math.abs(p[j]!), 1e-8);
      q[j] = p[j]! + dj;
      const rq = residuals(q);
      for (let i = 0; i < m; i++) jac[i * np + j] = (rq[i]! - r[i]!) / dj;
    }
  };
  const jtj = new Float64Array(np * np);
  const jtr = new Float64Array(np);
  const normal = (): void => {
    jtj.fill(0);
    jtr.fill(0);
    for (let i = 0; i < m; i++) {
      for (let a = 0; a < np; a++) {
        const ja = jac[i * np + a]!;
        jtr[a] = jtr[a]! + ja * r[i]!;
        for (let b = 0; b < np; b++) jtj[a * np + b] = jtj[a * np + b]! + ja * jac[i * np + b]!;
      }
    }
  };
  for (it = 0; it < maxIt; it++) {
    jacobian();
    normal();
    let improved = false;
    for (let tries = 0; tries < 30; tries++) {
      const aug = Float64Array.from(jtj);
      for (let a = 0; a < np; a++) aug[a * np + a] = jtj[a * np + a]! * (1 + lambda) + 1e-300;
      let delta: Float64Array;
      try {
        delta = solve(
          aug,
          Float64Array.from(jtr, (v) => -v),
          np,
          1,
        );
      } catch {
        lambda *= 10;
        continue;
      }
      const q = new Float64Array(np);
      for (let a = 0; a < np; a++) q[a] = p[a]! + delta[a]!;
      clamp(q);
      const rq = Float64Array.from(residuals(q));
      const sq = ssrOf(rq);
      if (Number.isFinite(sq) && sq < ssr) {
        const rel = (ssr - sq) / Math.max(ssr, 1e-300);
        p = q;
        r = rq;
        ssr = sq;
        lambda = Math.max(lambda / 10, 1e-12);
        improved = true;
        if (rel < tol) converged = true;
        break;
      }
      lambda *= 10;
    }
    if (!improved || converged || ssr === 0) {
      converged = true;
      break;
    }
  }
  // Standard errors at the optimum.
  jacobian();
  normal();
  const se = new Float64Array(np).fill(Number.NaN);
  if (m > np) {
    const s2 = ssr / (m - np);
    try {
      const cov = solveIdentity(jtj, np);
      for (let a = 0; a < np; a++) se[a] = Math.sqrt(Math.max(0, cov[a * np + a]! * s2));
    } catch {
      /* singular: leave NaN */
    }
  }
  return { params: p, standardErrors: se, residuals: r, ssr, iterations: it, converged };
}

function solveIdentity(a: Float64Array, n: number): Float64Array {
  const eye = new Float64Array(n * n);
  for (let i = 0; i < n; i++) eye[i * n + i] = 1;
  return solve(a, eye, n, n);
}
