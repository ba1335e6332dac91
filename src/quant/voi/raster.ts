/**
 * A VOI rasterised on an image grid, and the geometric VOIs (sphere, box).
 *
 * ## Partial-voxel handling (one rule for every VOI kind)
 * Each listed voxel carries two things:
 * - `weight` ∈ [0, 1]: the fraction of the voxel's volume inside the VOI. For spheres and boxes it is
 *   found by k×k×k supersampling (default k = 5: the fraction of the k³ sub-voxel centres, placed at
 *   (s + ½)/k − ½ voxel along each axis, that fall inside). Voxels whose whole bounding cube lies
 *   inside get exactly 1; on axis-aligned grids a box's weight is the exact product of the three
 *   1-D overlaps. Threshold / component / grow VOIs keep the weights of the VOI they select from;
 *   mask VOIs get 1 (same grid) or the supersampled coverage (resampled, see `maskToVoi`).
 * - `inside` (binary membership): 1 when the voxel CENTRE lies inside the VOI (for masks: the
 *   nearest-neighbour label at the centre).
 *
 * Which metric uses which (see `metrics.ts`): volume, mean, SD, total uptake, hypoxic volume and the
 * T/M histogram are weighted by `weight`; max, min, the SUVpeak search (sphere centres), voxel count,
 * thresholds, components and region growing use the binary `inside` voxels.
 */
import { AtsmError } from "../../core/errors.js";
import { voxelToWorld, worldToVoxel } from "../../core/geometry.js";
import type { Grid, Mask, Vec3 } from "../../core/types.js";
import { maskOnGrid, voxelCount } from "../../core/types.js";

/** A VOI on a grid: sparse list of voxels with fractional weight and binary membership. */
export interface VoiRaster {
  /** Canonical VOI spec text (`formatVoiSpec`), used in every message and result. */
  readonly spec: string;
  readonly grid: Grid;
  /** Ascending linear voxel indices (i + nx·(j + ny·k)) with weight > 0 or centre inside. */
  readonly index: Int32Array;
  /** Fraction of each listed voxel's volume inside the VOI, [0, 1]. */
  readonly weight: Float32Array;
  /** 1 where the listed voxel's centre is inside (binary VOI), else 0. */
  readonly inside: Uint8Array;
  /** Number of binary (`inside`) voxels. */
  readonly insideCount: number;
  /** True when part of the VOI's region lies outside the image (the VOI was cut at the border). */
  readonly clipped: boolean;
}

/** Default supersampling per axis for partial-voxel weights (k³ = 125 samples per boundary voxel). */
export const DEFAULT_SUPERSAMPLE = 5;

/** Build a VoiRaster from parallel arrays (copied to exact length). */
export function makeVoiRaster(
  spec: string,
  grid: Grid,
  index: Int32Array,
  weight: Float32Array,
  inside: Uint8Array,
  count: number,
  clipped: boolean,
): VoiRaster {
  let insideCount = 0;
  for (let n = 0; n < count; n++) insideCount += inside[n]!;
  return {
    spec,
    grid,
    index: index.slice(0, count),
    weight: weight.slice(0, count),
    inside: inside.slice(0, count),
    insideCount,
    clipped,
  };
}

/**
 * Binary VOI of the listed voxels: weight 1, every voxel inside, not clipped. `index` (ascending,
 * exact length) is kept, not copied.
 */
export function binaryVoiRaster(spec: string, grid: Grid, index: Int32Array): VoiRaster {
  const n = index.length;
  return {
    spec,
    grid,
    index,
    weight: new Float32Array(n).fill(1),
    inside: new Uint8Array(n).fill(1),
    insideCount: n,
    clipped: false,
  };
}

/** Voxel-space (continuous index) bounding box of a world-space axis-aligned box. */
function indexBounds(grid: Grid, minMm: Vec3, maxMm: Vec3): { lo: number[]; hi: number[] } {
  const lo = [Infinity, Infinity, Infinity];
  const hi = [-Infinity, -Infinity, -Infinity];
  const v = [0, 0, 0];
  for (let c = 0; c < 8; c++) {
    worldToVoxel(
      grid,
      c & 1 ? maxMm[0] : minMm[0],
      c & 2 ? maxMm[1] : minMm[1],
      c & 4 ? maxMm[2] : minMm[2],
      v,
    );
    for (let a = 0; a < 3; a++) {
      lo[a] = Math.min(lo[a]!, v[a]!);
      hi[a] = Math.max(hi[a]!, v[a]!);
    }
  }
  return { lo, hi };
}

interface Range {
  i0: number;
  i1: number;
  j0: number;
  j1: number;
  k0: number;
  k1: number;
  clipped: boolean;
}

/** Integer voxel range (inclusive) touched by a continuous-index box, clamped to the image. */
function clampRange(spec: string, grid: Grid, lo: number[], hi: number[]): Range {
  const [nx, ny, nz] = grid.dims;
  // A voxel n spans [n − ½, n + ½] in index space.
  const a = lo.map((x) => Math.ceil(x - 0.5 - 1e-9));
  const b = hi.map((x) => Math.floor(x + 0.5 + 1e-9));
  const n = [nx, ny, nz];
  let clipped = false;
  for (let d = 0; d < 3; d++) {
    if (b[d]! < 0 || a[d]! > n[d]! - 1) {
      throw new AtsmError({
        code: "EMPTY_VOI",
        message: `VOI ${spec} lies outside the image`,
        hint:
          `the image spans voxel indices 0..${nx - 1}, 0..${ny - 1}, 0..${nz - 1}; give coordinates in ` +
          "LPS mm of the PET image (check the sign of x and y: LPS, not RAS)",
      });
    }
    if (a[d]! < 0 || b[d]! > n[d]! - 1) clipped = true;
  }
  return {
    i0: Math.max(0, a[0]!),
    i1: Math.min(nx - 1, b[0]!),
    j0: Math.max(0, a[1]!),
    j1: Math.min(ny - 1, b[1]!),
    k0: Math.max(0, a[2]!),
    k1: Math.min(nz - 1, b[2]!),
    clipped,
  };
}

/** Column vectors of direction·diag(spacing): world displacement of one step along i, j, k. */
function stepVectors(grid: Grid): [number[], number[], number[]] {
  const d = grid.direction;
  const s = grid.spacingMm;
  return [
    [d[0]! * s[0], d[3]! * s[0], d[6]! * s[0]],
    [d[1]! * s[1], d[4]! * s[1], d[7]! * s[1]],
    [d[2]! * s[2], d[5]! * s[2], d[8]! * s[2]],
  ];
}

/** World offsets (3·k³) of the k³ sub-voxel centres relative to the voxel centre. */
function subOffsets(grid: Grid, k: number): Float64Array {
  const [ei, ej, ek] = stepVectors(grid);
  const out = new Float64Array(3 * k * k * k);
  let n = 0;
  for (let c = 0; c < k; c++)
    for (let b = 0; b < k; b++)
      for (let a = 0; a < k; a++) {
        const u = (a + 0.5) / k - 0.5;
        const v = (b + 0.5) / k - 0.5;
        const w = (c + 0.5) / k - 0.5;
        for (let x = 0; x < 3; x++) out[n++] = u * ei[x]! + v * ej[x]! + w * ek[x]!;
      }
  return out;
}

function checkK(k: number): void {
  if (!(Number.isInteger(k) && k >= 1 && k <= 32)) {
    throw new AtsmError({
      code: "INVALID_ARGUMENT",
      message: "supersampling factor must be an integer in 1..32",
      value: k,
      field: "supersample",
    });
  }
}

/** Generic rasteriser: `insideFn(x,y,z)` tests a world point; `fullFn`/`emptyFn` short-cut a voxel. */
function rasterize(
  spec: string,
  grid: Grid,
  range: Range,
  k: number,
  test: (x: number, y: number, z: number) => boolean,
  classify: (x: number, y: number, z: number) => number, // 1 = fully in, 0 = fully out, -1 = boundary
  exactWeight: ((i: number, j: number, kk: number) => number) | null,
): VoiRaster {
  const [nx, ny] = grid.dims;
  const nBox = (range.i1 - range.i0 + 1) * (range.j1 - range.j0 + 1) * (range.k1 - range.k0 + 1);
  const index = new Int32Array(nBox);
  const weight = new Float32Array(nBox);
  const inside = new Uint8Array(nBox);
  const off = subOffsets(grid, k);
  const ns = k * k * k;
  const [ei, ej, ek] = stepVectors(grid);
  const o = grid.originMm;
  let count = 0;
  for (let kk = range.k0; kk <= range.k1; kk++)
    for (let j = range.j0; j <= range.j1; j++)
      for (let i = range.i0; i <= range.i1; i++) {
        const x = o[0] + i * ei[0]! + j * ej[0]! + kk * ek[0]!;
        const y = o[1] + i * ei[1]! + j * ej[1]! + kk * ek[1]!;
        const z = o[2] + i * ei[2]! + j * ej[2]! + kk * ek[2]!;
        const cls = classify(x, y, z);
        if (cls === 0) continue;
        let w = 1;
        if (cls < 0) {
          if (exactWeight) w = exactWeight(i, j, kk);
          else {
            let hit = 0;
            for (let s = 0; s < ns; s++)
              if (test(x + off[3 * s]!, y + off[3 * s + 1]!, z + off[3 * s + 2]!)) hit++;
            w = hit / ns;
          }
        }
        const c = test(x, y, z) ? 1 : 0;
        if (w <= 0 && c === 0) continue;
        index[count] = i + nx * (j + ny * kk);
        weight[count] = w;
        inside[count] = c;
        count++;
      }
  return makeVoiRaster(spec, grid, index, weight, inside, count, range.clipped);
}

function halfExtentMm(grid: Grid): number[] {
  // Half-size of a voxel's world-space bounding cube along x, y, z.
  const [ei, ej, ek] = stepVectors(grid);
  return [0, 1, 2].map((x) => 0.5 * (Math.abs(ei[x]!) + Math.abs(ej[x]!) + Math.abs(ek[x]!)));
}

/**
 * Rasterise the sphere |p − c| ≤ r (LPS mm) on `grid`. Weight = k³-supersampled volume fraction;
 * voxels within r − ½·diagonal of the centre get 1. Throws EMPTY_VOI when it lies outside the image.
 */
export function sphereVoi(
  spec: string,
  grid: Grid,
  centerMm: Vec3,
  radiusMm: number,
  supersample = DEFAULT_SUPERSAMPLE,
): VoiRaster {
  checkK(supersample);
  const [cx, cy, cz] = centerMm;
  const r = radiusMm;
  const { lo, hi } = indexBounds(grid, [cx - r, cy - r, cz - r], [cx + r, cy + r, cz + r]);
  const range = clampRange(spec, grid, lo, hi);
  const h = halfExtentMm(grid);
  const halfDiag = Math.hypot(h[0]!, h[1]!, h[2]!);
  const r2 = r * r;
  const rIn = r - halfDiag;
  const rIn2 = rIn > 0 ? rIn * rIn : -1;
  const rOut2 = (r + halfDiag) * (r + halfDiag);
  return rasterize(
    spec,
    grid,
    range,
    supersample,
    (x, y, z) => (x - cx) ** 2 + (y - cy) ** 2 + (z - cz) ** 2 <= r2,
    (x, y, z) => {
      const d2 = (x - cx) ** 2 + (y - cy) ** 2 + (z - cz) ** 2;
      return d2 <= rIn2 ? 1 : d2 >= rOut2 ? 0 : -1;
    },
    null,
  );
}

/** True when every direction column is ± a coordinate axis (no obliquity). */
function axisAligned(grid: Grid): boolean {
  const d = grid.direction;
  for (let n = 0; n < 9; n++) {
    const a = Math.abs(d[n]!);
    if (a > 1e-9 && Math.abs(a - 1) > 1e-9) return false;
  }
  return true;
}

/** Overlap length of [a0,a1] and [b0,b1]. */
function overlap(a0: number, a1: number, b0: number, b1: number): number {
  return Math.max(0, Math.min(a1, b1) - Math.max(a0, b0));
}

/**
 * Rasterise the LPS-axis-aligned box min ≤ p ≤ max. Weight: exact product of 1-D overlaps on
 * axis-aligned grids, k³ supersampling on oblique grids. Centre on a face counts as inside.
 */
export function boxVoi(
  spec: string,
  grid: Grid,
  minMm: Vec3,
  maxMm: Vec3,
  supersample = DEFAULT_SUPERSAMPLE,
): VoiRaster {
  checkK(supersample);
  const { lo, hi } = indexBounds(grid, minMm, maxMm);
  const range = clampRange(spec, grid, lo, hi);
  const h = halfExtentMm(grid);
  const [x0, y0, z0] = minMm;
  const [x1, y1, z1] = maxMm;
  const test = (x: number, y: number, z: number): boolean =>
    x >= x0 && x <= x1 && y >= y0 && y <= y1 && z >= z0 && z <= z1;
  const [hx, hy, hz] = h as [number, number, number];
  const classify = (x: number, y: number, z: number): number => {
    if (x - hx >= x0 && x + hx <= x1 && y - hy >= y0 && y + hy <= y1 && z - hz >= z0 && z + hz <= z1)
      return 1;
    if (x + hx <= x0 || x - hx >= x1 || y + hy <= y0 || y - hy >= y1 || z + hz <= z0 || z - hz >= z1)
      return 0;
    return -1;
  };
  let exact: ((i: number, j: number, k: number) => number) | null = null;
  if (axisAligned(grid)) {
    const [ei, ej, ek] = stepVectors(grid);
    const o = grid.originMm;
    exact = (i, j, k) => {
      const x = o[0] + i * ei[0]! + j * ej[0]! + k * ek[0]!;
      const y = o[1] + i * ei[1]! + j * ej[1]! + k * ek[1]!;
      const z = o[2] + i * ei[2]! + j * ej[2]! + k * ek[2]!;
      return (
        (overlap(x - hx, x + hx, x0, x1) *
          overlap(y - hy, y + hy, y0, y1) *
          overlap(z - hz, z + hz, z0, z1)) /
        (8 * hx * hy * hz)
      );
    };
  }
  return rasterize(spec, grid, range, supersample, test, classify, exact);
}

/** Binary mask on the VOI's grid: `label` where the voxel centre is inside (weight ignored). */
export function voiToMask(voi: VoiRaster, label = 1, name = voi.spec): Mask {
  const data = new Uint8Array(voxelCount(voi.grid.dims));
  for (let n = 0; n < voi.index.length; n++) if (voi.inside[n]) data[voi.index[n]!] = label;
  return maskOnGrid(voi.grid, data, new Map([[label, name]]));
}

/** Fractional weights as a dense Float32Array on the VOI's grid (0 outside). */
export function voiToWeights(voi: VoiRaster): Float32Array {
  const out = new Float32Array(voxelCount(voi.grid.dims));
  for (let n = 0; n < voi.index.length; n++) out[voi.index[n]!] = voi.weight[n]!;
  return out;
}

/** Integer bounding box (inclusive) of the VOI's listed voxels: [i0, i1, j0, j1, k0, k1]. */
export function voiBoundingBox(voi: VoiRaster): [number, number, number, number, number, number] {
  const [nx, ny] = voi.grid.dims;
  let i0 = Infinity,
    i1 = -1,
    j0 = Infinity,
    j1 = -1,
    k0 = Infinity,
    k1 = -1;
  for (let n = 0; n < voi.index.length; n++) {
    const p = voi.index[n]!;
    const i = p % nx;
    const q = (p - i) / nx;
    const j = q % ny;
    const k = (q - j) / ny;
    if (i < i0) i0 = i;
    if (i > i1) i1 = i;
    if (j < j0) j0 = j;
    if (j > j1) j1 = j;
    if (k < k0) k0 = k;
    if (k > k1) k1 = k;
  }
  return [i0, i1, j0, j1, k0, k1];
}

/** Weight-weighted centroid of the VOI in LPS mm (e.g. to pick the slices shown in a report). */
export function voiCentroidMm(voi: VoiRaster): [number, number, number] {
  const [nx, ny] = voi.grid.dims;
  let si = 0,
    sj = 0,
    sk = 0,
    sw = 0;
  for (let n = 0; n < voi.index.length; n++) {
    const p = voi.index[n]!;
    const w = voi.weight[n]!;
    const i = p % nx;
    const q = (p - i) / nx;
    const j = q % ny;
    const k = (q - j) / ny;
    si += w * i;
    sj += w * j;
    sk += w * k;
    sw += w;
  }
  if (!(sw > 0)) return [Number.NaN, Number.NaN, Number.NaN];
  return voxelToWorld(voi.grid, si / sw, sj / sw, sk / sw) as [number, number, number];
}
