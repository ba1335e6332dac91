/**
 * Use case "fit a new cell line to my assay" (atsm twin fit): read the CSV, fit, report
 * parameters ± SE and residuals.
 */
import { readFile } from "node:fs/promises";
import { resolve } from "node:path";
import { AtsmError } from "../../core/errors.js";
import {
  type CellFitResult,
  type FittableCellParameter,
  fitCellLine,
  getCellLine,
  parseAssayCsv,
} from "../../sim/cell/index.js";

const FITTABLE: readonly FittableCellParameter[] = [
  "kRedPerS",
  "p50MmHg",
  "partitionCoefficient",
  "kReleasePerS",
];

export interface CellFitRequest {
  readonly dataPath: string;
  readonly cwd: string;
  /** Preset whose unfitted parameters are kept. */
  readonly start: string;
  readonly fit?: readonly string[];
  readonly cellsPerWell?: number;
  readonly mediumMl?: number;
}

/** The fit of `fitCellLine` as reported: `points` … `iterations` mean what they do in `CellFitResult`. */
export interface CellFitReport
  extends Pick<CellFitResult, "points" | "rmsResidualPercent" | "converged" | "iterations"> {
  readonly file: string;
  readonly startLine: string;
  readonly parameters: readonly {
    readonly name: string;
    readonly value: number;
    readonly standardError: number;
  }[];
  readonly kinetics: Readonly<Record<string, number>>;
  /** Why the numbers above should not be trusted as they stand (bounds hit, too few points). */
  readonly warnings: readonly string[];
}

/** Search bounds of sim/cell/fit.ts (ln-space box): a value at one is not a fitted value. */
const LOWER_BOUND = 1e-12;
const UPPER_BOUND: Readonly<Record<string, number>> = { p50MmHg: 1e4, partitionCoefficient: 1e4 };

export async function runCellFit(req: CellFitRequest): Promise<CellFitReport> {
  const path = resolve(req.cwd, req.dataPath);
  let text: string;
  try {
    text = await readFile(path, "utf8");
  } catch (e) {
    throw new AtsmError({
      code: "NOT_FOUND",
      message: "cannot read the assay CSV",
      file: path,
      hint: "check the --data path",
      cause: e,
    });
  }
  const obs = parseAssayCsv(text, path);
  const fit = req.fit?.map((f) => {
    const p = FITTABLE.find((x) => x.toLowerCase() === f.toLowerCase());
    if (p === undefined) {
      throw new AtsmError({
        code: "INVALID_ARGUMENT",
        message: "unknown parameter to fit",
        value: f,
        field: "--fit",
        hint: `fittable: ${FITTABLE.join(", ")}`,
      });
    }
    return p;
  });
  const start = getCellLine(req.start);
  const r = fitCellLine(obs, {
    start: start.kinetics,
    ...(fit ? { fit } : {}),
    ...(req.cellsPerWell !== undefined ? { cellsPerWell: req.cellsPerWell } : {}),
    ...(req.mediumMl !== undefined ? { mediumMl: req.mediumMl } : {}),
  });
  const warnings: string[] = [];
  for (const p of r.fitted) {
    const hi = UPPER_BOUND[p.name] ?? 10;
    if (p.value <= LOWER_BOUND * 1.001 || p.value >= hi * 0.999)
      warnings.push(
        `${p.name} ran to its search bound (${p.value.toExponential(3)}): the data do not determine it; check that uptake is in % of added activity and that both O2 levels are present`,
      );
  }
  if (r.points.length <= r.fitted.length)
    warnings.push(
      `${r.points.length} points for ${r.fitted.length} parameters: the fit passes through every point and has no standard errors; add time points or replicates`,
    );
  return {
    file: path,
    startLine: start.name,
    parameters: r.fitted,
    kinetics: { ...r.kinetics },
    points: r.points,
    rmsResidualPercent: r.rmsResidualPercent,
    converged: r.converged,
    iterations: r.iterations,
    warnings,
  };
}
