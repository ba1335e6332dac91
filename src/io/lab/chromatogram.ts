/**
 * Chromatogram trace import (radio-TLC scanners, radio-HPLC detectors).
 *
 * Accepted:
 * 1. Generic CSV with exact header names (more columns allowed, order free):
 *    `positionMm,counts` (TLC) or `timeS,counts` (HPLC); delimiter `,`, `;` or tab.
 * 2. Scanner text export, the layout radio-TLC/HPLC software writes (LabLogic Laura and
 *    Elysia-raytest GINA style per lab-formats.md §3.3 [M]: the exact vendor layouts were not
 *    available, so this reader is built on the common structure, not on a vendor spec):
 *    optional `Key: value` / `Key;value` metadata lines, then a header line whose first column names
 *    a position (`Position`, `Distance`, `Length`, unit `mm` or `cm`) or a time (`Time`,
 *    `Retention time`, unit `s` or `min`) and whose second column names the signal (`Counts`,
 *    `CPS`, `Intensity`, `Activity`), then numeric rows. `;`-delimited exports may use a decimal
 *    comma, which is converted (only then: in `,`-delimited files a comma is the delimiter).
 */
import { readFile } from "node:fs/promises";
import { AtsmError } from "../../core/errors.js";
import type { Trace } from "../../lab/chromatogram/analyze.js";

export interface ImportedTrace {
  readonly trace: Trace;
  readonly format: "generic-csv" | "scanner-text";
  readonly metadata: Readonly<Record<string, string>>;
  readonly warnings: readonly string[];
}

const MAX_BYTES = 50 * 1024 * 1024; // a trace is at most a few MB; refuse anything absurd

function detectDelimiter(line: string): string {
  const counts: [string, number][] = [
    ["\t", line.split("\t").length],
    [";", line.split(";").length],
    [",", line.split(",").length],
  ];
  counts.sort((a, b) => b[1] - a[1]);
  return counts[0]![1] > 1 ? counts[0]![0] : ",";
}

interface AxisSpec {
  readonly axis: "positionMm" | "timeS";
  readonly factor: number;
}

function classifyAxis(name: string): AxisSpec | null {
  const t = name.trim().toLowerCase();
  if (t === "positionmm") return { axis: "positionMm", factor: 1 };
  if (t === "times") return { axis: "timeS", factor: 1 };
  if (/(position|distance|length)/.test(t))
    return { axis: "positionMm", factor: /\bcm\b|\[cm\]|\(cm\)/.test(t) ? 10 : 1 };
  if (/(retention|time)/.test(t)) return { axis: "timeS", factor: /min/.test(t) ? 60 : 1 };
  return null;
}

function isSignal(name: string): boolean {
  return /^(counts|cps|cpm|intensity|activity|signal)\b/i.test(name.trim()) || name.trim() === "counts";
}

/** Parse trace text. `name` is used in error messages. */
export function parseChromatogram(text: string, name: string): ImportedTrace {
  const lines = text.replace(/^\uFEFF/, "").split(/\r\n|\n|\r/);
  const metadata: Record<string, string> = {};
  const warnings: string[] = [];
  let headerRow = -1;
  let delim = ",";
  let xCol = -1;
  let yCol = -1;
  let axis: AxisSpec | null = null;
  let format: ImportedTrace["format"] = "generic-csv";
  for (let r = 0; r < lines.length && headerRow < 0; r++) {
    const line = lines[r]!;
    if (line.trim() === "") continue;
    const d = detectDelimiter(line);
    const cells = line.split(d).map((c) => c.trim().replace(/^"|"$/g, ""));
    const generic = cells.findIndex((c) => c === "positionMm" || c === "timeS");
    const countsCol = cells.indexOf("counts");
    if (generic >= 0 && countsCol >= 0) {
      headerRow = r;
      delim = d;
      xCol = generic;
      yCol = countsCol;
      axis = classifyAxis(cells[generic]!);
      break;
    }
    const ax = cells.length >= 2 ? classifyAxis(cells[0]!) : null;
    if (ax && cells.length >= 2 && isSignal(cells[1]!)) {
      headerRow = r;
      delim = d;
      xCol = 0;
      yCol = 1;
      axis = ax;
      format = "scanner-text";
      break;
    }
    const kv = /^\s*([^:;=\t]+?)\s*[:;=\t]\s*(.*)$/.exec(line);
    if (kv) metadata[kv[1]!] = kv[2]!.replace(/[;,\t]+$/, "").trim();
    if (r > 200) break;
  }
  if (headerRow < 0 || axis === null) {
    throw new AtsmError({
      code: "PARSE_ERROR",
      message: "no chromatogram header found",
      file: name,
      hint: "the file needs a header row 'positionMm,counts' (TLC) or 'timeS,counts' (HPLC), or a scanner export whose data block starts with e.g. 'Position [mm];Counts' or 'Time [min];CPS'",
    });
  }
  // Metadata lines are returned in `metadata`; they are not a warning. A unit conversion is worth
  // saying, because the product window (--product-time s, --roi mm/s) is given in the converted unit.
  if (axis.factor !== 1)
    warnings.push(
      `${axis.axis === "timeS" ? "times" : "positions"} converted to ${axis.axis === "timeS" ? "seconds" : "mm"} (×${axis.factor}): give --product-time / --roi in ${axis.axis === "timeS" ? "s" : "mm"}`,
    );
  const decimalComma = delim === ";" || delim === "\t";
  const headerCells = lines[headerRow]!.split(delim).length;
  const xs: number[] = [];
  const ys: number[] = [];
  for (let r = headerRow + 1; r < lines.length; r++) {
    const line = lines[r]!;
    if (line.trim() === "") continue;
    const cells = line.split(delim).map((c) => c.trim().replace(/^"|"$/g, ""));
    if (cells.length > headerCells) {
      throw new AtsmError({
        code: "PARSE_ERROR",
        message: `row has ${cells.length} cells but the header has ${headerCells}`,
        value: line,
        file: name,
        row: r + 1,
        hint:
          delim === ","
            ? "a decimal comma with ',' as delimiter? Re-export with ';' as delimiter or '.' as decimal mark"
            : "remove the extra cells or add a header for them",
      });
    }
    const parse = (cell: string | undefined, col: string): number => {
      let c = (cell ?? "").trim();
      if (decimalComma) c = c.replace(",", ".");
      const v = c === "" ? Number.NaN : Number(c);
      if (!Number.isFinite(v)) {
        const hint = "every data row needs a number in each of the two columns";
        throw new AtsmError({
          code: "PARSE_ERROR",
          message: `non-numeric ${col}`,
          value: cell ?? "",
          file: name,
          row: r + 1,
          field: col,
          hint,
        });
      }
      return v;
    };
    xs.push(parse(cells[xCol], axis.axis) * axis.factor);
    ys.push(parse(cells[yCol], "counts"));
  }
  if (xs.length === 0)
    throw new AtsmError({
      code: "PARSE_ERROR",
      message: "the chromatogram has a header but no data rows",
      file: name,
    });
  return {
    trace: { axis: axis.axis, x: Float64Array.from(xs), counts: Float64Array.from(ys) },
    format,
    metadata,
    warnings,
  };
}

/** Read a trace file from disk. */
export async function readChromatogram(path: string): Promise<ImportedTrace> {
  let buf: Buffer;
  try {
    buf = await readFile(path);
  } catch (e) {
    throw new AtsmError({
      code: "NOT_FOUND",
      message: "cannot read chromatogram file",
      file: path,
      hint: "check the path",
      cause: e,
    });
  }
  if (buf.length > MAX_BYTES) {
    throw new AtsmError({
      code: "LIMIT_EXCEEDED",
      message: `file is ${buf.length} bytes, more than the ${MAX_BYTES} allowed for a trace`,
      file: path,
    });
  }
  return parseChromatogram(buf.toString("utf8"), path);
}
