/**
 * `writeDicomSeries`: write a Volume or DynamicVolume as a DICOM series, one file per slice (per
 * frame), Explicit VR Little Endian, signed 16-bit stored values with a RescaleSlope per slice.
 *
 * - PT: PET Image Storage (PS3.3 A.21), ImageType DERIVED\PRIMARY, Units BQML (Bq/mL) or GML
 *   (SUVbw, g/mL; SUVType BW), DecayCorrection, CorrectedImage, RadiopharmaceuticalInformation
 *   Sequence with the CID 4020 nuclide code, dose, start date-time, half-life; patient weight/size.
 * - CT: CT Image Storage (PS3.3 A.3), values in HU, ImageType DERIVED\SECONDARY\AXIAL.
 *
 * Stored value = round(value / slope) with slope = max|value in slice| / 32767, written as DS and
 * re-read so stored·slope is exactly what any reader computes (RescaleIntercept 0; CT slices whose
 * values are integers in int16 range keep slope 1). Quantisation error ≤ slope/2 per voxel.
 */
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { AtsmError } from "../../core/errors.js";
import type { DynamicVolume, ProgressFn, Volume } from "../../core/types.js";
import { formatDicomDateTime } from "./datetime.js";
import { type DicomElement, type DicomItem, el, encodePart10, formatDS } from "./encode.js";
import { CODED_NUCLIDES, nuclideCode } from "./nuclide-codes.js";
import { isValidUid, newUid, uidFromSeed } from "./uid.js";

/** SOP classes (PS3.4 Table B.5-1). */
export const PET_IMAGE_STORAGE = "1.2.840.10008.5.1.4.1.1.128";
export const CT_IMAGE_STORAGE = "1.2.840.10008.5.1.4.1.1.2";

export interface DicomPatient {
  /** PN, e.g. "Twin^Mouse01". Default "Anonymous^Patient". */
  readonly name?: string;
  readonly id?: string;
  /** YYYYMMDD. */
  readonly birthDate?: string;
  readonly sex?: "M" | "F" | "O";
  readonly weightKg?: number;
  readonly heightM?: number;
}

export interface DicomPetInfo {
  /** Nuclide like "Cu-64" (CID 4020 code written when known). */
  readonly nuclide: string;
  readonly halfLifeS: number;
  readonly injectedActivityBq: number;
  /** Injection (radiopharmaceutical start) date-time, epoch ms (written as UTC DA/TM/DT). */
  readonly injectionDateTimeMs: number;
  /** Acquisition (series) start, epoch ms. For a DynamicVolume, frame f starts at frameTimeZeroMs + frameStartS[f]. */
  readonly seriesDateTimeMs: number;
  /** Epoch ms of t = 0 of a DynamicVolume's frameStartS (default: the injection, as our reader returns). */
  readonly frameTimeZeroMs?: number;
  /** Static scan duration, s (ActualFrameDuration); dynamic volumes use frameDurationS. */
  readonly frameDurationS?: number;
  readonly radiopharmaceutical?: string;
  /**
   * Default: from a DynamicVolume's `decayCorrectedToS` (null → NONE, the injection → ADMIN, else
   * START); START for a static Volume.
   */
  readonly decayCorrection?: "START" | "ADMIN" | "NONE";
  /** Default ["DECY", "ATTN"] (DECY dropped when decayCorrection is NONE). */
  readonly correctedImage?: readonly string[];
  readonly positronFraction?: number;
}

export interface WriteDicomOptions {
  readonly modality: "PT" | "CT";
  /** Required for PT. */
  readonly pet?: DicomPetInfo;
  readonly patient?: DicomPatient;
  readonly studyInstanceUid?: string;
  /** Default: random. SOPInstanceUIDs are derived from it (stable). */
  readonly seriesInstanceUid?: string;
  readonly frameOfReferenceUid?: string;
  readonly seriesNumber?: number;
  readonly seriesDescription?: string;
  readonly studyDescription?: string;
  readonly derivationDescription?: string;
  readonly manufacturer?: string;
  /** Study/series/content date-time for CT (and PT study), epoch ms; default pet.seriesDateTimeMs or 2000-01-01. */
  readonly studyDateTimeMs?: number;
  /** File name prefix, default modality ("PT000001.dcm"). */
  readonly filePrefix?: string;
  readonly onProgress?: ProgressFn;
}

export interface WrittenSeries {
  readonly files: readonly string[];
  readonly seriesInstanceUid: string;
  readonly studyInstanceUid: string;
  readonly frameOfReferenceUid: string;
}

function invalid(field: string, message: string, value?: unknown): AtsmError {
  return new AtsmError({
    code: "INVALID_ARGUMENT",
    message: `writeDicomSeries: ${message}`,
    field,
    ...(value !== undefined ? { value } : {}),
    hint: "fix the volume or options passed to writeDicomSeries",
  });
}

function isDynamic(v: Volume | DynamicVolume): v is DynamicVolume {
  return "frameStartS" in v;
}

function checkInput(volume: Volume | DynamicVolume, opts: WriteDicomOptions, frames: number): void {
  const [nx, ny, nz] = volume.dims;
  if (![nx, ny, nz].every((d) => Number.isInteger(d) && d >= 1 && d <= 65535))
    throw invalid("dims", "dims must be integers in 1..65535", volume.dims);
  if (volume.data.length !== nx * ny * nz * frames)
    throw invalid("data", `data length ${volume.data.length} ≠ nx·ny·nz·frames = ${nx * ny * nz * frames}`);
  if (!volume.spacingMm.every((s) => Number.isFinite(s) && s > 0))
    throw invalid("spacingMm", "spacing must be finite and > 0 mm", volume.spacingMm);
  if (!volume.originMm.every(Number.isFinite))
    throw invalid("originMm", "origin must be finite", volume.originMm);
  const d = volume.direction;
  const col = (c: number) => [d[c]!, d[3 + c]!, d[6 + c]!];
  const [r, c, n] = [col(0), col(1), col(2)];
  const dot = (a: number[], b: number[]) => a[0]! * b[0]! + a[1]! * b[1]! + a[2]! * b[2]!;
  const cross = [r[1]! * c[2]! - r[2]! * c[1]!, r[2]! * c[0]! - r[0]! * c[2]!, r[0]! * c[1]! - r[1]! * c[0]!];
  if (
    Math.abs(dot(r, r) - 1) > 1e-6 ||
    Math.abs(dot(c, c) - 1) > 1e-6 ||
    Math.abs(dot(r, c)) > 1e-6 ||
    dot(cross, n) < 1 - 1e-6
  ) {
    throw invalid(
      "direction",
      "direction must be orthonormal with column 2 = column 0 × column 1 (DICOM slice stacks are right-handed)",
      [...d],
    );
  }
  for (const [name, uid] of [
    ["studyInstanceUid", opts.studyInstanceUid],
    ["seriesInstanceUid", opts.seriesInstanceUid],
    ["frameOfReferenceUid", opts.frameOfReferenceUid],
  ] as const) {
    if (uid !== undefined && !isValidUid(uid)) throw invalid(name, "not a valid DICOM UID", uid);
  }
  if (opts.modality === "PT") {
    const p = opts.pet;
    if (p === undefined) throw invalid("pet", "modality PT needs the pet options (nuclide, dose, times)");
    for (const [k, v] of Object.entries({
      halfLifeS: p.halfLifeS,
      injectedActivityBq: p.injectedActivityBq,
    })) {
      if (!(Number.isFinite(v) && v > 0)) throw invalid(`pet.${k}`, `${k} must be > 0`, v);
    }
    if (!Number.isFinite(p.injectionDateTimeMs) || !Number.isFinite(p.seriesDateTimeMs))
      throw invalid("pet.seriesDateTimeMs", "times must be finite epoch ms");
  }
}

/** Stored int16 values and the slope of one slice. */
function quantise(src: Float32Array, modality: "PT" | "CT", out: Int16Array, where: string): number {
  let maxAbs = 0;
  let integral = true;
  for (let i = 0; i < src.length; i++) {
    const v = src[i]!;
    if (!Number.isFinite(v)) throw invalid("data", `voxel value is not finite at ${where}, index ${i}`, v);
    const a = Math.abs(v);
    if (a > maxAbs) maxAbs = a;
    if (integral && v !== Math.round(v)) integral = false;
  }
  let slope = 1;
  if (!(modality === "CT" && integral && maxAbs <= 32767) && maxAbs > 0)
    slope = Number(formatDS(maxAbs / 32767));
  // the DS text may round the slope up or down; clip to int16
  for (let i = 0; i < src.length; i++) {
    const s = Math.round(src[i]! / slope);
    out[i] = Math.min(32767, Math.max(-32768, s));
  }
  return slope;
}

function daTm(ms: number): { da: string; tm: string; dt: string } {
  const { da, tm } = formatDicomDateTime(ms);
  return { da, tm, dt: `${da}${tm}` };
}

/** Write the series; returns the files written (sorted by frame, then slice). */
export async function writeDicomSeries(
  dir: string,
  volume: Volume | DynamicVolume,
  opts: WriteDicomOptions,
): Promise<WrittenSeries> {
  const [nx, ny, nz] = volume.dims;
  const frames = isDynamic(volume) ? volume.frameStartS.length : 1;
  checkInput(volume, opts, frames);
  const seriesUid = opts.seriesInstanceUid ?? newUid();
  const studyUid = opts.studyInstanceUid ?? uidFromSeed(`${seriesUid}/study`);
  const forUid = opts.frameOfReferenceUid ?? uidFromSeed(`${seriesUid}/for`);
  const pet = opts.pet;
  const isPet = opts.modality === "PT";
  const seriesMs = pet?.seriesDateTimeMs ?? opts.studyDateTimeMs ?? Date.UTC(2000, 0, 1);
  const studyMs = opts.studyDateTimeMs ?? seriesMs;
  const common = commonElements(opts, { studyUid, seriesUid, forUid, seriesMs, studyMs, nz, frames, volume });
  mkdirSync(dir, { recursive: true });
  const n = nx * ny;
  const stored = new Int16Array(n);
  const files: string[] = [];
  const d = volume.direction;
  const prefix = opts.filePrefix ?? opts.modality;
  for (let f = 0; f < frames; f++) {
    const timing = frameTiming(volume, pet, f, seriesMs);
    for (let k = 0; k < nz; k++) {
      const index = f * nz + k;
      const slice = volume.data.subarray(f * n * nz + k * n, f * n * nz + (k + 1) * n);
      const slope = quantise(slice, opts.modality, stored, `frame ${f}, slice ${k}`);
      const ipp = [0, 1, 2].map((a) => volume.originMm[a]! + d[a * 3 + 2]! * volume.spacingMm[2] * k);
      const sopUid = uidFromSeed(`${seriesUid}/${index}`);
      const acq = daTm(timing.startMs);
      const elements: DicomElement[] = [
        ...common,
        el(0x0008, 0x0018, "UI", sopUid),
        el(0x0008, 0x0022, "DA", acq.da),
        el(0x0008, 0x0032, "TM", acq.tm),
        el(0x0020, 0x0013, "IS", String(index + 1)),
        el(0x0020, 0x0032, "DS", ipp),
        el(0x0020, 0x1041, "DS", ipp[0]! * d[2]! + ipp[1]! * d[5]! + ipp[2]! * d[8]!),
        el(0x0028, 0x1052, "DS", "0"),
        el(0x0028, 0x1053, "DS", formatDS(slope)),
        el(0x7fe0, 0x0010, "OW", new Uint8Array(stored.buffer, stored.byteOffset, stored.byteLength)),
      ];
      if (isPet) {
        elements.push(
          el(0x0054, 0x1300, "DS", timing.frameReferenceMs),
          el(0x0054, 0x1330, "US", index + 1),
          el(0x0018, 0x1242, "IS", String(Math.round(timing.durationMs))),
          el(0x0054, 0x1321, "DS", "1"), // DecayFactor: values are already corrected as stated
        );
      }
      const file = join(dir, `${prefix}${String(index + 1).padStart(6, "0")}.dcm`);
      writeFileSync(file, encodePart10(isPet ? PET_IMAGE_STORAGE : CT_IMAGE_STORAGE, sopUid, elements));
      files.push(file);
      opts.onProgress?.((index + 1) / (nz * frames), "writing DICOM");
    }
  }
  return { files, seriesInstanceUid: seriesUid, studyInstanceUid: studyUid, frameOfReferenceUid: forUid };
}

function frameTiming(
  volume: Volume | DynamicVolume,
  pet: DicomPetInfo | undefined,
  f: number,
  seriesMs: number,
): { startMs: number; durationMs: number; frameReferenceMs: number } {
  if (isDynamic(volume)) {
    const zero = pet?.frameTimeZeroMs ?? pet?.injectionDateTimeMs ?? seriesMs;
    const startMs = zero + volume.frameStartS[f]! * 1000; // s -> ms
    const durationMs = volume.frameDurationS[f]! * 1000;
    return { startMs, durationMs, frameReferenceMs: startMs - seriesMs + durationMs / 2 };
  }
  const durationMs = (pet?.frameDurationS ?? 0) * 1000;
  return { startMs: seriesMs, durationMs, frameReferenceMs: durationMs / 2 };
}

interface CommonCtx {
  readonly studyUid: string;
  readonly seriesUid: string;
  readonly forUid: string;
  readonly seriesMs: number;
  readonly studyMs: number;
  readonly nz: number;
  readonly frames: number;
  readonly volume: Volume | DynamicVolume;
}

/** Elements shared by every slice of the series. */
function commonElements(opts: WriteDicomOptions, c: CommonCtx): DicomElement[] {
  const isPet = opts.modality === "PT";
  const p = opts.patient ?? {};
  const d = c.volume.direction;
  const series = daTm(c.seriesMs);
  const study = daTm(c.studyMs);
  const derivation = opts.derivationDescription ?? "Written by ATSM Workbench";
  const out: DicomElement[] = [
    el(0x0008, 0x0005, "CS", "ISO_IR 100"),
    el(0x0008, 0x0008, "CS", isPet ? ["DERIVED", "PRIMARY"] : ["DERIVED", "SECONDARY", "AXIAL"]),
    el(0x0008, 0x0016, "UI", isPet ? PET_IMAGE_STORAGE : CT_IMAGE_STORAGE),
    el(0x0008, 0x0020, "DA", study.da),
    el(0x0008, 0x0021, "DA", series.da),
    el(0x0008, 0x0023, "DA", series.da),
    el(0x0008, 0x0030, "TM", study.tm),
    el(0x0008, 0x0031, "TM", series.tm),
    el(0x0008, 0x0033, "TM", series.tm),
    el(0x0008, 0x0050, "SH", ""),
    el(0x0008, 0x0060, "CS", opts.modality),
    el(0x0008, 0x0070, "LO", opts.manufacturer ?? "ATSM Workbench"),
    el(0x0008, 0x0090, "PN", ""),
    el(0x0008, 0x1030, "LO", opts.studyDescription ?? ""),
    el(0x0008, 0x103e, "LO", opts.seriesDescription ?? (isPet ? "PET derived" : "CT derived")),
    el(0x0008, 0x2111, "ST", derivation),
    el(0x0010, 0x0010, "PN", p.name ?? "Anonymous^Patient"),
    el(0x0010, 0x0020, "LO", p.id ?? "ATSM0001"),
    el(0x0010, 0x0030, "DA", p.birthDate ?? ""),
    el(0x0010, 0x0040, "CS", p.sex ?? ""),
    el(0x0018, 0x0050, "DS", c.volume.spacingMm[2]),
    el(0x0020, 0x000d, "UI", c.studyUid),
    el(0x0020, 0x000e, "UI", c.seriesUid),
    el(0x0020, 0x0010, "SH", "1"),
    el(0x0020, 0x0011, "IS", String(opts.seriesNumber ?? (isPet ? 1 : 2))),
    el(0x0020, 0x0037, "DS", [d[0]!, d[3]!, d[6]!, d[1]!, d[4]!, d[7]!]),
    el(0x0020, 0x0052, "UI", c.forUid),
    el(0x0020, 0x0060, "CS", ""), // Laterality (type 2C; dciodvfy asks for it, empty = unknown)
    el(0x0020, 0x1040, "LO", ""),
    el(0x0028, 0x0002, "US", 1),
    el(0x0028, 0x0004, "CS", "MONOCHROME2"),
    el(0x0028, 0x0010, "US", c.volume.dims[1]),
    el(0x0028, 0x0011, "US", c.volume.dims[0]),
    el(0x0028, 0x0030, "DS", [c.volume.spacingMm[1], c.volume.spacingMm[0]]),
    el(0x0028, 0x0100, "US", 16),
    el(0x0028, 0x0101, "US", 16),
    el(0x0028, 0x0102, "US", 15),
    el(0x0028, 0x0103, "US", 1),
  ];
  if (p.weightKg !== undefined) out.push(el(0x0010, 0x1030, "DS", p.weightKg));
  if (p.heightM !== undefined) out.push(el(0x0010, 0x1020, "DS", p.heightM));
  if (isPet) out.push(...petSeriesElements(opts, c));
  // CT: KVP (type 2), AcquisitionNumber (type 2), PatientPosition (type 2C, required for CT)
  else out.push(el(0x0018, 0x0060, "DS", ""), el(0x0020, 0x0012, "IS", "1"), el(0x0018, 0x5100, "CS", "HFS"));
  return out;
}

/**
 * DecayCorrection when the caller gives none: from a DynamicVolume's `decayCorrectedToS` (null →
 * NONE; the injection → ADMIN; otherwise START), else START.
 */
function inferredDecayCorrection(
  volume: Volume | DynamicVolume,
  pet: DicomPetInfo,
): "START" | "ADMIN" | "NONE" {
  if (!isDynamic(volume)) return "START";
  if (volume.decayCorrectedToS === null) return "NONE";
  const zero = pet.frameTimeZeroMs ?? pet.injectionDateTimeMs;
  const atMs = zero + volume.decayCorrectedToS * 1000; // s -> ms
  return Math.abs(atMs - pet.injectionDateTimeMs) < 1 ? "ADMIN" : "START";
}

function petSeriesElements(opts: WriteDicomOptions, c: CommonCtx): DicomElement[] {
  const pet = opts.pet!;
  const unit = c.volume.unit;
  let units: string;
  if (unit === "Bq/mL" || unit === "BQML") units = "BQML";
  else if (unit === "SUVbw" || unit === "SUV" || unit === "g/mL" || unit === "GML") units = "GML";
  else if (unit === "CNTS") units = "CNTS";
  else {
    throw invalid("volume.unit", "PET volumes must be in Bq/mL, SUVbw (g/mL) or CNTS", unit);
  }
  const dc = pet.decayCorrection ?? inferredDecayCorrection(c.volume, pet);
  const corrected = pet.correctedImage ?? (dc === "NONE" ? ["ATTN"] : ["DECY", "ATTN"]);
  const inj = daTm(pet.injectionDateTimeMs);
  const code = nuclideCode(pet.nuclide);
  const codeItems: DicomItem[] =
    code === null
      ? []
      : [
          [
            el(0x0008, 0x0100, "SH", code.codeValue),
            el(0x0008, 0x0102, "SH", code.codingSchemeDesignator),
            el(0x0008, 0x0104, "LO", code.codeMeaning),
          ],
        ];
  const rp: DicomElement[] = [
    el(0x0018, 0x0031, "LO", pet.radiopharmaceutical ?? pet.nuclide),
    el(0x0018, 0x1072, "TM", inj.tm),
    el(0x0018, 0x1074, "DS", pet.injectedActivityBq),
    el(0x0018, 0x1075, "DS", pet.halfLifeS),
    el(0x0018, 0x1078, "DT", inj.dt),
    el(0x0054, 0x0300, "SQ", codeItems),
  ];
  if (pet.positronFraction !== undefined) rp.push(el(0x0018, 0x1076, "DS", pet.positronFraction));
  const out: DicomElement[] = [
    el(0x0018, 0x1181, "CS", "NONE"), // CollimatorType (type 2)
    el(0x0054, 0x0016, "SQ", [rp]),
    el(0x0054, 0x0081, "US", c.nz),
    el(0x0054, 0x0410, "SQ", []), // PatientOrientationCodeSequence (type 2, empty)
    el(0x0054, 0x0414, "SQ", []), // PatientGantryRelationshipCodeSequence (type 2, empty)
    el(0x0054, 0x1000, "CS", [c.frames > 1 ? "DYNAMIC" : "STATIC", "IMAGE"]),
    el(0x0054, 0x1001, "CS", units),
    el(0x0054, 0x1002, "CS", "EMISSION"),
    el(0x0054, 0x1102, "CS", dc),
    el(0x0028, 0x0051, "CS", [...corrected]),
  ];
  if (units === "GML") out.push(el(0x0054, 0x1006, "CS", "BW"));
  if (c.frames > 1) out.push(el(0x0054, 0x0101, "US", c.frames));
  if (code === null) {
    // keep the nuclide name findable even without a CID 4020 code (see nuclide-codes.ts)
    out.push(
      el(
        0x0020,
        0x4000,
        "LT",
        `nuclide ${pet.nuclide}; no CID 4020 code (coded: ${CODED_NUCLIDES.join(", ")})`,
      ),
    );
  }
  return out;
}
