/**
 * The in-vitro uptake and retention assay as the lab runs it (brief, protocol 2): cells seeded in a
 * well, the medium equilibrated at a gas O2 level, Cu-ATSM added at t = 0, cell-associated
 * activity counted at the time points (after three ice-cold PBS washes, which we treat as removing
 * all extracellular activity and stopping exchange), optionally followed by a washout with fresh
 * non-radioactive medium and retention counts.
 *
 * The model is linear with constant coefficients between events, so each interval is advanced
 * exactly with the matrix exponential (`sim/ode/expm.ts`, Padé-13 scaling and squaring). Amounts
 * are decay-corrected (counts in an assay are decay-corrected to the time of addition).
 */
import { AtsmError } from "../../core/errors.js";
import { expm } from "../ode/expm.js";
import { matVec } from "../ode/matrix.js";
import {
  CELL_STATE,
  CELL_STATE_COUNT,
  type CellKinetics,
  cellAssociated,
  cellRateMatrix,
  gasPercentToPo2MmHg,
} from "./model.js";

/** pL → mL. */
const ML_PER_PL = 1e-9;

/** One well of an uptake assay. */
export interface AssayProtocol {
  /** Cells in the well. */
  readonly cellsPerWell: number;
  /** Medium volume during uptake, mL. */
  readonly mediumMl: number;
  /** Activity added at t = 0, Bq (decay-corrected to that time). */
  readonly activityBq: number;
  /** pO2 of the medium at the cells, mmHg (see `gasPercentToPo2MmHg`). */
  readonly pO2MmHg: number;
  /** Reductive state ρ (1 = reference; see model.ts). */
  readonly rho: number;
  /** Uptake time points, s after adding the tracer, ascending, > 0. */
  readonly timesS: readonly number[];
  /** Optional washout: medium replaced by fresh medium at `atS`; retention counted after. */
  readonly washout?: AssayWashout;
}

export interface AssayWashout {
  /** Time of the medium change, s after adding the tracer. */
  readonly atS: number;
  /** Times after the medium change, s, ascending, > 0. */
  readonly retentionTimesS: readonly number[];
  /** Fresh medium volume, mL (default: the uptake medium volume). */
  readonly freshMediumMl?: number;
}

/** Standard well used when the user gives none: 5e5 cells in 1 mL, 37 kBq (1 µCi) [A]. */
export const DEFAULT_WELL = { cellsPerWell: 5e5, mediumMl: 1, activityBq: 37_000 } as const;

/** Named gas conditions of the assay (per cent O2 in the incubator gas). */
export const O2_CONDITIONS: Readonly<Record<string, number>> = {
  normoxic: 21,
  "1%": 1,
  "0.5%": 0.5,
  anoxic: 0,
};

export interface AssayResult {
  /** Uptake time points, s. */
  readonly timesS: Float64Array;
  /** Cell-associated activity, % of added activity. */
  readonly uptakePercent: Float64Array;
  /** Same per µg cell protein, %/µg. */
  readonly uptakePercentPerUgProtein: Float64Array;
  /** Trapped (reversible + protein-bound) copper, % of added. */
  readonly trappedPercent: Float64Array;
  /** Intact Cu(II)-ATSM left in the medium, % of added. */
  readonly mediumAtsmPercent: Float64Array;
  /** Ionic copper released into the medium, % of added. */
  readonly mediumIonicPercent: Float64Array;
  /** Retention after washout, when requested. */
  readonly retention?: {
    readonly timesAfterWashoutS: Float64Array;
    /** Cell-associated activity, % of added activity. */
    readonly cellPercent: Float64Array;
    /** Fraction of the cell activity at the medium change still in the cells. */
    readonly retainedFraction: Float64Array;
  };
  /** max |Σ states − added| / added over all evaluated times (mass balance check). */
  readonly massBalanceRelError: number;
}

/** Influx rate constant k_in = k_out·λ·V_cells/V_medium, 1/s. */
export function assayInfluxPerS(k: CellKinetics, cellsPerWell: number, mediumMl: number): number {
  const cellsMl = cellsPerWell * k.cellVolumePl * ML_PER_PL;
  return (k.kOutPerS * k.partitionCoefficient * cellsMl) / mediumMl;
}

function checkPositive(v: number, field: string, allowZero = false): void {
  if (!Number.isFinite(v) || v < 0 || (!allowZero && v === 0)) {
    throw new AtsmError({
      code: "INVALID_ARGUMENT",
      message: `assay ${field} must be a ${allowZero ? "non-negative" : "positive"} finite number`,
      value: v,
      field,
    });
  }
}

function checkTimes(times: readonly number[], field: string): void {
  let prev = 0;
  for (const t of times) {
    if (!Number.isFinite(t) || t <= 0 || t < prev) {
      throw new AtsmError({
        code: "INVALID_ARGUMENT",
        message: `assay ${field} must be positive and ascending`,
        value: times,
        field,
        hint: "give times after adding the tracer, e.g. 15m,30m,60m,120m,3h",
      });
    }
    prev = t;
  }
}

/** Advance x over `dtS` with rate matrix A (exact): x ← exp(A·dt)·x. */
function advance(a: Float64Array, x: Float64Array, dtS: number): void {
  if (dtS <= 0) return;
  const n = CELL_STATE_COUNT;
  const ah = new Float64Array(n * n);
  for (let i = 0; i < n * n; i++) ah[i] = a[i]! * dtS;
  const e = expm(ah, n, true); // closed system: columns of A sum to 0
  const y = matVec(e, x, n, new Float64Array(n));
  x.set(y);
}

/**
 * Simulate one well. Returns cell-associated activity as % of the added activity at each time
 * point, and retention after a washout when requested.
 */
export function simulateAssay(k: CellKinetics, p: AssayProtocol): AssayResult {
  checkPositive(p.cellsPerWell, "cellsPerWell");
  checkPositive(p.mediumMl, "mediumMl");
  checkPositive(p.activityBq, "activityBq");
  checkPositive(p.pO2MmHg, "pO2MmHg", true);
  checkPositive(p.rho, "rho", true);
  checkTimes(p.timesS, "timesS");
  const n = CELL_STATE_COUNT;
  const total = p.activityBq;
  const a = cellRateMatrix(k, p.pO2MmHg, p.rho, assayInfluxPerS(k, p.cellsPerWell, p.mediumMl));
  const x = new Float64Array(n);
  x[CELL_STATE.EXT] = total;
  const m = p.timesS.length;
  const res = {
    timesS: Float64Array.from(p.timesS),
    uptakePercent: new Float64Array(m),
    uptakePercentPerUgProtein: new Float64Array(m),
    trappedPercent: new Float64Array(m),
    mediumAtsmPercent: new Float64Array(m),
    mediumIonicPercent: new Float64Array(m),
  };
  const proteinUg = (p.cellsPerWell * k.proteinPerCellPg) / 1e6; // pg -> µg
  let massErr = 0;
  const checkMass = (expected: number): void => {
    let s = 0;
    for (let i = 0; i < n; i++) s += x[i]!;
    massErr = Math.max(massErr, Math.abs(s - expected) / total);
  };
  let t = 0;
  // Integrate to each uptake time point; the washout time is visited in order too.
  const events = [...p.timesS];
  const wash = p.washout;
  if (wash !== undefined) {
    checkPositive(wash.atS, "washout.atS");
    checkTimes(wash.retentionTimesS, "washout.retentionTimesS");
  }
  for (let i = 0; i < m; i++) {
    const ti = events[i]!;
    advance(a, x, ti - t);
    t = ti;
    checkMass(total);
    const cell = cellAssociated(x);
    res.uptakePercent[i] = (100 * cell) / total;
    res.uptakePercentPerUgProtein[i] = res.uptakePercent[i]! / proteinUg;
    res.trappedPercent[i] = (100 * (x[CELL_STATE.TRAP]! + x[CELL_STATE.BOUND]!)) / total;
    res.mediumAtsmPercent[i] = (100 * x[CELL_STATE.EXT]!) / total;
    res.mediumIonicPercent[i] = (100 * x[CELL_STATE.OUT]!) / total;
  }
  if (wash === undefined) return { ...res, massBalanceRelError: massErr };

  // Washout: uptake phase (from the start again, independent of the time points) up to atS.
  const y = new Float64Array(n);
  y[CELL_STATE.EXT] = total;
  x.set(y);
  advance(a, x, wash.atS);
  checkMass(total);
  x[CELL_STATE.EXT] = 0; // medium removed
  x[CELL_STATE.OUT] = 0; // ionic copper in the medium removed too
  const atWash = cellAssociated(x);
  let remaining = 0;
  for (let i = 0; i < n; i++) remaining += x[i]!;
  const freshMl = wash.freshMediumMl ?? p.mediumMl;
  checkPositive(freshMl, "washout.freshMediumMl");
  const a2 = cellRateMatrix(k, p.pO2MmHg, p.rho, assayInfluxPerS(k, p.cellsPerWell, freshMl));
  const r = wash.retentionTimesS.length;
  const cellPercent = new Float64Array(r);
  const retainedFraction = new Float64Array(r);
  let tw = 0;
  for (let i = 0; i < r; i++) {
    const ti = wash.retentionTimesS[i]!;
    advance(a2, x, ti - tw);
    tw = ti;
    checkMass(remaining);
    const cell = cellAssociated(x);
    cellPercent[i] = (100 * cell) / total;
    retainedFraction[i] = atWash > 0 ? cell / atWash : 0;
  }
  return {
    ...res,
    retention: { timesAfterWashoutS: Float64Array.from(wash.retentionTimesS), cellPercent, retainedFraction },
    massBalanceRelError: massErr,
  };
}

/** Convenience: uptake (% of added) at one time for a gas O2 level, with the default well. */
export function uptakePercentAt(
  k: CellKinetics,
  o2Percent: number,
  timeS: number,
  rho = 1,
  well: { cellsPerWell: number; mediumMl: number } = DEFAULT_WELL,
): number {
  const r = simulateAssay(k, {
    cellsPerWell: well.cellsPerWell,
    mediumMl: well.mediumMl,
    activityBq: DEFAULT_WELL.activityBq,
    pO2MmHg: gasPercentToPo2MmHg(o2Percent),
    rho,
    timesS: [timeS],
  });
  return r.uptakePercent[0]!;
}
