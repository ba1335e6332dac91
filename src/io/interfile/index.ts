/**
 * Interfile 3.3 image reader (`.hv` / `.h33` header + raw data file).
 *
 * Keys used (see header.ts for the reference):
 *   name of data file (relative to the header's folder; may be gzipped), data offset in bytes
 *   (or data starting block × 2048), matrix size [1..3], scaling factor (mm/pixel) [1..3],
 *   number format (signed integer | unsigned integer | float | short float | long float),
 *   number of bytes per pixel, imagedata byte order (BIGENDIAN is the 3.3 default),
 *   number of time frames, image relative start time (sec) [f], image duration (sec) [f],
 *   first pixel offset (mm) [1..3] (STIR), quantification units, scale factor /
 *   data rescale slope / data rescale offset, isotope name.
 * Values: stored × (scale factor or data rescale slope) + data rescale offset; a numeric
 * `quantification units` is a further factor, a text one (e.g. "Bq/ml") names the unit.
 * Geometry: identity direction; origin = first pixel offset (mm) when given, else the field of
 * view centred on 0 (with a warning), because Interfile 3.3 has no patient coordinate system.
 */
import { dirname, isAbsolute, join } from "node:path";
import { AtsmError } from "../../core/errors.js";
import { centredOriginMm } from "../../core/geometry.js";
import { type DynamicVolume, identityDirection, type Vec3, type Volume } from "../../core/types.js";
import { findNuclide } from "../../physics/nuclides.js";
import { emptyPetInstanceMetadata } from "../../quant/suv/metadata.js";
import { gunzipCapped, isGzip } from "../gzip.js";
import { GZIP_TRAILING_SLACK_BYTES } from "../nifti/decode.js";
import { isFile, readFileBytes, readTextFile } from "../nifti/files.js";
import { convertVoxels } from "../nifti/raw.js";
import { applyNonFinitePolicy, checkVoxelLimit, headerFieldError } from "../raw-header.js";
import type { LoadedSeries, SeriesModality } from "../types.js";
import { type InterfileField, parseInterfileHeader } from "./header.js";

export { normaliseInterfileKey, parseInterfileHeader } from "./header.js";

type Fields = ReadonlyMap<string, InterfileField>;

export interface InterfileDecodeOptions {
  /** NaN/±Inf voxels: "error" (default) or "zero" (set to 0 with a warning). */
  readonly nonFinite?: "error" | "zero";
}

function num(h: Fields, key: string, file: string): number | null {
  const f = h.get(key);
  if (!f || f.value === "") return null;
  const v = Number(f.value);
  if (!Number.isFinite(v))
    throw headerFieldError(file, key, f, `${key} is not a number`, "fix the header value");
  return v;
}

/** NIfTI datatype code for an Interfile number format and byte count. */
function dataType(h: Fields, file: string): { nifti: number; bytes: number; name: string } {
  const fmtF = h.get("number format");
  const fmt = (fmtF?.value ?? "unsigned integer").toLowerCase().trim();
  const bytesF = h.get("number of bytes per pixel");
  const bytes =
    num(h, "number of bytes per pixel", file) ?? (fmt === "long float" ? 8 : fmt.includes("float") ? 4 : 2);
  const table: Record<string, Record<number, number>> = {
    "signed integer": { 1: 256, 2: 4, 4: 8 },
    "unsigned integer": { 1: 2, 2: 512, 4: 768 },
    float: { 4: 16, 8: 64 },
    "short float": { 4: 16 },
    "long float": { 8: 64 },
  };
  const code = table[fmt]?.[bytes];
  if (code === undefined) {
    throw new AtsmError({
      code: table[fmt] ? "PARSE_ERROR" : "UNSUPPORTED",
      message: `unsupported number format "${fmt}" with ${bytes} bytes per pixel`,
      file,
      field: table[fmt] ? "number of bytes per pixel" : "number format",
      ...((table[fmt] ? bytesF : fmtF) ? { row: (table[fmt] ? bytesF : fmtF)!.line } : {}),
      hint: "supported: signed/unsigned integer (1, 2, 4 bytes), float (4, 8 bytes)",
    });
  }
  return { nifti: code, bytes, name: `${fmt} ${bytes}-byte` };
}

interface Layout {
  readonly nx: number;
  readonly ny: number;
  readonly nz: number;
  readonly nt: number;
  readonly spacingMm: Vec3;
  readonly dt: { nifti: number; bytes: number; name: string };
  readonly littleEndian: boolean;
  readonly offset: number;
}

/** Image layout from the header, validated (dims, cap, spacing, type, byte order, offset). */
function layoutOf(h: Fields, file: string): Layout {
  const dims: number[] = [];
  for (let i = 1; i <= 3; i++) {
    const key = `matrix size[${i}]`;
    const v =
      i === 3 && !h.has(key)
        ? (num(h, "number of images", file) ?? num(h, "total number of images", file) ?? 1)
        : num(h, key, file);
    if (v === null || !Number.isSafeInteger(v) || v < 1) {
      throw headerFieldError(
        file,
        key,
        h.get(key),
        `${key} must be a positive integer`,
        "fix the matrix size in the header",
      );
    }
    dims.push(v);
  }
  const [nx, ny, nz] = dims as [number, number, number];
  const nt = num(h, "number of time frames", file) ?? 1;
  if (!Number.isSafeInteger(nt) || nt < 1) {
    throw headerFieldError(
      file,
      "number of time frames",
      h.get("number of time frames"),
      "number of time frames must be a positive integer",
      "fix the header",
    );
  }
  checkVoxelLimit([nx, ny, nz, nt], file, "matrix size", h.get("matrix size[1]"));
  const spacing: number[] = [];
  for (let i = 1; i <= 3; i++) {
    const key = `scaling factor (mm/pixel)[${i}]`;
    const v = num(h, key, file) ?? (i === 3 ? num(h, "slice thickness (pixels)", file) : null);
    if (v === null) {
      throw new AtsmError({
        code: "MISSING_INPUT",
        message: `${key} is missing`,
        file,
        field: key,
        hint: "add `scaling factor (mm/pixel) [1..3] :=` to the header",
      });
    }
    if (!(v > 0))
      throw headerFieldError(
        file,
        key,
        h.get(key),
        `voxel size ${key} must be > 0`,
        "fix the voxel size in the header",
      );
    spacing.push(v);
  }
  const spacingMm: Vec3 = [spacing[0]!, spacing[1]!, spacing[2]!];
  const dt = dataType(h, file);
  const order = (h.get("imagedata byte order")?.value ?? "BIGENDIAN").toUpperCase().replace(/[\s_-]/g, "");
  if (order !== "BIGENDIAN" && order !== "LITTLEENDIAN") {
    throw headerFieldError(
      file,
      "imagedata byte order",
      h.get("imagedata byte order"),
      "imagedata byte order must be BIGENDIAN or LITTLEENDIAN",
      "fix the header",
    );
  }
  const block = num(h, "data starting block", file);
  const offset = num(h, "data offset in bytes", file) ?? (block !== null ? block * 2048 : 0);
  if (!Number.isSafeInteger(offset) || offset < 0) {
    throw headerFieldError(
      file,
      "data offset in bytes",
      h.get("data offset in bytes"),
      "data offset must be a non-negative integer",
      "fix the header",
    );
  }
  return { nx, ny, nz, nt, spacingMm, dt, littleEndian: order === "LITTLEENDIAN", offset };
}

/** Decode an Interfile header text and its data bytes. */
export function decodeInterfile(
  headerText: string,
  data: Uint8Array,
  names: { header: string; data: string },
  opts: InterfileDecodeOptions = {},
): LoadedSeries {
  const file = names.header;
  const h = parseInterfileHeader(headerText, file);
  const warnings: string[] = [];
  const { nx, ny, nz, nt, spacingMm, dt, littleEndian, offset } = layoutOf(h, file);
  const total = nx * ny * nz * nt;
  const nbytes = total * dt.bytes;
  if (offset + nbytes > data.byteLength) {
    throw new AtsmError({
      code: "TRUNCATED",
      message: `header promises ${nbytes} bytes (${nx}×${ny}×${nz}×${nt}, ${dt.name}) at byte ${offset}, but the data file has ${data.byteLength} bytes: truncated at byte ${data.byteLength} of ${offset + nbytes}`,
      file: names.data,
      field: "name of data file",
      byteOffset: data.byteLength,
      hint: "the data file is incomplete or belongs to another header",
    });
  }
  // Scaling.
  const slope =
    num(h, "scale factor", file) ??
    num(h, "data rescale slope", file) ??
    num(h, "image scaling factor[1]", file) ??
    1;
  const inter = num(h, "data rescale offset", file) ?? 0;
  const qu = h.get("quantification units")?.value ?? "";
  const quNum = qu !== "" && Number.isFinite(Number(qu)) ? Number(qu) : null;
  const k = slope * (quNum ?? 1);
  let unit = quNum === null && qu !== "" ? qu : "unknown";
  if (/^bq\s*\/\s*(ml|cc|cm3|cm\^3)$/i.test(unit)) unit = "Bq/mL";
  const out = new Float32Array(total);
  const check = convertVoxels(data, offset, dt.nifti, littleEndian, k, inter * (quNum ?? 1), out);
  applyNonFinitePolicy(out, check, opts.nonFinite, names.data, (v) => offset + v * dt.bytes, warnings);
  // Geometry.
  const fpo = [1, 2, 3].map((i) => num(h, `first pixel offset (mm)[${i}]`, file));
  let originMm: Vec3;
  if (fpo.every((v) => v !== null)) originMm = [fpo[0]!, fpo[1]!, fpo[2]!];
  else {
    originMm = centredOriginMm([nx, ny, nz], spacingMm);
    warnings.push("no first pixel offset (mm): field of view centred on 0");
  }
  warnings.push("Interfile has no patient orientation: identity direction assumed");
  const direction = identityDirection();
  const n3 = nx * ny * nz;
  const volume: Volume = {
    data: nt > 1 ? out.subarray(0, n3) : out,
    dims: [nx, ny, nz],
    spacingMm,
    originMm,
    direction,
    unit,
  };
  let dynamic: DynamicVolume | null = null;
  const startS = new Float64Array(nt);
  const durS = new Float64Array(nt);
  let missing = false;
  for (let f = 0; f < nt; f++) {
    const s = num(h, `image relative start time (sec)[${f + 1}]`, file);
    const d = num(h, `image duration (sec)[${f + 1}]`, file);
    if (s === null || d === null) missing = true;
    startS[f] = s ?? f;
    durS[f] = d ?? 1;
  }
  if (nt > 1) {
    if (missing) warnings.push("frame start/duration missing: frames numbered at 1 s steps");
    dynamic = { ...volume, data: out, frameStartS: startS, frameDurationS: durS, decayCorrectedToS: null };
  }
  const modText = (h.get("imaging modality")?.value ?? h.get("type of data")?.value ?? "").toLowerCase();
  const modality: SeriesModality = modText.includes("pet")
    ? "PT"
    : modText.includes("nucmed") || modText.includes("spect")
      ? "NM"
      : "OT";
  const isotope = h.get("isotope name")?.value ?? null;
  const petInstances =
    modality === "PT"
      ? [
          {
            ...emptyPetInstanceMetadata(),
            Units: unit === "Bq/mL" ? "BQML" : null,
            RadionuclideHalfLife: isotope ? (findNuclide(isotope)?.halfLifeS ?? null) : null,
            RadionuclideCodeMeaning: isotope,
            ActualFrameDuration: missing ? null : durS[0]! * 1000,
          },
        ]
      : [];
  return {
    source: names.header,
    format: "interfile",
    modality,
    seriesInstanceUid: null,
    seriesDescription: h.get("study id")?.value || h.get("patient name")?.value || names.header,
    volume,
    dynamic,
    petInstances,
    frameStartEpochMs: null,
    warnings,
  };
}

/** Read an Interfile 3.3 image from its header (`.hv`, `.h33`). */
export async function readInterfile(
  path: string,
  opts: InterfileDecodeOptions = {},
): Promise<LoadedSeries[]> {
  const text = await readTextFile(path);
  const h = parseInterfileHeader(text, path);
  const nameF = h.get("name of data file");
  if (!nameF || nameF.value === "") {
    throw new AtsmError({
      code: "MISSING_INPUT",
      message: "Interfile header has no `name of data file`",
      file: path,
      field: "name of data file",
      hint: "add `name of data file := <file>` naming the raw data next to the header",
    });
  }
  const dataPath = isAbsolute(nameF.value) ? nameF.value : join(dirname(path), nameF.value);
  if (!(await isFile(dataPath))) {
    throw new AtsmError({
      code: "NOT_FOUND",
      message: "Interfile data file not found",
      value: nameF.value,
      file: path,
      field: "name of data file",
      row: nameF.line,
      hint: "keep the data file next to the header or fix `name of data file`",
    });
  }
  let bytes = await readFileBytes(dataPath);
  if (isGzip(bytes)) {
    // Cap: the bytes the header promises plus slack.
    const l = layoutOf(h, path);
    const need = l.offset + l.nx * l.ny * l.nz * l.nt * l.dt.bytes;
    bytes = gunzipCapped(bytes, {
      file: dataPath,
      maxBytes: need + GZIP_TRAILING_SLACK_BYTES,
      what: "Interfile data",
    });
  }
  return [decodeInterfile(text, bytes, { header: path, data: dataPath }, opts)];
}
