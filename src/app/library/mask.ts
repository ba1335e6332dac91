/**
 * Brush-edited VOIs from the viewer: a run-length encoded binary mask on the PET grid → a NIfTI-1
 * uint8 label map (label 1), gzipped, to store with `BlobStore.putBytes` and use as the spec
 * `mask:blob:<sha256>:1`.
 *
 * RLE: `runs` are alternating run lengths of background (0) and foreground (1) voxels, starting
 * with background (a mask that starts inside the VOI begins with a 0-length run), in our voxel
 * order: index i + nx·(j + ny·k) on the PET grid `dims` (the order of the viewer NIfTI's voxels).
 */
import zlib from "node:zlib";
import { AtsmError } from "../../core/errors.js";
import { type Grid, maskOnGrid } from "../../core/types.js";
import { encodeNiftiLabelMap } from "../../io/nifti/index.js";

/** Cap on the runs of one mask (a checkerboard of a 256³ grid would need 16.7 M). */
export const MAX_RLE_RUNS = 16 * 1024 * 1024;

function bad(message: string, value: unknown, hint: string): AtsmError {
  return new AtsmError({ code: "INVALID_ARGUMENT", message, value, field: "maskRle", hint });
}

/** Decode and validate the RLE (see file comment) and encode it as a gzipped NIfTI label map. */
export function maskFromRle(
  grid: Grid,
  rle: { readonly dims: readonly [number, number, number]; readonly runs: readonly number[] },
): Uint8Array {
  const dims = rle?.dims;
  if (
    !Array.isArray(dims) ||
    dims.length !== 3 ||
    dims[0] !== grid.dims[0] ||
    dims[1] !== grid.dims[1] ||
    dims[2] !== grid.dims[2]
  ) {
    throw bad("mask dims do not match the PET grid", dims, `draw on the PET grid ${grid.dims.join("×")}`);
  }
  const runs = rle.runs;
  if (!Array.isArray(runs) || runs.length === 0 || runs.length > MAX_RLE_RUNS) {
    throw bad(
      `runs must be a list of 1..${MAX_RLE_RUNS} lengths`,
      Array.isArray(runs) ? runs.length : runs,
      "send alternating background/foreground run lengths",
    );
  }
  const n = grid.dims[0] * grid.dims[1] * grid.dims[2];
  const data = new Uint8Array(n);
  let p = 0;
  let inside = 0;
  for (let r = 0; r < runs.length; r++) {
    const len = runs[r];
    if (typeof len !== "number" || !Number.isInteger(len) || len < 0 || len > n - p) {
      throw bad(
        len !== undefined && Number.isInteger(len) && len > n - p
          ? `runs add up to more than the ${n} voxels of the grid`
          : `run ${r} is not a non-negative integer`,
        len,
        "run lengths must be whole numbers that add up to nx·ny·nz",
      );
    }
    if (r % 2 === 1) {
      data.fill(1, p, p + len);
      inside += len;
    }
    p += len;
  }
  if (p !== n)
    throw bad(`runs add up to ${p} voxels, not the ${n} of the grid`, p, "send runs for every voxel");
  if (inside === 0) {
    throw new AtsmError({
      code: "EMPTY_VOI",
      message: "the brushed mask is empty",
      field: "maskRle",
      hint: "paint at least one voxel",
    });
  }
  const mask = maskOnGrid(grid, data, new Map([[1, "brush"]]));
  return zlib.gzipSync(encodeNiftiLabelMap(mask, "ATSM brush VOI"), { level: 6 });
}
