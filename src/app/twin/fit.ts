/**
 * Use case "fit a new cell line to my assay" (atsm twin fit): read the CSV, fit, report
 * parameters ± SE and residuals.
 */
import { readFile } from "node:fs/promises";
import { resolve } from "node:path";
import { AtsmError } from "../../core/errors.js";
import {
  type AssayObservation,
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

export interface CellFitReport {
  readonly file: string;
  readonly startLine: string;
  readonly parameters: readonly {
    readonly name: string;
    readonly value: number;
    readonly standardError: number;
  }[];
  readonly kinetics: Readonly<Record<string, number>>;
  readonly points: readonly (AssayObservation & {
    readonly modelPercent: number;
    readonly residual: number;
  })[];
  readonly rmsResidualPercent: number;
  readonly converged: boolean;
  readonly iterations: number;
}

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
  return {
    file: path,
    startLine: start.name,
    parameters: r.fitted,
    kinetics: { ...r.kinetics },
    points: r.points,
    rmsResidualPercent: r.rmsResidualPercent,
    converged: r.converged,
    iterations: r.iterations,
  };
}
