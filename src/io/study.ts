/**
 * `loadStudy(path)`: read any supported study, detecting the format, and helpers to pick the PET
 * and CT series from what was read.
 *
 * Detection (first match wins):
 * 1. a folder                                   → DICOM (recursive)
 * 2. `.nii`, `.nii.gz`                          → NIfTI (`readNifti`)
 * 3. `.hv`, `.h33`                              → Interfile 3.3 (`readInterfile`)
 * 4. `x.img.hdr`, or `x.img` with `x.img.hdr`, or a text `.hdr` → Inveon / microPET (`readInveon`)
 * 5. `.hdr`/`.img` pair with a binary header    → NIfTI/Analyze pair (`readNifti`)
 * 6. a file with the DICOM "DICM" magic, or `.dcm`/`.ima` → DICOM
 */
import { closeSync, openSync, readSync, statSync } from "node:fs";
import { AtsmError } from "../core/errors.js";
import type { ProgressFn } from "../core/types.js";
import { readDicom } from "./dicom/read.js";
import { readInterfile } from "./interfile/index.js";
import { readInveon } from "./inveon/index.js";
import { readNifti } from "./nifti/index.js";
import type { LoadedSeries, StudyFormat } from "./types.js";

export interface LoadStudyOptions {
  readonly onProgress?: ProgressFn;
}

const ACCEPTED =
  "a DICOM folder or file, .nii/.nii.gz, Inveon .img + .img.hdr, Interfile .hv/.h33, or a NIfTI .hdr/.img pair";

/** First `n` bytes of a file (fewer if it is shorter). */
function head(path: string, n: number): Uint8Array {
  const fd = openSync(path, "r");
  try {
    const buf = new Uint8Array(n);
    const got = readSync(fd, buf, 0, n, 0);
    return buf.subarray(0, got);
  } finally {
    closeSync(fd);
  }
}

function exists(path: string): boolean {
  try {
    return statSync(path).isFile();
  } catch {
    return false;
  }
}

/** True when the bytes look like text (an Inveon header), not a binary NIfTI/Analyze header. */
function looksLikeText(bytes: Uint8Array): boolean {
  if (bytes.length === 0) return false;
  let printable = 0;
  for (const b of bytes) if (b === 9 || b === 10 || b === 13 || (b >= 32 && b < 127)) printable++;
  return printable / bytes.length > 0.95;
}

/** Which reader a path needs (no file contents are decoded here). */
export function detectFormat(path: string): StudyFormat {
  let st: ReturnType<typeof statSync>;
  try {
    st = statSync(path);
  } catch {
    throw new AtsmError({
      code: "NOT_FOUND",
      message: "no such file or folder",
      file: path,
      hint: "check the path",
    });
  }
  if (st.isDirectory()) return "dicom";
  const lower = path.toLowerCase();
  if (lower.endsWith(".nii") || lower.endsWith(".nii.gz")) return "nifti";
  if (lower.endsWith(".hv") || lower.endsWith(".h33")) return "interfile";
  if (lower.endsWith(".img.hdr")) return "inveon";
  if (lower.endsWith(".img") && exists(`${path}.hdr`)) return "inveon";
  if (lower.endsWith(".hdr")) return looksLikeText(head(path, 512)) ? "inveon" : "nifti";
  if (lower.endsWith(".img") || lower.endsWith(".img.gz") || lower.endsWith(".hdr.gz")) return "nifti";
  const h = head(path, 132);
  if (h.length === 132 && h[128] === 0x44 && h[129] === 0x49 && h[130] === 0x43 && h[131] === 0x4d)
    return "dicom";
  if (lower.endsWith(".dcm") || lower.endsWith(".ima")) return "dicom";
  throw new AtsmError({
    code: "UNSUPPORTED",
    message: "unrecognised study format",
    file: path,
    hint: `pass ${ACCEPTED}`,
  });
}

/** Read every series of a study at `path` (folder or file), in the reader's order. */
export async function loadStudy(path: string, opts: LoadStudyOptions = {}): Promise<LoadedSeries[]> {
  return readStudyFormat(detectFormat(path), path, opts);
}

/** Read `path` with the reader of a known `format` (a DICOM folder or file; the main file otherwise). */
export async function readStudyFormat(
  format: StudyFormat,
  path: string,
  opts: LoadStudyOptions = {},
): Promise<LoadedSeries[]> {
  switch (format) {
    case "dicom":
      return readDicom(path, opts.onProgress === undefined ? {} : { onProgress: opts.onProgress });
    case "nifti":
      return readNifti(path);
    case "inveon":
      return readInveon(path);
    case "interfile":
      return readInterfile(path);
  }
}

export interface PickOptions {
  /** Pick this SeriesInstanceUID (DICOM) instead of choosing. */
  readonly seriesInstanceUid?: string;
}

function describeSeries(series: readonly LoadedSeries[]): string {
  return series
    .map(
      (s) =>
        `${s.modality} "${s.seriesDescription}" ${s.volume.dims.join("×")} (${s.seriesInstanceUid ?? s.source})`,
    )
    .join("; ");
}

function pick(
  series: readonly LoadedSeries[],
  modality: "PT" | "CT",
  opts: PickOptions,
  score: (s: LoadedSeries) => number,
): LoadedSeries {
  if (opts.seriesInstanceUid !== undefined) {
    const s = series.find((x) => x.seriesInstanceUid === opts.seriesInstanceUid);
    if (s === undefined) {
      throw new AtsmError({
        code: "NOT_FOUND",
        message: `no series with SeriesInstanceUID ${opts.seriesInstanceUid}`,
        hint: `series found: ${describeSeries(series) || "none"}`,
      });
    }
    return s;
  }
  const cands = series.filter((s) => s.modality === modality);
  if (cands.length === 0) {
    throw new AtsmError({
      code: "NOT_FOUND",
      message: `no ${modality === "PT" ? "PET" : "CT"} series in the study`,
      hint: `series found: ${describeSeries(series) || "none"}`,
    });
  }
  return [...cands].sort((a, b) => score(b) - score(a))[0]!;
}

function voxels(s: LoadedSeries): number {
  return s.volume.dims[0] * s.volume.dims[1] * s.volume.dims[2];
}

/**
 * The PET series to quantify: the given SeriesInstanceUID, else the PT series in Bq/mL (then any
 * unit) with the most voxels; dynamic series rank after static ones of the same size.
 * Throws NOT_FOUND listing the series when there is none.
 */
export function pickPetSeries(series: readonly LoadedSeries[], opts: PickOptions = {}): LoadedSeries {
  return pick(
    series,
    "PT",
    opts,
    (s) => (s.volume.unit === "Bq/mL" ? 4e12 : 0) + (s.dynamic === null ? 2e12 : 0) + voxels(s),
  );
}

/** The CT series: the given SeriesInstanceUID, else the CT in HU with the most voxels. */
export function pickCtSeries(series: readonly LoadedSeries[], opts: PickOptions = {}): LoadedSeries {
  return pick(series, "CT", opts, (s) => (s.volume.unit === "HU" ? 4e12 : 0) + voxels(s));
}
