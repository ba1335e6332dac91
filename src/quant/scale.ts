/**
 * How a volume's native voxel values convert to SUV and to Bq/mL. Every statistic we report (max,
 * mean, min, SD, peak, totals) is linear in the voxel values, so it is computed once in the native
 * unit and multiplied by these factors.
 */
import { AtsmError } from "../core/errors.js";

export interface ValueScale {
  /** SUV per native unit (null: unknown, SUV outputs are null). */
  readonly toSuv: number | null;
  /** Bq/mL per native unit (null: unknown, Bq/mL outputs are null). */
  readonly toBqPerMl: number | null;
}

/** True for units that are already SUV ("SUV", "SUVbw", "SUVlbm", "g/ml" as written by some vendors). */
export function isSuvUnit(unit: string): boolean {
  const u = unit.trim().toLowerCase();
  return u.startsWith("suv") || u === "g/ml" || u === "gml";
}

/** True for Bq/mL ("Bq/mL", "BQML" as in DICOM Units (0054,1001)). */
export function isBqPerMlUnit(unit: string): boolean {
  const u = unit.trim().toLowerCase();
  return u === "bq/ml" || u === "bqml" || u === "bq/cc";
}

/**
 * Scale for a volume of unit `unit`, given the SUV factor `suvPerBqPerMl` (SUV = Bq/mL × factor;
 * for SUVbw the factor is body weight g ÷ decay-corrected injected activity Bq; computed by the SUV
 * module). For other units (CNTS, "1") both factors are null: statistics stay in the native unit.
 */
export function valueScaleFor(unit: string, suvPerBqPerMl?: number | null): ValueScale {
  const f = suvPerBqPerMl ?? null;
  if (f !== null && !(Number.isFinite(f) && f > 0)) {
    throw new AtsmError({
      code: "INVALID_ARGUMENT",
      message: "SUV factor (SUV per Bq/mL) must be a finite number > 0",
      value: f,
      field: "suvPerBqPerMl",
      hint: "check body weight and injected activity",
    });
  }
  if (isBqPerMlUnit(unit)) return { toSuv: f, toBqPerMl: 1 };
  if (isSuvUnit(unit)) return { toSuv: 1, toBqPerMl: f === null ? null : 1 / f };
  return { toSuv: null, toBqPerMl: null };
}
