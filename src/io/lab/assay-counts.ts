/**
 * Gamma-counter input of the assay: the generic CSV `well,counts,countTimeS,countEndTime`
 * (counts = gross counts in the live time countTimeS s; countEndTime ISO-8601 with a zone) or a
 * Wizard2 export (wizard2.ts), detected from the header.
 */
import { AtsmError } from "../../core/errors.js";
import { parseIsoTimeMs } from "../../core/units.js";
import type { CountRecord } from "../../lab/assay/types.js";
import { type CsvOptions, detectDelimiter, parseCsv } from "../csv.js";
import { isWizard2Header, readWizard2, type Wizard2Options } from "./wizard2.js";

export type CountsFormat = "generic" | "wizard2";

export interface CountsReadResult {
  readonly format: CountsFormat;
  readonly records: CountRecord[];
  /** Wizard2 nuclide/window prefix ("Cu-64"), null for generic. */
  readonly nuclidePrefix: string | null;
}

export function readGenericCounts(text: string, options: CsvOptions = {}): CountRecord[] {
  const t = parseCsv(text, options);
  const cWell = t.column("well");
  const cCounts = t.column("counts");
  const cTime = t.column("countTimeS");
  const cEnd = t.column("countEndTime");
  const file = options.file;
  return t.rows.map((row) => {
    const counts = t.number(row, cCounts);
    const countTimeS = t.number(row, cTime);
    if (!(countTimeS > 0)) {
      throw new AtsmError({
        code: "INVALID_ARGUMENT",
        message: "countTimeS must be > 0",
        value: countTimeS,
        row: row.line,
        field: "countTimeS",
        ...(file !== undefined ? { file } : {}),
        hint: "live counting time in seconds",
      });
    }
    const endText = t.requiredText(row, cEnd);
    let countEndMs: number;
    try {
      countEndMs = parseIsoTimeMs(endText, "countEndTime");
    } catch (e) {
      throw new AtsmError({
        code: "PARSE_ERROR",
        message: "cannot parse countEndTime as ISO-8601 with a zone",
        value: endText,
        row: row.line,
        field: "countEndTime",
        ...(file !== undefined ? { file } : {}),
        hint: "write e.g. 2025-03-01T10:15:00Z or 2025-03-01T11:15:00+01:00",
        cause: e,
      });
    }
    return {
      well: t.requiredText(row, cWell),
      grossRatePerS: counts / countTimeS,
      countTimeS,
      countEndMs,
      rawCounts: counts,
      detector: null,
      field: "counts",
      source: { ...(file !== undefined ? { file } : {}), row: row.line },
    };
  });
}

/** Read either counts format, detected from the header line(s). */
export function readAssayCounts(text: string, options: Wizard2Options = {}): CountsReadResult {
  const delimiter = options.delimiter ?? detectDelimiter(text.replace(/^\uFEFF/, ""));
  const head = text
    .slice(0, 20000)
    .replace(/^\uFEFF/, "")
    .split(/\r\n|\n|\r/)
    .slice(0, 20);
  const looksWizard = head.some((l) => isWizard2Header(l.split(delimiter)));
  if (looksWizard) {
    const r = readWizard2(text, options);
    return { format: "wizard2", records: r.records, nuclidePrefix: r.nuclidePrefix };
  }
  return { format: "generic", records: readGenericCounts(text, options), nuclidePrefix: null };
}
