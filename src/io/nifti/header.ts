/**
 * NIfTI-1 / NIfTI-2 header parsing into one plain record, with bounded reads.
 *
 * Layouts: NIfTI-1 `nifti1.h` (348-byte header, magic "n+1"/"ni1" at byte 344) and NIfTI-2
 * `nifti2.h` (540-byte header, magic "n+2\0\r\n\032\n" at byte 4), both from
 * https://nifti.nimh.nih.gov/. Byte order is detected from `sizeof_hdr` (348 or 540) as nibabel
 * and nifti_clib do. Only structure is checked here; geometry and sizes are validated by the
 * decoder.
 */
import { AtsmError } from "../../core/errors.js";
import { BoundedReader } from "../bounded.js";

export type NiftiVersion = 1 | 2;

/** Header fields we use, as stored (no fixes applied). */
export interface NiftiHeader {
  readonly version: NiftiVersion;
  readonly littleEndian: boolean;
  /** "n+1"/"n+2" = single file; "ni1"/"ni2" = separate .img. */
  readonly singleFile: boolean;
  /** dim[0..7]. */
  readonly dim: readonly number[];
  readonly datatype: number;
  readonly bitpix: number;
  /** pixdim[0..7] (pixdim[0] = qfac). */
  readonly pixdim: readonly number[];
  readonly voxOffset: number;
  readonly sclSlope: number;
  readonly sclInter: number;
  readonly xyztUnits: number;
  readonly descrip: string;
  readonly qformCode: number;
  readonly sformCode: number;
  readonly quatern: readonly [number, number, number];
  readonly qoffset: readonly [number, number, number];
  /** srow_x, srow_y, srow_z, 4 each, row-major 3×4. */
  readonly srow: readonly number[];
  readonly intentName: string;
  /** Byte offsets of fields, for error messages. */
  readonly offsets: NiftiOffsets;
  /** Size of the fixed header (348 or 540). */
  readonly headerBytes: number;
}

export interface NiftiOffsets {
  readonly dim: number;
  readonly datatype: number;
  readonly pixdim: number;
  readonly voxOffset: number;
  readonly sclSlope: number;
  readonly sclInter: number;
  readonly quatern: number;
  readonly srow: number;
}

const OFF1: NiftiOffsets = {
  dim: 40,
  datatype: 70,
  pixdim: 76,
  voxOffset: 108,
  sclSlope: 112,
  sclInter: 116,
  quatern: 256,
  srow: 280,
};
const OFF2: NiftiOffsets = {
  dim: 16,
  datatype: 12,
  pixdim: 104,
  voxOffset: 168,
  sclSlope: 176,
  sclInter: 184,
  quatern: 352,
  srow: 400,
};

/** Parse the fixed NIfTI header from the start of `bytes` (the decompressed file). */
export function parseNiftiHeader(bytes: Uint8Array, file: string): NiftiHeader {
  const r = new BoundedReader(bytes, file, true);
  const sizeLe = r.i32(0, "sizeof_hdr");
  r.littleEndian = false;
  const sizeBe = r.i32(0, "sizeof_hdr");
  let size: number;
  if (sizeLe === 348 || sizeLe === 540) {
    r.littleEndian = true;
    size = sizeLe;
  } else if (sizeBe === 348 || sizeBe === 540) {
    size = sizeBe;
  } else {
    throw new AtsmError({
      code: "PARSE_ERROR",
      message: "not a NIfTI file: sizeof_hdr is neither 348 (NIfTI-1) nor 540 (NIfTI-2)",
      value: sizeLe,
      file,
      field: "sizeof_hdr",
      byteOffset: 0,
      hint: "check that the file is a .nii or .nii.gz image (gzip data must end in .gz)",
    });
  }
  return size === 348 ? parse1(r, file) : parse2(r, file);
}

function badMagic(file: string, magic: string, offset: number, expected: string): AtsmError {
  return new AtsmError({
    code: "PARSE_ERROR",
    message: `bad NIfTI magic (expected ${expected})`,
    value: magic,
    file,
    field: "magic",
    byteOffset: offset,
    hint: "an Analyze 7.5 .hdr/.img pair has no magic: convert it to NIfTI first (e.g. nibabel or dcm2niix)",
  });
}

function parse1(r: BoundedReader, file: string): NiftiHeader {
  r.need(0, 348, "NIfTI-1 header");
  const magic = r.ascii(344, 4, "magic");
  if (magic !== "n+1" && magic !== "ni1") throw badMagic(file, magic, 344, '"n+1" or "ni1"');
  const dim: number[] = [];
  for (let i = 0; i < 8; i++) dim.push(r.i16(40 + 2 * i, `dim[${i}]`));
  const pixdim: number[] = [];
  for (let i = 0; i < 8; i++) pixdim.push(r.f32(76 + 4 * i, `pixdim[${i}]`));
  const srow: number[] = [];
  for (let i = 0; i < 12; i++) srow.push(r.f32(280 + 4 * i, "srow"));
  return {
    version: 1,
    littleEndian: r.littleEndian,
    singleFile: magic === "n+1",
    dim,
    datatype: r.i16(70, "datatype"),
    bitpix: r.i16(72, "bitpix"),
    pixdim,
    voxOffset: r.f32(108, "vox_offset"),
    sclSlope: r.f32(112, "scl_slope"),
    sclInter: r.f32(116, "scl_inter"),
    xyztUnits: r.u8(123, "xyzt_units"),
    descrip: r.ascii(148, 80, "descrip"),
    qformCode: r.i16(252, "qform_code"),
    sformCode: r.i16(254, "sform_code"),
    quatern: [r.f32(256, "quatern_b"), r.f32(260, "quatern_c"), r.f32(264, "quatern_d")],
    qoffset: [r.f32(268, "qoffset_x"), r.f32(272, "qoffset_y"), r.f32(276, "qoffset_z")],
    srow,
    intentName: r.ascii(328, 16, "intent_name"),
    offsets: OFF1,
    headerBytes: 348,
  };
}

function parse2(r: BoundedReader, file: string): NiftiHeader {
  r.need(0, 540, "NIfTI-2 header");
  const m = r.bytes;
  const magic = r.ascii(4, 4, "magic");
  const tail = [m[8], m[9], m[10], m[11]];
  if (
    (magic !== "n+2" && magic !== "ni2") ||
    tail[0] !== 0x0d ||
    tail[1] !== 0x0a ||
    tail[2] !== 0x1a ||
    tail[3] !== 0x0a
  ) {
    throw badMagic(file, magic, 4, '"n+2\\0\\r\\n\\032\\n"');
  }
  const dim: number[] = [];
  for (let i = 0; i < 8; i++) dim.push(r.i64(16 + 8 * i, `dim[${i}]`));
  const pixdim: number[] = [];
  for (let i = 0; i < 8; i++) pixdim.push(r.f64(104 + 8 * i, `pixdim[${i}]`));
  const srow: number[] = [];
  for (let i = 0; i < 12; i++) srow.push(r.f64(400 + 8 * i, "srow"));
  return {
    version: 2,
    littleEndian: r.littleEndian,
    singleFile: magic === "n+2",
    dim,
    datatype: r.i16(12, "datatype"),
    bitpix: r.i16(14, "bitpix"),
    pixdim,
    voxOffset: r.i64(168, "vox_offset"),
    sclSlope: r.f64(176, "scl_slope"),
    sclInter: r.f64(184, "scl_inter"),
    xyztUnits: r.i32(500, "xyzt_units"),
    descrip: r.ascii(240, 80, "descrip"),
    qformCode: r.i32(344, "qform_code"),
    sformCode: r.i32(348, "sform_code"),
    quatern: [r.f64(352, "quatern_b"), r.f64(360, "quatern_c"), r.f64(368, "quatern_d")],
    qoffset: [r.f64(376, "qoffset_x"), r.f64(384, "qoffset_y"), r.f64(392, "qoffset_z")],
    srow,
    intentName: r.ascii(508, 16, "intent_name"),
    offsets: OFF2,
    headerBytes: 540,
  };
}

/** NIfTI extensions after the header: ecode and raw content, bounded by `voxOffset`. */
export interface NiftiExtension {
  readonly ecode: number;
  readonly content: Uint8Array;
}

/**
 * Read the extension list (nifti1.h "extension" section): 4 flag bytes after the header, then
 * [esize int32, ecode int32, data esize-8] blocks up to vox_offset. Malformed lists are ignored
 * (as nibabel does with a warning) because they do not affect the image.
 */
export function parseNiftiExtensions(bytes: Uint8Array, hdr: NiftiHeader, file: string): NiftiExtension[] {
  const out: NiftiExtension[] = [];
  const flagAt = hdr.headerBytes;
  const end = hdr.singleFile ? Math.min(hdr.voxOffset, bytes.byteLength) : bytes.byteLength;
  if (flagAt + 4 > end || bytes[flagAt] === 0) return out;
  const r = new BoundedReader(bytes, file, hdr.littleEndian);
  let p = flagAt + 4;
  for (let n = 0; n < 1000 && p + 8 <= end; n++) {
    const esize = r.i32(p, "extension esize");
    const ecode = r.i32(p + 4, "extension ecode");
    if (esize < 8 || p + esize > end) break;
    out.push({ ecode, content: bytes.subarray(p + 8, p + esize) });
    p += esize;
  }
  return out;
}
