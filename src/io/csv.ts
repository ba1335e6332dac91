/**
 * A robust CSV reader shared by the lab importers (gamma counters, plate readers, layouts).
 *
 * - Text: UTF-8 (BOM stripped), UTF-16 LE/BE with BOM, and Latin-1 fallback for non-UTF-8 bytes
 *   (SoftMax Pro writes "¡C" for "°C", lab-formats.md §2.2).
 * - Delimiter: `,` `;` or tab, detected from the header line (outside quotes) unless given.
 * - RFC 4180 quoting: quoted fields may hold delimiters, newlines and doubled quotes.
 * - Decimal comma (`1,25` in a `;`/tab file, Excel in a German/French locale): detected and
 *   rejected with a hint unless `decimalComma: true` is passed; never silently misread.
 * - Every error names the file, 1-based line ("row") and column header.
 * Bounded: at most `maxRows` records and `maxFieldChars` per field.
 */
import { AtsmError } from "../core/errors.js";

export type CsvDelimiter = "," | ";" | "\t";

export interface CsvOptions {
  /** File name for messages. */
  readonly file?: string;
  /** Force the delimiter instead of detecting it. */
  readonly delimiter?: CsvDelimiter;
  /** Numbers use a decimal comma ("1,25") in `;`/tab files; ignored for comma-delimited files. */
  readonly decimalComma?: boolean;
  /** Cap on data rows (default 1,000,000). */
  readonly maxRows?: number;
  /** Cap on one field's length (default 100,000 characters). */
  readonly maxFieldChars?: number;
  /** Name of the CLI flag that sets decimalComma, used in hints (default "--decimal-comma"). */
  readonly decimalCommaFlag?: string;
}

/** One data record: its 1-based line number in the file (where it starts) and its cells. */
export interface CsvRow {
  readonly line: number;
  readonly cells: readonly string[];
}

const DELIM_NAMES: Record<CsvDelimiter, string> = { ",": "comma", ";": "semicolon", "\t": "tab" };

/** Decode file bytes to text: BOM-aware UTF-8/UTF-16, Latin-1 fallback. */
export function decodeText(bytes: Uint8Array): string {
  if (bytes.length >= 2 && bytes[0] === 0xff && bytes[1] === 0xfe)
    return new TextDecoder("utf-16le").decode(bytes.subarray(2));
  if (bytes.length >= 2 && bytes[0] === 0xfe && bytes[1] === 0xff)
    return new TextDecoder("utf-16be").decode(bytes.subarray(2));
  const start = bytes.length >= 3 && bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf ? 3 : 0;
  try {
    return new TextDecoder("utf-8", { fatal: true }).decode(bytes.subarray(start));
  } catch {
    return new TextDecoder("latin1").decode(bytes.subarray(start));
  }
}

/** Split text into records (arrays of raw fields), tracking the starting line of each record. */
function tokenize(
  text: string,
  delim: string,
  file: string | undefined,
  maxRows: number,
  maxField: number,
): CsvRow[] {
  const rows: CsvRow[] = [];
  let cells: string[] = [];
  let field = "";
  let line = 1;
  let recordLine = 1;
  let i = 0;
  const n = text.length;
  const err = (message: string, hint: string, at: number): AtsmError =>
    new AtsmError({ code: "PARSE_ERROR", message, row: at, hint, ...(file !== undefined ? { file } : {}) });
  const endField = (): void => {
    cells.push(field);
    field = "";
  };
  const endRecord = (): void => {
    endField();
    if (!(cells.length === 1 && cells[0]!.trim() === "")) {
      if (rows.length >= maxRows + 1)
        throw new AtsmError({
          code: "LIMIT_EXCEEDED",
          message: `CSV has more than ${maxRows} rows`,
          ...(file !== undefined ? { file } : {}),
          hint: "split the file or raise maxRows",
        });
      rows.push({ line: recordLine, cells });
    }
    cells = [];
  };
  while (i < n) {
    const ch = text[i]!;
    if (ch === '"' && field.trim() === "") {
      // quoted field
      const startLine = line;
      field = "";
      i++;
      let closed = false;
      while (i < n) {
        const c = text[i]!;
        if (c === '"') {
          if (text[i + 1] === '"') {
            field += '"';
            i += 2;
            continue;
          }
          closed = true;
          i++;
          break;
        }
        if (c === "\n" || (c === "\r" && text[i + 1] !== "\n")) line++;
        field += c;
        if (field.length > maxField)
          throw err(`field longer than ${maxField} characters`, "check for an unbalanced quote", startLine);
        i++;
      }
      if (!closed)
        throw err("unterminated quoted field", 'close the quote (write "" for a literal quote)', startLine);
      // only spaces may follow before the delimiter / end of line
      while (i < n && (text[i] === " " || text[i] === "\t") && text[i] !== delim) i++;
      if (i < n && text[i] !== delim && text[i] !== "\n" && text[i] !== "\r")
        throw err(
          `unexpected character ${JSON.stringify(text[i])} after a closing quote`,
          'quote the whole field and double inner quotes ("")',
          line,
        );
      continue;
    }
    if (ch === delim) {
      endField();
      i++;
      continue;
    }
    if (ch === "\n" || ch === "\r") {
      endRecord();
      i += ch === "\r" && text[i + 1] === "\n" ? 2 : 1;
      line++;
      recordLine = line;
      continue;
    }
    field += ch;
    if (field.length > maxField)
      throw err(`field longer than ${maxField} characters`, "is this a CSV file?", line);
    i++;
  }
  if (field !== "" || cells.length > 0) endRecord();
  return rows;
}

/** Detect the delimiter from the first non-empty line: the most frequent of , ; tab outside quotes. */
export function detectDelimiter(text: string): CsvDelimiter {
  let inQuote = false;
  const count: Record<CsvDelimiter, number> = { ",": 0, ";": 0, "\t": 0 };
  let seen = false;
  for (let i = 0; i < text.length && i < 100_000; i++) {
    const c = text[i]!;
    if (c === '"') inQuote = !inQuote;
    else if (!inQuote && (c === "\n" || c === "\r")) {
      if (seen) break;
      continue;
    } else if (!inQuote && (c === "," || c === ";" || c === "\t")) count[c]++;
    if (c.trim() !== "") seen = true;
  }
  let best: CsvDelimiter = ",";
  for (const d of [";", "\t"] as const) if (count[d] > count[best]) best = d;
  return best;
}

const NUMBER_RE = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;
const DECIMAL_COMMA_RE = /^[+-]?\d+,\d+([eE][+-]?\d+)?$/;

/** A parsed CSV file with a header row; cells are looked up by column name. */
export class CsvTable {
  readonly file: string | undefined;
  readonly delimiter: CsvDelimiter;
  readonly decimalComma: boolean;
  readonly header: readonly string[];
  /** 1-based line of the header. */
  readonly headerLine: number;
  readonly rows: readonly CsvRow[];
  private readonly decimalCommaFlag: string;
  private readonly lower: readonly string[];

  constructor(init: {
    file: string | undefined;
    delimiter: CsvDelimiter;
    decimalComma: boolean;
    header: readonly string[];
    headerLine: number;
    rows: readonly CsvRow[];
    decimalCommaFlag: string;
  }) {
    this.file = init.file;
    this.delimiter = init.delimiter;
    this.decimalComma = init.decimalComma;
    this.header = init.header;
    this.headerLine = init.headerLine;
    this.rows = init.rows;
    this.decimalCommaFlag = init.decimalCommaFlag;
    this.lower = init.header.map((h) => h.trim().toLowerCase());
  }

  private loc(): { file?: string } {
    return this.file !== undefined ? { file: this.file } : {};
  }

  /** True when a column with this name exists (case-insensitive, trimmed). */
  has(name: string): boolean {
    return this.lower.includes(name.toLowerCase());
  }

  /** Index of a column; throws MISSING_INPUT naming the found headers when absent. */
  column(name: string, hint?: string): number {
    const i = this.lower.indexOf(name.toLowerCase());
    if (i < 0) {
      throw new AtsmError({
        code: "MISSING_INPUT",
        message: `CSV has no column ${JSON.stringify(name)}`,
        field: name,
        row: this.headerLine,
        ...this.loc(),
        hint:
          hint ??
          `the header must name the column ${name}; found: ${this.header.map((h) => JSON.stringify(h)).join(", ")} (delimiter detected: ${DELIM_NAMES[this.delimiter]})`,
      });
    }
    return i;
  }

  /** Index of an optional column, or -1. */
  optionalColumn(name: string): number {
    return this.lower.indexOf(name.toLowerCase());
  }

  /** Trimmed text of a cell ("" when the row is short). */
  text(row: CsvRow, col: number): string {
    return (row.cells[col] ?? "").trim();
  }

  /** Required non-empty text. */
  requiredText(row: CsvRow, col: number): string {
    const t = this.text(row, col);
    if (t === "") {
      throw new AtsmError({
        code: "MISSING_INPUT",
        message: `empty cell in column ${this.header[col]}`,
        row: row.line,
        field: this.header[col] ?? `column ${col + 1}`,
        ...this.loc(),
        hint: `fill in ${this.header[col]} on line ${row.line}`,
      });
    }
    return t;
  }

  /** Parse a number, or null for an empty cell. Throws PARSE_ERROR naming row and column otherwise. */
  optionalNumber(row: CsvRow, col: number): number | null {
    const t = this.text(row, col);
    if (t === "") return null;
    return this.parseNumber(t, row, col);
  }

  /** A required number. */
  number(row: CsvRow, col: number): number {
    const v = this.optionalNumber(row, col);
    if (v === null) this.requiredText(row, col);
    return v!;
  }

  private parseNumber(t: string, row: CsvRow, col: number): number {
    const field = this.header[col] ?? `column ${col + 1}`;
    let s = t;
    if (DECIMAL_COMMA_RE.test(s)) {
      if (!this.decimalComma) {
        throw new AtsmError({
          code: "PARSE_ERROR",
          message: `decimal comma in column ${field}`,
          value: t,
          row: row.line,
          field,
          ...this.loc(),
          hint: `the file writes numbers with a decimal comma; pass ${this.decimalCommaFlag} to read "1,5" as 1.5, or re-export with a decimal point`,
        });
      }
      s = s.replace(",", ".");
    } else if (this.decimalComma && s.includes(".") && s.includes(",")) {
      s = "!"; // "1.234,5": thousands separators are ambiguous; reject below
    }
    if (!NUMBER_RE.test(s)) {
      throw new AtsmError({
        code: "PARSE_ERROR",
        message: `not a number in column ${field}`,
        value: t,
        row: row.line,
        field,
        ...this.loc(),
        hint: `write a plain number (e.g. 1234.5) on line ${row.line}, column ${field}; no units, thousands separators or text`,
      });
    }
    const v = Number(s);
    if (!Number.isFinite(v)) {
      throw new AtsmError({
        code: "PARSE_ERROR",
        message: `number out of range in column ${field}`,
        value: t,
        row: row.line,
        field,
        ...this.loc(),
        hint: "values must be finite",
      });
    }
    return v;
  }
}

/**
 * Parse CSV text with a header row. `headerMatch`, when given, picks the header as the first
 * line whose cells satisfy it (instrument exports with preamble lines); otherwise line 1.
 */
export function parseCsv(
  text: string,
  options: CsvOptions & { headerMatch?: (cells: readonly string[]) => boolean } = {},
): CsvTable {
  const file = options.file;
  const body = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  const delimiter = options.delimiter ?? detectDelimiter(body);
  // `--decimal-comma` describes the semicolon/tab files of a run (a European counter export); a
  // comma-delimited file in the same run (the layout) cannot hold a decimal comma, so it is read
  // with a decimal point rather than refused. A quoted "1,5" there is still rejected below.
  const decimalComma = (options.decimalComma ?? false) && delimiter !== ",";
  const decimalCommaFlag = options.decimalCommaFlag ?? "--decimal-comma";
  const maxRows = options.maxRows ?? 1_000_000;
  const all = tokenize(body, delimiter, file, maxRows, options.maxFieldChars ?? 100_000);
  let h = 0;
  if (options.headerMatch) {
    h = all.findIndex((r) => options.headerMatch!(r.cells.map((c) => c.trim())));
    if (h < 0) {
      throw new AtsmError({
        code: "PARSE_ERROR",
        message: "no header row with the expected column names",
        ...(file !== undefined ? { file } : {}),
        hint: "check that this is the right kind of file",
      });
    }
  }
  const headerRow = all[h];
  if (headerRow === undefined) {
    throw new AtsmError({
      code: "PARSE_ERROR",
      message: "CSV file is empty",
      ...(file !== undefined ? { file } : {}),
      hint: "the first line must be a header naming the columns",
    });
  }
  const header = headerRow.cells.map((c) => c.trim());
  const rows: CsvRow[] = [];
  for (const r of all.slice(h + 1)) {
    if (r.cells.every((c) => c.trim() === "")) continue; // ",,,," rows from spreadsheets
    if (r.cells.length > header.length && r.cells.slice(header.length).some((c) => c.trim() !== "")) {
      const commaHint =
        delimiter === ","
          ? `; if the numbers use a decimal comma, the file must be semicolon- or tab-delimited (pass ${decimalCommaFlag})`
          : "";
      throw new AtsmError({
        code: "PARSE_ERROR",
        message: `row has ${r.cells.length} fields but the header has ${header.length}`,
        row: r.line,
        ...(file !== undefined ? { file } : {}),
        hint: `check the delimiter (detected: ${DELIM_NAMES[delimiter]}) and quoting on line ${r.line}${commaHint}`,
      });
    }
    rows.push(r);
  }
  return new CsvTable({
    file,
    delimiter,
    decimalComma,
    header,
    headerLine: headerRow.line,
    rows,
    decimalCommaFlag,
  });
}
