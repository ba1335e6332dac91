/**
 * Label masks on another grid (a CT-grid segmentation, a NIfTI label map) brought onto the PET grid.
 *
 * - `maskToGrid`: nearest-neighbour resampling; each target voxel takes the label of the source
 *   voxel containing its centre (0 outside the source). Labels are never blended.
 * - `maskToVoi`: a VOI from one label (or all non-zero labels) with partial-voxel weights: weight =
 *   fraction of the k³ sub-voxel centres of the PET voxel whose nearest source voxel has the label
 *   ("fractional coverage by supersampling"); `inside` = nearest-neighbour label at the PET voxel
 *   centre. On an identical grid both reduce to the mask itself (weight 1).
 */
import { AtsmError } from "../../core/errors.js";
import { invert3 } from "../../core/geometry.js";
import type { Grid, Mask } from "../../core/types.js";
import { maskOnGrid, voxelCount } from "../../core/types.js";
import type { VoiRaster } from "./raster.js";
import { binaryVoiRaster, DEFAULT_SUPERSAMPLE, makeVoiRaster } from "./raster.js";

const SAME_GRID_MM = 1e-4;

/** True when two grids have the same dims and (within 1e-4 mm) the same geometry. */
export function sameGrid(a: Grid, b: Grid): boolean {
  for (let n = 0; n < 3; n++) {
    if (a.dims[n] !== b.dims[n]) return false;
    if (Math.abs(a.spacingMm[n]! - b.spacingMm[n]!) > SAME_GRID_MM) return false;
    if (Math.abs(a.originMm[n]! - b.originMm[n]!) > SAME_GRID_MM) return false;
  }
  for (let n = 0; n < 9; n++) if (Math.abs(a.direction[n]! - b.direction[n]!) > 1e-6) return false;
  return true;
}

/** Affine (row-major 3×4) mapping target voxel index -> source continuous voxel index. */
function targetToSource(src: Grid, tgt: Grid): Float64Array {
  const ms = new Float64Array(9);
  const mt = new Float64Array(9);
  for (let r = 0; r < 3; r++)
    for (let c = 0; c < 3; c++) {
      ms[3 * r + c] = src.direction[3 * r + c]! * src.spacingMm[c]!;
      mt[3 * r + c] = tgt.direction[3 * r + c]! * tgt.spacingMm[c]!;
    }
  const inv = invert3(ms);
  const out = new Float64Array(12);
  for (let r = 0; r < 3; r++) {
    for (let c = 0; c < 3; c++) {
      let acc = 0;
      for (let m = 0; m < 3; m++) acc += inv[3 * r + m]! * mt[3 * m + c]!;
      out[4 * r + c] = acc;
    }
    let t = 0;
    for (let m = 0; m < 3; m++) t += inv[3 * r + m]! * (tgt.originMm[m]! - src.originMm[m]!);
    out[4 * r + 3] = t;
  }
  return out;
}

/** Target-voxel bounding range of the source voxels that satisfy `sel` (inclusive, clamped). */
function targetRange(
  mask: Mask,
  grid: Grid,
  sel: (label: number) => boolean,
): [number, number, number, number, number, number] | null {
  const [sx, sy, sz] = mask.dims;
  let a0 = Infinity,
    a1 = -1,
    b0 = Infinity,
    b1 = -1,
    c0 = Infinity,
    c1 = -1;
  let p = 0;
  for (let k = 0; k < sz; k++)
    for (let j = 0; j < sy; j++)
      for (let i = 0; i < sx; i++, p++) {
        const l = mask.data[p]!;
        if (l === 0 || !sel(l)) continue;
        if (i < a0) a0 = i;
        if (i > a1) a1 = i;
        if (j < b0) b0 = j;
        if (j > b1) b1 = j;
        if (k < c0) c0 = k;
        if (k > c1) c1 = k;
      }
  if (a1 < 0) return null;
  // Source box corners (±½ voxel) -> target index space.
  const back = targetToSource(grid, mask);
  const lo = [Infinity, Infinity, Infinity];
  const hi = [-Infinity, -Infinity, -Infinity];
  for (let c = 0; c < 8; c++) {
    const u = c & 1 ? a1 + 0.5 : a0 - 0.5;
    const v = c & 2 ? b1 + 0.5 : b0 - 0.5;
    const w = c & 4 ? c1 + 0.5 : c0 - 0.5;
    for (let r = 0; r < 3; r++) {
      const x = back[4 * r]! * u + back[4 * r + 1]! * v + back[4 * r + 2]! * w + back[4 * r + 3]!;
      lo[r] = Math.min(lo[r]!, x);
      hi[r] = Math.max(hi[r]!, x);
    }
  }
  const n = grid.dims;
  const r0 = lo.map((x) => Math.max(0, Math.floor(x - 0.5)));
  const r1 = hi.map((x, a) => Math.min(n[a]! - 1, Math.ceil(x + 0.5)));
  if (r0[0]! > r1[0]! || r0[1]! > r1[1]! || r0[2]! > r1[2]!) return null;
  return [r0[0]!, r1[0]!, r0[1]!, r1[1]!, r0[2]!, r1[2]!];
}

/** Nearest source label at continuous source index (u, v, w); 0 outside. */
function labelAt(mask: Mask, u: number, v: number, w: number): number {
  const i = Math.round(u);
  const j = Math.round(v);
  const k = Math.round(w);
  const [sx, sy, sz] = mask.dims;
  if (i < 0 || j < 0 || k < 0 || i >= sx || j >= sy || k >= sz) return 0;
  return mask.data[i + sx * (j + sy * k)]!;
}

/** Nearest-neighbour resampling of a label mask onto `grid` (labels preserved, table copied). */
export function maskToGrid(mask: Mask, grid: Grid): Mask {
  if (sameGrid(mask, grid)) return { ...grid, data: mask.data.slice(), labels: new Map(mask.labels) };
  const out = new Uint8Array(voxelCount(grid.dims));
  const range = targetRange(mask, grid, () => true);
  if (range) {
    const A = targetToSource(mask, grid);
    const [nx, ny] = grid.dims;
    for (let k = range[4]; k <= range[5]; k++)
      for (let j = range[2]; j <= range[3]; j++)
        for (let i = range[0]; i <= range[1]; i++) {
          const u = A[0]! * i + A[1]! * j + A[2]! * k + A[3]!;
          const v = A[4]! * i + A[5]! * j + A[6]! * k + A[7]!;
          const w = A[8]! * i + A[9]! * j + A[10]! * k + A[11]!;
          out[i + nx * (j + ny * k)] = labelAt(mask, u, v, w);
        }
  }
  return maskOnGrid(grid, out, new Map(mask.labels));
}

export interface MaskToVoiOptions {
  /** Label to select; null = every non-zero label. */
  readonly label: number | null;
  /** Sub-voxels per axis for the coverage weight (default 5); 1 = nearest-neighbour weights. */
  readonly supersample?: number;
}

/**
 * VOI from a label mask on any grid, resampled to `grid` with fractional coverage weights (see the
 * file comment). Throws EMPTY_VOI when the label is absent or misses the target grid.
 */
export function maskToVoi(spec: string, mask: Mask, grid: Grid, options: MaskToVoiOptions): VoiRaster {
  const label = options.label;
  const sel = (l: number): boolean => (label === null ? l !== 0 : l === label);
  const k = options.supersample ?? DEFAULT_SUPERSAMPLE;
  if (sameGrid(mask, grid)) {
    let count = 0;
    for (let p = 0; p < mask.data.length; p++) if (sel(mask.data[p]!)) count++;
    const index = new Int32Array(count);
    let n = 0;
    for (let p = 0; p < mask.data.length; p++) if (sel(mask.data[p]!)) index[n++] = p;
    if (count === 0) throw emptyMask(spec, label, mask);
    return binaryVoiRaster(spec, grid, index);
  }
  const range = targetRange(mask, grid, sel);
  if (!range) throw emptyMask(spec, label, mask);
  const A = targetToSource(mask, grid);
  const [nx, ny] = grid.dims;
  const nBox = (range[1] - range[0] + 1) * (range[3] - range[2] + 1) * (range[5] - range[4] + 1);
  const index = new Int32Array(nBox);
  const weight = new Float32Array(nBox);
  const inside = new Uint8Array(nBox);
  const ns = k * k * k;
  let count = 0;
  for (let kk = range[4]; kk <= range[5]; kk++)
    for (let j = range[2]; j <= range[3]; j++)
      for (let i = range[0]; i <= range[1]; i++) {
        let hit = 0;
        for (let c = 0; c < k; c++)
          for (let b = 0; b < k; b++)
            for (let a = 0; a < k; a++) {
              const ti = i + (a + 0.5) / k - 0.5;
              const tj = j + (b + 0.5) / k - 0.5;
              const tk = kk + (c + 0.5) / k - 0.5;
              const u = A[0]! * ti + A[1]! * tj + A[2]! * tk + A[3]!;
              const v = A[4]! * ti + A[5]! * tj + A[6]! * tk + A[7]!;
              const w = A[8]! * ti + A[9]! * tj + A[10]! * tk + A[11]!;
              if (sel(labelAt(mask, u, v, w))) hit++;
            }
        const u = A[0]! * i + A[1]! * j + A[2]! * kk + A[3]!;
        const v = A[4]! * i + A[5]! * j + A[6]! * kk + A[7]!;
        const w = A[8]! * i + A[9]! * j + A[10]! * kk + A[11]!;
        const c = sel(labelAt(mask, u, v, w)) ? 1 : 0;
        if (hit === 0 && c === 0) continue;
        index[count] = i + nx * (j + ny * kk);
        weight[count] = hit / ns;
        inside[count] = c;
        count++;
      }
  if (count === 0) throw emptyMask(spec, label, mask);
  return makeVoiRaster(spec, grid, index, weight, inside, count, false);
}

function emptyMask(spec: string, label: number | null, mask: Mask): AtsmError {
  const present = [...new Set(mask.data)].filter((l) => l !== 0).slice(0, 20);
  return new AtsmError({
    code: "EMPTY_VOI",
    message:
      `VOI ${spec}: ${label === null ? "the mask has no non-zero voxel" : `label ${label} is absent`} ` +
      "on the image grid",
    hint:
      present.length > 0
        ? `labels present in the mask: ${present.join(", ")}; check that the mask overlaps the PET image`
        : "the mask is empty; check the file",
  });
}
