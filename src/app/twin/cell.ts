/**
 * Use case "simulate an in-vitro Cu-ATSM uptake assay for a cell line" (atsm twin cell).
 */
import {
  type CellKinetics,
  DEFAULT_WELL,
  gasPercentToPo2MmHg,
  getCellLine,
  simulateAssay,
} from "../../sim/cell/index.js";

export interface CellAssayRequest {
  /** Cell-line preset name, or explicit kinetics (e.g. from `atsm twin fit`). */
  readonly line: string | { readonly name: string; readonly kinetics: CellKinetics };
  /** O2 of the incubator gas, % (21 normoxic, 1, 0.5, 0 anoxic). */
  readonly o2Percent: number;
  /** Read-out time, s. */
  readonly timeS: number;
  /** Time-course points, s (default 15, 30, 60, 120 min and 3 h plus `timeS`). */
  readonly timeCourseS?: readonly number[];
  readonly cellsPerWell?: number;
  readonly mediumMl?: number;
  readonly activityBq?: number;
  /** Reductive state ρ (default 1). */
  readonly rho?: number;
  /** Medium change at this time (s) followed by retention counts at `retentionTimesS` after it. */
  readonly washoutAtS?: number;
  readonly retentionTimesS?: readonly number[];
}

export interface CellAssayReport {
  readonly line: string;
  readonly o2Percent: number;
  readonly pO2MmHg: number;
  readonly timeS: number;
  readonly uptakePercent: number;
  readonly uptakePercentPerUgProtein: number;
  readonly normoxicUptakePercent: number;
  /** uptake at `o2Percent` / uptake at 21 % O2, same time. */
  readonly ratioToNormoxic: number;
  readonly well: { readonly cellsPerWell: number; readonly mediumMl: number; readonly activityBq: number };
  readonly timeCourse: readonly {
    readonly timeMin: number;
    readonly uptakePercent: number;
    readonly normoxicUptakePercent: number;
    readonly ratioToNormoxic: number;
  }[];
  readonly retention?: readonly {
    readonly timeAfterWashoutMin: number;
    readonly cellPercent: number;
    readonly retainedFraction: number;
  }[];
  readonly massBalanceRelError: number;
}

const DEFAULT_COURSE_S = [15 * 60, 30 * 60, 60 * 60, 120 * 60, 180 * 60];

/** Run the assay at the requested O2 level and at 21 % O2 for the ratio. */
export function runCellAssay(req: CellAssayRequest): CellAssayReport {
  const preset = typeof req.line === "string" ? getCellLine(req.line) : req.line;
  const k = preset.kinetics;
  const well = {
    cellsPerWell: req.cellsPerWell ?? DEFAULT_WELL.cellsPerWell,
    mediumMl: req.mediumMl ?? DEFAULT_WELL.mediumMl,
    activityBq: req.activityBq ?? DEFAULT_WELL.activityBq,
  };
  const times = [...new Set([...(req.timeCourseS ?? DEFAULT_COURSE_S), req.timeS])].sort((a, b) => a - b);
  const rho = req.rho ?? 1;
  const pO2MmHg = gasPercentToPo2MmHg(req.o2Percent);
  const washout =
    req.washoutAtS !== undefined
      ? { atS: req.washoutAtS, retentionTimesS: req.retentionTimesS ?? [30 * 60, 60 * 60, 120 * 60] }
      : undefined;
  const at = simulateAssay(k, { ...well, pO2MmHg, rho, timesS: times, ...(washout ? { washout } : {}) });
  const norm = simulateAssay(k, { ...well, pO2MmHg: gasPercentToPo2MmHg(21), rho, timesS: times });
  const i = times.indexOf(req.timeS);
  const u = at.uptakePercent[i]!;
  const un = norm.uptakePercent[i]!;
  return {
    line: preset.name,
    o2Percent: req.o2Percent,
    pO2MmHg,
    timeS: req.timeS,
    uptakePercent: u,
    uptakePercentPerUgProtein: at.uptakePercentPerUgProtein[i]!,
    normoxicUptakePercent: un,
    ratioToNormoxic: u / un,
    well,
    timeCourse: times.map((t, j) => ({
      timeMin: t / 60,
      uptakePercent: at.uptakePercent[j]!,
      normoxicUptakePercent: norm.uptakePercent[j]!,
      ratioToNormoxic: at.uptakePercent[j]! / norm.uptakePercent[j]!,
    })),
    ...(at.retention
      ? {
          retention: Array.from(at.retention.timesAfterWashoutS, (t, j) => ({
            timeAfterWashoutMin: t / 60,
            cellPercent: at.retention!.cellPercent[j]!,
            retainedFraction: at.retention!.retainedFraction[j]!,
          })),
        }
      : {}),
    massBalanceRelError: Math.max(at.massBalanceRelError, norm.massBalanceRelError),
  };
}
