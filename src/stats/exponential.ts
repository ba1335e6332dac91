/**
 * GraphPad Prism exponential models, with Prism's parameter names so results can be compared
 * with Prism directly (GraphPad Curve Fitting Guide, Prism 8:
 * reg_exponential_association.htm and reg_exponential_decay_plateau.htm):
 *
 * - One-phase association: Y = Y0 + (Plateau − Y0)·(1 − exp(−K·X)). Prism 8: "If you have
 *   subtracted off any background signal … constrain the parameter Y0 to be a constant value
 *   equal to zero" — `fixY0` does that.
 * - Plateau followed by one-phase decay: Y = Y0 for X < X0, else
 *   Plateau + (Y0 − Plateau)·exp(−K·(X − X0)); X0 is a known constant (the medium change).
 *
 * Derived: Tau = 1/K, half-time = ln 2 / K, with SE(half-time) = ln 2 · SE(K) / K² (delta method,
 * the symmetric form Prism reports). Parameter SEs as curve_fit(absolute_sigma=False).
 */
import { rSquared } from "./curves.js";
import { type GradientFn, levenbergMarquardt, type ModelFn, type NlsResult } from "./nls.js";

export interface ExpFitParam {
  readonly value: number;
  /** Standard error; 0 when the parameter was held fixed; null when not estimable. */
  readonly se: number | null;
  readonly fixed: boolean;
}

export interface ExpFit {
  readonly model: "one-phase-association" | "one-phase-decay";
  readonly Y0: ExpFitParam;
  readonly Plateau: ExpFitParam;
  readonly K: ExpFitParam;
  /** ln 2 / K, in the unit of X. */
  readonly halfTime: ExpFitParam;
  /** 1 / K. */
  readonly Tau: ExpFitParam;
  /** X0 of the decay model (fixed); 0 for association. */
  readonly X0: number;
  readonly r2: number;
  readonly ssr: number;
  readonly n: number;
  readonly dof: number;
  readonly converged: boolean;
}

function median(v: number[]): number {
  const s = [...v].sort((p, q) => p - q);
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : 0.5 * (s[m - 1]! + s[m]!);
}

function param(value: number, se: number, fixed: boolean): ExpFitParam {
  return { value, se: fixed ? 0 : Number.isFinite(se) ? se : null, fixed };
}

function derived(k: ExpFitParam): { halfTime: ExpFitParam; Tau: ExpFitParam } {
  const kv = k.value;
  const seK = k.se;
  return {
    halfTime: {
      value: Math.LN2 / kv,
      se: seK === null ? null : (Math.LN2 * seK) / (kv * kv),
      fixed: k.fixed,
    },
    Tau: { value: 1 / kv, se: seK === null ? null : seK / (kv * kv), fixed: k.fixed },
  };
}

/**
 * Levenberg–Marquardt fit of a [Y0, Plateau, K] model from `initial`, restarted with K × 1, 0.2
 * and 5 (K ≥ 1e-12); the start with the smallest SSR wins. `fixedIndex` holds that parameter.
 */
function bestOfKStarts(
  xs: number[],
  ys: number[],
  model: ModelFn,
  gradient: GradientFn,
  initial: readonly [number, number, number],
  fixedIndex: number | null,
): NlsResult {
  let best: NlsResult | null = null;
  for (const kScale of [1, 0.2, 5]) {
    const r = levenbergMarquardt({
      x: xs,
      y: ys,
      model,
      gradient,
      initial: [initial[0], initial[1], initial[2] * kScale],
      ...(fixedIndex !== null ? { fixed: [fixedIndex] } : {}),
      lower: [Number.NEGATIVE_INFINITY, Number.NEGATIVE_INFINITY, 1e-12],
      maxIterations: 500,
    });
    if (best === null || r.ssr < best.ssr) best = r;
  }
  return best!;
}

/** The ExpFit of an LM result of [Y0, Plateau, K] (`fixedIndex` held fixed), with derived values. */
function expFit(
  model: ExpFit["model"],
  r: NlsResult,
  fixedIndex: number | null,
  x0: number,
  ys: number[],
): ExpFit {
  const K = param(r.params[2]!, r.se[2]!, false);
  return {
    model,
    Y0: param(r.params[0]!, r.se[0]!, fixedIndex === 0),
    Plateau: param(r.params[1]!, r.se[1]!, fixedIndex === 1),
    K,
    ...derived(K),
    X0: x0,
    r2: rSquared(ys, r.ssr),
    ssr: r.ssr,
    n: ys.length,
    dof: r.dof,
    converged: r.converged,
  };
}

/**
 * One-phase association fit of y(x). `fixY0` holds Y0 at the given value (0 after background
 * subtraction). Needs at least 3 points (2 free parameters + 1 residual df) or 4 with Y0 free.
 */
export function fitOnePhaseAssociation(
  x: ArrayLike<number>,
  y: ArrayLike<number>,
  options: { fixY0?: number } = {},
): ExpFit {
  const xs = Array.from(x);
  const ys = Array.from(y);
  const fixY0 = options.fixY0;
  const yMax = Math.max(...ys);
  const y0 = fixY0 ?? Math.min(...ys);
  const xPos = xs.filter((v) => v > 0);
  const k0 = xPos.length > 0 ? Math.LN2 / median(xPos) : 1;
  const model = (xi: number, t: Float64Array): number =>
    t[0]! + (t[1]! - t[0]!) * (1 - Math.exp(-t[2]! * xi));
  const gradient = (xi: number, t: Float64Array, out: Float64Array): void => {
    const e = Math.exp(-t[2]! * xi);
    out[0] = e;
    out[1] = 1 - e;
    out[2] = (t[1]! - t[0]!) * xi * e;
  };
  const fixedIndex = fixY0 !== undefined ? 0 : null;
  const r = bestOfKStarts(xs, ys, model, gradient, [y0, yMax, k0], fixedIndex);
  return expFit("one-phase-association", r, fixedIndex, 0, ys);
}

/**
 * Plateau followed by one-phase decay with X0 fixed (default 0: ordinary one-phase decay with a
 * plateau). `fixPlateau` holds Plateau (e.g. 0); by default it is fitted because for Cu-ATSM
 * retention the plateau is the trapped fraction.
 */
export function fitOnePhaseDecay(
  x: ArrayLike<number>,
  y: ArrayLike<number>,
  options: { x0?: number; fixPlateau?: number } = {},
): ExpFit {
  const xs = Array.from(x);
  const ys = Array.from(y);
  const x0 = options.x0 ?? 0;
  const after = xs.map((v, i) => [v, ys[i]!] as const).filter(([v]) => v >= x0);
  const first = after.length > 0 ? Math.min(...after.map(([v]) => v)) : x0;
  const yStart = after.filter(([v]) => v === first).map(([, w]) => w);
  const yFirst = yStart.length > 0 ? yStart.reduce((p, q) => p + q, 0) / yStart.length : Math.max(...ys);
  const yMin = Math.min(...ys);
  const dx = xs.map((v) => v - x0).filter((v) => v > 0);
  const k0 = dx.length > 0 ? Math.LN2 / median(dx) : 1;
  const model = (xi: number, t: Float64Array): number =>
    xi < x0 ? t[0]! : t[1]! + (t[0]! - t[1]!) * Math.exp(-t[2]! * (xi - x0));
  const gradient = (xi: number, t: Float64Array, out: Float64Array): void => {
    if (xi < x0) {
      out[0] = 1;
      out[1] = 0;
      out[2] = 0;
      return;
    }
    const e = Math.exp(-t[2]! * (xi - x0));
    out[0] = e;
    out[1] = 1 - e;
    out[2] = -(t[0]! - t[1]!) * (xi - x0) * e;
  };
  const fixPlateau = options.fixPlateau;
  const fixedIndex = fixPlateau !== undefined ? 1 : null;
  const r = bestOfKStarts(xs, ys, model, gradient, [yFirst, fixPlateau ?? yMin * 0.8, k0], fixedIndex);
  return expFit("one-phase-decay", r, fixedIndex, x0, ys);
}

/** Evaluate a fitted exponential model at x. */
export function expFitValue(fit: ExpFit, x: number): number {
  const y0 = fit.Y0.value;
  const pl = fit.Plateau.value;
  const k = fit.K.value;
  if (fit.model === "one-phase-association") return y0 + (pl - y0) * (1 - Math.exp(-k * x));
  return x < fit.X0 ? y0 : pl + (y0 - pl) * Math.exp(-k * (x - fit.X0));
}
