/**
 * SUVpeak: the highest mean value in a 1 cm³ sphere whose centre lies in the VOI (QIBA FDG-PET
 * profile / PERCIST 1.0, Wahl et al., J Nucl Med 2009;50 Suppl 1:122S–150S: "a 1.2 cm diameter
 * (1 cm³) spherical VOI"). Radius of a 1 mL sphere = (3/(4π))^(1/3)·10 mm = 6.2035 mm.
 *
 * ## Algorithm (row prefix sums, not a brute-force sphere per voxel)
 * 1. Kernel: the sphere is cut into voxel rows along i, one per (Δj, Δk) offset. Each kernel voxel
 *    has weight = fraction of its volume inside the sphere (k³ supersampled, k = 7). Along a row the
 *    weights are a run of full voxels (weight 1) plus a few fractional end voxels.
 * 2. Prefix sums along i of the image are built once over the VOI's bounding box plus the kernel
 *    margin (clamped to the image): P[i+1] = P[i] + v[i].
 * 3. For each candidate centre (each binary VOI voxel) the sphere sum is Σ_rows (P[b+1] − P[a]) +
 *    Σ_ends w·v: O(#rows + #ends) = O(r²) per centre instead of O(r³), and the total cost is linear
 *    in the VOI size (plus the prefix pass over the box). Mean = Σ w·v / Σ w.
 * 4. At the image border the sphere is cut: the mean is taken over the kernel weights that fall
 *    inside the image (stated in `PeakResult.truncated`).
 * Ties are broken by the lowest linear index (first in memory order).
 */
import { AtsmError } from "../core/errors.js";
import { voxelToWorld, voxelVolumeMl } from "../core/geometry.js";
import type { Grid } from "../core/types.js";
import type { VoiRaster } from "./voi/raster.js";
import { voiBoundingBox } from "./voi/raster.js";

/** Radius of a 1 cm³ sphere in mm: (3·1000/(4π))^(1/3) = 6.2035 mm (PERCIST 1.0). */
export const PEAK_SPHERE_RADIUS_MM = Math.cbrt(3000 / (4 * Math.PI));

/** Supersampling per axis of the peak kernel weights. */
export const PEAK_KERNEL_SUPERSAMPLE = 7;

/** Sphere kernel cut in rows along i. */
export interface RowKernel {
  /** Δj, Δk of each row. */
  readonly dj: Int32Array;
  readonly dk: Int32Array;
  /** Full-weight run [runA, runB] (Δi, inclusive); runA > runB when the row has no full voxel. */
  readonly runA: Int32Array;
  readonly runB: Int32Array;
  /** Fractional voxels: row number, Δi and weight. */
  readonly endRow: Int32Array;
  readonly endDi: Int32Array;
  readonly endW: Float64Array;
  /** Σ weights (voxels); × voxel volume = sphere volume in mL. */
  readonly totalWeight: number;
  /** Half extents in voxels along i, j, k. */
  readonly reach: readonly [number, number, number];
}

/** Build the row kernel of a sphere of `radiusMm` on `grid` (any orientation). */
export function sphereRowKernel(
  grid: Grid,
  radiusMm: number,
  supersample = PEAK_KERNEL_SUPERSAMPLE,
): RowKernel {
  const d = grid.direction;
  const s = grid.spacingMm;
  // Columns of direction·diag(spacing).
  const e = [
    [d[0]! * s[0], d[3]! * s[0], d[6]! * s[0]],
    [d[1]! * s[1], d[4]! * s[1], d[7]! * s[1]],
    [d[2]! * s[2], d[5]! * s[2], d[8]! * s[2]],
  ] as const;
  const halfDiag = 0.5 * Math.hypot(s[0], s[1], s[2]);
  const reach: [number, number, number] = [0, 1, 2].map((a) =>
    Math.ceil((radiusMm + halfDiag) / s[a as 0 | 1 | 2]),
  ) as [number, number, number];
  const k = supersample;
  const r2 = radiusMm * radiusMm;
  const dj: number[] = [];
  const dk: number[] = [];
  const runA: number[] = [];
  const runB: number[] = [];
  const endRow: number[] = [];
  const endDi: number[] = [];
  const endW: number[] = [];
  let total = 0;
  for (let c = -reach[2]; c <= reach[2]; c++)
    for (let b = -reach[1]; b <= reach[1]; b++) {
      let a0 = 1;
      let a1 = 0;
      const row = dj.length;
      const ends: [number, number][] = [];
      for (let a = -reach[0]; a <= reach[0]; a++) {
        const x = a * e[0][0] + b * e[1][0] + c * e[2][0];
        const y = a * e[0][1] + b * e[1][1] + c * e[2][1];
        const z = a * e[0][2] + b * e[1][2] + c * e[2][2];
        const dist = Math.hypot(x, y, z);
        let w: number;
        if (dist + halfDiag <= radiusMm) w = 1;
        else if (dist - halfDiag >= radiusMm) w = 0;
        else {
          let hit = 0;
          for (let q = 0; q < k; q++)
            for (let p = 0; p < k; p++)
              for (let o = 0; o < k; o++) {
                const u = a + (o + 0.5) / k - 0.5;
                const v = b + (p + 0.5) / k - 0.5;
                const t = c + (q + 0.5) / k - 0.5;
                const X = u * e[0][0] + v * e[1][0] + t * e[2][0];
                const Y = u * e[0][1] + v * e[1][1] + t * e[2][1];
                const Z = u * e[0][2] + v * e[1][2] + t * e[2][2];
                if (X * X + Y * Y + Z * Z <= r2) hit++;
              }
          w = hit / (k * k * k);
        }
        if (w <= 0) continue;
        total += w;
        if (w === 1 && (a0 > a1 || a === a1 + 1)) {
          if (a0 > a1) a0 = a;
          a1 = a;
        } else ends.push([a, w]);
      }
      if (a0 > a1 && ends.length === 0) continue;
      dj.push(b);
      dk.push(c);
      runA.push(a0);
      runB.push(a1);
      for (const [a, w] of ends) {
        endRow.push(row);
        endDi.push(a);
        endW.push(w);
      }
    }
  return {
    dj: Int32Array.from(dj),
    dk: Int32Array.from(dk),
    runA: Int32Array.from(runA),
    runB: Int32Array.from(runB),
    endRow: Int32Array.from(endRow),
    endDi: Int32Array.from(endDi),
    endW: Float64Array.from(endW),
    totalWeight: total,
    reach,
  };
}

export interface PeakResult {
  /** Highest sphere mean, native units. */
  readonly peak: number;
  /** Linear index of the best sphere centre. */
  readonly centreIndex: number;
  /** LPS mm of the best sphere centre. */
  readonly centreMm: [number, number, number];
  /** Volume of the sampled sphere in mL (Σ kernel weights × voxel volume; ≈ 1 mL). */
  readonly sphereVolumeMl: number;
  /** True when the best sphere was cut by the image border. */
  readonly truncated: boolean;
  /** Number of candidate centres searched. */
  readonly centres: number;
}

const kernelCache = new Map<string, RowKernel>();

function cachedKernel(grid: Grid, radiusMm: number): RowKernel {
  const key = `${grid.spacingMm.join(",")}|${Array.from(grid.direction).join(",")}|${radiusMm}`;
  let kern = kernelCache.get(key);
  if (!kern) {
    kern = sphereRowKernel(grid, radiusMm);
    if (kernelCache.size > 16) kernelCache.clear();
    kernelCache.set(key, kern);
  }
  return kern;
}

/**
 * SUVpeak search (algorithm above) over the binary voxels of `voi` as sphere centres.
 * `data` is the image on `voi.grid`. Throws EMPTY_VOI when the VOI has no binary voxel and NUMERIC
 * when a sampled voxel is NaN/Inf.
 */
export function peakSearch(data: Float32Array, voi: VoiRaster, radiusMm = PEAK_SPHERE_RADIUS_MM): PeakResult {
  if (voi.insideCount === 0) {
    throw new AtsmError({
      code: "EMPTY_VOI",
      message: `VOI ${voi.spec} has no voxel centre inside it; SUVpeak is undefined`,
      hint: "enlarge the VOI (its size must exceed one voxel)",
    });
  }
  const grid = voi.grid;
  const [nx, ny, nz] = grid.dims;
  const kern = cachedKernel(grid, radiusMm);
  const [ri, rj, rk] = kern.reach;
  const [bi0, bi1, bj0, bj1, bk0, bk1] = voiBoundingBox(voi);
  const i0 = Math.max(0, bi0 - ri);
  const i1 = Math.min(nx - 1, bi1 + ri);
  const j0 = Math.max(0, bj0 - rj);
  const j1 = Math.min(ny - 1, bj1 + rj);
  const k0 = Math.max(0, bk0 - rk);
  const k1 = Math.min(nz - 1, bk1 + rk);
  const w = i1 - i0 + 1;
  const pw = w + 1;
  const h = j1 - j0 + 1;
  const depth = k1 - k0 + 1;
  // Row prefix sums over the region: P[(j' + h·k')·pw + i' + 1] = Σ_{i ≤ i'} v.
  const P = new Float64Array(pw * h * depth);
  for (let kk = 0; kk < depth; kk++)
    for (let jj = 0; jj < h; jj++) {
      const src = i0 + nx * (j0 + jj + ny * (k0 + kk));
      const dst = (jj + h * kk) * pw;
      let acc = 0;
      for (let ii = 0; ii < w; ii++) {
        acc += data[src + ii]!;
        P[dst + ii + 1] = acc;
      }
    }
  const nRows = kern.dj.length;
  const nEnds = kern.endW.length;
  let best = -Infinity;
  let bestIdx = -1;
  let bestTrunc = false;
  let sawNaN = false;
  for (let n = 0; n < voi.index.length; n++) {
    if (!voi.inside[n]) continue;
    const p = voi.index[n]!;
    const ci = p % nx;
    const q = (p - ci) / nx;
    const cj = q % ny;
    const ck = (q - cj) / ny;
    const full =
      ci - ri >= i0 && ci + ri <= i1 && cj - rj >= j0 && cj + rj <= j1 && ck - rk >= k0 && ck + rk <= k1;
    let sum = 0;
    let wsum = kern.totalWeight;
    if (full) {
      const base = ci - i0 + 1;
      for (let r = 0; r < nRows; r++) {
        const a = kern.runA[r]!;
        const b = kern.runB[r]!;
        if (a > b) continue;
        const row = (cj + kern.dj[r]! - j0 + h * (ck + kern.dk[r]! - k0)) * pw + base;
        sum += P[row + b]! - P[row + a - 1]!;
      }
      for (let e = 0; e < nEnds; e++) {
        const r = kern.endRow[e]!;
        const idx = ci + kern.endDi[e]! + nx * (cj + kern.dj[r]! + ny * (ck + kern.dk[r]!));
        sum += kern.endW[e]! * data[idx]!;
      }
    } else {
      // Sphere cut by the image border: clip every row, accumulate the weights actually used.
      wsum = 0;
      for (let r = 0; r < nRows; r++) {
        const jj = cj + kern.dj[r]!;
        const kk = ck + kern.dk[r]!;
        if (jj < j0 || jj > j1 || kk < k0 || kk > k1) continue;
        const a = Math.max(ci + kern.runA[r]!, i0);
        const b = Math.min(ci + kern.runB[r]!, i1);
        if (a > b) continue;
        const row = (jj - j0 + h * (kk - k0)) * pw - i0 + 1;
        sum += P[row + b]! - P[row + a - 1]!;
        wsum += b - a + 1;
      }
      for (let e = 0; e < nEnds; e++) {
        const r = kern.endRow[e]!;
        const ii = ci + kern.endDi[e]!;
        const jj = cj + kern.dj[r]!;
        const kk = ck + kern.dk[r]!;
        if (ii < i0 || ii > i1 || jj < j0 || jj > j1 || kk < k0 || kk > k1) continue;
        sum += kern.endW[e]! * data[ii + nx * (jj + ny * kk)]!;
        wsum += kern.endW[e]!;
      }
    }
    const mean = sum / wsum;
    if (!Number.isFinite(mean)) {
      sawNaN = true;
      continue;
    }
    if (mean > best) {
      best = mean;
      bestIdx = p;
      bestTrunc = !full;
    }
  }
  if (sawNaN || bestIdx < 0) {
    throw new AtsmError({
      code: "NUMERIC",
      message: `VOI ${voi.spec}: a 1 cm³ peak sphere contains NaN or infinite voxel values`,
      hint: "the image has undefined voxels near this VOI; check the reconstruction or crop the VOI",
    });
  }
  const ci = bestIdx % nx;
  const q = (bestIdx - ci) / nx;
  const cj = q % ny;
  const ck = (q - cj) / ny;
  return {
    peak: best,
    centreIndex: bestIdx,
    centreMm: voxelToWorld(grid, ci, cj, ck) as [number, number, number],
    sphereVolumeMl: kern.totalWeight * voxelVolumeMl(grid.spacingMm),
    truncated: bestTrunc,
    centres: voi.insideCount,
  };
}
