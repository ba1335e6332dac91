/**
 * Interfile 3.3 text headers (`.hv`, `.h33`): `key := value` lines; `;` starts a comment; keys
 * may start with `!` (required keys) and are compared case-insensitively with spaces collapsed
 * (`!matrix size [1]` = `matrix size[1]`). Reference: Todd-Pokropek, Cradduck & Deconinck,
 * "A file format for the exchange of nuclear medicine image data: a specification of Interfile
 * version 3.3", Nucl Med Commun 1992;13:673-699; STIR's Interfile keys (first pixel offset,
 * image relative start time) from UCL/STIR examples.
 */
import { AtsmError } from "../../core/errors.js";

export interface InterfileField {
  readonly value: string;
  /** 1-based line number. */
  readonly line: number;
}

/** Normalise a key: lower case, no "!", single spaces, no space before "[". */
export function normaliseInterfileKey(key: string): string {
  return key
    .replace(/^!/, "")
    .toLowerCase()
    .replace(/\s+/g, " ")
    .replace(/\s*\[\s*/g, "[")
    .replace(/\s*\]/g, "]")
    .trim();
}

const MAX_LINES = 1_000_000;

/** Parse the header into a key → field map (last value wins). */
export function parseInterfileHeader(text: string, file: string): ReadonlyMap<string, InterfileField> {
  const lines = text.split(/\r?\n|\r/);
  if (lines.length > MAX_LINES) {
    throw new AtsmError({
      code: "LIMIT_EXCEEDED",
      message: `Interfile header has more than ${MAX_LINES} lines`,
      file,
      hint: "this is not an Interfile header",
    });
  }
  const out = new Map<string, InterfileField>();
  let first = true;
  for (let n = 0; n < lines.length; n++) {
    const line = lines[n]!;
    const noComment = line.trimStart().startsWith(";") ? "" : line;
    if (noComment.trim() === "") continue;
    if (noComment.includes("\u0000")) {
      throw new AtsmError({
        code: "PARSE_ERROR",
        message: "Interfile header contains binary data",
        file,
        row: n + 1,
        hint: "pass the text header (.hv/.h33), not the data file",
      });
    }
    const i = noComment.indexOf(":=");
    if (first) {
      if (i < 0 || normaliseInterfileKey(noComment.slice(0, i)) !== "interfile") {
        throw new AtsmError({
          code: "PARSE_ERROR",
          message: "not an Interfile header: the first line must be `!INTERFILE :=`",
          value: line.slice(0, 40),
          file,
          row: n + 1,
          hint: "pass an Interfile 3.3 header (.hv or .h33)",
        });
      }
      first = false;
    }
    if (i < 0) continue;
    const key = normaliseInterfileKey(noComment.slice(0, i));
    let value = noComment.slice(i + 2).trim();
    const sc = value.indexOf(";");
    if (sc >= 0) value = value.slice(0, sc).trim();
    out.set(key, { value, line: n + 1 });
  }
  if (first) {
    throw new AtsmError({
      code: "PARSE_ERROR",
      message: "empty Interfile header",
      file,
      hint: "pass an Interfile 3.3 header (.hv or .h33)",
    });
  }
  return out;
}
