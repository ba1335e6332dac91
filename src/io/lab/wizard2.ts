/**
 * PerkinElmer/Revvity Wizard2 (2470/2480) gamma-counter CSV export (lab-formats.md §1.1, real
 * file jmillanacosta/VHP4Safety2.4_1.1/data/004640.csv). Header:
 * `Protocol ID,Protocol name,Measurement date & time,Completion status,Run ID,Rack,Det,Pos,Time,
 * Sample code,<N> Counts,<N> CPM,<N> Error %,<N> Info` where <N> is the protocol's nuclide or
 * window ("I-125", "Cu-64"): the prefix is found, not hard-coded.
 * - rate = `<N> CPM`/60 (CPM carries the per-detector normalisation; never recompute it from
 *   Counts/Time); `<N> Counts` is kept for the decay-correction check.
 * - `Time` is the live counting time, s. `Measurement date & time` is local time without a zone
 *   ("2024-03-06 12:42:48"); `utcOffset` gives the zone. Whether it marks the start or the end of
 *   counting is not documented in any source we could read [M]; `timeIs` chooses (default end,
 *   like the generic format's countEndTime).
 * - The well id is `Sample code`; when empty, `<Rack>-<Pos>` (e.g. "1-3"), so a layout can name
 *   tubes by rack position.
 */
import { AtsmError } from "../../core/errors.js";
import type { CountRecord } from "../../lab/assay/types.js";
import { type CsvOptions, parseCsv } from "../csv.js";

export interface Wizard2Options extends CsvOptions {
  /** Zone of the counter clock, "+01:00" / "Z" (default "Z"). */
  readonly utcOffset?: string;
  readonly timeIs?: "start" | "end";
  /** Which prefix to use when the file has several `<N> CPM` columns. */
  readonly window?: string;
}

/** True when a header row looks like a Wizard2 export. */
export function isWizard2Header(cells: readonly string[]): boolean {
  const l = cells.map((c) => c.trim().toLowerCase());
  return l.includes("measurement date & time") && l.some((c) => c.endsWith(" cpm"));
}

const ISO_LOCAL_RE = /^(\d{4})-(\d{2})-(\d{2})[ T](\d{2}):(\d{2})(?::(\d{2}(?:\.\d+)?))?$/;
const DOTTED_LOCAL_RE = /^(\d{1,2})\.(\d{1,2})\.(\d{4})[ T](\d{1,2}):(\d{2})(?::(\d{2}(?:\.\d+)?))?$/;

/** "2024-03-06 12:42:48" or "06.03.2024 12:42:48" → [y, month, d, h, min, s]; null otherwise or when out of range. */
export function parseCounterLocalTime(text: string): [number, number, number, number, number, number] | null {
  const t = text.trim();
  let m = ISO_LOCAL_RE.exec(t);
  let v: [number, number, number, number, number, number] | null = null;
  if (m) v = [Number(m[1]), Number(m[2]), Number(m[3]), Number(m[4]), Number(m[5]), Number(m[6] ?? "0")];
  else if ((m = DOTTED_LOCAL_RE.exec(t)))
    v = [Number(m[3]), Number(m[2]), Number(m[1]), Number(m[4]), Number(m[5]), Number(m[6] ?? "0")];
  if (v === null) return null;
  const [, mo, d, h, mi, s] = v;
  if (mo < 1 || mo > 12 || d < 1 || d > 31 || h > 23 || mi > 59 || s >= 61) return null;
  // 30.02.2025 would roll over to 2 March in Date.UTC: reject days past the month's end.
  if (new Date(Date.UTC(v[0], mo - 1, d)).getUTCDate() !== d) return null;
  return v;
}

/** Parse "+01:00" / "-0500" / "Z" to minutes east of UTC. */
export function parseUtcOffsetMin(text: string): number {
  const t = text.trim();
  if (t === "Z" || t.toUpperCase() === "UTC") return 0;
  const m = /^([+-])(\d{2}):?(\d{2})$/.exec(t);
  // Real zones lie within −12:00…+14:00 and minutes < 60; "+25:00" is a typo, not a zone.
  if (!m || Number(m[3]) > 59 || Number(m[2]) * 60 + Number(m[3]) > 14 * 60) {
    throw new AtsmError({
      code: "INVALID_ARGUMENT",
      message: "cannot parse UTC offset",
      value: text,
      field: "--counter-utc-offset",
      hint: "write e.g. +01:00, -05:00 or Z",
    });
  }
  return (m[1] === "-" ? -1 : 1) * (Number(m[2]) * 60 + Number(m[3]));
}

export function readWizard2(
  text: string,
  options: Wizard2Options = {},
): { records: CountRecord[]; nuclidePrefix: string } {
  const t = parseCsv(text, { ...options, headerMatch: isWizard2Header });
  const file = options.file;
  const cpmCols = t.header.filter((h) => h.toLowerCase().endsWith(" cpm"));
  const prefixes = cpmCols.map((h) => h.slice(0, -4).trim());
  let prefix = prefixes[0]!;
  if (options.window !== undefined) {
    const p = prefixes.find((q) => q.toLowerCase() === options.window!.toLowerCase());
    if (p === undefined) {
      throw new AtsmError({
        code: "INVALID_ARGUMENT",
        message: `no "${options.window} CPM" column in the Wizard2 file`,
        ...(file !== undefined ? { file } : {}),
        field: "--window",
        hint: `available: ${prefixes.join(", ")}`,
      });
    }
    prefix = p;
  } else if (prefixes.length > 1) {
    throw new AtsmError({
      code: "INVALID_ARGUMENT",
      message: `Wizard2 file has several CPM columns (${cpmCols.join(", ")})`,
      ...(file !== undefined ? { file } : {}),
      field: "--window",
      hint: `choose one with --window (${prefixes.join(", ")})`,
    });
  }
  const cCpm = t.column(`${prefix} CPM`);
  const cCounts = t.optionalColumn(`${prefix} Counts`);
  const cTime = t.column("Time", "Wizard2 exports have a Time column (live counting time, s)");
  const cWhen = t.column("Measurement date & time");
  const cCode = t.optionalColumn("Sample code");
  const cRack = t.optionalColumn("Rack");
  const cPos = t.optionalColumn("Pos");
  const cDet = t.optionalColumn("Det");
  const offsetMin = parseUtcOffsetMin(options.utcOffset ?? "Z");
  const records: CountRecord[] = [];
  for (const row of t.rows) {
    const when = t.requiredText(row, cWhen);
    const parts = parseCounterLocalTime(when);
    if (parts === null) {
      throw new AtsmError({
        code: "PARSE_ERROR",
        message: "cannot parse Measurement date & time",
        value: when,
        row: row.line,
        field: "Measurement date & time",
        ...(file !== undefined ? { file } : {}),
        hint: "expected YYYY-MM-DD HH:MM:SS (or DD.MM.YYYY HH:MM:SS) as written by the Wizard2; slash dates are ambiguous (US/EU), re-export in ISO order",
      });
    }
    const [yy, mo, dd, hh, mi, sec] = parts;
    const utcMs =
      Date.UTC(yy, mo - 1, dd, hh, mi, Math.floor(sec), Math.round((sec % 1) * 1000)) - offsetMin * 60000;
    const countTimeS = t.number(row, cTime);
    const cpm = t.number(row, cCpm);
    let well = cCode >= 0 ? t.text(row, cCode) : "";
    if (well === "") {
      if (cRack < 0 || cPos < 0) t.requiredText(row, cCode >= 0 ? cCode : cWhen);
      well = `${t.requiredText(row, cRack)}-${t.requiredText(row, cPos)}`;
    }
    records.push({
      well,
      grossRatePerS: cpm / 60,
      countTimeS,
      countEndMs: (options.timeIs ?? "end") === "end" ? utcMs : utcMs + countTimeS * 1000,
      rawCounts: cCounts >= 0 ? t.optionalNumber(row, cCounts) : null,
      detector: cDet >= 0 ? t.optionalNumber(row, cDet) : null,
      field: `${prefix} CPM`,
      source: { ...(file !== undefined ? { file } : {}), row: row.line },
    });
  }
  return { records, nuclidePrefix: prefix };
}
