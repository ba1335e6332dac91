/**
 * Batch quantification from a CSV with one study per row. Columns (header names, case-insensitive):
 * `study`, `tumor`, `reference` (required), `cutoff`, `window`, `ct`, `id` and the SUV overrides
 * `weight-kg`, `height-cm`, `sex`, `dose-mbq`, `dose`, `injection-time`, `half-life`, `nuclide`,
 * `scan-time` (optional; `_` may replace `-`; `weight` and `height` are read as kg and cm). Relative paths (study, ct, mask: VOIs) are resolved
 * against the CSV's folder. A failing row fills the `error` column; the batch goes on.
 */
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { basename, dirname, join, resolve } from "node:path";
import { AtsmError, isAtsmError } from "../../core/errors.js";
import type { ProgressFn } from "../../core/types.js";
import { decodeText, parseCsv } from "../../io/csv.js";
import { type Cell, flattenResult, toCsv } from "./flatten.js";
import { writeQuantifyOutputs } from "./outputs.js";
import { parseSuvOverrides } from "./overrides.js";
import { quantifyStudy } from "./run.js";

export interface BatchOptions {
  /** Folder for batch-results.csv and one sub-folder of outputs per study; default: the CSV's folder (no per-study outputs). */
  readonly outDir?: string;
  readonly onProgress?: ProgressFn;
}

export interface BatchResult {
  readonly columns: readonly string[];
  readonly rows: readonly Record<string, Cell>[];
  readonly failed: number;
  /** Path of batch-results.csv. */
  readonly resultsPath: string;
  readonly csv: string;
}

const LEAD = ["row", "id", "study", "status", "error"];

function safeName(s: string): string {
  return s.replace(/[^A-Za-z0-9._-]+/g, "_").slice(0, 80) || "study";
}

/** Run every row of the batch CSV (see file comment). Throws only when the CSV itself is unusable. */
export async function runBatch(csvPath: string, opts: BatchOptions = {}): Promise<BatchResult> {
  let text: string;
  try {
    text = decodeText(new Uint8Array(readFileSync(csvPath)));
  } catch (e) {
    throw new AtsmError({
      code: "NOT_FOUND",
      message: `cannot read the batch CSV: ${(e as Error).message}`,
      file: csvPath,
      hint: "pass --batch studies.csv with columns study,tumor,reference[,cutoff,...]",
    });
  }
  const table = parseCsv(text, { file: csvPath });
  const hint =
    "the batch CSV needs columns study, tumor, reference (optional: cutoff, window, ct, id, weight-kg, dose-mbq, injection-time, ...)";
  const cStudy = table.column("study", hint);
  const cTumor = table.column("tumor", hint);
  const cRef = table.column("reference", hint);
  const ALIASES: Record<string, string> = { "weight-kg": "weight", "height-cm": "height" };
  const col = (name: string) => {
    for (const n of [name, name.replace(/-/g, "_"), ALIASES[name]]) {
      const a = n === undefined ? -1 : table.optionalColumn(n);
      if (a >= 0) return a;
    }
    return -1;
  };
  const base = dirname(resolve(csvPath));
  const outDir = opts.outDir === undefined ? base : resolve(opts.outDir);
  const progress = opts.onProgress ?? (() => {});
  const rows: Record<string, Cell>[] = [];
  const extra = new Set<string>();
  const usedIds = new Set<string>();
  let failed = 0;
  for (let n = 0; n < table.rows.length; n++) {
    const row = table.rows[n]!;
    const cell = (c: number) => (c >= 0 ? table.text(row, c) : "");
    const study = cell(cStudy);
    let id = cell(col("id")) || safeName(basename(study.replace(/\/+$/, "")));
    if (usedIds.has(id)) id = `${id}-${row.line}`;
    usedIds.add(id);
    const out: Record<string, Cell> = { row: row.line, id, study, status: "ok", error: null };
    progress(n / table.rows.length, id);
    try {
      if (study === "") {
        throw new AtsmError({
          code: "MISSING_INPUT",
          message: "empty study cell",
          field: "study",
          row: row.line,
          file: csvPath,
        });
      }
      const overrides = parseSuvOverrides((k) => {
        const c = col(k);
        return c >= 0 ? cell(c) : undefined;
      }, "column ");
      const cutoff = cell(col("cutoff"));
      const window = cell(col("window"));
      const ct = cell(col("ct"));
      const { result, images } = await quantifyStudy({
        study: resolve(base, study),
        tumor: cell(cTumor),
        reference: cell(cRef),
        ...(cutoff ? { cutoff } : {}),
        ...(window ? { window } : {}),
        ...(ct ? { ct: resolve(base, ct) } : {}),
        overrides,
        baseDir: base,
      });
      if (opts.outDir !== undefined) await writeQuantifyOutputs(join(outDir, safeName(id)), result, images);
      const flat = flattenResult(result);
      for (const k of Object.keys(flat)) extra.add(k);
      Object.assign(out, flat);
    } catch (e) {
      failed++;
      out.status = "error";
      out.error = isAtsmError(e)
        ? `${e.message}${e.hint ? ` (hint: ${e.hint})` : ""}`
        : `internal error: ${(e as Error)?.message ?? String(e)}`;
    }
    rows.push(out);
  }
  progress(1, "done");
  const columns = [...LEAD, ...[...extra].filter((c) => !LEAD.includes(c))];
  const csv = toCsv(columns, rows);
  const resultsPath = join(outDir, "batch-results.csv");
  try {
    mkdirSync(outDir, { recursive: true });
    writeFileSync(resultsPath, csv);
  } catch (e) {
    throw new AtsmError({
      code: "IO_ERROR",
      message: `cannot write batch-results.csv: ${(e as Error).message}`,
      file: resultsPath,
      hint: "choose a writable folder with --out",
    });
  }
  return { columns, rows, failed, resultsPath, csv };
}
