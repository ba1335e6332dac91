/**
 * Voxel <-> world (LPS mm) transforms. See the convention in `types.ts`.
 */
import type { Grid, Vec3 } from "./types.js";

/** World (LPS mm) position of continuous voxel index (i, j, k). Writes into `out` if given. */
export function voxelToWorld(
  grid: Grid,
  i: number,
  j: number,
  k: number,
  out: number[] = [0, 0, 0],
): number[] {
  const d = grid.direction;
  const si = i * grid.spacingMm[0];
  const sj = j * grid.spacingMm[1];
  const sk = k * grid.spacingMm[2];
  out[0] = grid.originMm[0] + d[0]! * si + d[1]! * sj + d[2]! * sk;
  out[1] = grid.originMm[1] + d[3]! * si + d[4]! * sj + d[5]! * sk;
  out[2] = grid.originMm[2] + d[6]! * si + d[7]! * sj + d[8]! * sk;
  return out;
}

/**
 * Continuous voxel index of a world (LPS mm) point. Uses the inverse of direction·diag(spacing);
 * for orthonormal direction cosines the inverse of `direction` is its transpose.
 */
export function worldToVoxel(
  grid: Grid,
  x: number,
  y: number,
  z: number,
  out: number[] = [0, 0, 0],
): number[] {
  const inv = invert3(grid.direction);
  const dx = x - grid.originMm[0];
  const dy = y - grid.originMm[1];
  const dz = z - grid.originMm[2];
  out[0] = (inv[0]! * dx + inv[1]! * dy + inv[2]! * dz) / grid.spacingMm[0];
  out[1] = (inv[3]! * dx + inv[4]! * dy + inv[5]! * dz) / grid.spacingMm[1];
  out[2] = (inv[6]! * dx + inv[7]! * dy + inv[8]! * dz) / grid.spacingMm[2];
  return out;
}

/** 4×4 row-major affine mapping voxel index (i,j,k,1) to LPS mm. */
export function gridToAffineLps(grid: Grid): Float64Array {
  const d = grid.direction;
  const s = grid.spacingMm;
  const o = grid.originMm;
  return new Float64Array([
    d[0]! * s[0],
    d[1]! * s[1],
    d[2]! * s[2],
    o[0],
    d[3]! * s[0],
    d[4]! * s[1],
    d[5]! * s[2],
    o[1],
    d[6]! * s[0],
    d[7]! * s[1],
    d[8]! * s[2],
    o[2],
    0,
    0,
    0,
    1,
  ]);
}

/** General 3×3 inverse (row-major). Throws on a singular matrix. */
export function invert3(m: ArrayLike<number>): Float64Array {
  return cofactorInverse3(m, true);
}

/**
 * 3×3 inverse (row-major) by cofactors, without the singularity check of `invert3`: a singular
 * matrix gives ±Infinity/NaN entries. For iterations whose input is known to be well conditioned.
 */
export function invert3Unchecked(m: ArrayLike<number>): Float64Array {
  return cofactorInverse3(m, false);
}

function cofactorInverse3(m: ArrayLike<number>, check: boolean): Float64Array {
  const a = m[0]!,
    b = m[1]!,
    c = m[2]!,
    d = m[3]!,
    e = m[4]!,
    f = m[5]!,
    g = m[6]!,
    h = m[7]!,
    i = m[8]!;
  const A = e * i - f * h;
  const B = -(d * i - f * g);
  const C = d * h - e * g;
  const det = a * A + b * B + c * C;
  if (check && (!Number.isFinite(det) || Math.abs(det) < 1e-12))
    throw new RangeError("singular direction matrix");
  const r = 1 / det;
  return new Float64Array([
    A * r,
    -(b * i - c * h) * r,
    (b * f - c * e) * r,
    B * r,
    (a * i - c * g) * r,
    -(a * f - c * d) * r,
    C * r,
    -(a * h - b * g) * r,
    (a * e - b * d) * r,
  ]);
}

/**
 * Origin (LPS mm, centre of voxel 0) of an identity-direction grid whose field of view is centred
 * on (0, 0, 0): originMm[a] = −(n[a] − 1)/2 · spacingMm[a].
 */
export function centredOriginMm(dims: readonly [number, number, number], spacingMm: Vec3): Vec3 {
  return [
    (-(dims[0] - 1) / 2) * spacingMm[0],
    (-(dims[1] - 1) / 2) * spacingMm[1],
    (-(dims[2] - 1) / 2) * spacingMm[2],
  ];
}

/** Volume of one voxel in mL (mm³ / 1000). */
export function voxelVolumeMl(spacingMm: Vec3): number {
  return (spacingMm[0] * spacingMm[1] * spacingMm[2]) / 1000; // mm³ -> mL
}

/** Cross product a × b. */
export function cross(a: Vec3, b: Vec3): [number, number, number] {
  return [a[1] * b[2] - a[2] * b[1], a[2] * b[0] - a[0] * b[2], a[0] * b[1] - a[1] * b[0]];
}

export function dot(a: Vec3, b: Vec3): number {
  return a[0] * b[0] + a[1] * b[1] + a[2] * b[2];
}
