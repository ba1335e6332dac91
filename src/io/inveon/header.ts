/**
 * Siemens Inveon / Concorde microPET text header (`<name>.img.hdr`): one `key value...` per line,
 * `#` starts a comment line, the main block comes first, then one block per frame starting with
 * `frame N`; blocks end with `end_of_header`. Facts from the Concorde/Inveon header readers in
 * MINC's upet2mnc.c and preclinical-imaging/pixi-inveon (inveon.py); see docs/formats-nifti.md.
 */
import { AtsmError } from "../../core/errors.js";

export interface InveonField {
  readonly value: string;
  /** 1-based line number in the header. */
  readonly line: number;
}

export interface InveonHeader {
  readonly main: ReadonlyMap<string, InveonField>;
  readonly frames: ReadonlyArray<{
    readonly index: number;
    readonly line: number;
    readonly fields: ReadonlyMap<string, InveonField>;
  }>;
}

/** Most header lines accepted (a real header has a few hundred plus ~30 per frame). */
const MAX_LINES = 2_000_000;

export function parseInveonHeader(text: string, file: string): InveonHeader {
  const lines = text.split(/\r?\n/);
  if (lines.length > MAX_LINES) {
    throw new AtsmError({
      code: "LIMIT_EXCEEDED",
      message: `Inveon header has ${lines.length} lines, more than ${MAX_LINES}`,
      file,
      hint: "this is not an Inveon header",
    });
  }
  const main = new Map<string, InveonField>();
  const frames: Array<{ index: number; line: number; fields: Map<string, InveonField> }> = [];
  let current: Map<string, InveonField> | null = null;
  let sawKey = false;
  for (let n = 0; n < lines.length; n++) {
    const raw = lines[n]!.trim();
    if (raw === "" || raw.startsWith("#")) continue;
    if (raw.includes("\u0000")) {
      throw new AtsmError({
        code: "PARSE_ERROR",
        message: "Inveon header contains binary data",
        file,
        row: n + 1,
        hint: "pass the text .hdr file (or the .img next to it), not another binary file",
      });
    }
    const m = /^(\S+)\s*(.*)$/.exec(raw);
    if (!m) continue;
    const key = m[1]!;
    const value = m[2]!.trim();
    if (key === "end_of_header") {
      current = null;
      continue;
    }
    if (key === "frame") {
      const idx = Number(value);
      if (!Number.isInteger(idx) || idx < 0) {
        throw new AtsmError({
          code: "PARSE_ERROR",
          message: "frame number must be a non-negative integer",
          value,
          file,
          field: "frame",
          row: n + 1,
          hint: "the header is corrupt",
        });
      }
      current = new Map();
      frames.push({ index: idx, line: n + 1, fields: current });
      continue;
    }
    if (!/^[A-Za-z_][A-Za-z0-9_:]*$/.test(key)) {
      throw new AtsmError({
        code: "PARSE_ERROR",
        message: "not an Inveon header line (expected `key value`)",
        value: raw,
        file,
        row: n + 1,
        hint: "check that this is the .hdr text header of an Inveon/microPET image",
      });
    }
    sawKey = true;
    (current ?? main).set(key, { value, line: n + 1 });
  }
  if (!sawKey || !main.has("x_dimension")) {
    throw new AtsmError({
      code: "PARSE_ERROR",
      message: "not an Inveon/microPET header: no x_dimension",
      file,
      field: "x_dimension",
      hint: "check that this is the .hdr text header of an Inveon/microPET image",
    });
  }
  return { main, frames };
}
