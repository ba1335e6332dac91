/**
 * Fine truth grid → scanner grid by block averaging with integer factors per axis (each scanner
 * voxel is the mean of its f_x·f_y·f_z fine voxels, i.e. the voxel's box response). Mean
 * concentration × volume, hence total activity, is conserved when the fine dims are multiples
 * of the factors.
 */
import { AtsmError } from "../core/errors.js";
import type { Vec3i } from "../core/types.js";

export function blockAverage(
  data: Float32Array,
  dims: Vec3i,
  factor: Vec3i,
  out?: Float32Array,
): { data: Float32Array; dims: Vec3i } {
  for (let a = 0; a < 3; a++) {
    const f = factor[a]!;
    if (!Number.isInteger(f) || f < 1 || dims[a]! % f !== 0) {
      throw new AtsmError({
        code: "INVALID_ARGUMENT",
        message: `downsampling factor ${f} does not divide axis ${a} of length ${dims[a]}`,
        value: f,
        field: "factor",
        hint: "choose a fine grid whose dimensions are multiples of the factors",
      });
    }
  }
  const [fx, fy, fz] = factor;
  const cd: Vec3i = [dims[0] / fx, dims[1] / fy, dims[2] / fz];
  const res = out ?? new Float32Array(cd[0] * cd[1] * cd[2]);
  res.fill(0);
  const [nx, ny, nz] = dims;
  const inv = 1 / (fx * fy * fz);
  for (let k = 0; k < nz; k++)
    for (let j = 0; j < ny; j++) {
      const crow = cd[0] * (Math.floor(j / fy) + cd[1] * Math.floor(k / fz));
      const frow = nx * (j + ny * k);
      for (let i = 0; i < nx; i++) res[crow + Math.floor(i / fx)]! += inv * data[frow + i]!;
    }
  return { data: res, dims: cd };
}
