/**
 * Loading for the quantify use case: the PET (and CT) series of a study path, and `mask:` label
 * maps. Format readers live in io/; this file only picks series and converts label images.
 */
import { readdirSync, readFileSync, type Stats, statSync } from "node:fs";
import { basename, isAbsolute, join, resolve } from "node:path";
import { AtsmError } from "../../core/errors.js";
import { type Mask, maskOnGrid, type Volume } from "../../core/types.js";
import { readDicomSeg } from "../../io/dicom/seg.js";
import { readNifti } from "../../io/nifti/index.js";
import { loadStudy, pickCtSeries, pickPetSeries } from "../../io/study.js";
import type { LoadedSeries } from "../../io/types.js";

const NIFTI_RE = /\.(nii|nii\.gz|hdr)$/i;

function statOrThrow(path: string): Stats {
  try {
    return statSync(path);
  } catch {
    throw new AtsmError({
      code: "NOT_FOUND",
      message: "study not found",
      file: path,
      hint: "pass a DICOM folder, a NIfTI PET file (.nii/.nii.gz) or a folder of NIfTI files",
    });
  }
}

/**
 * Every series under a study path: anything `loadStudy` reads (DICOM folder/file, NIfTI, Inveon,
 * Interfile), plus a folder of NIfTI files (e.g. pet.nii.gz + pet.json + ct.nii.gz).
 */
export async function loadSeries(
  path: string,
  onProgress?: (f: number, l?: string) => void,
): Promise<LoadedSeries[]> {
  const st = statOrThrow(path);
  if (st.isFile()) return loadStudy(path, onProgress ? { onProgress } : {});
  const nifti = readdirSync(path)
    .filter((n) => NIFTI_RE.test(n) && !n.startsWith("."))
    .sort();
  if (nifti.length > 0) {
    const out: LoadedSeries[] = [];
    for (const n of nifti) out.push(...(await readNifti(join(path, n))));
    return out;
  }
  return loadStudy(path, onProgress ? { onProgress } : {});
}

function looksLike(series: LoadedSeries, word: RegExp): boolean {
  return word.test(basename(series.source)) || word.test(series.seriesDescription);
}

/** The PET series (modality PT; else a lone series or one named "pet") and the CT, if any. */
export function pickPetCt(
  series: readonly LoadedSeries[],
  path: string,
): { pet: LoadedSeries; ct: LoadedSeries | null; warnings: string[] } {
  const warnings: string[] = [];
  const pts = series.filter((s) => s.modality === "PT");
  let pet: LoadedSeries | undefined = pts.length > 0 ? pickPetSeries(series) : undefined;
  if (pts.length > 1) warnings.push(`${pts.length} PET series found; using "${pet?.seriesDescription}"`);
  if (pet === undefined) {
    pet =
      series.find((s) => looksLike(s, /\bpet|pt\b|atsm/i)) ?? (series.length === 1 ? series[0] : undefined);
    if (pet !== undefined)
      warnings.push(`no series is marked PET (modality PT); using "${pet.seriesDescription}"`);
  }
  if (pet === undefined) {
    throw new AtsmError({
      code: "NOT_FOUND",
      message: `no PET series found among ${series.length} series`,
      file: path,
      hint: "point at the PET study (DICOM modality PT, or a NIfTI PET with a BIDS sidecar)",
    });
  }
  const cts = series.filter(
    (s) => s !== pet && (s.modality === "CT" || looksLike(s, /(^|[^a-z])ct([^a-z]|$)/i)),
  );
  const ct = cts.some((s) => s.modality === "CT") ? pickCtSeries(cts) : (cts[0] ?? null);
  if (cts.length > 1) warnings.push(`${cts.length} CT series found; using "${ct?.seriesDescription}"`);
  return { pet, ct, warnings };
}

/** A label image (NIfTI) as a Mask: values rounded to integers 0..255. */
export function volumeToMask(vol: Volume, file: string): Mask {
  const data = new Uint8Array(vol.data.length);
  const labels = new Map<number, string>();
  for (let p = 0; p < vol.data.length; p++) {
    const v = Math.round(vol.data[p]!);
    if (!(v >= 0 && v <= 255)) {
      throw new AtsmError({
        code: "INVALID_ARGUMENT",
        message: "label map values must be integers 0..255",
        value: vol.data[p],
        file,
        hint: "save the VOI as an integer label map (0 = background)",
      });
    }
    data[p] = v;
    if (v !== 0 && !labels.has(v)) labels.set(v, `label ${v}`);
  }
  return maskOnGrid(vol, data, labels);
}

/** Load the label maps named by `mask:PATH` specs, keyed by PATH as written (resolved against baseDir). */
export async function loadMasks(paths: readonly string[], baseDir: string): Promise<Map<string, Mask>> {
  const out = new Map<string, Mask>();
  for (const p of paths) {
    if (out.has(p)) continue;
    const full = isAbsolute(p) ? p : resolve(baseDir, p);
    statOrThrowMask(full, p);
    if (!NIFTI_RE.test(full)) {
      const bytes = new Uint8Array(readFileSync(full));
      const isDicom = bytes.length > 132 && String.fromCharCode(...bytes.subarray(128, 132)) === "DICM";
      if (!isDicom) {
        throw new AtsmError({
          code: "UNSUPPORTED",
          message: "mask files must be NIfTI label maps (.nii/.nii.gz) or binary DICOM SEG",
          file: p,
          hint: "export the VOI from your viewer as a NIfTI label map (3D Slicer: Export to file, .nii.gz)",
        });
      }
      out.set(p, readDicomSeg(bytes, p));
      continue;
    }
    const [s] = await readNifti(full);
    if (!s) throw new AtsmError({ code: "PARSE_ERROR", message: "empty label map", file: p });
    out.set(p, volumeToMask(s.volume, p));
  }
  return out;
}

function statOrThrowMask(full: string, asWritten: string): void {
  try {
    statSync(full);
  } catch {
    throw new AtsmError({
      code: "NOT_FOUND",
      message: "mask file not found",
      file: asWritten,
      hint: "mask paths are relative to the current folder (batch: to the CSV file)",
    });
  }
}
