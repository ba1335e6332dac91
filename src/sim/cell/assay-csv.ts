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
  // One delimiter per file, taken from the header line: splitting every line on any of , ; tab
  // read a European export ("normoxic;21;30;0,44") as uptake 0 and dropped the "44".
  let delimiter = ",";
  for (let li = 0; li < lines.length && li < MAX_ROWS; li++) {
    const line = lines[li]!.trim();
    if (line === "" || line.startsWith("#")) continue;
    if (header === null) delimiter = line.includes(";") ? ";" : line.includes("\t") ? "\t" : ",";
    const cells = line.split(delimiter).map((c) => c.trim());
    if (header !== null && cells.length > header.length && cells.slice(header.length).some((c) => c !== "")) {
      throw new AtsmError({
        code: "PARSE_ERROR",
        message: `row has ${cells.length} fields but the header has ${header.length}`,
        value: line,
        file,
        row: li + 1,
        hint:
          delimiter === ","
            ? "a comma-delimited file cannot use a decimal comma (1,1): write 1.1, or save the file semicolon-delimited"
            : "check the delimiter and quoting of this row",
      });
    }
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
      // In a ; or tab file a decimal comma ("0,44", Excel in a German/French locale) is unambiguous.
      const text = delimiter !== "," && /^[-+]?\d+,\d+$/.test(raw) ? raw.replace(",", ".") : raw;
      const v = Number(text);
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
    const uptake = num("uptakepercent", true)!;
    if (uptake > 100) {
      throw new AtsmError({
        code: "PARSE_ERROR",
        message: "uptakePercent above 100 (% of the activity added to the well)",
        value: uptake,
        file,
        row: li + 1,
        field: "uptakePercent",
        hint: "give uptake as % of the activity added (e.g. 1.1 for 1.1 %), not counts",
      });
    }
    out.push({
      condition: col("condition") ?? "",
      o2Percent: o2,
      timeMin: t,
      uptakePercent: uptake,
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
