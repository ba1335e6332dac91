/**
 * Voxel ↔ world geometry of a viewer volume, in the server's convention (src/core/geometry.ts): LPS mm,
 * `world = origin + direction · diag(spacing) · (i, j, k)`, direction row-major with column c the LPS
 * direction of voxel axis c, voxel index `i + nx*(j + ny*k)`.
 *
 * NiiVue works in RAS mm (NIfTI sform). The server's NIfTI carries the nibabel rule sform
 * `diag(-1,-1,1) · LPS affine` with the voxels in the same order, so the only conversion at this edge is
 * `LPS = (-R, -A, S)` (and back: the map is its own inverse).
 */
import type { Vec3, VolumeInfo } from "../types.js";

export type Grid = Pick<VolumeInfo, "dims" | "spacingMm" | "originMm" | "direction">;

/** RAS mm (NiiVue) ↔ LPS mm (core, VOI specs): flip x and y. Its own inverse. */
export function rasToLps(p: ArrayLike<number>): Vec3 {
  return [-(p[0] ?? 0), -(p[1] ?? 0), p[2] ?? 0];
}
export const lpsToRas = rasToLps;

export function voxelToWorld(g: Grid, i: number, j: number, k: number): Vec3 {
  const d = g.direction;
  const si = i * g.spacingMm[0];
  const sj = j * g.spacingMm[1];
  const sk = k * g.spacingMm[2];
  return [
    g.originMm[0] + (d[0] ?? 0) * si + (d[1] ?? 0) * sj + (d[2] ?? 0) * sk,
    g.originMm[1] + (d[3] ?? 0) * si + (d[4] ?? 0) * sj + (d[5] ?? 0) * sk,
    g.originMm[2] + (d[6] ?? 0) * si + (d[7] ?? 0) * sj + (d[8] ?? 0) * sk,
  ];
}

/** Continuous voxel index of an LPS point (direction assumed orthonormal: inverse = transpose). */
export function worldToVoxel(g: Grid, p: Vec3): Vec3 {
  const d = g.direction;
  const x = p[0] - g.originMm[0];
  const y = p[1] - g.originMm[1];
  const z = p[2] - g.originMm[2];
  return [
    ((d[0] ?? 0) * x + (d[3] ?? 0) * y + (d[6] ?? 0) * z) / g.spacingMm[0],
    ((d[1] ?? 0) * x + (d[4] ?? 0) * y + (d[7] ?? 0) * z) / g.spacingMm[1],
    ((d[2] ?? 0) * x + (d[5] ?? 0) * y + (d[8] ?? 0) * z) / g.spacingMm[2],
  ];
}

/** Inclusive voxel index bounds (clamped to the grid) of the LPS axis-aligned box [lo, hi]. */
export function voxelBounds(g: Grid, lo: Vec3, hi: Vec3): { min: Vec3; max: Vec3 } | null {
  const min = [Infinity, Infinity, Infinity];
  const max = [-Infinity, -Infinity, -Infinity];
  for (let c = 0; c < 8; c++) {
    const v = worldToVoxel(g, [c & 1 ? hi[0] : lo[0], c & 2 ? hi[1] : lo[1], c & 4 ? hi[2] : lo[2]]);
    for (let a = 0; a < 3; a++) {
      min[a] = Math.min(min[a] ?? 0, v[a] ?? 0);
      max[a] = Math.max(max[a] ?? 0, v[a] ?? 0);
    }
  }
  const out = { min: [0, 0, 0] as [number, number, number], max: [0, 0, 0] as [number, number, number] };
  for (let a = 0; a < 3; a++) {
    out.min[a] = Math.max(0, Math.floor(min[a] ?? 0));
    out.max[a] = Math.min(g.dims[a]! - 1, Math.ceil(max[a] ?? 0));
    if (out.min[a]! > out.max[a]!) return null;
  }
  return out;
}

export function voxelCount(g: Grid): number {
  return g.dims[0] * g.dims[1] * g.dims[2];
}

/** Format an LPS point for specs and read-outs: 1 decimal, no "-0.0". */
export function fmtMm(v: number): string {
  const s = v.toFixed(1);
  return s === "-0.0" ? "0.0" : s;
}
export function fmtPoint(p: Vec3): string {
  return p.map(fmtMm).join(",");
}
