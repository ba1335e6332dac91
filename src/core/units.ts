/**
 * Parsing and conversion of user-typed quantities (flags, CSV cells). SI out: Bq, s, g, mL.
 *
 * Conversion constants: 1 Ci = 3.7e10 Bq exactly (definition of the curie, BIPM SI Brochure,
 * 9th ed., Table 8 note).
 */
import { AtsmError } from "./errors.js";

/**
 * Split "<number><unit>" with `pattern` (group 1 the number, group 2 the unit, empty → `defaultUnit`)
 * and look the unit up case-insensitively in `units`. Throws INVALID_ARGUMENT naming `field` with
 * `hint` when the text does not match, the unit is unknown or the number is not finite.
 */
function parseQuantity(
  text: string,
  field: string,
  pattern: RegExp,
  units: Readonly<Record<string, number>>,
  defaultUnit: string,
  hint: string,
): { value: number; factor: number } {
  const m = pattern.exec(text);
  const unitKey = m?.[2] === undefined || m[2] === "" ? defaultUnit : m[2].toLowerCase();
  const factor = units[unitKey];
  const value = m ? Number(m[1]) : Number.NaN;
  if (!m || factor === undefined || !Number.isFinite(value)) {
    throw new AtsmError({
      code: "INVALID_ARGUMENT",
      message: `cannot parse ${field}`,
      value: text,
      field,
      hint,
    });
  }
  return { value, factor };
}

/** Bq per Ci (exact by definition). */
export const BQ_PER_CI = 3.7e10;

const ACTIVITY_UNITS: Readonly<Record<string, number>> = {
  bq: 1,
  kbq: 1e3,
  mbq: 1e6,
  gbq: 1e9,
  tbq: 1e12,
  ci: BQ_PER_CI,
  mci: BQ_PER_CI * 1e-3,
  uci: BQ_PER_CI * 1e-6,
  µci: BQ_PER_CI * 1e-6,
  μci: BQ_PER_CI * 1e-6,
  nci: BQ_PER_CI * 1e-9,
};

export const ACCEPTED_ACTIVITY_UNITS = "Bq, kBq, MBq, GBq, TBq, Ci, mCi, uCi (µCi), nCi";

/** Parse "185MBq", "5 mCi", "1.2e6" (Bq) into Bq. */
export function parseActivityBq(text: string, field = "activity"): number {
  const { value, factor } = parseQuantity(
    text,
    field,
    /^\s*([-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?)\s*([a-zA-Zµμ]*)\s*$/,
    ACTIVITY_UNITS,
    "bq",
    `write a number followed by a unit, e.g. 185MBq or 5mCi; accepted units: ${ACCEPTED_ACTIVITY_UNITS}`,
  );
  if (value < 0) {
    throw new AtsmError({
      code: "INVALID_ARGUMENT",
      message: `${field} must not be negative`,
      value: text,
      field,
    });
  }
  return value * factor;
}

const DURATION_UNITS: Readonly<Record<string, number>> = {
  s: 1,
  sec: 1,
  second: 1,
  seconds: 1,
  m: 60,
  min: 60,
  mins: 60,
  minute: 60,
  minutes: 60,
  h: 3600,
  hr: 3600,
  hrs: 3600,
  hour: 3600,
  hours: 3600,
  d: 86400,
  day: 86400,
  days: 86400,
};

export const ACCEPTED_DURATION_UNITS = "s, min (or m), h, d; e.g. 90s, 20m, 1.5h, 2d";

/** Parse "20m", "1.5h", "90 min", "3600" (s) into seconds. */
export function parseDurationS(text: string, field = "duration"): number {
  const { value, factor } = parseQuantity(
    text,
    field,
    /^\s*((?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?)\s*([a-zA-Z]*)\s*$/,
    DURATION_UNITS,
    "s",
    `write a number followed by a unit; accepted: ${ACCEPTED_DURATION_UNITS}`,
  );
  return value * factor;
}

/** Parse a comma-separated list of durations ("20m,90m,18h") into seconds. */
export function parseDurationListS(text: string, field = "times"): number[] {
  return text
    .split(",")
    .filter((s) => s.trim() !== "")
    .map((s) => parseDurationS(s, field));
}

/** Parse a plain finite number, naming the field on failure. */
export function parseFiniteNumber(text: string, field: string, hint?: string): number {
  const t = text.trim();
  const v = t === "" ? Number.NaN : Number(t);
  if (!Number.isFinite(v)) {
    throw new AtsmError({
      code: "INVALID_ARGUMENT",
      message: `${field} is not a finite number`,
      value: text,
      field,
      hint: hint ?? "use a plain number with a decimal point (e.g. 12.5), not a decimal comma",
    });
  }
  return v;
}

/**
 * Parse an ISO-8601 date-time with an explicit zone ("2025-03-01T08:00:00Z",
 * "2025-03-01T09:00:00+01:00") into epoch milliseconds. A time without a zone is rejected because
 * it is ambiguous.
 */
export function parseIsoTimeMs(text: string, field = "time"): number {
  const ok = /^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})$/.test(text.trim());
  let ms = ok ? Date.parse(text.trim().replace(" ", "T")) : Number.NaN;
  if (Number.isFinite(ms)) {
    // Date.parse rolls impossible days forward (Feb 30 -> Mar 2): refuse them instead.
    const [y, mo, d] = text.trim().slice(0, 10).split("-").map(Number) as [number, number, number];
    const leap = (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;
    const daysInMonth = [31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][mo - 1] ?? 0;
    if (d < 1 || d > daysInMonth) ms = Number.NaN;
  }
  if (!Number.isFinite(ms)) {
    throw new AtsmError({
      code: "INVALID_ARGUMENT",
      message: `cannot parse ${field} as an ISO-8601 date-time with a time zone`,
      value: text,
      field,
      hint: "write a real calendar date and time with a zone, e.g. 2025-03-01T08:00:00Z or 2025-03-01T09:00:00+01:00",
    });
  }
  return ms;
}

/** Bq -> mCi. */
export function bqToMci(activityBq: number): number {
  return activityBq / (BQ_PER_CI * 1e-3);
}
/** mCi -> Bq. */
export function mciToBq(activityMci: number): number {
  return activityMci * BQ_PER_CI * 1e-3;
}
/** Bq -> µCi. */
export function bqToUci(activityBq: number): number {
  return activityBq / (BQ_PER_CI * 1e-6);
}
/** µCi -> Bq. */
export function uciToBq(activityUci: number): number {
  return activityUci * BQ_PER_CI * 1e-6;
}
