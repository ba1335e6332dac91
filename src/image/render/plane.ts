/**
 * Display planes through a point, and resampling of any volume or mask onto them.
 *
 * Planes are axis-aligned in patient LPS space (not in voxel space), so PET and CT on different
 * grids (or oblique grids) land on the same pixels. Display conventions (radiological, as
 * DICOM viewers and 3D Slicer show them):
 * - axial: image right = patient left (+x), image down = posterior (+y); viewed from the feet.
 * - coronal: image right = patient left (+x), image down = inferior (−z); viewed from the front.
 * - sagittal: image right = posterior (+y), image down = inferior (−z); patient faces image left.
 *
 * Pixel (c, r) has its centre at  topLeftMm + (c + ½)·pixelMm·u + (r + ½)·pixelMm·v.
 */
import { invert3 } from "../../core/geometry.js";
import type { Grid, Mask, Vec3, Volume } from "../../core/types.js";

export type Orientation = "axial" | "coronal" | "sagittal";

export interface PlaneSpec {
  readonly orientation: Orientation;
  readonly width: number;
  readonly height: number;
  readonly pixelMm: number;
  /** LPS corner of the image (outer edge of pixel (0,0)). */
  readonly topLeftMm: Vec3;
  /** Unit LPS direction of increasing column. */
  readonly u: Vec3;
  /** Unit LPS direction of increasing row. */
  readonly v: Vec3;
}

/** Axis-aligned LPS bounding box of a grid (outer voxel edges), [min, max] per axis. */
export function gridBoundsMm(grid: Grid): { min: [number, number, number]; max: [number, number, number] } {
  const min: [number, number, number] = [Infinity, Infinity, Infinity];
  const max: [number, number, number] = [-Infinity, -Infinity, -Infinity];
  const d = grid.direction;
  for (let corner = 0; corner < 8; corner++) {
    const i = (corner & 1 ? grid.dims[0] : 0) - 0.5;
    const j = (corner & 2 ? grid.dims[1] : 0) - 0.5;
    const k = (corner & 4 ? grid.dims[2] : 0) - 0.5;
    const si = i * grid.spacingMm[0];
    const sj = j * grid.spacingMm[1];
    const sk = k * grid.spacingMm[2];
    for (let a = 0; a < 3; a++) {
      const w = grid.originMm[a]! + d[3 * a]! * si + d[3 * a + 1]! * sj + d[3 * a + 2]! * sk;
      if (w < min[a]!) min[a] = w;
      if (w > max[a]!) max[a] = w;
    }
  }
  return { min, max };
}

/**
 * The display plane of `orientation` through `pointMm`, covering the LPS bounding box of
 * `extentGrid`, with square pixels of `pixelMm` (default: the smallest in-plane spacing of the grid).
 */
export function makePlane(
  orientation: Orientation,
  pointMm: Vec3,
  extentGrid: Grid,
  pixelMm?: number,
): PlaneSpec {
  const { min, max } = gridBoundsMm(extentGrid);
  const px = pixelMm ?? Math.min(...extentGrid.spacingMm);
  const size = (a: number) => Math.max(1, Math.round((max[a]! - min[a]!) / px));
  if (orientation === "axial") {
    return {
      orientation,
      width: size(0),
      height: size(1),
      pixelMm: px,
      topLeftMm: [min[0], min[1], pointMm[2]],
      u: [1, 0, 0],
      v: [0, 1, 0],
    };
  }
  if (orientation === "coronal") {
    return {
      orientation,
      width: size(0),
      height: size(2),
      pixelMm: px,
      topLeftMm: [min[0], pointMm[1], max[2]],
      u: [1, 0, 0],
      v: [0, 0, -1],
    };
  }
  return {
    orientation,
    width: size(1),
    height: size(2),
    pixelMm: px,
    topLeftMm: [pointMm[0], min[1], max[2]],
    u: [0, 1, 0],
    v: [0, 0, -1],
  };
}

/** LPS centre of pixel (c, r) of a plane. */
export function planePixelToWorld(plane: PlaneSpec, c: number, r: number): [number, number, number] {
  const a = (c + 0.5) * plane.pixelMm;
  const b = (r + 0.5) * plane.pixelMm;
  return [
    plane.topLeftMm[0] + a * plane.u[0] + b * plane.v[0],
    plane.topLeftMm[1] + a * plane.u[1] + b * plane.v[1],
    plane.topLeftMm[2] + a * plane.u[2] + b * plane.v[2],
  ];
}

/** Continuous (column, row) of an LPS point projected on the plane. */
export function worldToPlanePixel(plane: PlaneSpec, p: Vec3): [number, number] {
  const d = [p[0] - plane.topLeftMm[0], p[1] - plane.topLeftMm[1], p[2] - plane.topLeftMm[2]];
  const a = d[0]! * plane.u[0] + d[1]! * plane.u[1] + d[2]! * plane.u[2];
  const b = d[0]! * plane.v[0] + d[1]! * plane.v[1] + d[2]! * plane.v[2];
  return [a / plane.pixelMm - 0.5, b / plane.pixelMm - 0.5];
}

/**
 * Continuous voxel index of pixel (0,0) and its increments per column and per row:
 * idx(c, r) = base + c·dc + r·dr  (index = (direction·diag(spacing))⁻¹ (world − origin)).
 */
function indexStepper(grid: Grid, plane: PlaneSpec): { base: number[]; dc: number[]; dr: number[] } {
  const m = new Float64Array(9);
  for (let r = 0; r < 3; r++)
    for (let c = 0; c < 3; c++) m[3 * r + c] = grid.direction[3 * r + c]! * grid.spacingMm[c]!;
  const inv = invert3(m);
  const apply = (x: number, y: number, z: number) => [
    inv[0]! * x + inv[1]! * y + inv[2]! * z,
    inv[3]! * x + inv[4]! * y + inv[5]! * z,
    inv[6]! * x + inv[7]! * y + inv[8]! * z,
  ];
  const p0 = planePixelToWorld(plane, 0, 0);
  const base = apply(p0[0] - grid.originMm[0], p0[1] - grid.originMm[1], p0[2] - grid.originMm[2]);
  const px = plane.pixelMm;
  const dc = apply(plane.u[0] * px, plane.u[1] * px, plane.u[2] * px);
  const dr = apply(plane.v[0] * px, plane.v[1] * px, plane.v[2] * px);
  return { base, dc, dr };
}

/**
 * Trilinear resampling of `vol` on the plane. Pixels outside the volume (beyond the outer voxel
 * centres by more than half a voxel) get `outside`; within the last half voxel the edge value is
 * held. Returns width×height values, row-major from the top-left.
 */
export function samplePlane(vol: Volume, plane: PlaneSpec, outside = 0, out?: Float32Array): Float32Array {
  const n = plane.width * plane.height;
  const res = out ?? new Float32Array(n);
  const { base, dc, dr } = indexStepper(vol, plane);
  const [nx, ny, nz] = vol.dims;
  const d = vol.data;
  const nxy = nx * ny;
  for (let r = 0; r < plane.height; r++) {
    for (let c = 0; c < plane.width; c++) {
      let fi = base[0]! + c * dc[0]! + r * dr[0]!;
      let fj = base[1]! + c * dc[1]! + r * dr[1]!;
      let fk = base[2]! + c * dc[2]! + r * dr[2]!;
      const o = c + r * plane.width;
      if (fi < -0.5 || fj < -0.5 || fk < -0.5 || fi > nx - 0.5 || fj > ny - 0.5 || fk > nz - 0.5) {
        res[o] = outside;
        continue;
      }
      fi = Math.min(Math.max(fi, 0), nx - 1);
      fj = Math.min(Math.max(fj, 0), ny - 1);
      fk = Math.min(Math.max(fk, 0), nz - 1);
      const i0 = Math.min(Math.floor(fi), Math.max(nx - 2, 0));
      const j0 = Math.min(Math.floor(fj), Math.max(ny - 2, 0));
      const k0 = Math.min(Math.floor(fk), Math.max(nz - 2, 0));
      const i1 = Math.min(i0 + 1, nx - 1);
      const j1 = Math.min(j0 + 1, ny - 1);
      const k1 = Math.min(k0 + 1, nz - 1);
      const ti = fi - i0;
      const tj = fj - j0;
      const tk = fk - k0;
      const a00 = d[i0 + nx * j0 + nxy * k0]! * (1 - ti) + d[i1 + nx * j0 + nxy * k0]! * ti;
      const a10 = d[i0 + nx * j1 + nxy * k0]! * (1 - ti) + d[i1 + nx * j1 + nxy * k0]! * ti;
      const a01 = d[i0 + nx * j0 + nxy * k1]! * (1 - ti) + d[i1 + nx * j0 + nxy * k1]! * ti;
      const a11 = d[i0 + nx * j1 + nxy * k1]! * (1 - ti) + d[i1 + nx * j1 + nxy * k1]! * ti;
      res[o] = (a00 * (1 - tj) + a10 * tj) * (1 - tk) + (a01 * (1 - tj) + a11 * tj) * tk;
    }
  }
  return res;
}

/** Nearest-neighbour resampling of a label mask on the plane (0 outside). */
export function sampleMaskPlane(mask: Mask, plane: PlaneSpec, out?: Uint8Array): Uint8Array {
  const res = out ?? new Uint8Array(plane.width * plane.height);
  const { base, dc, dr } = indexStepper(mask, plane);
  const [nx, ny, nz] = mask.dims;
  for (let r = 0; r < plane.height; r++) {
    for (let c = 0; c < plane.width; c++) {
      const i = Math.round(base[0]! + c * dc[0]! + r * dr[0]!);
      const j = Math.round(base[1]! + c * dc[1]! + r * dr[1]!);
      const k = Math.round(base[2]! + c * dc[2]! + r * dr[2]!);
      res[c + r * plane.width] =
        i < 0 || j < 0 || k < 0 || i >= nx || j >= ny || k >= nz ? 0 : mask.data[i + nx * (j + ny * k)]!;
    }
  }
  return res;
}

/**
 * Maximum-intensity projection of `vol` seen from the front (coronal MIP, projection along
 * +y/anterior–posterior), on a coronal plane covering the volume, sampling slabs every
 * `stepMm` (default: the smallest spacing).
 */
export function coronalMip(
  vol: Volume,
  pixelMm?: number,
  stepMm?: number,
): { plane: PlaneSpec; values: Float32Array } {
  const { min, max } = gridBoundsMm(vol);
  const step = stepMm ?? Math.min(...vol.spacingMm);
  const plane0 = makePlane("coronal", [0, min[1], 0], vol, pixelMm);
  const values = new Float32Array(plane0.width * plane0.height).fill(-Infinity);
  const tmp = new Float32Array(values.length);
  for (let y = min[1] + step / 2; y < max[1]; y += step) {
    const plane = { ...plane0, topLeftMm: [plane0.topLeftMm[0], y, plane0.topLeftMm[2]] as Vec3 };
    samplePlane(vol, plane, -Infinity, tmp);
    for (let p = 0; p < values.length; p++) if (tmp[p]! > values[p]!) values[p] = tmp[p]!;
  }
  for (let p = 0; p < values.length; p++) if (values[p] === -Infinity) values[p] = 0;
  return { plane: plane0, values };
}
