/**
 * Siemens Inveon / Concorde microPET images: raw `.img` + text `.img.hdr` (or `.hdr`).
 *
 * What we implement (sources: header key tables of MINC upet2mnc.c and pixi-inveon inveon.py;
 * scaling as specified for this project in issue 2):
 *   value = stored × scale_factor(frame) × calibration_factor        (then × 37 for nCi/cc)
 *   unit: calibration_units 2 = Bq/cc (= Bq/mL), 1 = nCi/cc (× 37 → Bq/mL), else "unknown"
 *   data_type 1 int8, 2 int16 LE, 3 int32 LE, 4 float32 LE, 5 float32 BE, 6 int16 BE, 7 int32 BE
 *   spacing: pixel_size_x/y/z in mm; else legacy pixel_size in cm (× 10) for x and y, and
 *            axial_crystal_pitch / 2 in cm (× 10) for z
 *   frames: `frame N` blocks with frame_start / frame_duration (s from scan start),
 *           data_file_pointer "hi lo" (byte offset hi·2³² + lo), scale_factor, decay_correction
 *   geometry: the header gives no patient orientation we can map reliably; the grid is
 *             axis-aligned (identity direction) and centred on (0,0,0), with a warning.
 */
import { AtsmError } from "../../core/errors.js";
import { centredOriginMm } from "../../core/geometry.js";
import { type DynamicVolume, identityDirection, type Vec3, type Volume } from "../../core/types.js";
import { parseActivityBq } from "../../core/units.js";
import { findNuclide } from "../../physics/nuclides.js";
import { emptyPetInstanceMetadata, type PetInstanceMetadata } from "../../quant/suv/metadata.js";
import { isFile, readFileBytes, readTextFile } from "../nifti/files.js";
import { convertVoxels } from "../nifti/raw.js";
import { applyNonFinitePolicy, checkVoxelLimit, headerFieldError } from "../raw-header.js";
import type { LoadedSeries, SeriesModality } from "../types.js";
import { type InveonField, parseInveonHeader } from "./header.js";

export { parseInveonHeader } from "./header.js";

/** Inveon data_type code → NIfTI datatype code and byte order. */
const DATA_TYPES: Readonly<Record<number, { nifti: number; bytes: number; le: boolean; name: string }>> = {
  1: { nifti: 256, bytes: 1, le: true, name: "int8" },
  2: { nifti: 4, bytes: 2, le: true, name: "int16 LE" },
  3: { nifti: 8, bytes: 4, le: true, name: "int32 LE" },
  4: { nifti: 16, bytes: 4, le: true, name: "float32 LE" },
  5: { nifti: 16, bytes: 4, le: false, name: "float32 BE" },
  6: { nifti: 4, bytes: 2, le: false, name: "int16 BE" },
  7: { nifti: 8, bytes: 4, le: false, name: "int32 BE" },
};

const MONTHS = ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"];

export interface InveonDecodeOptions {
  /** NaN/±Inf voxels: "error" (default) or "zero" (set to 0 with a warning). */
  readonly nonFinite?: "error" | "zero";
}

/** Everything read from an Inveon image, beyond the common `LoadedSeries`. */
export interface DecodedInveon {
  readonly series: LoadedSeries;
  readonly calibrationFactor: number;
  readonly scaleFactors: readonly number[];
  /** Per-frame `decay_correction` factors as stored (already applied to the data when decay-corrected). */
  readonly decayCorrectionFactors: readonly (number | null)[];
}

type Fields = ReadonlyMap<string, InveonField>;

function num(fields: Fields, key: string, file: string): number | null {
  const f = fields.get(key);
  if (!f || f.value === "") return null;
  const v = Number(f.value.split(/\s+/)[0]);
  if (!Number.isFinite(v))
    throw headerFieldError(file, key, f, `${key} is not a number`, "fix the header value");
  return v;
}

function dimension(fields: Fields, key: string, file: string): number {
  const v = num(fields, key, file);
  if (v === null || !Number.isSafeInteger(v) || v < 1) {
    throw headerFieldError(
      file,
      key,
      fields.get(key),
      `${key} must be a positive integer`,
      "fix the image dimensions in the header",
    );
  }
  return v;
}

/** ctime-style "Tue Apr 14 10:05:19 2009" (as written by Inveon) → epoch ms read as UTC. */
export function parseInveonTimeMs(text: string): number | null {
  const t = text.trim().split(/\s+/);
  if (t.length < 5) return null;
  const mon = MONTHS.indexOf(t[1]!.slice(0, 3).toLowerCase());
  const day = Number(t[2]);
  const hms = /^(\d{1,2}):(\d{2}):(\d{2})$/.exec(t[3]!);
  const year = Number(t[4]);
  if (mon < 0 || !hms || !Number.isInteger(day) || !Number.isInteger(year) || day < 1 || day > 31)
    return null;
  const ms = Date.UTC(year, mon, day, Number(hms[1]), Number(hms[2]), Number(hms[3]));
  return Number.isFinite(ms) ? ms : null;
}

function spacingOf(main: Fields, file: string, warnings: string[]): Vec3 {
  const px = num(main, "pixel_size_x", file);
  const py = num(main, "pixel_size_y", file);
  const pz = num(main, "pixel_size_z", file);
  let s: [number, number, number];
  if (px !== null && py !== null && pz !== null) s = [px, py, pz];
  else {
    const p = num(main, "pixel_size", file);
    const pitch = num(main, "axial_crystal_pitch", file);
    if (p === null || (pz === null && pitch === null)) {
      throw new AtsmError({
        code: "MISSING_INPUT",
        message:
          "Inveon header gives no voxel size (pixel_size_x/y/z in mm, or pixel_size and axial_crystal_pitch in cm)",
        file,
        field: "pixel_size_x",
        hint: "add pixel_size_x, pixel_size_y and pixel_size_z (mm) to the header",
      });
    }
    // Legacy microPET: pixel_size and axial_crystal_pitch in cm (upet2mnc.c: "in cm. Convert to mm").
    s = [p * 10, p * 10, pz ?? (pitch! * 10) / 2];
    warnings.push("voxel size from legacy pixel_size (cm) and axial_crystal_pitch/2 (cm)");
  }
  s.forEach((v, i) => {
    if (!(v > 0) || !Number.isFinite(v)) {
      const key = ["pixel_size_x", "pixel_size_y", "pixel_size_z"][i]!;
      throw headerFieldError(
        file,
        key,
        main.get(key) ?? main.get("pixel_size"),
        `voxel size along ${"xyz"[i]} must be > 0`,
        "fix the voxel size in the header",
      );
    }
  });
  return s;
}

/** Decode an Inveon header text and its image bytes. */
export function decodeInveon(
  headerText: string,
  img: Uint8Array,
  names: { hdr: string; img: string },
  opts: InveonDecodeOptions = {},
): DecodedInveon {
  const file = names.hdr;
  const h = parseInveonHeader(headerText, file);
  const main = h.main;
  const warnings: string[] = [];
  const nx = dimension(main, "x_dimension", file);
  const ny = dimension(main, "y_dimension", file);
  const nz = dimension(main, "z_dimension", file);
  const w = num(main, "w_dimension", file);
  if (w !== null && w !== 1) {
    throw new AtsmError({
      code: "UNSUPPORTED",
      message: "vector images (w_dimension > 1) are not supported",
      value: w,
      file,
      field: "w_dimension",
      row: main.get("w_dimension")!.line,
    });
  }
  const frameBlocks = [...h.frames].sort((a, b) => a.index - b.index);
  const total = num(main, "total_frames", file) ?? Math.max(1, frameBlocks.length);
  if (!Number.isSafeInteger(total) || total < 1) {
    throw headerFieldError(
      file,
      "total_frames",
      main.get("total_frames"),
      "total_frames must be a positive integer",
      "fix the header",
    );
  }
  checkVoxelLimit([nx, ny, nz, total], file, "x_dimension", main.get("x_dimension"));
  const nVox = nx * ny * nz * total;
  if (frameBlocks.length > 0 && frameBlocks.length < total) {
    throw new AtsmError({
      code: "INCONSISTENT",
      message: `total_frames is ${total} but the header has ${frameBlocks.length} frame block(s)`,
      file,
      field: "total_frames",
      ...(main.get("total_frames") ? { row: main.get("total_frames")!.line } : {}),
      hint: "the header is incomplete",
    });
  }
  const dtCode = num(main, "data_type", file);
  const dt = dtCode === null ? undefined : DATA_TYPES[dtCode];
  if (!dt) {
    throw headerFieldError(
      file,
      "data_type",
      main.get("data_type"),
      "unknown or missing data_type (expected 1..7)",
      "data_type codes: 1 int8, 2/6 int16 LE/BE, 3/7 int32 LE/BE, 4/5 float32 LE/BE",
    );
  }
  const spacingMm = spacingOf(main, file, warnings);
  const calibration = num(main, "calibration_factor", file);
  if (calibration === null) warnings.push("no calibration_factor: values are stored × scale_factor only");
  const calUnits = num(main, "calibration_units", file);
  const unitFactor = calUnits === 1 ? 37 : 1; // 1 nCi = 37 Bq (1 Ci = 3.7e10 Bq); 1 cc = 1 mL
  const unit = calUnits === 1 || calUnits === 2 ? "Bq/mL" : "unknown";
  if (unit === "unknown") warnings.push("calibration_units not 1 (nCi/cc) or 2 (Bq/cc): unit unknown");
  const frameBytes = nx * ny * nz * dt.bytes;
  const n3 = nx * ny * nz;
  const data = new Float32Array(nVox);
  const scaleFactors: number[] = [];
  const decayFactors: (number | null)[] = [];
  const startS = new Float64Array(total);
  const durS = new Float64Array(total);
  const offsets: number[] = [];
  let timingMissing = false;
  let mayBeNonFinite = false;
  for (let f = 0; f < total; f++) {
    const fb = frameBlocks[f];
    const fields: Fields = fb?.fields ?? new Map();
    const label = fb ? `frame ${fb.index}` : "image data";
    let offset = f * frameBytes;
    const ptr = fields.get("data_file_pointer");
    if (ptr) {
      const parts = ptr.value.split(/\s+/).map(Number);
      const ok =
        parts.length >= 1 && parts.length <= 2 && parts.every((p) => Number.isSafeInteger(p) && p >= 0);
      if (!ok)
        throw headerFieldError(
          file,
          "data_file_pointer",
          ptr,
          "data_file_pointer must be one or two non-negative integers",
          "fix the frame's data_file_pointer",
        );
      offset = parts.length === 2 ? parts[0]! * 2 ** 32 + parts[1]! : parts[0]!;
    }
    if (offset + frameBytes > img.byteLength) {
      throw new AtsmError({
        code: "TRUNCATED",
        message: `${label} needs ${frameBytes} bytes (${dt.name}) at byte ${offset}, but the image file has ${img.byteLength} bytes: truncated at byte ${img.byteLength} of ${offset + frameBytes}`,
        file: names.img,
        field: ptr ? "data_file_pointer" : "image data",
        byteOffset: Math.min(offset, img.byteLength),
        ...(ptr ? { row: ptr.line } : {}),
        hint: "the .img file is incomplete or belongs to another header",
      });
    }
    offsets.push(offset);
    const scale = num(fields, "scale_factor", file) ?? 1;
    scaleFactors.push(scale);
    decayFactors.push(num(fields, "decay_correction", file));
    const k = scale * (calibration ?? 1) * unitFactor;
    if (convertVoxels(img, offset, dt.nifti, dt.le, k, 0, data.subarray(f * n3, (f + 1) * n3)))
      mayBeNonFinite = true;
    const fs = num(fields, "frame_start", file);
    const fd = num(fields, "frame_duration", file);
    if (fs === null || fd === null) timingMissing = true;
    startS[f] = fs ?? f;
    durS[f] = fd ?? 1;
    if (fd !== null && !(fd >= 0))
      throw headerFieldError(
        file,
        "frame_duration",
        fields.get("frame_duration"),
        "frame_duration must be ≥ 0 s",
        "fix the frame timing",
      );
  }
  if (timingMissing && total > 1)
    warnings.push("frame_start/frame_duration missing: frames numbered at 1 s steps");
  applyNonFinitePolicy(
    data,
    mayBeNonFinite,
    opts.nonFinite,
    names.img,
    (v) => {
      const f = Math.floor(v / n3);
      return offsets[f]! + (v - f * n3) * dt.bytes;
    },
    warnings,
  );
  const originMm = centredOriginMm([nx, ny, nz], spacingMm);
  warnings.push(
    "Inveon orientation is not mapped to patient axes: identity direction, field of view centred on 0",
  );
  const direction = identityDirection();
  const dims = [nx, ny, nz] as const;
  const volume: Volume = {
    data: total > 1 ? data.subarray(0, n3) : data,
    dims,
    spacingMm,
    originMm,
    direction,
    unit,
  };
  // Decay correction: Inveon corrects to the scan start (frame_start axis origin).
  const applied = num(main, "decay_correction_applied", file);
  const decayApplied = applied !== null ? applied !== 0 : decayFactors.some((d) => d !== null && d !== 1);
  const dynamic: DynamicVolume | null =
    total > 1
      ? {
          ...volume,
          data,
          frameStartS: startS,
          frameDurationS: durS,
          decayCorrectedToS: decayApplied ? 0 : null,
        }
      : null;
  const modalityCode = num(main, "modality", file);
  const modality: SeriesModality = modalityCode === 1 ? "CT" : modalityCode === 2 ? "NM" : "PT";
  const scanMs = main.get("scan_time") ? parseInveonTimeMs(main.get("scan_time")!.value) : null;
  const injMs = main.get("injection_time") ? parseInveonTimeMs(main.get("injection_time")!.value) : null;
  if (main.get("scan_time") && scanMs === null)
    warnings.push(`cannot parse scan_time "${main.get("scan_time")!.value}"`);
  const petInstances: PetInstanceMetadata[] = [];
  if (modality === "PT") {
    const base = petMetadata(main, file, { scanMs, injMs, unit, decayApplied }, warnings);
    for (let f = 0; f < total; f++) {
      petInstances.push({
        ...base,
        AcquisitionDateTimeMs: scanMs === null ? null : scanMs + startS[f]! * 1000,
        FrameReferenceTime: startS[f]! * 1000,
        ActualFrameDuration: durS[f]! * 1000,
      });
    }
  }
  const series: LoadedSeries = {
    source: names.img,
    format: "inveon",
    modality,
    seriesInstanceUid: null,
    seriesDescription: main.get("study")?.value || main.get("file_name")?.value || names.img,
    volume,
    dynamic,
    petInstances,
    frameStartEpochMs: scanMs === null ? null : Array.from(startS, (s) => scanMs + s * 1000),
    warnings,
  };
  return { series, calibrationFactor: calibration ?? 1, scaleFactors, decayCorrectionFactors: decayFactors };
}

function petMetadata(
  main: Fields,
  file: string,
  t: { scanMs: number | null; injMs: number | null; unit: string; decayApplied: boolean },
  warnings: string[],
): PetInstanceMetadata {
  const isotope = main.get("isotope")?.value ?? null;
  const halfLife =
    num(main, "isotope_half_life", file) ?? (isotope ? (findNuclide(isotope)?.halfLifeS ?? null) : null);
  // dose_units: 1 = mCi, 2 = MBq (upet2mnc.c); text units are accepted too.
  const dose = num(main, "dose", file);
  let doseBq: number | null = null;
  if (dose !== null) {
    const du = main.get("dose_units")?.value.trim() ?? "";
    const unitText = du === "1" ? "mCi" : du === "2" ? "MBq" : /^[a-zµμ]+$/i.test(du) ? du : null;
    if (unitText === null) warnings.push(`dose_units "${du}" unknown: injected dose not used`);
    else {
      try {
        doseBq = parseActivityBq(`${dose}${unitText}`, "dose_units");
      } catch {
        warnings.push(`dose_units "${du}" unknown: injected dose not used`);
      }
    }
  }
  // subject_weight_units: 1 = g, 2 = kg (Inveon header documentation as read by the tools above).
  const weight = num(main, "subject_weight", file);
  const wu = num(main, "subject_weight_units", file);
  let weightKg: number | null = null;
  if (weight !== null && weight > 0) {
    if (wu === 1) weightKg = weight / 1000;
    else if (wu === 2) weightKg = weight;
    else warnings.push("subject_weight_units not 1 (g) or 2 (kg): weight not used");
  }
  // CorrectedImage is left empty (not stated) when the header has no attenuation_applied key.
  const corrected: string[] = [];
  if (main.has("attenuation_applied") && t.decayApplied) corrected.push("DECY");
  if ((num(main, "attenuation_applied", file) ?? 0) !== 0) corrected.push("ATTN");
  if ((num(main, "scatter_correction", file) ?? 0) !== 0) corrected.push("SCAT");
  if ((num(main, "normalization_applied", file) ?? 0) !== 0) corrected.push("NORM");
  if ((num(main, "deadtime_correction_applied", file) ?? 0) !== 0) corrected.push("DTIM");
  return {
    ...emptyPetInstanceMetadata(),
    Manufacturer: "Siemens",
    Units: t.unit === "Bq/mL" ? "BQML" : null,
    CorrectedImage: corrected,
    DecayCorrection: t.decayApplied ? "START" : "NONE",
    SeriesDateTimeMs: t.scanMs,
    AcquisitionDateTimeMs: t.scanMs,
    RadiopharmaceuticalStartDateTimeMs: t.injMs,
    RadionuclideTotalDose: doseBq,
    RadionuclideHalfLife: halfLife,
    PatientWeight: weightKg,
    Radiopharmaceutical: main.get("injected_compound")?.value || null,
    RadionuclideCodeMeaning: isotope,
  };
}

/**
 * Read an Inveon image given the `.img` or its header (`.img.hdr` or `.hdr`). Returns one series
 * (dynamic when total_frames > 1).
 */
export async function readInveon(path: string, opts: InveonDecodeOptions = {}): Promise<LoadedSeries[]> {
  return [(await readInveonDetailed(path, opts)).series];
}

/** As `readInveon`, with calibration, scale and decay factors. */
export async function readInveonDetailed(
  path: string,
  opts: InveonDecodeOptions = {},
): Promise<DecodedInveon> {
  let hdr: string;
  let img: string;
  if (/\.hdr$/i.test(path)) {
    hdr = path;
    img = path.replace(/\.hdr$/i, "");
    if (!/\.img$/i.test(img)) img = `${img}.img`;
  } else {
    img = path;
    hdr = `${path}.hdr`;
    if (!(await isFile(hdr))) {
      const alt = path.replace(/\.img$/i, ".hdr");
      if (await isFile(alt)) hdr = alt;
    }
  }
  if (!(await isFile(hdr))) {
    throw new AtsmError({
      code: "NOT_FOUND",
      message: "Inveon header not found",
      file: hdr,
      hint: "keep <name>.img and <name>.img.hdr together in one folder",
    });
  }
  const text = await readTextFile(hdr);
  return decodeInveon(text, await readFileBytes(img), { hdr, img }, opts);
}
