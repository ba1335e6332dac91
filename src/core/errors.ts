/**
 * The one error type of the Workbench.
 *
 * Every failure a user can cause (bad file, bad flag, bad value) is an `AtsmError` with a stable
 * machine-readable `code`, a message that names the bad field, its value and where it was found,
 * and a `hint` that says how to fix it. The CLI prints `message` + `hint` and exits non-zero; the
 * server maps `code` to an HTTP 4xx status.
 */

/** Stable error codes. Add new codes here; never rename one (scripts and the server key on them). */
export type AtsmErrorCode =
  | "INVALID_ARGUMENT" // a flag or parameter value is malformed or out of range
  | "MISSING_INPUT" // a required value is absent (header field, flag)
  | "UNKNOWN_NUCLIDE"
  | "PARSE_ERROR" // a file is malformed
  | "TRUNCATED" // a file ends before its header says it should
  | "UNSUPPORTED" // a valid but unsupported variant (e.g. compressed transfer syntax)
  | "INCONSISTENT" // parts of the input disagree (slice spacing, frame count, ...)
  | "LIMIT_EXCEEDED" // input exceeds a safety cap (decompressed size, voxel count)
  | "NOT_FOUND" // file or record not found
  | "EMPTY_VOI"
  | "NUMERIC" // NaN/Inf or a computation that cannot give a finite number
  | "IO_ERROR"
  | "UNAUTHENTICATED" // no valid session (HTTP 401)
  | "FORBIDDEN" // signed in but the role does not allow the action (HTTP 403)
  | "CONFLICT"; // the change clashes with existing data, e.g. a duplicate name (HTTP 409)

/** Where in the input a problem was found (all optional, fill what is known). */
export interface ErrorLocation {
  /** File path or name. */
  readonly file?: string;
  /** Field, tag, keyword, column or flag. */
  readonly field?: string;
  /** Byte offset in the file. */
  readonly byteOffset?: number;
  /** 1-based row (CSV) or line number. */
  readonly row?: number;
}

export interface AtsmErrorInit extends ErrorLocation {
  readonly code: AtsmErrorCode;
  readonly message: string;
  /** How to fix it, addressed to the user ("pass --weight-kg", "re-export as ..."). */
  readonly hint?: string;
  /** The offending value, shown in the message by `describe`. */
  readonly value?: unknown;
  readonly cause?: unknown;
}

export class AtsmError extends Error {
  readonly code: AtsmErrorCode;
  readonly hint: string | undefined;
  readonly file: string | undefined;
  readonly field: string | undefined;
  readonly byteOffset: number | undefined;
  readonly row: number | undefined;
  readonly value: unknown;

  constructor(init: AtsmErrorInit) {
    super(formatMessage(init), init.cause === undefined ? undefined : { cause: init.cause });
    this.name = "AtsmError";
    this.code = init.code;
    this.hint = init.hint;
    this.file = init.file;
    this.field = init.field;
    this.byteOffset = init.byteOffset;
    this.row = init.row;
    this.value = init.value;
  }

  /** Plain-data form for JSON output and HTTP responses. */
  toJSON(): Record<string, unknown> {
    return {
      code: this.code,
      message: this.message,
      hint: this.hint,
      file: this.file,
      field: this.field,
      byteOffset: this.byteOffset,
      row: this.row,
    };
  }
}

function formatMessage(init: AtsmErrorInit): string {
  const where: string[] = [];
  if (init.file !== undefined) where.push(init.file);
  if (init.row !== undefined) where.push(`row ${init.row}`);
  if (init.field !== undefined) where.push(`field ${init.field}`);
  if (init.byteOffset !== undefined) where.push(`byte ${init.byteOffset}`);
  const loc = where.length > 0 ? ` (${where.join(", ")})` : "";
  const value = init.value === undefined ? "" : `: ${showValue(init.value)}`;
  return `${init.message}${value}${loc}`;
}

function showValue(v: unknown): string {
  if (typeof v === "string") return JSON.stringify(v.length > 80 ? `${v.slice(0, 77)}...` : v);
  if (typeof v === "number" || typeof v === "boolean" || v === null) return String(v);
  try {
    const s = JSON.stringify(v);
    return s.length > 80 ? `${s.slice(0, 77)}...` : s;
  } catch {
    return String(v);
  }
}

/** True for an `AtsmError` (also across realms / worker boundaries by duck typing on `code`). */
export function isAtsmError(e: unknown): e is AtsmError {
  return e instanceof AtsmError || (e instanceof Error && e.name === "AtsmError" && "code" in e);
}

/** Issue collected by a validator before one `AtsmError` is thrown (zod-like). */
export interface ValidationIssue {
  readonly code: AtsmErrorCode;
  readonly path: string;
  readonly message: string;
}

/** Throw one `AtsmError` summarising all collected issues; no-op when `issues` is empty. */
export function throwIfIssues(
  issues: readonly ValidationIssue[],
  context: { file?: string; hint?: string },
): void {
  if (issues.length === 0) return;
  const first = issues[0]!;
  const rest =
    issues.length > 1
      ? ` (and ${issues.length - 1} more: ${issues
          .slice(1, 6)
          .map((i) => `${i.path}: ${i.message}`)
          .join("; ")})`
      : "";
  throw new AtsmError({
    code: first.code,
    message: `${first.path}: ${first.message}${rest}`,
    field: first.path,
    ...(context.file !== undefined ? { file: context.file } : {}),
    ...(context.hint !== undefined ? { hint: context.hint } : {}),
  });
}
