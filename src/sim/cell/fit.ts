/**
 * Fit a cell line's Cu-ATSM kinetics to the user's own uptake assay (% of added activity against
 * time at one or more O2 levels). Levenberg–Marquardt (`sim/ode/levenberg-marquardt.ts`) on the
 * logarithms of the fitted rate constants (keeps them positive); standard errors by the delta
 * method, SE(k) = k·SE(ln k). Residuals are weighted by 1/sd when every row has an sd.
 */
import { AtsmError } from "../../core/errors.js";
import { levenbergMarquardt } from "../ode/levenberg-marquardt.js";
import { DEFAULT_WELL, simulateAssay } from "./assay.js";
import { type CellKinetics, gasPercentToPo2MmHg } from "./model.js";

/** One measured point of an uptake assay. */
export interface AssayObservation {
  /** Free label ("normoxic", "hypoxic"). */
  readonly condition: string;
  /** O2 in the incubator gas, %. */
  readonly o2Percent: number;
  /** Time after adding the tracer, min. */
  readonly timeMin: number;
  /** Cell-associated activity, % of added. */
  readonly uptakePercent: number;
  /** Standard deviation of `uptakePercent` (optional). */
  readonly sd?: number;
}

/** Parameters `fitCellLine` can fit. */
export type FittableCellParameter = "kRedPerS" | "p50MmHg" | "partitionCoefficient" | "kReleasePerS";

export interface CellFitOptions {
  /** Starting kinetics; unfitted parameters stay at these values. */
  readonly start: CellKinetics;
  /** Which parameters to fit (default kRedPerS, p50MmHg, + partitionCoefficient with ≥ 4 points). */
  readonly fit?: readonly FittableCellParameter[];
  readonly cellsPerWell?: number;
  readonly mediumMl?: number;
}

export interface CellFitResult {
  readonly kinetics: CellKinetics;
  readonly fitted: readonly {
    readonly name: FittableCellParameter;
    readonly value: number;
    readonly standardError: number;
  }[];
  readonly points: readonly (AssayObservation & {
    readonly modelPercent: number;
    readonly residual: number;
  })[];
  /** Root-mean-square residual, % of added activity. */
  readonly rmsResidualPercent: number;
  readonly converged: boolean;
  readonly iterations: number;
}

/** Model uptake (% of added) for each observation, grouped by O2 level. */
export function predictObservations(
  k: CellKinetics,
  obs: readonly AssayObservation[],
  well: { cellsPerWell: number; mediumMl: number } = DEFAULT_WELL,
): Float64Array {
  const out = new Float64Array(obs.length);
  const byO2 = new Map<number, number[]>();
  obs.forEach((o, i) => {
    const list = byO2.get(o.o2Percent) ?? [];
    list.push(i);
    byO2.set(o.o2Percent, list);
  });
  for (const [o2, idx] of byO2) {
    const times = [...new Set(idx.map((i) => obs[i]!.timeMin * 60))].sort((a, b) => a - b);
    const r = simulateAssay(k, {
      cellsPerWell: well.cellsPerWell,
      mediumMl: well.mediumMl,
      activityBq: DEFAULT_WELL.activityBq,
      pO2MmHg: gasPercentToPo2MmHg(o2),
      rho: 1,
      timesS: times,
    });
    for (const i of idx) out[i] = r.uptakePercent[times.indexOf(obs[i]!.timeMin * 60)]!;
  }
  return out;
}

/** Fit `opts.fit` parameters of the cell model to `obs`. */
export function fitCellLine(obs: readonly AssayObservation[], opts: CellFitOptions): CellFitResult {
  if (obs.length < 2) {
    throw new AtsmError({
      code: "INVALID_ARGUMENT",
      message: "need at least 2 assay points to fit a cell line",
      value: obs.length,
      hint: "give uptake at ≥ 2 O2 levels or times, e.g. normoxic and 1 % O2 at 3 h",
    });
  }
  const levels = new Set(obs.map((o) => o.o2Percent));
  const names: readonly FittableCellParameter[] =
    opts.fit ??
    (obs.length >= 4 && levels.size >= 2
      ? ["kRedPerS", "p50MmHg", "partitionCoefficient"]
      : levels.size >= 2
        ? ["kRedPerS", "p50MmHg"]
        : ["kRedPerS"]);
  if (names.length > obs.length) {
    throw new AtsmError({
      code: "INVALID_ARGUMENT",
      message: `cannot fit ${names.length} parameters to ${obs.length} points`,
      value: names,
      hint: "measure more time points or O2 levels, or fit fewer parameters",
    });
  }
  const well = {
    cellsPerWell: opts.cellsPerWell ?? DEFAULT_WELL.cellsPerWell,
    mediumMl: opts.mediumMl ?? DEFAULT_WELL.mediumMl,
  };
  const weighted = obs.every((o) => o.sd !== undefined && o.sd > 0);
  const make = (p: Float64Array): CellKinetics => {
    const k: Record<string, number> = { ...opts.start };
    names.forEach((nm, i) => {
      k[nm] = Math.exp(p[i]!);
    });
    return k as unknown as CellKinetics;
  };
  const resid = (p: Float64Array): Float64Array => {
    const pred = predictObservations(make(p), obs, well);
    const r = new Float64Array(obs.length);
    for (let i = 0; i < obs.length; i++) {
      const o = obs[i]!;
      r[i] = (pred[i]! - o.uptakePercent) / (weighted ? o.sd! : 1);
    }
    return r;
  };
  const start = names.map((nm) => Math.log(opts.start[nm]));
  const lower = names.map(() => Math.log(1e-12));
  const upper = names.map((nm) =>
    Math.log(nm === "p50MmHg" ? 1e4 : nm === "partitionCoefficient" ? 1e4 : 10),
  );
  const lm = levenbergMarquardt(resid, start, { lower, upper, maxIterations: 300 });
  const kinetics = make(lm.params);
  const pred = predictObservations(kinetics, obs, well);
  let ss = 0;
  const points = obs.map((o, i) => {
    const residual = o.uptakePercent - pred[i]!;
    ss += residual * residual;
    return { ...o, modelPercent: pred[i]!, residual };
  });
  return {
    kinetics,
    fitted: names.map((name, i) => ({
      name,
      value: kinetics[name],
      standardError: kinetics[name] * lm.standardErrors[i]!,
    })),
    points,
    rmsResidualPercent: Math.sqrt(ss / obs.length),
    converged: lm.converged,
    iterations: lm.iterations,
  };
}
