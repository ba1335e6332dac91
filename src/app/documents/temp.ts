/**
 * The lab pipelines (batch record, assay) read their inputs from files. The server has texts, not
 * paths: write them into a private temporary folder, run the pipeline, remove the folder. File
 * names are reduced to a safe base name, so a name from a request can never point elsewhere, and
 * the temporary folder's path is removed from error messages.
 */
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { basename, join, sep } from "node:path";
import { AtsmError, isAtsmError } from "../../core/errors.js";

/** Largest text accepted for one input file, bytes (UTF-8). A plate or a trace is a few MB at most. */
export const MAX_DOCUMENT_TEXT_BYTES = 50 * 1024 * 1024;

/** A base name made of [A-Za-z0-9._-] (other characters become "_"), never hidden, or `fallback`. */
export function safeFileName(name: unknown, fallback: string): string {
  if (typeof name !== "string") return fallback;
  const b = basename(name.replaceAll("\\", "/"))
    .replace(/[^A-Za-z0-9._-]/g, "_")
    .replace(/^\.+/, "")
    .slice(0, 120);
  return b === "" ? fallback : b;
}

/** Check a text field: a string no longer than MAX_DOCUMENT_TEXT_BYTES. */
export function checkText(v: unknown, field: string, required: boolean): string | undefined {
  if (v === undefined || v === null) {
    if (!required) return undefined;
    throw new AtsmError({
      code: "MISSING_INPUT",
      message: `${field} is missing`,
      field,
      hint: `send the file's text as the JSON string ${field}`,
    });
  }
  if (typeof v !== "string") {
    throw new AtsmError({
      code: "INVALID_ARGUMENT",
      message: `${field} must be a string (the file's text)`,
      field,
      hint: `send the file's text as the JSON string ${field}`,
    });
  }
  if (Buffer.byteLength(v, "utf8") > MAX_DOCUMENT_TEXT_BYTES) {
    throw new AtsmError({
      code: "LIMIT_EXCEEDED",
      message: `${field} is larger than ${MAX_DOCUMENT_TEXT_BYTES} bytes`,
      field,
      hint: "check that the right file was sent",
    });
  }
  return v;
}

/**
 * Write `files` (name → text) into a new folder under `parent` (default the OS temp folder), call
 * `fn(dir)`, and remove the folder whatever happens. AtsmErrors that mention the folder are
 * re-thrown without it.
 */
export async function withTextFiles<T>(
  files: Readonly<Record<string, string>>,
  fn: (dir: string) => Promise<T>,
  parent?: string,
): Promise<T> {
  const dir = await mkdtemp(join(parent ?? tmpdir(), "atsm-doc-"));
  try {
    for (const [name, text] of Object.entries(files)) await writeFile(join(dir, name), text, "utf8");
    return await fn(dir);
  } catch (e) {
    if (isAtsmError(e) && (e.message.includes(dir) || (e.file ?? "").includes(dir))) {
      throw new AtsmError({
        code: e.code,
        message: e.message.split(`${dir}${sep}`).join("").split(dir).join(""),
        ...(e.hint !== undefined ? { hint: e.hint } : {}),
        cause: e,
      });
    }
    throw e;
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
