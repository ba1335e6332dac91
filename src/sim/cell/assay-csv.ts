/**
 * Parse the assay table `atsm twin fit` reads: a CSV with a header row and the columns
 * `condition,o2Percent,timeMin,uptakePercent[,sd]` (any order; header names case-insensitive;
 * `#` comment lines and blank lines skipped). Pure text → records; the app layer reads the file.
 */
import { AtsmError } from "../../core/errors.js";
import type { AssayObservation } from "./fit.js";

const REQUIRED = ["condition", "o2percent", "timemin", "uptakepercent"] as const;
/** Row cap (a plate assay has tens of rows). */
const MAX_ROWS = 100_000;

/** Parse CSV text into observations; AtsmError naming file, row and column on any bad cell. */
export function parseAssayCsv(text: string, file = "assay CSV"): AssayObservation[] {
  const lines = text.split(/\r?\n/);
  let header: string[] | null = null;
  let headerRow = 0;
  const out: AssayObservation[] = [];
  for (let li = 0; li < lines.length && li < MAX_ROWS; li++) {
    const line = lines[li]!.trim();
    if (line === "" || line.startsWith("#")) continue;
    const cells = line.split(/[,;\t]/).map((c) => c.trim());
    if (header === null) {
      header = cells.map((c) => c.toLowerCase().replace(/[^a-z0-9]/g, ""));
      headerRow = li + 1;
      const missing = REQUIRED.filter((r) => !header!.includes(r));
      if (missing.length > 0) {
        throw new AtsmError({
          code: "PARSE_ERROR",
          message: `assay CSV header lacks column(s) ${missing.join(", ")}`,
          value: line,
          file,
          row: headerRow,
          hint: "first row must be: condition,o2Percent,timeMin,uptakePercent[,sd]",
        });
      }
      continue;
    }
    const col = (name: string): string | undefined => {
      const i = header!.indexOf(name);
      return i < 0 ? undefined : cells[i];
    };
    const num = (name: string, required: boolean): number | undefined => {
      const raw = col(name);
      if (raw === undefined || raw === "") {
        if (!required) return undefined;
        throw new AtsmError({
          code: "PARSE_ERROR",
          message: `missing value in column ${name}`,
          file,
          row: li + 1,
          field: name,
          hint: "every row needs condition, o2Percent, timeMin and uptakePercent",
        });
      }
      const v = Number(raw);
      if (!Number.isFinite(v) || v < 0) {
        throw new AtsmError({
          code: "PARSE_ERROR",
          message: `column ${name} is not a non-negative number`,
          value: raw,
          file,
          row: li + 1,
          field: name,
          hint: "use plain numbers with a decimal point (1.1, not 1,1 or 1.1%)",
        });
      }
      return v;
    };
    const o2 = num("o2percent", true)!;
    if (o2 > 100) {
      throw new AtsmError({
        code: "PARSE_ERROR",
        message: "o2Percent above 100",
        value: o2,
        file,
        row: li + 1,
        field: "o2Percent",
        hint: "give the O2 fraction of the incubator gas in per cent (21 normoxic, 1 hypoxic, 0 anoxic)",
      });
    }
    const t = num("timemin", true)!;
    if (t <= 0) {
      throw new AtsmError({
        code: "PARSE_ERROR",
        message: "timeMin must be > 0",
        value: t,
        file,
        row: li + 1,
        field: "timeMin",
      });
    }
    const sd = num("sd", false);
    out.push({
      condition: col("condition") ?? "",
      o2Percent: o2,
      timeMin: t,
      uptakePercent: num("uptakepercent", true)!,
      ...(sd !== undefined ? { sd } : {}),
    });
  }
  if (header === null || out.length === 0) {
    throw new AtsmError({
      code: "PARSE_ERROR",
      message: "assay CSV has no data rows",
      file,
      hint: "write a header row condition,o2Percent,timeMin,uptakePercent[,sd] and one row per measurement",
    });
  }
  return out;
}
