/**
 * Viewer volumes for NiiVue: gzipped NIfTI-1 written by our encoder (io/nifti/encode.ts), whose
 * sform/qform are the RAS form of our LPS grid (nibabel's rule: negate the x and y rows), so
 * NiiVue's RAS mm are our LPS mm with x and y negated.
 *
 * - PET: float32, in SUVbw when the SUV factor is known (header or SUV-unit image), else native.
 *   Dynamic PET: `frame` picks one frame (0-based); default the duration-weighted mean of all
 *   frames (the time-averaged image).
 * - CT: int16 HU when every value is an integer in range (half the bytes), else float32.
 * - Anything else: float32 native.
 */
import { promisify } from "node:util";
import zlib from "node:zlib";
import { AtsmError, isAtsmError } from "../../core/errors.js";
import type { Volume } from "../../core/types.js";
import { encodeNifti } from "../../io/nifti/index.js";
import type { LoadedSeries } from "../../io/types.js";
import { isSuvUnit } from "../../quant/scale.js";
import { computeSuvScaleFactors } from "../../quant/suv/index.js";
import { suvInstances } from "../quantify/run.js";
import type { LoadedStudy, LoadedStudySeries, ViewerInfo, VolumeInfo } from "./types.js";

/** gzip level of viewer volumes: speed over size (noisy PET floats barely compress anyway). */
const GZIP_LEVEL = 1;

const HOST_LE = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

const suvCache = new WeakMap<LoadedSeries, number | null>();

/** SUVbw per native unit of a PET series from its headers (1 for SUV images), else null. */
export function suvFactorOf(s: LoadedSeries): number | null {
  if (isSuvUnit(s.volume.unit)) return 1;
  if (s.modality !== "PT") return null;
  const hit = suvCache.get(s);
  if (hit !== undefined) return hit;
  let f: number | null = null;
  try {
    f = computeSuvScaleFactors(suvInstances(s), {}).suvBwScaleFactor;
  } catch (e) {
    if (!isAtsmError(e)) throw e;
  }
  suvCache.set(s, f);
  return f;
}

function findSeries(study: LoadedStudy, seriesId: string): LoadedStudySeries {
  const s = study.series.find((x) => x.row.id === seriesId);
  if (s === undefined) {
    throw new AtsmError({ code: "NOT_FOUND", message: "no such series in the study", value: seriesId });
  }
  return s;
}

/** The 3-D image shown for a series: the static image, one frame, or the time-averaged frames. */
function displayVolume(s: LoadedSeries, frame: number | undefined): Volume {
  const d = s.dynamic;
  if (d === null) {
    if (frame !== undefined && frame !== 0) {
      throw new AtsmError({
        code: "INVALID_ARGUMENT",
        message: "the series is static (one frame)",
        value: frame,
        field: "frame",
        hint: "leave out frame, or pass 0",
      });
    }
    return s.volume;
  }
  const n = s.volume.data.length;
  const nt = d.frameStartS.length;
  if (frame !== undefined) {
    if (!Number.isInteger(frame) || frame < 0 || frame >= nt) {
      throw new AtsmError({
        code: "INVALID_ARGUMENT",
        message: `frame must be an integer 0..${nt - 1}`,
        value: frame,
        field: "frame",
      });
    }
    return { ...s.volume, data: d.data.subarray(frame * n, (frame + 1) * n), unit: d.unit };
  }
  // Duration-weighted mean over all frames (display only; frames keep their own decay state).
  const out = new Float64Array(n);
  let total = 0;
  for (let f = 0; f < nt; f++) {
    const w = d.frameDurationS[f]! > 0 ? d.frameDurationS[f]! : 1;
    total += w;
    const off = f * n;
    for (let p = 0; p < n; p++) out[p]! += w * d.data[off + p]!;
  }
  const data = new Float32Array(n);
  for (let p = 0; p < n; p++) data[p] = out[p]! / total;
  return { ...s.volume, data, unit: d.unit };
}

/** int16 NIfTI bytes (datatype 4) when every voxel is an integer in range, else null. */
function encodeInt16(vol: Volume, description: string): Uint8Array | null {
  const src = vol.data;
  const data = new Int16Array(src.length);
  for (let p = 0; p < src.length; p++) {
    const v = src[p]!;
    if (!(v >= -32768 && v <= 32767) || Math.round(v) !== v) return null;
    data[p] = v;
  }
  // Header and geometry from our float32 encoder (no voxels), then datatype 4 / bitpix 16.
  const head = encodeNifti({ ...vol, data: new Float32Array(0) }, { description, modality: "CT" });
  const view = new DataView(head.buffer, head.byteOffset, head.byteLength);
  view.setInt16(70, 4, true); // datatype: DT_INT16
  view.setInt16(72, 16, true); // bitpix
  const out = new Uint8Array(head.length + data.byteLength);
  out.set(head, 0);
  if (HOST_LE) out.set(new Uint8Array(data.buffer), head.length);
  else {
    const dv = new DataView(out.buffer);
    for (let p = 0; p < data.length; p++) dv.setInt16(head.length + 2 * p, data[p]!, true);
  }
  return out;
}

/** Gzipped NIfTI-1 of one series for the viewer (see file comment). */
export function viewerNifti(
  study: LoadedStudy,
  seriesId: string,
  opts: { frame?: number } = {},
): { bytes: Uint8Array; unit: string; suvPerNativeUnit: number | null } {
  const v = viewerNiftiRaw(study, seriesId, opts);
  return {
    bytes: zlib.gzipSync(v.raw, { level: GZIP_LEVEL }),
    unit: v.unit,
    suvPerNativeUnit: v.suvPerNativeUnit,
  };
}

const gzipAsync = promisify(zlib.gzip);

/**
 * `viewerNifti` with the gzip step on libuv's thread pool (node:zlib async), so the event loop is
 * only held for the encoding; the bytes decompress to exactly viewerNifti's NIfTI.
 */
export async function viewerNiftiAsync(
  study: LoadedStudy,
  seriesId: string,
  opts: { frame?: number } = {},
): Promise<{ bytes: Uint8Array; unit: string; suvPerNativeUnit: number | null }> {
  const v = viewerNiftiRaw(study, seriesId, opts);
  const gz = await gzipAsync(v.raw, { level: GZIP_LEVEL });
  return {
    bytes: new Uint8Array(gz.buffer, gz.byteOffset, gz.byteLength),
    unit: v.unit,
    suvPerNativeUnit: v.suvPerNativeUnit,
  };
}

/** The uncompressed NIfTI-1 bytes of viewerNifti. */
function viewerNiftiRaw(
  study: LoadedStudy,
  seriesId: string,
  opts: { frame?: number },
): { raw: Uint8Array; unit: string; suvPerNativeUnit: number | null } {
  const s = findSeries(study, seriesId).loaded;
  const vol = displayVolume(s, opts.frame);
  const desc = s.seriesDescription;
  if (s.modality === "PT") {
    const f = suvFactorOf(s);
    let out = vol;
    if (f !== null && !isSuvUnit(vol.unit)) {
      const data = new Float32Array(vol.data.length);
      for (let p = 0; p < data.length; p++) data[p] = vol.data[p]! * f;
      out = { ...vol, data, unit: "SUVbw" };
    }
    const raw = encodeNifti(out, { description: desc, modality: "PT" });
    return { raw, unit: out.unit, suvPerNativeUnit: f };
  }
  const raw =
    (s.modality === "CT" ? encodeInt16(vol, desc) : null) ??
    encodeNifti(vol, { description: desc, modality: s.modality });
  return { raw, unit: vol.unit, suvPerNativeUnit: null };
}

function volumeInfo(s: LoadedStudySeries, unit: string): VolumeInfo {
  const v = s.loaded.volume;
  return {
    seriesId: s.row.id,
    url: `/api/series/${s.row.id}/volume.nii.gz`,
    unit,
    dims: v.dims,
    spacingMm: v.spacingMm,
    originMm: v.originMm,
    direction: Array.from(v.direction),
  };
}

/** What the viewer needs to open a study (see GET /api/studies/:id/viewer). */
export function viewerInfo(study: LoadedStudy): ViewerInfo {
  const pet = study.pet;
  const f = suvFactorOf(pet.loaded);
  const d = pet.loaded.dynamic;
  const text = `${study.row.description} ${pet.loaded.seriesDescription}`.toLowerCase();
  const site = /\b(cervix|rectum|nsclc)\b/.exec(text);
  return {
    studyId: study.studyId,
    pet: volumeInfo(pet, f !== null ? "SUVbw" : pet.loaded.volume.unit),
    ct: study.ct === null ? null : volumeInfo(study.ct, study.ct.loaded.volume.unit),
    suvPerNativeUnit: f,
    hasSuv: f !== null,
    defaultCutoff: site ? site[1]! : null,
    frames:
      d === null
        ? null
        : Array.from(d.frameStartS, (startS, index) => ({
            index,
            startS,
            durationS: d.frameDurationS[index]!,
          })),
  };
}
