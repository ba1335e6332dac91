/**
 * Assemble the slices of one series into a `LoadedSeries`: check that they share one grid, sort
 * them along the slice normal (never by InstanceNumber), group several slices at one position into
 * frames (dynamic PET), check spacing, and decode all pixels into one preallocated Float32Array.
 *
 * Geometry (see src/core/types.ts): direction columns are the ImageOrientationPatient row cosine
 * (i, along a row = increasing column index), column cosine (j) and their cross product (k, slice
 * normal); slices are sorted by IPP·normal ascending; origin = IPP of the first sorted slice;
 * spacing = [PixelSpacing[1], PixelSpacing[0], (pos_last − pos_first)/(nz−1)].
 */
import { AtsmError } from "../../core/errors.js";
import type { DynamicVolume, Volume } from "../../core/types.js";
import type { PetInstanceMetadata } from "../../quant/suv/metadata.js";
import type { LoadedSeries, SeriesModality } from "../types.js";
import { decodeSliceInto } from "./pixels.js";
import type { DicomSlice } from "./slice.js";

/** Two slices belong to one position when their IPP·normal differ by at most this, mm. */
export const POSITION_MATCH_TOL_MM = 1e-3;
/** Largest allowed deviation of one slice gap from the mean gap, mm. */
export const SLICE_SPACING_TOL_MM = 0.01;
/** Largest allowed difference between the orientation cosines of two slices (dimensionless). */
export const ORIENTATION_MATCH_TOL = 1e-4;
/** Largest in-plane offset of a slice's IPP from the stack axis (gantry tilt / shear), mm. */
export const IN_PLANE_TOL_MM = 0.01;
/** Cap on the voxels of one series (all frames): 2^29 voxels = 2 GiB of Float32. */
export const MAX_SERIES_VOXELS = 2 ** 29;

function fail(code: AtsmError["code"], message: string, file: string, field: string, hint: string): never {
  throw new AtsmError({ code, message, file, field, hint });
}

function checkSameGrid(slices: readonly DicomSlice[]): void {
  const a = slices[0]!;
  for (const b of slices) {
    if (b.rows !== a.rows || b.columns !== a.columns) {
      fail(
        "INCONSISTENT",
        `slices of series ${a.seriesInstanceUid} differ in size: ${a.columns}×${a.rows} in ${a.file} vs ${b.columns}×${b.rows} in ${b.file}`,
        b.file,
        "Rows/Columns (0028,0010/0011)",
        "remove the odd files (scout or localizer images) or split the series",
      );
    }
    if (
      Math.abs(b.pixelSpacingMm[0] - a.pixelSpacingMm[0]) > 1e-4 ||
      Math.abs(b.pixelSpacingMm[1] - a.pixelSpacingMm[1]) > 1e-4
    ) {
      fail(
        "INCONSISTENT",
        `slices of series ${a.seriesInstanceUid} differ in PixelSpacing: ${a.pixelSpacingMm.join("\\")} in ${a.file} vs ${b.pixelSpacingMm.join("\\")} in ${b.file}`,
        b.file,
        "PixelSpacing (0028,0030)",
        "remove the odd files or split the series",
      );
    }
    for (let i = 0; i < 6; i++) {
      if (Math.abs(b.orientation[i]! - a.orientation[i]!) > ORIENTATION_MATCH_TOL) {
        fail(
          "INCONSISTENT",
          `mixed orientations in series ${a.seriesInstanceUid}: ${a.orientation.join("\\")} in ${a.file} vs ${b.orientation.join("\\")} in ${b.file}`,
          b.file,
          "ImageOrientationPatient (0020,0037)",
          "the folder mixes image planes (e.g. a localizer); remove those files or split the series",
        );
      }
    }
  }
}

interface Position {
  readonly posMm: number;
  readonly slices: DicomSlice[];
}

function groupPositions(slices: readonly DicomSlice[], normal: readonly number[]): Position[] {
  const withPos = slices.map((s) => ({
    s,
    p: s.positionMm[0] * normal[0]! + s.positionMm[1] * normal[1]! + s.positionMm[2] * normal[2]!,
  }));
  withPos.sort((x, y) => x.p - y.p);
  const out: Position[] = [];
  for (const { s, p } of withPos) {
    const last = out[out.length - 1];
    if (last !== undefined && Math.abs(p - last.posMm) <= POSITION_MATCH_TOL_MM) last.slices.push(s);
    else out.push({ posMm: p, slices: [s] });
  }
  return out;
}

/**
 * Candidate frame keys of a slice, in order of preference: TemporalPositionIndex, the frame from
 * ImageIndex/NumberOfSlices (PET Image module), FrameReferenceTime, AcquisitionDateTime. A key is
 * used only when every position has distinct values of it (InstanceNumber never makes frames).
 */
function frameKeys(s: DicomSlice): (number | null)[] {
  const imageIndexFrame =
    s.imageIndex !== null && s.numberOfSlices !== null && s.numberOfSlices > 0
      ? Math.floor((s.imageIndex - 1) / s.numberOfSlices)
      : null;
  return [s.temporalPosition, imageIndexFrame, s.frameReferenceTimeMs, s.acquisitionDateTimeMs];
}

function keyDistinguishes(positions: readonly Position[], k: number): boolean {
  for (const p of positions) {
    const seen = new Set<number>();
    for (const s of p.slices) {
      const v = frameKeys(s)[k];
      if (v === null || v === undefined || seen.has(v)) return false;
      seen.add(v);
    }
  }
  return true;
}

/** Order slices at each position by frame; returns frames[f][k]. */
function splitFrames(positions: readonly Position[], uid: string): DicomSlice[][] {
  const m = positions[0]!.slices.length;
  for (const p of positions) {
    if (p.slices.length !== m) {
      const few = p.slices.length < m ? p : positions[0]!;
      const many = p.slices.length < m ? positions[0]! : p;
      const dup = m === 1 || p.slices.length > m;
      fail(
        "INCONSISTENT",
        dup
          ? `duplicate slice in series ${uid}: ${many.slices.length} images at position ${many.posMm.toFixed(3)} mm but ${few.slices.length} at ${few.posMm.toFixed(3)} mm (${many.slices.map((s) => s.file).join(", ")})`
          : `missing slice in series ${uid}: ${few.slices.length} images at position ${few.posMm.toFixed(3)} mm but ${many.slices.length} elsewhere (frames of a dynamic series must be complete)`,
        (dup ? many : few).slices[0]!.file,
        "ImagePositionPatient (0020,0032)",
        dup
          ? "remove duplicated files (same image exported twice) or split the series"
          : "copy the complete series again from the scanner or PACS",
      );
    }
  }
  if (m === 1) return [positions.map((p) => p.slices[0]!)];
  // the first frame key that tells the images at every position apart
  let keyIdx = -1;
  for (let k = 0; k < frameKeys(positions[0]!.slices[0]!).length && keyIdx < 0; k++) {
    if (keyDistinguishes(positions, k)) keyIdx = k;
  }
  if (keyIdx < 0) {
    const p = positions.find((x) => x.slices.length > 1)!;
    fail(
      "INCONSISTENT",
      `duplicate slices in series ${uid} at position ${p.posMm.toFixed(3)} mm with no distinct frame time (${p.slices.map((x) => x.file).join(", ")})`,
      p.slices[1]!.file,
      "ImagePositionPatient (0020,0032)",
      "remove duplicated files; a dynamic series needs TemporalPositionIndex, ImageIndex, FrameReferenceTime or AcquisitionTime per frame",
    );
  }
  const frames: DicomSlice[][] = Array.from({ length: m }, () => []);
  for (const p of positions) {
    const sorted = [...p.slices].sort((a, b) => frameKeys(a)[keyIdx]! - frameKeys(b)[keyIdx]!);
    for (let f = 0; f < m; f++) frames[f]!.push(sorted[f]!);
  }
  return frames;
}

function checkSpacing(positions: readonly Position[], uid: string): number {
  const nz = positions.length;
  if (nz === 1) return positions[0]!.slices[0]!.sliceThicknessMm ?? 1;
  const first = positions[0]!.posMm;
  const last = positions[nz - 1]!.posMm;
  const spacing = (last - first) / (nz - 1);
  const gaps: number[] = [];
  for (let k = 1; k < nz; k++) gaps.push(positions[k]!.posMm - positions[k - 1]!.posMm);
  const sorted = [...gaps].sort((a, b) => a - b);
  const median = sorted[Math.floor(sorted.length / 2)]!;
  for (let k = 0; k < gaps.length; k++) {
    if (gaps[k]! > 1.5 * median) {
      const a = positions[k]!;
      const b = positions[k + 1]!;
      fail(
        "INCONSISTENT",
        `missing slice(s) in series ${uid}: gap of ${gaps[k]!.toFixed(3)} mm between ${a.posMm.toFixed(3)} mm (${a.slices[0]!.file}) and ${b.posMm.toFixed(3)} mm (${b.slices[0]!.file}); usual gap ${median.toFixed(3)} mm`,
        b.slices[0]!.file,
        "ImagePositionPatient (0020,0032)",
        "copy the complete series again from the scanner or PACS",
      );
    }
  }
  for (let k = 0; k < gaps.length; k++) {
    const g = gaps[k]!;
    if (Math.abs(g - spacing) > SLICE_SPACING_TOL_MM) {
      const a = positions[k]!.slices[0]!;
      const b = positions[k + 1]!.slices[0]!;
      fail(
        "INCONSISTENT",
        `unequal slice spacing in series ${uid}: gap ${g.toFixed(4)} mm between ${a.file} and ${b.file}, mean ${spacing.toFixed(4)} mm (tolerance ${SLICE_SPACING_TOL_MM} mm)`,
        b.file,
        "ImagePositionPatient (0020,0032)",
        "variable slice spacing is not supported; resample the series to equal spacing first",
      );
    }
  }
  return spacing;
}

function checkInPlane(positions: readonly Position[], row: readonly number[], col: readonly number[]): void {
  const o = positions[0]!.slices[0]!.positionMm;
  for (const p of positions) {
    for (const s of p.slices) {
      const d = [s.positionMm[0] - o[0], s.positionMm[1] - o[1], s.positionMm[2] - o[2]];
      const u = d[0]! * row[0]! + d[1]! * row[1]! + d[2]! * row[2]!;
      const v = d[0]! * col[0]! + d[1]! * col[1]! + d[2]! * col[2]!;
      if (Math.abs(u) > IN_PLANE_TOL_MM || Math.abs(v) > IN_PLANE_TOL_MM) {
        fail(
          "UNSUPPORTED",
          `slices are not stacked along the slice normal (in-plane shift ${u.toFixed(3)}, ${v.toFixed(3)} mm: gantry tilt or sheared stack)`,
          s.file,
          "ImagePositionPatient (0020,0032)",
          "resample the series to an orthogonal grid (e.g. dcm2niix's gantry-tilt correction) first",
        );
      }
    }
  }
}

function modalityOf(m: string): SeriesModality {
  return m === "PT" || m === "CT" || m === "MR" || m === "SEG" || m === "NM" ? m : "OT";
}

function unitOf(s: DicomSlice): string {
  if (s.modality === "CT") return s.rescaleType === null || s.rescaleType === "HU" ? "HU" : s.rescaleType;
  if (s.modality === "PT") {
    const u = s.pet?.Units ?? null;
    if (u === "BQML") return "Bq/mL";
    if (u === "GML") return "SUVbw";
    return u ?? "1";
  }
  return s.rescaleType ?? "1";
}

interface FrameTiming {
  readonly frameStartS: Float64Array;
  readonly frameDurationS: Float64Array;
  readonly startEpochMs: number[] | null;
  readonly decayCorrectedToS: number | null;
}

/**
 * Frame start/duration. Start epoch = earliest AcquisitionDateTime of the frame's slices when the
 * frames have distinct acquisition times, else SeriesDateTime + the durations of earlier frames.
 * Times are seconds from the injection (RadiopharmaceuticalStartDateTime) when known, else from
 * the start of frame 0.
 */
function frameTiming(frames: readonly DicomSlice[][], warnings: string[]): FrameTiming {
  const m = frames.length;
  const dur = new Float64Array(m);
  const acq: (number | null)[] = [];
  for (let f = 0; f < m; f++) {
    const s0 = frames[f]![0]!;
    dur[f] = (s0.frameDurationMs ?? 0) / 1000; // ms -> s
    let a: number | null = null;
    for (const s of frames[f]!) {
      if (s.acquisitionDateTimeMs !== null)
        a = a === null ? s.acquisitionDateTimeMs : Math.min(a, s.acquisitionDateTimeMs);
    }
    acq.push(a);
  }
  const first = frames[0]![0]!;
  const distinct = acq.every((a) => a !== null) && new Set(acq).size === m;
  let starts: number[] | null = null;
  if (distinct) starts = acq as number[];
  else if (first.seriesDateTimeMs !== null) {
    starts = [];
    let t = first.seriesDateTimeMs;
    for (let f = 0; f < m; f++) {
      starts.push(t);
      t += dur[f]! * 1000;
    }
  } else if (m === 1 && acq[0] !== null && acq[0] !== undefined) starts = [acq[0]];
  const injection = first.pet?.RadiopharmaceuticalStartDateTimeMs ?? null;
  const ref = injection ?? starts?.[0] ?? null;
  if (m > 1 && injection === null)
    warnings.push("frame times are relative to the start of frame 0 (no injection time in the header)");
  const frameStartS = new Float64Array(m);
  if (starts !== null && ref !== null) for (let f = 0; f < m; f++) frameStartS[f] = (starts[f]! - ref) / 1000;
  else {
    let t = 0;
    for (let f = 0; f < m; f++) {
      frameStartS[f] = t;
      t += dur[f]!;
    }
  }
  let decayCorrectedToS: number | null = null;
  const dc = first.pet?.DecayCorrection ?? null;
  if (dc === "ADMIN" && injection !== null && ref !== null) decayCorrectedToS = (injection - ref) / 1000;
  else if (dc === "START" && first.seriesDateTimeMs !== null && ref !== null)
    decayCorrectedToS = (first.seriesDateTimeMs - ref) / 1000;
  return { frameStartS, frameDurationS: dur, startEpochMs: starts, decayCorrectedToS };
}

/** Build one LoadedSeries from the slices of one SeriesInstanceUID. */
export function assembleSeries(
  input: readonly DicomSlice[],
  source: string,
  onProgress?: (done: number, total: number) => void,
): LoadedSeries {
  const warnings: string[] = [];
  // drop exact duplicates (same SOPInstanceUID twice in the folder)
  const seen = new Map<string, DicomSlice>();
  const slices: DicomSlice[] = [];
  for (const s of input) {
    const key = s.sopInstanceUid === null ? null : `${s.sopInstanceUid}#${s.frameInFile}`;
    if (key !== null && seen.has(key)) {
      warnings.push(`ignored ${s.file}: same SOPInstanceUID as ${seen.get(key)!.file}`);
      continue;
    }
    if (key !== null) seen.set(key, s);
    slices.push(s);
    for (const w of s.warnings) if (warnings.length < 50 && !warnings.includes(w)) warnings.push(w);
  }
  checkSameGrid(slices);
  const a = slices[0]!;
  const uid = a.seriesInstanceUid;
  const o = a.orientation;
  const row = [o[0], o[1], o[2]];
  const col = [o[3], o[4], o[5]];
  const normal = [o[1] * o[5] - o[2] * o[4], o[2] * o[3] - o[0] * o[5], o[0] * o[4] - o[1] * o[3]];
  const positions = groupPositions(slices, normal);
  const frames = splitFrames(positions, uid);
  checkInPlane(positions, row, col);
  const dz = checkSpacing(positions, uid);
  const nx = a.columns;
  const ny = a.rows;
  const nz = positions.length;
  const m = frames.length;
  const n = nx * ny * nz;
  if (n * m > MAX_SERIES_VOXELS) {
    fail(
      "LIMIT_EXCEEDED",
      `series ${uid} has ${nx}×${ny}×${nz}×${m} = ${n * m} voxels, above the limit of ${MAX_SERIES_VOXELS}`,
      a.file,
      "Rows/Columns/NumberOfSlices",
      "crop or downsample the series before loading it",
    );
  }
  const data = new Float32Array(n * m);
  const total = n * m;
  let done = 0;
  const petInstances: PetInstanceMetadata[] = [];
  for (let f = 0; f < m; f++) {
    const frame = frames[f]!;
    for (let k = 0; k < nz; k++) {
      const s = frame[k]!;
      checkRescale(s);
      decodeSliceInto(s, data, f * n + k * nx * ny);
      if (s.pet !== null) petInstances.push(s.pet);
      done += nx * ny;
      onProgress?.(done, total);
    }
  }
  const first = frames[0]![0]!;
  const origin = first.positionMm;
  const direction = new Float64Array([
    row[0]!,
    col[0]!,
    normal[0]!,
    row[1]!,
    col[1]!,
    normal[1]!,
    row[2]!,
    col[2]!,
    normal[2]!,
  ]);
  const spacingMm = [a.pixelSpacingMm[1], a.pixelSpacingMm[0], dz] as const;
  const unit = unitOf(a);
  const volume: Volume = {
    data: m === 1 ? data : data.subarray(0, n),
    dims: [nx, ny, nz],
    spacingMm,
    originMm: [origin[0], origin[1], origin[2]],
    direction,
    unit,
  };
  if (a.numberOfTimeSlices !== null && a.numberOfTimeSlices > 0 && a.numberOfTimeSlices !== m) {
    warnings.push(`NumberOfTimeSlices (0054,0101) says ${a.numberOfTimeSlices} frames but ${m} were found`);
  }
  const timing = frameTiming(frames, warnings);
  const dynamic: DynamicVolume | null =
    m === 1
      ? null
      : {
          data,
          dims: volume.dims,
          spacingMm,
          originMm: volume.originMm,
          direction,
          unit,
          frameStartS: timing.frameStartS,
          frameDurationS: timing.frameDurationS,
          decayCorrectedToS: timing.decayCorrectedToS,
        };
  return {
    source,
    format: "dicom",
    modality: modalityOf(a.modality),
    seriesInstanceUid: uid,
    seriesDescription: a.seriesDescription,
    volume,
    dynamic,
    petInstances,
    frameStartEpochMs: timing.startEpochMs,
    warnings,
  };
}

/** Largest finite float32, 2^128·(1 − 2^−24) (IEEE 754 binary32). */
const FLOAT32_MAX = 3.4028234663852886e38;

/** Physical values must be finite in float32: bound |stored·slope + intercept| per slice before decoding. */
function checkRescale(s: DicomSlice): void {
  const bound = 2 ** s.bitsAllocated * Math.abs(s.rescaleSlope) + Math.abs(s.rescaleIntercept);
  if (!(bound < FLOAT32_MAX)) {
    throw new AtsmError({
      code: "NUMERIC",
      message: `RescaleSlope ${s.rescaleSlope} / RescaleIntercept ${s.rescaleIntercept} give voxel values beyond float32 range`,
      file: s.file,
      field: "RescaleSlope (0028,1053)",
      hint: "the rescale values in the header are corrupt; re-export the series",
    });
  }
}
