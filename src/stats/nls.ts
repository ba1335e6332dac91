/**
 * Nonlinear least squares by Levenberg–Marquardt (Marquardt 1963, SIAM J Appl Math 11:431) with
 * diagonal (Marquardt) scaling, and parameter standard errors from the asymptotic covariance
 * cov = s² (JᵀJ)⁻¹, s² = SSR/(n − p): the same definition as scipy.optimize.curve_fit with
 * absolute_sigma=False and GraphPad Prism's "SE of parameters". Parameters can be held fixed
 * (Prism's "constrain to constant value").
 */
import { invert, solve } from "./linalg.js";

/** Model y = f(x; θ). */
export type ModelFn = (x: number, params: Float64Array) => number;
/** Writes ∂f/∂θ_j at x into `out` (length = number of parameters). */
export type GradientFn = (x: number, params: Float64Array, out: Float64Array) => void;

export interface NlsOptions {
  readonly x: ArrayLike<number>;
  readonly y: ArrayLike<number>;
  readonly model: ModelFn;
  /** Analytic gradient; central differences when absent. */
  readonly gradient?: GradientFn;
  readonly initial: readonly number[];
  /** Indices of parameters held at their initial value. */
  readonly fixed?: readonly number[];
  /** Bounds applied by clamping after each step (NaN-free projection). */
  readonly lower?: readonly number[];
  readonly upper?: readonly number[];
  readonly maxIterations?: number;
}

export interface NlsResult {
  readonly params: Float64Array;
  /** Standard errors (0 for fixed parameters; NaN when the covariance is singular). */
  readonly se: Float64Array;
  /** Covariance of all parameters (p×p, rows/cols of fixed parameters are 0); null if singular. */
  readonly covariance: Float64Array | null;
  readonly ssr: number;
  /** Residual degrees of freedom n − (number of free parameters). */
  readonly dof: number;
  readonly iterations: number;
  readonly converged: boolean;
}

function numericGradient(model: ModelFn): GradientFn {
  return (x, params, out) => {
    const tmp = Float64Array.from(params);
    for (let j = 0; j < params.length; j++) {
      const h = 1e-6 * Math.max(Math.abs(params[j]!), 1e-6);
      tmp[j] = params[j]! + h;
      const f1 = model(x, tmp);
      tmp[j] = params[j]! - h;
      const f0 = model(x, tmp);
      tmp[j] = params[j]!;
      out[j] = (f1 - f0) / (2 * h);
    }
  };
}

/** Fit `model` to (x, y) by Levenberg–Marquardt; see NlsResult for the reported quantities. */
export function levenbergMarquardt(opts: NlsOptions): NlsResult {
  const { x, y, model } = opts;
  const n = x.length;
  if (y.length !== n) throw new RangeError(`x has ${n} values and y has ${y.length}`);
  const p = opts.initial.length;
  const fixed = new Set(opts.fixed ?? []);
  const free: number[] = [];
  for (let j = 0; j < p; j++) if (!fixed.has(j)) free.push(j);
  const q = free.length;
  const grad = opts.gradient ?? numericGradient(model);
  const maxIter = opts.maxIterations ?? 500;
  let params = Float64Array.from(opts.initial);
  const g = new Float64Array(p);
  const clamp = (t: Float64Array): void => {
    for (let j = 0; j < p; j++) {
      const lo = opts.lower?.[j];
      const hi = opts.upper?.[j];
      if (lo !== undefined && t[j]! < lo) t[j] = lo;
      if (hi !== undefined && t[j]! > hi) t[j] = hi;
    }
  };
  const ssrOf = (t: Float64Array): number => {
    let s = 0;
    for (let i = 0; i < n; i++) {
      const r = y[i]! - model(x[i]!, t);
      s += r * r;
    }
    return Number.isFinite(s) ? s : Number.POSITIVE_INFINITY;
  };
  const normalEquations = (t: Float64Array): { jtj: Float64Array; jtr: Float64Array } => {
    const jtj = new Float64Array(q * q);
    const jtr = new Float64Array(q);
    for (let i = 0; i < n; i++) {
      grad(x[i]!, t, g);
      const r = y[i]! - model(x[i]!, t);
      for (let a = 0; a < q; a++) {
        const ga = g[free[a]!]!;
        jtr[a] = jtr[a]! + ga * r;
        for (let b = 0; b < q; b++) jtj[a * q + b] = jtj[a * q + b]! + ga * g[free[b]!]!;
      }
    }
    return { jtj, jtr };
  };

  clamp(params);
  let ssr = ssrOf(params);
  let lambda = 1e-3;
  let converged = false;
  let iter = 0;
  for (; iter < maxIter && q > 0; iter++) {
    const { jtj, jtr } = normalEquations(params);
    let gradMax = 0;
    for (let a = 0; a < q; a++) gradMax = Math.max(gradMax, Math.abs(jtr[a]!));
    if (gradMax <= 1e-14 * Math.max(ssr, 1e-300)) {
      converged = true;
      break;
    }
    let improved = false;
    for (let tries = 0; tries < 60; tries++) {
      const m = Float64Array.from(jtj);
      for (let a = 0; a < q; a++) m[a * q + a] = jtj[a * q + a]! * (1 + lambda) + 1e-300;
      const delta = solve(m, q, jtr);
      if (delta === null) {
        lambda *= 10;
        continue;
      }
      const trial = Float64Array.from(params);
      for (let a = 0; a < q; a++) trial[free[a]!] = trial[free[a]!]! + delta[a]!;
      clamp(trial);
      const s = ssrOf(trial);
      if (s < ssr) {
        let stepRel = 0;
        for (let a = 0; a < q; a++) {
          const j = free[a]!;
          stepRel = Math.max(stepRel, Math.abs(trial[j]! - params[j]!) / (Math.abs(params[j]!) + 1e-12));
        }
        const rel = (ssr - s) / Math.max(ssr, 1e-300);
        params = trial;
        ssr = s;
        lambda = Math.max(lambda / 3, 1e-12);
        improved = true;
        if (rel < 1e-14 || stepRel < 1e-12) converged = true;
        break;
      }
      lambda *= 4;
      if (lambda > 1e16) break;
    }
    if (!improved) {
      converged = true; // no downhill step exists: at a (local) minimum to machine precision
      break;
    }
    if (converged) break;
  }
  if (q === 0) converged = true;

  const dof = n - q;
  const se = new Float64Array(p).fill(0);
  let covariance: Float64Array | null = null;
  const { jtj } = normalEquations(params);
  const inv = q > 0 ? invert(jtj, q) : new Float64Array(0);
  if (inv !== null && dof > 0) {
    const s2 = ssr / dof;
    covariance = new Float64Array(p * p);
    for (let a = 0; a < q; a++)
      for (let b = 0; b < q; b++) covariance[free[a]! * p + free[b]!] = inv[a * q + b]! * s2;
    for (let a = 0; a < q; a++) se[free[a]!] = Math.sqrt(Math.max(0, covariance[free[a]! * p + free[a]!]!));
  } else {
    for (const j of free) se[j] = Number.NaN;
  }
  return { params, se, covariance, ssr, dof, iterations: iter, converged };
}
