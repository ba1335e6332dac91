/**
 * Voxel-selection VOIs: threshold, connected component, region growing. Each works on the voxels of
 * an inner VOI (or the whole image) and keeps the inner VOI's partial-voxel weights and binary flags
 * (see `raster.ts`), so `threshold:0@sphere:…` is the sphere itself. Levels are in the image's native
 * unit here; `resolve.ts` converts SUV / Bq/mL / T/M / % levels.
 *
 * - threshold: entries with value ≥ level.
 * - component: entries connected (6- or 26-neighbourhood) to the hottest binary voxel.
 * - grow: flood fill from the seed voxel over voxels with value ≥ level (6- or 26-connected),
 *   restricted to the inner VOI when one is given.
 */
import { AtsmError } from "../../core/errors.js";
import { worldToVoxel } from "../../core/geometry.js";
import type { Grid, Vec3 } from "../../core/types.js";
import { voxelCount } from "../../core/types.js";
import type { VoiRaster } from "./raster.js";
import { binaryVoiRaster, makeVoiRaster, voiBoundingBox } from "./raster.js";

/** The whole image as a VOI (weight 1, every voxel inside). */
export function wholeImageVoi(spec: string, grid: Grid): VoiRaster {
  const n = voxelCount(grid.dims);
  const index = new Int32Array(n);
  for (let p = 0; p < n; p++) index[p] = p;
  return binaryVoiRaster(spec, grid, index);
}

function subset(spec: string, inner: VoiRaster, keep: Uint8Array): VoiRaster {
  let count = 0;
  for (let n = 0; n < keep.length; n++) count += keep[n]!;
  const index = new Int32Array(count);
  const weight = new Float32Array(count);
  const inside = new Uint8Array(count);
  let m = 0;
  for (let n = 0; n < keep.length; n++) {
    if (!keep[n]) continue;
    index[m] = inner.index[n]!;
    weight[m] = inner.weight[n]!;
    inside[m] = inner.inside[n]!;
    m++;
  }
  return makeVoiRaster(spec, inner.grid, index, weight, inside, count, inner.clipped);
}

/** Entries of `inner` whose value is ≥ `levelNative`. */
export function thresholdVoi(
  spec: string,
  data: Float32Array,
  inner: VoiRaster,
  levelNative: number,
): VoiRaster {
  const keep = new Uint8Array(inner.index.length);
  for (let n = 0; n < keep.length; n++) keep[n] = data[inner.index[n]!]! >= levelNative ? 1 : 0;
  return subset(spec, inner, keep);
}

/** Neighbour offsets (di, dj, dk) for 6- or 26-connectivity. */
function neighbours(connectivity: 6 | 26): Int32Array {
  const out: number[] = [];
  for (let c = -1; c <= 1; c++)
    for (let b = -1; b <= 1; b++)
      for (let a = -1; a <= 1; a++) {
        const m = Math.abs(a) + Math.abs(b) + Math.abs(c);
        if (m === 0 || (connectivity === 6 && m !== 1)) continue;
        out.push(a, b, c);
      }
  return Int32Array.from(out);
}

/** Lookup from voxel (i,j,k) to entry number over the VOI's bounding box (−1 = not in VOI). */
function entryLookup(voi: VoiRaster): {
  box: [number, number, number, number, number, number];
  at: (i: number, j: number, k: number) => number;
} {
  const box = voiBoundingBox(voi);
  const [i0, i1, j0, j1, k0, k1] = box;
  const w = i1 - i0 + 1;
  const h = j1 - j0 + 1;
  const lut = new Int32Array(w * h * (k1 - k0 + 1)).fill(-1);
  const [nx, ny] = voi.grid.dims;
  for (let n = 0; n < voi.index.length; n++) {
    const p = voi.index[n]!;
    const i = p % nx;
    const q = (p - i) / nx;
    const j = q % ny;
    const k = (q - j) / ny;
    lut[i - i0 + w * (j - j0 + h * (k - k0))] = n;
  }
  return {
    box,
    at: (i, j, k) =>
      i < i0 || i > i1 || j < j0 || j > j1 || k < k0 || k > k1
        ? -1
        : lut[i - i0 + w * (j - j0 + h * (k - k0))]!,
  };
}

/** Flood fill over entries of `voi` from entry `start`; `ok(n)` filters entries. Returns keep flags. */
function floodEntries(
  voi: VoiRaster,
  start: number,
  connectivity: 6 | 26,
  ok: (n: number) => boolean,
): Uint8Array {
  const keep = new Uint8Array(voi.index.length);
  const { at } = entryLookup(voi);
  const nb = neighbours(connectivity);
  const [nx, ny] = voi.grid.dims;
  const stack = new Int32Array(voi.index.length);
  let top = 0;
  keep[start] = 1;
  stack[top++] = start;
  while (top > 0) {
    const n = stack[--top]!;
    const p = voi.index[n]!;
    const i = p % nx;
    const q = (p - i) / nx;
    const j = q % ny;
    const k = (q - j) / ny;
    for (let t = 0; t < nb.length; t += 3) {
      const m = at(i + nb[t]!, j + nb[t + 1]!, k + nb[t + 2]!);
      if (m < 0 || keep[m] || !ok(m)) continue;
      keep[m] = 1;
      stack[top++] = m;
    }
  }
  return keep;
}

/** Entries of `inner` connected to its hottest binary voxel (first in memory order on ties). */
export function componentVoi(
  spec: string,
  data: Float32Array,
  inner: VoiRaster,
  connectivity: 6 | 26 = 6,
): VoiRaster {
  let best = -1;
  let bestV = -Infinity;
  for (let n = 0; n < inner.index.length; n++) {
    if (!inner.inside[n]) continue;
    const v = data[inner.index[n]!]!;
    if (v > bestV) {
      bestV = v;
      best = n;
    }
  }
  if (best < 0) {
    throw new AtsmError({
      code: "EMPTY_VOI",
      message: `VOI ${spec}: the inner VOI ${inner.spec} is empty, no component to select`,
      hint: "enlarge the inner VOI or lower its threshold",
    });
  }
  return subset(
    spec,
    inner,
    floodEntries(inner, best, connectivity, () => true),
  );
}

/** Nearest voxel to an LPS point, or null when outside the image. */
export function nearestVoxel(grid: Grid, pointMm: Vec3): number | null {
  const v = worldToVoxel(grid, pointMm[0], pointMm[1], pointMm[2]);
  const i = Math.round(v[0]!);
  const j = Math.round(v[1]!);
  const k = Math.round(v[2]!);
  const [nx, ny, nz] = grid.dims;
  if (i < 0 || j < 0 || k < 0 || i >= nx || j >= ny || k >= nz) return null;
  return i + nx * (j + ny * k);
}

/**
 * Region growing from `seedMm` over voxels with value ≥ `levelNative`, inside `inner` when given
 * (else over the whole image, weight 1). Throws EMPTY_VOI when the seed is outside the image or the
 * inner VOI, or below the level.
 */
export function growVoi(
  spec: string,
  data: Float32Array,
  grid: Grid,
  seedMm: Vec3,
  levelNative: number,
  inner: VoiRaster | null,
  connectivity: 6 | 26 = 6,
): VoiRaster {
  const seed = nearestVoxel(grid, seedMm);
  if (seed === null) {
    throw new AtsmError({
      code: "EMPTY_VOI",
      message: `VOI ${spec}: the seed point lies outside the image`,
      value: seedMm,
      hint: "give the seed in LPS mm inside the PET field of view",
    });
  }
  const seedV = data[seed]!;
  if (!(seedV >= levelNative)) {
    throw new AtsmError({
      code: "EMPTY_VOI",
      message: `VOI ${spec}: the seed voxel value ${seedV} is below the growing level ${levelNative}`,
      hint: "place the seed in the hot region or lower the level",
    });
  }
  if (inner) {
    let start = -1;
    for (let n = 0; n < inner.index.length; n++) if (inner.index[n] === seed) start = n;
    if (start < 0) {
      throw new AtsmError({
        code: "EMPTY_VOI",
        message: `VOI ${spec}: the seed point is not inside the inner VOI ${inner.spec}`,
        hint: "move the seed into the inner VOI",
      });
    }
    return subset(
      spec,
      inner,
      floodEntries(inner, start, connectivity, (m) => data[inner.index[m]!]! >= levelNative),
    );
  }
  const [nx, ny, nz] = grid.dims;
  const visited = new Uint8Array(voxelCount(grid.dims));
  const nb = neighbours(connectivity);
  let stack = new Int32Array(1024);
  let top = 0;
  const found: number[] = [];
  visited[seed] = 1;
  stack[top++] = seed;
  while (top > 0) {
    const p = stack[--top]!;
    found.push(p);
    const i = p % nx;
    const q = (p - i) / nx;
    const j = q % ny;
    const k = (q - j) / ny;
    for (let t = 0; t < nb.length; t += 3) {
      const a = i + nb[t]!;
      const b = j + nb[t + 1]!;
      const c = k + nb[t + 2]!;
      if (a < 0 || b < 0 || c < 0 || a >= nx || b >= ny || c >= nz) continue;
      const m = a + nx * (b + ny * c);
      if (visited[m] || !(data[m]! >= levelNative)) continue;
      visited[m] = 1;
      if (top === stack.length) {
        const bigger = new Int32Array(stack.length * 2);
        bigger.set(stack);
        stack = bigger;
      }
      stack[top++] = m;
    }
  }
  const index = Int32Array.from(found).sort();
  return binaryVoiRaster(spec, grid, index);
}
