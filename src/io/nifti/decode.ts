/**
 * Decode NIfTI-1/-2 bytes (`.nii`, `.nii.gz`, or a `.hdr` + `.img` pair) into our `Volume` /
 * `DynamicVolume`, validating everything a bad file can get wrong.
 *
 * Values: stored × scl_slope + scl_inter, applied as nibabel 5 `get_slope_inter` does (slope 0 or
 * non-finite → no scaling; finite slope with non-finite intercept → error), computed in float64
 * and stored as float32. Geometry: see affine.ts (nibabel `get_best_affine`, RAS → LPS).
 */
import { AtsmError } from "../../core/errors.js";
import type { DynamicVolume, Vec3, Volume } from "../../core/types.js";
import { truncated } from "../bounded.js";
import { gunzipCapped, gunzipHead, isGzip } from "../gzip.js";
import { type AffineSource, bestAffine, rasAffineToGrid } from "./affine.js";
import { readAtsmExtension } from "./extension.js";
import { type NiftiHeader, parseNiftiExtensions, parseNiftiHeader } from "./header.js";
import { convertVoxels, DATATYPES, scanNonFinite } from "./raw.js";

/** Most voxels (all frames together) a reader accepts: 2^29 ≈ 5.4e8 (2 GiB as float32). */
export const MAX_VOXELS = 2 ** 29;

/** Slack allowed after the image data in a .nii.gz before it is treated as a gzip bomb. */
export const GZIP_TRAILING_SLACK_BYTES = 1024 * 1024;

const UNSUPPORTED_TYPES: Readonly<Record<number, string>> = {
  1: "binary (1 bit)",
  32: "complex64",
  128: "RGB24",
  1536: "float128",
  1792: "complex128",
  2048: "complex256",
  2304: "RGBA32",
};

export interface DecodeOptions {
  /**
   * What to do with NaN/±Inf voxel values: "error" (default) throws NUMERIC naming the count and
   * the byte offset of the first; "zero" replaces them by 0 and adds a warning with the count.
   */
  readonly nonFinite?: "error" | "zero";
}

/** Everything the decoder learns from a NIfTI file. */
export interface DecodedNifti {
  /** The image (frame 0 of a 4-D file). */
  readonly volume: Volume;
  /** All frames for a 4-D file (timing from pixdim[4] until a sidecar replaces it), else null. */
  readonly dynamic: DynamicVolume | null;
  readonly version: 1 | 2;
  readonly datatype: string;
  readonly affineSource: AffineSource;
  readonly description: string;
  /** Modality written by our writer (atsm extension), else null. */
  readonly modality: string | null;
  readonly warnings: readonly string[];
}

/** Decode a single-file NIfTI (`.nii` or gzipped) from memory. `name` is used in messages. */
export function decodeNifti(bytes: Uint8Array, name: string, opts: DecodeOptions = {}): DecodedNifti {
  let buf = bytes;
  if (isGzip(bytes)) {
    const head = gunzipHead(bytes, 544, name);
    if (head.byteLength < 348) {
      // A cut .nii.gz inflates to a few bytes; say that the gzip stream ends, not "sizeof_hdr".
      throw new AtsmError({
        code: "TRUNCATED",
        message: `gzip stream ends early: ${bytes.byteLength} compressed bytes inflate to only ${head.byteLength} bytes, less than the 348-byte NIfTI header`,
        file: name,
        field: "gzip stream",
        byteOffset: bytes.byteLength,
        hint: "the .nii.gz file is incomplete (interrupted copy or download?); copy it again",
      });
    }
    const hdr = parseNiftiHeader(head, name);
    const need = checkedDataEnd(hdr, name);
    buf = gunzipCapped(bytes, {
      file: name,
      maxBytes: need + GZIP_TRAILING_SLACK_BYTES,
      what: "NIfTI image",
    });
  }
  const hdr = parseNiftiHeader(buf, name);
  if (!hdr.singleFile) {
    throw new AtsmError({
      code: "UNSUPPORTED",
      message: 'header magic says the image data is in a separate .img file ("ni1"/"ni2")',
      file: name,
      field: "magic",
      byteOffset: hdr.version === 1 ? 344 : 4,
      hint: "read the .hdr path with readNifti so the matching .img is found, or convert to a single .nii",
    });
  }
  return decodeParts(hdr, buf, buf, name, opts);
}

/** Decode a `.hdr` (ni1/ni2) + `.img` pair already in memory. */
export function decodeNiftiPair(
  hdrBytes: Uint8Array,
  imgBytes: Uint8Array,
  names: { hdr: string; img: string },
  opts: DecodeOptions = {},
): DecodedNifti {
  let h = hdrBytes;
  if (isGzip(h)) h = gunzipCapped(h, { file: names.hdr, maxBytes: 1024 * 1024, what: "NIfTI header" });
  const hdr = parseNiftiHeader(h, names.hdr);
  let img = imgBytes;
  if (isGzip(img)) {
    const need = checkedDataEnd(hdr, names.hdr, true);
    img = gunzipCapped(img, {
      file: names.img,
      maxBytes: need + GZIP_TRAILING_SLACK_BYTES,
      what: "NIfTI image",
    });
  }
  return decodeParts(hdr, h, img, names.img, opts, names.hdr);
}

interface Shape {
  readonly nx: number;
  readonly ny: number;
  readonly nz: number;
  readonly nt: number;
  readonly bytesPerVoxel: number;
  readonly typeName: string;
  readonly dataOffset: number;
}

function shapeOf(h: NiftiHeader, file: string, pair = false): Shape {
  const o = h.offsets;
  const dimStep = h.version === 1 ? 2 : 8;
  const nd = h.dim[0]!;
  if (!Number.isInteger(nd) || nd < 1 || nd > 7) {
    throw new AtsmError({
      code: "PARSE_ERROR",
      message: "dim[0] (number of dimensions) must be 1..7",
      value: nd,
      file,
      field: "dim[0]",
      byteOffset: o.dim,
      hint: "the header is corrupt or not NIfTI",
    });
  }
  const d = [1, 1, 1, 1, 1, 1, 1];
  for (let i = 1; i <= nd; i++) {
    const v = h.dim[i]!;
    if (!Number.isSafeInteger(v) || v < 1) {
      throw new AtsmError({
        code: "PARSE_ERROR",
        message: `dim[${i}] must be a positive integer`,
        value: v,
        file,
        field: `dim[${i}]`,
        byteOffset: o.dim + dimStep * i,
        hint: "the header is corrupt",
      });
    }
    d[i - 1] = v;
  }
  for (let i = 5; i <= nd; i++) {
    if (d[i - 1] !== 1) {
      throw new AtsmError({
        code: "UNSUPPORTED",
        message: `${nd}-D NIfTI with dim[${i}] = ${d[i - 1]} is not supported (only 3-D and 4-D)`,
        file,
        field: `dim[${i}]`,
        byteOffset: o.dim + dimStep * i,
        hint: "split the extra dimensions into separate files (e.g. fslsplit)",
      });
    }
  }
  let total = 1;
  for (let i = 0; i < 4; i++) total *= d[i]!;
  if (total > MAX_VOXELS) {
    throw new AtsmError({
      code: "LIMIT_EXCEEDED",
      message: `header declares ${d.slice(0, 4).join("×")} = ${total} voxels, more than the limit of ${MAX_VOXELS}`,
      value: total,
      file,
      field: "dim",
      byteOffset: o.dim,
      hint: "crop or downsample the image first; a header this large is usually corrupt",
    });
  }
  const dt = DATATYPES[h.datatype];
  if (!dt) {
    const known = UNSUPPORTED_TYPES[h.datatype];
    throw new AtsmError({
      code: known ? "UNSUPPORTED" : "PARSE_ERROR",
      message: known ? `NIfTI datatype ${known} is not supported` : "unknown NIfTI datatype code",
      value: h.datatype,
      file,
      field: "datatype",
      byteOffset: o.datatype,
      hint: "convert the image to a scalar type (uint8, int16, int32, float32, float64)",
    });
  }
  let off = h.voxOffset;
  if (!Number.isSafeInteger(off) || off < 0) {
    throw new AtsmError({
      code: "PARSE_ERROR",
      message: "vox_offset must be a non-negative integer",
      value: off,
      file,
      field: "vox_offset",
      byteOffset: o.voxOffset,
      hint: "the header is corrupt",
    });
  }
  if (!pair && h.singleFile && off < h.headerBytes) off = h.headerBytes + 4; // nifti1.h: data after header
  return {
    nx: d[0]!,
    ny: d[1]!,
    nz: d[2]!,
    nt: d[3]!,
    bytesPerVoxel: dt.bytes,
    typeName: dt.name,
    dataOffset: off,
  };
}

/** Byte index just past the image data, after validating the shape. */
function checkedDataEnd(h: NiftiHeader, file: string, pair = false): number {
  const s = shapeOf(h, file, pair);
  return s.dataOffset + s.nx * s.ny * s.nz * s.nt * s.bytesPerVoxel;
}

function decodeParts(
  h: NiftiHeader,
  hdrBytes: Uint8Array,
  img: Uint8Array,
  file: string,
  opts: DecodeOptions,
  hdrFile = file,
): DecodedNifti {
  const warnings: string[] = [];
  const s = shapeOf(h, hdrFile, hdrBytes !== img);
  const n3 = s.nx * s.ny * s.nz;
  const nAll = n3 * s.nt;
  const nbytes = nAll * s.bytesPerVoxel;
  if (s.dataOffset + nbytes > img.byteLength) {
    const e = truncated(file, "image data", s.dataOffset, nbytes, img.byteLength);
    throw new AtsmError({
      code: "TRUNCATED",
      message: `header promises ${nbytes} bytes of ${s.typeName} image data at byte ${s.dataOffset} (${s.nx}×${s.ny}×${s.nz}×${s.nt}), but the file has ${img.byteLength} bytes: truncated at byte ${img.byteLength} of ${s.dataOffset + nbytes}`,
      file,
      field: "image data",
      byteOffset: img.byteLength,
      ...(e.hint !== undefined ? { hint: e.hint } : {}),
    });
  }
  // Scaling, as nibabel get_slope_inter.
  let slope = h.sclSlope;
  let inter = h.sclInter;
  if (slope === 0 || !Number.isFinite(slope)) {
    slope = 1;
    inter = 0;
  } else if (!Number.isFinite(inter)) {
    throw new AtsmError({
      code: "PARSE_ERROR",
      message: "valid scl_slope but non-finite scl_inter",
      value: inter,
      file: hdrFile,
      field: "scl_inter",
      byteOffset: h.offsets.sclInter,
      hint: "set scl_inter to 0 (nibabel rejects this header too)",
    });
  }
  const data = new Float32Array(nAll);
  if (convertVoxels(img, s.dataOffset, h.datatype, h.littleEndian, slope, inter, data)) {
    checkFinite(data, s, file, opts, warnings);
  }

  // Geometry.
  const best = bestAffine(h, hdrFile);
  const ext = readAtsmExtension(parseNiftiExtensions(hdrBytes, h, hdrFile), h, best);
  const ras = ext.affineRas ?? best.ras;
  const fieldOf: Record<AffineSource, [string, number]> = {
    sform: ["srow_x", h.offsets.srow],
    qform: ["quatern_b", h.offsets.quatern],
    base: ["pixdim", h.offsets.pixdim],
  };
  const [field, byteOffset] = fieldOf[best.source];
  const dims: Vec3 = [s.nx, s.ny, s.nz];
  const fg = rasAffineToGrid(ras, dims, { file: hdrFile, field, byteOffset });
  if (fg.shearWarning) warnings.push(fg.shearWarning);
  const spaceUnit = h.xyztUnits & 0x07;
  if (spaceUnit === 1 || spaceUnit === 3) {
    warnings.push(
      `xyzt_units says space is in ${spaceUnit === 1 ? "metres" : "micrometres"}; the affine is used as mm (as nibabel does)`,
    );
  }
  const unit = ext.unit ?? "unknown";
  const g = fg.grid;
  const volume: Volume = {
    data: s.nt > 1 ? data.subarray(0, n3) : data,
    dims: g.dims,
    spacingMm: g.spacingMm,
    originMm: g.originMm,
    direction: g.direction,
    unit,
  };
  let dynamic: DynamicVolume | null = null;
  if (s.nt > 1) {
    const timing = defaultFrameTiming(h, s.nt, warnings);
    dynamic = {
      data,
      dims: g.dims,
      spacingMm: g.spacingMm,
      originMm: g.originMm,
      direction: g.direction,
      unit,
      frameStartS: timing.startS,
      frameDurationS: timing.durationS,
      decayCorrectedToS: null,
    };
  }
  return {
    volume,
    dynamic,
    version: h.version,
    datatype: s.typeName,
    affineSource: ext.affineRas ? best.source : best.source,
    description: h.descrip,
    modality: ext.modality,
    warnings,
  };
}

/** Frame timing from pixdim[4] and the time unit in xyzt_units (nifti1.h NIFTI_UNITS_*). */
function defaultFrameTiming(
  h: NiftiHeader,
  nt: number,
  warnings: string[],
): { startS: Float64Array; durationS: Float64Array } {
  const tUnit = h.xyztUnits & 0x38;
  const toS = tUnit === 16 ? 1e-3 : tUnit === 24 ? 1e-6 : 1; // 8 = s, 16 = ms, 24 = µs, 0 = unknown (s)
  let dt = h.pixdim[4]! * toS;
  if (!(dt > 0) || !Number.isFinite(dt)) {
    dt = 1;
    warnings.push("4-D NIfTI without frame timing (pixdim[4] ≤ 0): frames numbered at 1 s steps");
  } else {
    warnings.push(
      `frame timing from pixdim[4] (${dt} s per frame); add a BIDS-PET .json sidecar for real timing`,
    );
  }
  const startS = new Float64Array(nt);
  const durationS = new Float64Array(nt).fill(dt);
  for (let f = 0; f < nt; f++) startS[f] = f * dt;
  return { startS, durationS };
}

function checkFinite(
  data: Float32Array,
  s: Shape,
  file: string,
  opts: DecodeOptions,
  warnings: string[],
): void {
  const { count, first } = scanNonFinite(data, opts.nonFinite === "zero");
  if (count === 0) return;
  const n3 = s.nx * s.ny * s.nz;
  const i = first % s.nx;
  const j = Math.floor(first / s.nx) % s.ny;
  const k = Math.floor(first / (s.nx * s.ny)) % s.nz;
  const t = Math.floor(first / n3);
  const where = `(${i},${j},${k}${s.nt > 1 ? `,${t}` : ""})`;
  if (opts.nonFinite === "zero") {
    warnings.push(
      `${count} of ${data.length} voxels were NaN or ±Inf and were set to 0 (first at voxel ${where})`,
    );
    return;
  }
  throw new AtsmError({
    code: "NUMERIC",
    message: `${count} of ${data.length} voxels are NaN or ±Inf after scaling (first at voxel ${where})`,
    value: count,
    file,
    field: "image data",
    byteOffset: s.dataOffset + first * s.bytesPerVoxel,
    hint: 'replace them (e.g. numpy.nan_to_num) or read with { nonFinite: "zero" } to set them to 0',
  });
}
