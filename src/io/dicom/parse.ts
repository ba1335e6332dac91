/**
 * Parse one DICOM Part-10 file (bytes) into `DicomSlice` records with dicom-parser.
 *
 * Bounded: every length is checked against the file size before it is used; every failure is an
 * `AtsmError` naming the file, the field (DICOM keyword + tag) and, where known, the byte offset.
 * Deflated files are inflated with node:zlib under an output cap (`MAX_INFLATED_BYTES`).
 */
import { inflateRawSync } from "node:zlib";
import dicomParser, { type DataSet, type Element } from "dicom-parser";
import { AtsmError } from "../../core/errors.js";
import { combineDicomDateTimeMs, parseDicomDateTimeMs } from "./datetime.js";
import { type FieldReader, num, requireNum, safeTime, str, T, us } from "./fields.js";
import { readPetMetadata } from "./pet-metadata.js";
import type { DicomSlice } from "./slice.js";
import { EXPLICIT_VR_BIG_ENDIAN, isSupportedTransferSyntax, transferSyntaxName } from "./transfer-syntax.js";

/** Cap on the inflated size of a deflated DICOM file, bytes (1 GiB): a "zip bomb" stops here. */
export const MAX_INFLATED_BYTES = 1024 * 1024 * 1024;
/** Cap on rows × columns of one slice (65 536² would be 4.3e9; real PET/CT are ≤ 1024²). */
export const MAX_SLICE_PIXELS = 8192 * 8192;

/** Byte offset of the "DICM" magic in a Part-10 file (after the 128-byte preamble). PS3.10 §7.1. */
const MAGIC_OFFSET = 128;

/** True when the bytes carry the Part-10 "DICM" magic at offset 128. */
export function hasDicomMagic(bytes: Uint8Array): boolean {
  return (
    bytes.length >= MAGIC_OFFSET + 4 &&
    bytes[128] === 0x44 &&
    bytes[129] === 0x49 &&
    bytes[130] === 0x43 &&
    bytes[131] === 0x4d
  );
}

function inflater(file: string) {
  return (bytes: Uint8Array, position: number): Uint8Array => {
    let inflated: Buffer;
    try {
      inflated = inflateRawSync(bytes.subarray(position), { maxOutputLength: MAX_INFLATED_BYTES });
    } catch (e) {
      const tooBig = (e as { code?: string }).code === "ERR_BUFFER_TOO_LARGE";
      throw new AtsmError({
        code: tooBig ? "LIMIT_EXCEEDED" : "PARSE_ERROR",
        message: tooBig
          ? `deflated data set inflates to more than ${MAX_INFLATED_BYTES} bytes`
          : `cannot inflate deflated data set: ${(e as Error).message}`,
        file,
        field: "TransferSyntaxUID (0002,0010) = Deflated Explicit VR Little Endian",
        byteOffset: position,
        hint: "the file is corrupt or not a DICOM file; re-export it uncompressed",
      });
    }
    const out = new Uint8Array(position + inflated.length);
    out.set(bytes.subarray(0, position), 0);
    out.set(inflated, position);
    return out;
  };
}

function describeThrown(e: unknown): string {
  if (typeof e === "string") return e;
  if (e instanceof Error) return e.message;
  if (e !== null && typeof e === "object" && "exception" in e) return describeThrown(e.exception);
  return String(e);
}

/** Byte offset where dicom-parser stopped: the end of the last element it read. */
function lastParsedOffset(e: unknown): number | undefined {
  if (e === null || typeof e !== "object" || !("dataSet" in e)) return undefined;
  const ds = (e as { dataSet?: DataSet }).dataSet;
  if (ds === undefined) return undefined;
  let end = 0;
  for (const el of Object.values(ds.elements)) {
    const stop = el.dataOffset + Math.max(0, el.length);
    if (stop > end && el.length !== 0xffffffff) end = stop;
  }
  return end;
}

/** Run dicom-parser, turning anything it throws into an AtsmError naming the file. */
function parseDataSet(bytes: Uint8Array, file: string): DataSet {
  try {
    return dicomParser.parseDicom(bytes, { inflater: inflater(file) });
  } catch (e) {
    const inner = e !== null && typeof e === "object" && "exception" in e ? e.exception : e;
    if (inner instanceof AtsmError) throw inner;
    const offset = lastParsedOffset(e);
    const what = describeThrown(inner);
    if (/overrun|beyond|past end|end of buffer/i.test(what)) {
      throw new AtsmError({
        code: "TRUNCATED",
        message: `DICOM file truncated: an element runs past the end of the file at byte ${bytes.length} (${what})`,
        file,
        byteOffset: offset ?? bytes.length,
        hint: "the file is incomplete; copy it again from the source",
        cause: inner,
      });
    }
    throw new AtsmError({
      code: "PARSE_ERROR",
      message: `malformed DICOM file: ${what}`,
      file,
      ...(offset !== undefined ? { byteOffset: offset } : {}),
      hint: `the file is ${bytes.length} bytes; it may be truncated or corrupt — copy it again from the source`,
      cause: inner,
    });
  }
}

/**
 * Parse one Part-10 file. Returns `null` for a DICOM file without image pixels (DICOMDIR,
 * structured report, ...). Throws AtsmError for malformed files and unsupported encodings.
 */
export function parseDicomFile(bytes: Uint8Array, file: string): DicomSlice[] | null {
  if (!hasDicomMagic(bytes)) {
    throw new AtsmError({
      code: "PARSE_ERROR",
      message: "not a DICOM Part-10 file: no 'DICM' magic",
      file,
      field: "preamble",
      byteOffset: MAGIC_OFFSET,
      hint: "pass a DICOM file or a folder of DICOM files",
    });
  }
  const ds = parseDataSet(bytes, file);
  const r: FieldReader = { file, ds };
  const ts = str(ds, T.TransferSyntaxUID) ?? "";
  const pixel = ds.elements[T.PixelData];
  if (pixel === undefined) {
    if (ds.elements[T.FloatPixelData] !== undefined || ds.elements[T.DoubleFloatPixelData] !== undefined) {
      throw new AtsmError({
        code: "UNSUPPORTED",
        message: "float pixel data (7FE0,0008/0009) is not supported",
        file,
        field: "FloatPixelData",
        hint: "re-export the series with integer pixel data and RescaleSlope",
      });
    }
    return null;
  }
  if (!isSupportedTransferSyntax(ts) || pixel.encapsulatedPixelData === true) {
    throw new AtsmError({
      code: "UNSUPPORTED",
      message: `compressed or unknown transfer syntax ${ts} (${transferSyntaxName(ts)}) is not supported`,
      value: ts,
      file,
      field: "TransferSyntaxUID (0002,0010)",
      hint: "decompress first, e.g. 'dcmdjpeg in.dcm out.dcm' (DCMTK) or 'gdcmconv --raw', then read again",
    });
  }
  try {
    return buildSlices(r, pixel, ts);
  } catch (e) {
    if (e instanceof AtsmError) throw e;
    throw new AtsmError({
      code: "PARSE_ERROR",
      message: `malformed DICOM header: ${describeThrown(e)}`,
      file,
      hint: "the file may be truncated or corrupt — copy it again from the source",
      cause: e,
    });
  }
}

function buildSlices(r: FieldReader, pixel: Element, ts: string): DicomSlice[] {
  const { ds, file } = r;
  const warnings: string[] = [];
  const samples = us(r, T.SamplesPerPixel) ?? 1;
  if (samples !== 1) {
    throw new AtsmError({
      code: "UNSUPPORTED",
      message: "colour images are not supported",
      value: samples,
      file,
      field: "SamplesPerPixel (0028,0002)",
      hint: "PET/CT images have one sample per pixel; this file is not a PET/CT image",
    });
  }
  const rows = us(r, T.Rows) ?? 0;
  const columns = us(r, T.Columns) ?? 0;
  if (!(rows >= 1 && columns >= 1) || rows * columns > MAX_SLICE_PIXELS) {
    throw new AtsmError({
      code: rows * columns > MAX_SLICE_PIXELS ? "LIMIT_EXCEEDED" : "PARSE_ERROR",
      message: `invalid image size Rows×Columns = ${rows}×${columns} (limit ${MAX_SLICE_PIXELS} pixels)`,
      file,
      field: "Rows/Columns (0028,0010/0011)",
      byteOffset: ds.elements[T.Rows]?.dataOffset ?? 0,
      hint: "the header is corrupt",
    });
  }
  const bitsAllocated = us(r, T.BitsAllocated) ?? 16;
  if (bitsAllocated !== 8 && bitsAllocated !== 16 && bitsAllocated !== 32) {
    throw new AtsmError({
      code: "UNSUPPORTED",
      message: "BitsAllocated must be 8, 16 or 32",
      value: bitsAllocated,
      file,
      field: "BitsAllocated (0028,0100)",
    });
  }
  const bitsStored = us(r, T.BitsStored) ?? bitsAllocated;
  const pixelRepresentation = (us(r, T.PixelRepresentation) ?? 0) === 1 ? 1 : 0;
  const frames = num(r, T.NumberOfFrames) ?? 1;
  const perFrame = ds.elements[T.PerFrameFunctionalGroupsSequence]?.items;
  if (
    !Number.isInteger(frames) ||
    frames < 1 ||
    (frames > 1 && (perFrame === undefined || perFrame.length !== frames))
  ) {
    throw new AtsmError({
      code: "UNSUPPORTED",
      message:
        frames > 1
          ? `multi-frame image without one PerFrameFunctionalGroupsSequence item per frame (legacy multi-frame) is not supported`
          : "invalid NumberOfFrames",
      value: frames,
      file,
      field: "NumberOfFrames (0028,0008)",
      hint: "convert to single-frame files first, e.g. with 'emf2sf' (dcm4che)",
    });
  }
  const sliceBytes = rows * columns * (bitsAllocated / 8);
  const available = ds.byteArray.length - pixel.dataOffset;
  const declared = pixel.length === 0xffffffff ? available : pixel.length;
  if (declared < sliceBytes * frames || available < sliceBytes * frames) {
    throw new AtsmError({
      code: "TRUNCATED",
      message: `pixel data holds ${Math.min(declared, available)} bytes but Rows×Columns×BitsAllocated/8×NumberOfFrames = ${sliceBytes * frames}`,
      file,
      field: "PixelData (7FE0,0010)",
      byteOffset: pixel.dataOffset,
      hint: `the file is truncated at byte ${ds.byteArray.length}; copy it again from the source`,
    });
  }
  const shared = ds.elements[T.SharedFunctionalGroupsSequence]?.items?.[0]?.dataSet;
  /** Where a functional-group attribute lives for frame f: per-frame item, shared item, else top level. */
  const fg = (f: number, seqTag: string): FieldReader => {
    const pf = perFrame?.[f]?.dataSet?.elements[seqTag]?.items?.[0]?.dataSet;
    if (pf !== undefined) return { ds: pf, file };
    const sh = shared?.elements[seqTag]?.items?.[0]?.dataSet;
    if (sh !== undefined) return { ds: sh, file };
    return r;
  };
  const modality = str(ds, T.Modality) ?? "OT";
  const seriesDateTimeMs = safeTime(warnings, file, "SeriesDate/SeriesTime", () =>
    combineDicomDateTimeMs(str(ds, T.SeriesDate), str(ds, T.SeriesTime), "SeriesDate/SeriesTime"),
  );
  const topAcquisitionMs = safeTime(warnings, file, "AcquisitionDateTime", () => {
    const dt = str(ds, T.AcquisitionDateTime);
    if (dt !== null) return parseDicomDateTimeMs(dt, "AcquisitionDateTime");
    const da = str(ds, T.AcquisitionDate) ?? str(ds, T.SeriesDate);
    return combineDicomDateTimeMs(da, str(ds, T.AcquisitionTime), "AcquisitionDate/AcquisitionTime");
  });
  const bigEndian = ts === EXPLICIT_VR_BIG_ENDIAN;
  const out: DicomSlice[] = [];
  for (let f = 0; f < frames; f++) {
    const meas = fg(f, T.PixelMeasuresSequence);
    const spacingRow = requireNum(meas, T.PixelSpacing, 0);
    const spacingCol = requireNum(meas, T.PixelSpacing, 1);
    if (!(spacingRow > 0 && spacingCol > 0)) {
      throw new AtsmError({
        code: "PARSE_ERROR",
        message: "PixelSpacing must be > 0 mm",
        value: `${spacingRow}\\${spacingCol}`,
        file,
        field: "PixelSpacing (0028,0030)",
        byteOffset: meas.ds.elements[T.PixelSpacing]?.dataOffset ?? 0,
        hint: "the header is corrupt; re-export the series",
      });
    }
    const ori = fg(f, T.PlaneOrientationSequence);
    const o: number[] = [];
    for (let i = 0; i < 6; i++) o.push(requireNum(ori, T.ImageOrientationPatient, i));
    checkOrientation(ori, o);
    const pos = fg(f, T.PlanePositionSequence);
    const p: number[] = [];
    for (let i = 0; i < 3; i++) p.push(requireNum(pos, T.ImagePositionPatient, i));
    const val = fg(f, T.PixelValueTransformationSequence);
    const slope = num(val, T.RescaleSlope) ?? 1;
    const intercept = num(val, T.RescaleIntercept) ?? 0;
    if (slope === 0 && f === 0) warnings.push(`${file}: RescaleSlope is 0 (all voxels equal the intercept)`);
    const content = fg(f, T.FrameContentSequence);
    const frameAcq =
      frames > 1
        ? safeTime(warnings, file, "FrameAcquisitionDateTime", () =>
            parseDicomDateTimeMs(str(content.ds, T.FrameAcquisitionDateTime), "FrameAcquisitionDateTime"),
          )
        : null;
    const acquisitionDateTimeMs = frameAcq ?? topAcquisitionMs;
    const frameDurationMs = num(content, T.FrameAcquisitionDuration) ?? num(r, T.ActualFrameDuration);
    let pet =
      modality === "PT" ? readPetMetadata(r, seriesDateTimeMs, acquisitionDateTimeMs, warnings) : null;
    if (pet !== null && frames > 1) pet = { ...pet, ActualFrameDuration: frameDurationMs };
    out.push({
      file,
      frameInFile: f,
      sopInstanceUid: str(ds, T.SOPInstanceUID),
      seriesInstanceUid: str(ds, T.SeriesInstanceUID) ?? `(no SeriesInstanceUID: ${file})`,
      seriesDescription: ds.string(T.SeriesDescription)?.trim() ?? "",
      seriesNumber: num(r, T.SeriesNumber),
      modality,
      rows,
      columns,
      pixelSpacingMm: [spacingRow, spacingCol],
      orientation: [o[0]!, o[1]!, o[2]!, o[3]!, o[4]!, o[5]!],
      positionMm: [p[0]!, p[1]!, p[2]!],
      instanceNumber: frames > 1 ? f + 1 : num(r, T.InstanceNumber),
      rescaleSlope: slope,
      rescaleIntercept: intercept,
      bitsAllocated,
      bitsStored,
      pixelRepresentation,
      pixelBytes: ds.byteArray.subarray(
        pixel.dataOffset + f * sliceBytes,
        pixel.dataOffset + (f + 1) * sliceBytes,
      ),
      littleEndian: !bigEndian,
      sliceThicknessMm:
        positiveOrNull(num(meas, T.SpacingBetweenSlices)) ?? positiveOrNull(num(meas, T.SliceThickness)),
      imageIndex: num(r, T.ImageIndex),
      numberOfSlices: num(r, T.NumberOfSlices),
      numberOfTimeSlices: num(r, T.NumberOfTimeSlices),
      temporalPosition:
        num(content, T.TemporalPositionIndex) ?? (frames > 1 ? null : num(r, T.TemporalPositionIdentifier)),
      acquisitionDateTimeMs,
      seriesDateTimeMs,
      frameReferenceTimeMs: num(r, T.FrameReferenceTime),
      frameDurationMs,
      rescaleType: str(val.ds, T.RescaleType) ?? str(ds, T.RescaleType),
      pet,
      warnings,
    });
  }
  return out;
}

function positiveOrNull(v: number | null): number | null {
  return v !== null && v > 0 ? v : null;
}

/** Row and column cosines must be unit length and orthogonal (tolerance in cosine units). */
const ORIENTATION_UNIT_TOL = 1e-3;

function checkOrientation(r: FieldReader, o: readonly number[]): void {
  const n1 = Math.hypot(o[0]!, o[1]!, o[2]!);
  const n2 = Math.hypot(o[3]!, o[4]!, o[5]!);
  const d = o[0]! * o[3]! + o[1]! * o[4]! + o[2]! * o[5]!;
  if (
    Math.abs(n1 - 1) > ORIENTATION_UNIT_TOL ||
    Math.abs(n2 - 1) > ORIENTATION_UNIT_TOL ||
    Math.abs(d) > ORIENTATION_UNIT_TOL
  ) {
    throw new AtsmError({
      code: "PARSE_ERROR",
      message: `ImageOrientationPatient is not two orthogonal unit vectors (|row|=${n1.toFixed(4)}, |col|=${n2.toFixed(4)}, row·col=${d.toFixed(4)})`,
      value: o.join("\\"),
      file: r.file,
      field: "ImageOrientationPatient (0020,0037)",
      byteOffset: r.ds.elements[T.ImageOrientationPatient]?.dataOffset ?? 0,
      hint: "the header is corrupt; re-export the series",
    });
  }
}
