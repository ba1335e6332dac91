/**
 * Radiolabelling batch document (POST /api/projects/:pid/radiolabel-batches): the same record as
 * `atsm radiolabel record BATCH.json --json` (decay-linked activities, yield, molar activity, QC
 * with RCP, release decision), computed from the batch JSON. The server has no file-system path
 * for `qc.trace`: its text comes inline as `qcTraceText`.
 */

import { AtsmError } from "../../core/errors.js";
import { type BatchRecordInput, buildBatchRecord, recordToJson } from "../radiolabel/record.js";
import { checkText, safeFileName, withTextFiles } from "./temp.js";

export interface RadiolabelDocumentOptions {
  /** Trace text (overrides `qcTraceText` in the JSON). */
  readonly qcTraceText?: string;
  /** Parent of the temporary folder the trace is written to (default: the OS temp folder). */
  readonly tmpDir?: string;
}

export interface ComputedDocument {
  /** Display name of the document (DocumentRow.name). */
  readonly name: string;
  /** The computed result, as the CLI's `--json` prints it (DocumentRow.result). */
  readonly result: Record<string, unknown>;
}

const isObj = (v: unknown): v is Record<string, unknown> =>
  typeof v === "object" && v !== null && !Array.isArray(v);

/**
 * Compute a batch record from the parsed batch JSON (the `atsm radiolabel record` schema, see
 * docs/radiolabel.md) plus `qcTraceText`: the text of the file `qc.trace` names. Throws an
 * AtsmError (INVALID_ARGUMENT listing every problem, MISSING_INPUT when `qc.trace` is named but
 * no text was sent, PARSE_ERROR for a bad trace, INCONSISTENT for unknown steps).
 */
export async function computeRadiolabelBatch(
  batchJson: unknown,
  opts: RadiolabelDocumentOptions = {},
): Promise<ComputedDocument> {
  if (!isObj(batchJson)) {
    throw new AtsmError({
      code: "INVALID_ARGUMENT",
      message: "the batch must be a JSON object",
      hint: "send the `atsm radiolabel record` batch JSON; see docs/radiolabel.md",
    });
  }
  const { qcTraceText: inline, ...rest } = batchJson;
  const traceText = checkText(opts.qcTraceText ?? inline, "qcTraceText", false);
  const qc = isObj(rest.qc) ? rest.qc : null;
  const named = qc !== null && typeof qc.trace === "string" && qc.trace !== "" ? qc.trace : null;
  if (named !== null && traceText === undefined) {
    throw new AtsmError({
      code: "MISSING_INPUT",
      message: `the batch names the QC trace ${JSON.stringify(named)} but its text was not sent`,
      field: "qcTraceText",
      hint: "upload the trace file's content as qcTraceText (the server cannot read file paths)",
    });
  }
  let input = rest as unknown as BatchRecordInput;
  const files: Record<string, string> = {};
  if (traceText !== undefined && qc !== null) {
    const name = safeFileName(named, "qc-trace.csv");
    files[name] = traceText;
    input = { ...input, qc: { ...(qc as unknown as BatchRecordInput["qc"]), trace: name } };
  }
  const rec = await withTextFiles(files, (dir) => buildBatchRecord(input, dir), opts.tmpDir);
  const product = typeof rest.product === "string" ? rest.product : "batch";
  return { name: `${String(rest.batchNumber)} — ${product}`, result: recordToJson(rec) };
}
