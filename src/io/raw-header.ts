/**
 * Pieces shared by the readers of raw images with a text header (Interfile, Inveon): header-field
 * errors, the voxel-count cap and the NaN/±Inf policy, with the same messages for both formats.
 */
import { AtsmError } from "../core/errors.js";
import { MAX_VOXELS } from "./nifti/decode.js";
import { scanNonFinite } from "./nifti/raw.js";

/** One `key := value` line of a text header: the value and its 1-based line number. */
export interface TextHeaderField {
  readonly value: string;
  readonly line: number;
}

/** PARSE_ERROR naming the header key, its value and line (when the key is present). */
export function headerFieldError(
  file: string,
  key: string,
  f: TextHeaderField | undefined,
  message: string,
  hint: string,
): AtsmError {
  return new AtsmError({
    code: "PARSE_ERROR",
    message,
    value: f?.value,
    file,
    field: key,
    ...(f ? { row: f.line } : {}),
    hint,
  });
}

/**
 * Throw LIMIT_EXCEEDED when nx·ny·nz·nt exceeds `MAX_VOXELS`; `field`/`f` name the header key the
 * dimensions came from.
 */
export function checkVoxelLimit(
  dims: readonly [number, number, number, number],
  file: string,
  field: string,
  f: TextHeaderField | undefined,
): void {
  const [nx, ny, nz, nt] = dims;
  const total = nx * ny * nz * nt;
  if (total > MAX_VOXELS) {
    throw new AtsmError({
      code: "LIMIT_EXCEEDED",
      message: `header declares ${nx}×${ny}×${nz}×${nt} = ${total} voxels, more than the limit of ${MAX_VOXELS}`,
      value: total,
      file,
      field,
      ...(f ? { row: f.line } : {}),
      hint: "a header this large is usually corrupt; crop or split the image first",
    });
  }
}

/**
 * NaN/±Inf policy after scaling. When `mayBeNonFinite` (from `convertVoxels`), scan `data`: with
 * `nonFinite: "zero"` the values are set to 0 and a warning is pushed; otherwise NUMERIC is thrown
 * at the byte offset `byteOffsetOf(first bad voxel index)` of the data file.
 */
export function applyNonFinitePolicy(
  data: Float32Array,
  mayBeNonFinite: boolean,
  nonFinite: "error" | "zero" | undefined,
  file: string,
  byteOffsetOf: (voxel: number) => number,
  warnings: string[],
): void {
  const nf = mayBeNonFinite ? scanNonFinite(data, nonFinite === "zero") : { count: 0, first: -1 };
  if (nf.count === 0) return;
  if (nonFinite !== "zero") {
    throw new AtsmError({
      code: "NUMERIC",
      message: `${nf.count} of ${data.length} voxels are NaN or ±Inf after scaling`,
      value: nf.count,
      file,
      field: "image data",
      byteOffset: byteOffsetOf(nf.first),
      hint: 'replace them at the source or read with { nonFinite: "zero" } to set them to 0',
    });
  }
  warnings.push(`${nf.count} of ${data.length} voxels were NaN or ±Inf and were set to 0`);
}
