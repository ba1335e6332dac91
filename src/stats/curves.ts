/**
 * Standard-curve models: straight line, quadratic and four-parameter logistic (4PL), with R² and
 * AICc for model choice.
 *
 * - linear:    y = a + b·x
 * - quadratic: y = a + b·x + c·x²
 * - 4PL:       y = D + (A − D) / (1 + (x/C)^B)   (A: response at x = 0, D: response at x → ∞,
 *              C: inflection point (EC50), B: slope factor; the common ELISA/GraphPad form)
 * R² = 1 − SSR/SST. AICc = n·ln(SSR/n) + 2k + 2k(k+1)/(n − k − 1) with k = parameters + 1 (the
 * residual variance), as in Burnham & Anderson (2002) and GraphPad's model comparison guide.
 */
import { lstsq } from "./linalg.js";
import { levenbergMarquardt } from "./nls.js";

export type CurveModel = "linear" | "quadratic" | "4pl";

export interface CurveFit {
  readonly model: CurveModel;
  /** linear: [a, b]; quadratic: [a, b, c]; 4PL: [A, B, C, D]. */
  readonly params: readonly number[];
  readonly se: readonly number[];
  readonly ssr: number;
  readonly r2: number;
  /** AICc; null when n ≤ k + 1 (too few points for the correction). */
  readonly aicc: number | null;
  readonly n: number;
}

/** Value of a fitted curve at x. */
export function curveValue(fit: Pick<CurveFit, "model" | "params">, x: number): number {
  const p = fit.params;
  switch (fit.model) {
    case "linear":
      return p[0]! + p[1]! * x;
    case "quadratic":
      return p[0]! + p[1]! * x + p[2]! * x * x;
    case "4pl":
      return fourPl(x, p[0]!, p[1]!, p[2]!, p[3]!);
  }
}

function fourPl(x: number, a: number, b: number, c: number, d: number): number {
  if (x <= 0) return b > 0 ? a : d;
  return d + (a - d) / (1 + (x / c) ** b);
}

/** Number of model parameters. */
export function parameterCount(model: CurveModel): number {
  return model === "linear" ? 2 : model === "quadratic" ? 3 : 4;
}

/** R² = 1 − SSR/SST. */
export function rSquared(y: ArrayLike<number>, ssr: number): number {
  let m = 0;
  for (let i = 0; i < y.length; i++) m += y[i]!;
  m /= y.length;
  let sst = 0;
  for (let i = 0; i < y.length; i++) sst += (y[i]! - m) ** 2;
  return sst > 0 ? 1 - ssr / sst : ssr === 0 ? 1 : 0;
}

/** AICc of a least-squares fit with `params` parameters; null when n ≤ k + 1. */
export function aicc(n: number, ssr: number, params: number): number | null {
  const k = params + 1;
  if (n - k - 1 <= 0) return null;
  const s = Math.max(ssr, 1e-300);
  return n * Math.log(s / n) + 2 * k + (2 * k * (k + 1)) / (n - k - 1);
}

function polyFit(x: ArrayLike<number>, y: ArrayLike<number>, degree: 1 | 2): CurveFit {
  const n = x.length;
  const p = degree + 1;
  if (n < p) throw new RangeError(`a degree-${degree} fit needs at least ${p} points, got ${n}`);
  const design = new Float64Array(n * p);
  for (let i = 0; i < n; i++) for (let j = 0; j < p; j++) design[i * p + j] = x[i]! ** j;
  const { beta, rss } = lstsq(design, n, p, y);
  // SEs from s²(XᵀX)⁻¹ through the same LM covariance code (exact for a linear model).
  const lm = levenbergMarquardt({
    x,
    y,
    model: (xi, t) => (degree === 1 ? t[0]! + t[1]! * xi : t[0]! + t[1]! * xi + t[2]! * xi * xi),
    gradient: (xi, _t, out) => {
      out[0] = 1;
      out[1] = xi;
      if (degree === 2) out[2] = xi * xi;
    },
    initial: Array.from(beta),
    maxIterations: 0,
  });
  return {
    model: degree === 1 ? "linear" : "quadratic",
    params: Array.from(beta),
    se: Array.from(lm.se),
    ssr: rss,
    r2: rSquared(y, rss),
    aicc: aicc(n, rss, p),
    n,
  };
}

/** Least-squares straight line y = a + b·x. */
export function fitLinear(x: ArrayLike<number>, y: ArrayLike<number>): CurveFit {
  return polyFit(x, y, 1);
}

/** Least-squares quadratic y = a + b·x + c·x². */
export function fitQuadratic(x: ArrayLike<number>, y: ArrayLike<number>): CurveFit {
  return polyFit(x, y, 2);
}

/** 4PL fit by Levenberg–Marquardt from data-driven starting values. Needs ≥ 5 points with x > 0 spread. */
export function fitFourPl(x: ArrayLike<number>, y: ArrayLike<number>): CurveFit {
  const n = x.length;
  if (n < 5) throw new RangeError(`a 4PL fit needs at least 5 points, got ${n}`);
  let iMin = 0;
  let iMax = 0;
  let xPosMin = Number.POSITIVE_INFINITY;
  let xMax = 0;
  for (let i = 0; i < n; i++) {
    if (x[i]! < x[iMin]!) iMin = i;
    if (x[i]! > x[iMax]!) iMax = i;
    if (x[i]! > 0) xPosMin = Math.min(xPosMin, x[i]!);
    xMax = Math.max(xMax, x[i]!);
  }
  const yLo = y[iMin]!;
  const yHi = y[iMax]!;
  const span = yHi - yLo;
  const model = (xi: number, t: Float64Array): number => fourPl(xi, t[0]!, t[1]!, t[2]!, t[3]!);
  const posMin = Number.isFinite(xPosMin) ? xPosMin : 1;
  const mid = Math.sqrt(posMin * Math.max(xMax, posMin));
  let best: ReturnType<typeof levenbergMarquardt> | null = null;
  // Multi-start over the inflection point and slope: 4PL has flat directions.
  for (const cStart of [mid, xMax, 2 * xMax, 0.5 * mid])
    for (const bStart of [1, 0.7, 1.5]) {
      const r = levenbergMarquardt({
        x,
        y,
        model,
        initial: [yLo, bStart, cStart, yLo + 2 * span],
        lower: [Number.NEGATIVE_INFINITY, 1e-3, 1e-9 * Math.max(xMax, 1), Number.NEGATIVE_INFINITY],
        upper: [Number.POSITIVE_INFINITY, 20, 1e6 * Math.max(xMax, 1), Number.POSITIVE_INFINITY],
        maxIterations: 400,
      });
      if (best === null || r.ssr < best.ssr) best = r;
    }
  const r = best!;
  return {
    model: "4pl",
    params: Array.from(r.params),
    se: Array.from(r.se),
    ssr: r.ssr,
    r2: rSquared(y, r.ssr),
    aicc: aicc(n, r.ssr, 4),
    n,
  };
}

/** Fit one model by name. */
export function fitCurve(model: CurveModel, x: ArrayLike<number>, y: ArrayLike<number>): CurveFit {
  return model === "linear" ? fitLinear(x, y) : model === "quadratic" ? fitQuadratic(x, y) : fitFourPl(x, y);
}
