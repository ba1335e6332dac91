/**
 * `readDicom`: read a DICOM folder (recursively), one file, or a list of files, and return one
 * `LoadedSeries` per SeriesInstanceUID (sorted by SeriesNumber, then UID).
 *
 * In a folder, files without the Part-10 "DICM" magic are skipped (README, .DS_Store, ...) and so
 * are DICOM files without pixel data (DICOMDIR, SR); a malformed DICOM file is an error naming it.
 * A file given explicitly must be DICOM.
 */
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { AtsmError } from "../../core/errors.js";
import type { ProgressFn } from "../../core/types.js";
import type { LoadedSeries } from "../types.js";
import { assembleSeries } from "./assemble.js";
import { hasDicomMagic, parseDicomFile } from "./parse.js";
import type { DicomSlice } from "./slice.js";

/** Cap on the files visited under one folder (a wrong path like "/" fails fast instead of hanging). */
export const MAX_DICOM_FILES = 200_000;
/** Cap on folder nesting depth followed by the recursive walk. */
const MAX_DEPTH = 32;

export interface ReadDicomOptions {
  readonly onProgress?: ProgressFn;
}

function ioError(path: string, e: unknown): AtsmError {
  const code = (e as { code?: string }).code;
  return new AtsmError({
    code: code === "ENOENT" ? "NOT_FOUND" : "IO_ERROR",
    message: code === "ENOENT" ? "no such file or folder" : `cannot read: ${(e as Error).message}`,
    file: path,
    hint: code === "ENOENT" ? "check the path" : "check the file permissions",
  });
}

/** All regular files under `dir` (sorted, hidden entries skipped), depth-first. */
export function listFiles(dir: string, out: string[] = [], depth = 0): string[] {
  if (depth > MAX_DEPTH) return out;
  let names: string[];
  try {
    names = readdirSync(dir).sort();
  } catch (e) {
    throw ioError(dir, e);
  }
  for (const name of names) {
    if (name.startsWith(".")) continue;
    const p = join(dir, name);
    let st: ReturnType<typeof statSync>;
    try {
      st = statSync(p);
    } catch {
      continue; // dangling link
    }
    if (st.isDirectory()) listFiles(p, out, depth + 1);
    else if (st.isFile()) out.push(p);
    if (out.length > MAX_DICOM_FILES) {
      throw new AtsmError({
        code: "LIMIT_EXCEEDED",
        message: `more than ${MAX_DICOM_FILES} files under the folder`,
        file: dir,
        hint: "point at the study folder, not a whole disk",
      });
    }
  }
  return out;
}

/** Read a folder, a file, or a list of files. */
export async function readDicom(
  input: string | readonly string[],
  opts: ReadDicomOptions = {},
): Promise<LoadedSeries[]> {
  let files: string[];
  let explicit: boolean;
  const source = typeof input === "string" ? input : (input[0] ?? "");
  if (typeof input === "string") {
    let st: ReturnType<typeof statSync>;
    try {
      st = statSync(input);
    } catch (e) {
      throw ioError(input, e);
    }
    explicit = !st.isDirectory();
    files = explicit ? [input] : listFiles(input);
  } else {
    files = [...input];
    explicit = true;
  }
  const bySeries = new Map<string, DicomSlice[]>();
  const progress = opts.onProgress;
  for (let i = 0; i < files.length; i++) {
    const file = files[i]!;
    let bytes: Uint8Array;
    try {
      bytes = readFileSync(file);
    } catch (e) {
      throw ioError(file, e);
    }
    if (!explicit && !hasDicomMagic(bytes)) continue;
    const slices = parseDicomFile(bytes, file);
    if (slices === null) continue;
    for (const s of slices) {
      const list = bySeries.get(s.seriesInstanceUid);
      if (list === undefined) bySeries.set(s.seriesInstanceUid, [s]);
      else list.push(s);
    }
    if (progress !== undefined && (i & 15) === 0) progress((0.5 * i) / files.length, "reading files");
  }
  if (bySeries.size === 0) {
    throw new AtsmError({
      code: "NOT_FOUND",
      message: `no DICOM images found (${files.length} file(s) looked at)`,
      file: source,
      hint: "pass a folder or file holding DICOM image files (with the 'DICM' Part-10 header)",
    });
  }
  const totalSlices = [...bySeries.values()].reduce((a, l) => a + l.length, 0);
  let doneSlices = 0;
  const out: LoadedSeries[] = [];
  for (const slices of bySeries.values()) {
    const base = doneSlices;
    out.push(
      assembleSeries(
        slices,
        source,
        progress === undefined
          ? undefined
          : (d, t) =>
              progress(0.5 + (0.5 * (base + (d / t) * slices.length)) / totalSlices, "decoding pixels"),
      ),
    );
    doneSlices += slices.length;
  }
  const number = new Map<LoadedSeries, number>();
  for (const [uid, slices] of bySeries) {
    const s = out.find((x) => x.seriesInstanceUid === uid);
    if (s !== undefined) number.set(s, slices[0]!.seriesNumber ?? Number.MAX_SAFE_INTEGER);
  }
  out.sort(
    (a, b) =>
      number.get(a)! - number.get(b)! ||
      String(a.seriesInstanceUid).localeCompare(String(b.seriesInstanceUid)),
  );
  progress?.(1, "done");
  return out;
}
