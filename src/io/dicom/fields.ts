/**
 * Typed access to dicom-parser data-set fields: tag keys, number parsing by VR (also for
 * implicit-VR files), and errors that name the field, file and byte offset.
 */
import type { DataSet } from "dicom-parser";
import { AtsmError } from "../../core/errors.js";

export function tagKey(group: number, element: number): string {
  return `x${group.toString(16).padStart(4, "0")}${element.toString(16).padStart(4, "0")}`;
}

/** Tags used below, as dicom-parser keys. */
export const T = {
  TransferSyntaxUID: "x00020010",
  SOPClassUID: "x00080016",
  SOPInstanceUID: "x00080018",
  SeriesDate: "x00080021",
  AcquisitionDate: "x00080022",
  SeriesTime: "x00080031",
  AcquisitionTime: "x00080032",
  AcquisitionDateTime: "x0008002a",
  Modality: "x00080060",
  SeriesDescription: "x0008103e",
  SliceThickness: "x00180050",
  SpacingBetweenSlices: "x00180088",
  ActualFrameDuration: "x00181242",
  SeriesInstanceUID: "x0020000e",
  SeriesNumber: "x00200011",
  InstanceNumber: "x00200013",
  ImagePositionPatient: "x00200032",
  ImageOrientationPatient: "x00200037",
  TemporalPositionIdentifier: "x00200100",
  TemporalPositionIndex: "x00209128",
  SamplesPerPixel: "x00280002",
  NumberOfFrames: "x00280008",
  Rows: "x00280010",
  Columns: "x00280011",
  PixelSpacing: "x00280030",
  BitsAllocated: "x00280100",
  BitsStored: "x00280101",
  PixelRepresentation: "x00280103",
  RescaleIntercept: "x00281052",
  RescaleSlope: "x00281053",
  RescaleType: "x00281054",
  NumberOfSlices: "x00540081",
  NumberOfTimeSlices: "x00540101",
  FrameReferenceTime: "x00541300",
  ImageIndex: "x00541330",
  FrameAcquisitionDateTime: "x00189074",
  FrameAcquisitionDuration: "x00189220",
  FrameContentSequence: "x00209111",
  PlanePositionSequence: "x00209113",
  PlaneOrientationSequence: "x00209116",
  PixelMeasuresSequence: "x00289110",
  PixelValueTransformationSequence: "x00289145",
  SharedFunctionalGroupsSequence: "x52009229",
  PerFrameFunctionalGroupsSequence: "x52009230",
  FloatPixelData: "x7fe00008",
  DoubleFloatPixelData: "x7fe00009",
  PixelData: "x7fe00010",
} as const;

export { T as DICOM_TAGS };

/** VRs of the binary numeric attributes we read, for implicit-VR files (PS3.6 Table 6-1). */
const IMPLICIT_BINARY_VR: Readonly<Record<string, string>> = {
  [T.Rows]: "US",
  [T.Columns]: "US",
  [T.SamplesPerPixel]: "US",
  [T.BitsAllocated]: "US",
  [T.BitsStored]: "US",
  [T.PixelRepresentation]: "US",
  [T.NumberOfSlices]: "US",
  [T.NumberOfTimeSlices]: "US",
  [T.ImageIndex]: "US",
  [T.TemporalPositionIndex]: "UL",
  [T.FrameAcquisitionDuration]: "FD",
};

const BINARY_SIZE: Readonly<Record<string, number>> = { US: 2, SS: 2, UL: 4, SL: 4, FL: 4, FD: 8 };

/** Context for errors about one file. */
export interface FieldReader {
  readonly file: string;
  readonly ds: DataSet;
}

export function fieldName(tag: string): string {
  for (const [k, v] of Object.entries(T)) if (v === tag) return k;
  return tag;
}

export function tagLabel(tag: string): string {
  return `${fieldName(tag)} (${tag.slice(1, 5).toUpperCase()},${tag.slice(5).toUpperCase()})`;
}

/** String value (trimmed) or null when absent/empty. */
export function str(ds: DataSet, tag: string, index?: number): string | null {
  const el = ds.elements[tag];
  if (el === undefined || el.length === 0) return null;
  const s = index === undefined ? ds.string(tag) : ds.string(tag, index);
  return s === undefined || s === "" ? null : s;
}

/**
 * Number from a DS/IS/US/FD... element by its VR (DS/IS as text), or null when absent/empty.
 * A present but non-numeric or non-finite value throws, naming the field and byte offset.
 */
export function num(r: FieldReader, tag: string, index = 0): number | null {
  const el = r.ds.elements[tag];
  if (el === undefined || el.length === 0) return null;
  let v: number | undefined;
  const vr = el.vr ?? IMPLICIT_BINARY_VR[tag];
  const size = vr === undefined ? 0 : (BINARY_SIZE[vr] ?? 0);
  if (size > 0 && (index + 1) * size > el.length) return null;
  switch (vr) {
    case "US":
      v = r.ds.uint16(tag, index);
      break;
    case "SS":
      v = r.ds.int16(tag, index);
      break;
    case "UL":
      v = r.ds.uint32(tag, index);
      break;
    case "SL":
      v = r.ds.int32(tag, index);
      break;
    case "FL":
      v = r.ds.float(tag, index);
      break;
    case "FD":
      v = r.ds.double(tag, index);
      break;
    default: {
      const s = r.ds.string(tag, index);
      if (s === undefined || s.trim() === "") return null;
      v = Number(s.trim());
    }
  }
  if (v === undefined) return null;
  if (!Number.isFinite(v)) {
    throw new AtsmError({
      code: "PARSE_ERROR",
      message: `invalid ${tagLabel(tag)} value ${index}`,
      value: r.ds.string(tag, index) ?? v,
      file: r.file,
      field: fieldName(tag),
      byteOffset: el.dataOffset,
      hint: "the header holds a non-numeric or non-finite number; fix or re-export the file",
    });
  }
  return v;
}

/** Required numeric element (binary VR US read as such; others as text). */
export function requireNum(r: FieldReader, tag: string, index = 0): number {
  const v = num(r, tag, index);
  if (v === null) {
    throw new AtsmError({
      code: "MISSING_INPUT",
      message: `missing ${tagLabel(tag)}${index > 0 ? ` value ${index + 1}` : ""}`,
      file: r.file,
      field: fieldName(tag),
      hint: "the image cannot be placed in space without it; re-export the series from the scanner or PACS",
    });
  }
  return v;
}

/** Unsigned 16-bit attribute (Rows, Columns, BitsAllocated...) read in either VR form. */
export function us(r: FieldReader, tag: string): number | null {
  return num(r, tag);
}

/** Parse a date-time; on a malformed value record a warning and return null (the image is still usable). */
export function safeTime(
  warnings: string[],
  file: string,
  what: string,
  fn: () => number | null,
): number | null {
  try {
    return fn();
  } catch (e) {
    warnings.push(`${file}: ignored malformed ${what}: ${(e as Error).message}`);
    return null;
  }
}
