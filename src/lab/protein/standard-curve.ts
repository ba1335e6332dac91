/**
 * Protein standard curve (BCA / Bradford): absorbance = f(concentration µg/mL) fitted as a line,
 * a quadratic or a 4PL; "auto" picks the lowest AICc among the models with enough points
 * (lab-formats.md §2.4: linear is the default convention, quadratic for curved BCA, 4PL for
 * sigmoid ranges). Samples are read back by inverting the curve; readings outside the range of the
 * standards are flagged as extrapolated.
 */
import { type CurveFit, type CurveModel, curveValue, fitCurve, parameterCount } from "../../stats/curves.js";

export interface StandardPoint {
  readonly concentrationUgPerMl: number;
  readonly absorbance: number;
}

export interface StandardCurveResult {
  readonly fit: CurveFit;
  /** Every model tried, with R² and AICc (the comparison shown in reports). */
  readonly candidates: readonly { model: CurveModel; r2: number; aicc: number | null; ssr: number }[];
  readonly absorbanceMin: number;
  readonly absorbanceMax: number;
  readonly concentrationMax: number;
}

/** Fit the standard curve with `model`, or choose by AICc when "auto". */
export function fitStandardCurve(
  points: readonly StandardPoint[],
  model: CurveModel | "auto" = "auto",
): StandardCurveResult {
  const x = points.map((p) => p.concentrationUgPerMl);
  const y = points.map((p) => p.absorbance);
  const distinct = new Set(x).size;
  const models: CurveModel[] = model === "auto" ? ["linear", "quadratic", "4pl"] : [model];
  const candidates: { model: CurveModel; r2: number; aicc: number | null; ssr: number }[] = [];
  const fits: CurveFit[] = [];
  for (const m of models) {
    if (distinct < parameterCount(m) + (model === "auto" ? 1 : 0)) continue;
    try {
      const f = fitCurve(m, x, y);
      fits.push(f);
      candidates.push({ model: m, r2: f.r2, aicc: f.aicc, ssr: f.ssr });
    } catch {
      /* model not estimable with these points */
    }
  }
  if (fits.length === 0)
    throw new RangeError(`not enough distinct standards (${distinct}) for a ${model} curve`);
  let best = fits[0]!;
  if (model === "auto") {
    for (const f of fits) if (f.aicc !== null && (best.aicc === null || f.aicc < best.aicc - 1e-9)) best = f;
  }
  return {
    fit: best,
    candidates,
    absorbanceMin: Math.min(...y),
    absorbanceMax: Math.max(...y),
    concentrationMax: Math.max(...x),
  };
}

export interface Interpolation {
  /** µg/mL, or null when the absorbance cannot be read back on this curve. */
  readonly concentrationUgPerMl: number | null;
  readonly extrapolated: boolean;
  readonly reason?: string;
}

/** Read a concentration back from an absorbance by inverting the fitted curve. */
export function interpolateConcentration(curve: StandardCurveResult, absorbance: number): Interpolation {
  const extrapolated = absorbance < curve.absorbanceMin || absorbance > curve.absorbanceMax;
  const p = curve.fit.params;
  let c: number | null = null;
  switch (curve.fit.model) {
    case "linear":
      c = p[1]! !== 0 ? (absorbance - p[0]!) / p[1]! : null;
      break;
    case "quadratic": {
      const a = p[2]!;
      const b = p[1]!;
      const k = p[0]! - absorbance;
      if (Math.abs(a) < 1e-15 * Math.max(1, Math.abs(b))) {
        c = b !== 0 ? -k / b : null;
        break;
      }
      const disc = b * b - 4 * a * k;
      if (disc < 0) break;
      const s = Math.sqrt(disc);
      // numerically stable roots
      const q = -0.5 * (b + Math.sign(b || 1) * s);
      const roots = [q / a, q !== 0 ? k / q : Number.NaN].filter((r) => Number.isFinite(r));
      // the root on the monotone branch of the standards: closest to [0, max]
      const hi = curve.concentrationMax;
      roots.sort((r1, r2) => dist(r1, hi) - dist(r2, hi));
      c = roots[0] ?? null;
      break;
    }
    case "4pl": {
      const [A, B, C, D] = [p[0]!, p[1]!, p[2]!, p[3]!];
      const ratio = (A - D) / (absorbance - D);
      if (ratio > 1) c = C * (ratio - 1) ** (1 / B);
      break;
    }
  }
  if (c === null || !Number.isFinite(c)) {
    return {
      concentrationUgPerMl: null,
      extrapolated: true,
      reason: "absorbance outside the range the curve can reach",
    };
  }
  // sanity: the curve at c reproduces the absorbance
  if (Math.abs(curveValue(curve.fit, c) - absorbance) > 1e-6 * Math.max(1, Math.abs(absorbance))) {
    return {
      concentrationUgPerMl: null,
      extrapolated: true,
      reason: "curve cannot be inverted at this absorbance",
    };
  }
  return { concentrationUgPerMl: c, extrapolated };
}

function dist(r: number, hi: number): number {
  return r < 0 ? -r : r > hi ? r - hi : 0;
}
