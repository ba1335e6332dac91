/**
 * Tracer concentration maps over time from a pO2 map (the per-voxel kernel that
 * `workers/tracer-worker.ts` runs on chunks; `app/twin/tracer-map.ts` picks threads or not).
 *
 * Output layout: frame-major Float32Array of length nTimes·nVoxels; frame f is
 * `out.subarray(f*nVox, (f+1)*nVox)` (STYLE §4). Values: PET concentration (with blood volume),
 * fraction of injected activity per mL, decay-corrected.
 *
 * Two ways to get a voxel's curve (`TracerMapMethod`):
 * - **exact**: one ODE solve (`simulateVoxel`) per distinct (region, pO2); voxels with the same
 *   region and pO2 share one solve (an exact cache), so uniform backgrounds cost one solve.
 * - **interpolate**: within one region the voxels differ only in pO2, and the curve is a smooth,
 *   monotone function of it (pO2 enters the rate matrix only through k_ox·pO2). So the exact
 *   curves are computed on a node grid uniform in w = ln(1 + pO2/P½) (P½ = k_diss/k_ox of the
 *   region's cells; the grid is linear in pO2 below P½ and logarithmic above) spanning the
 *   region's pO2 range, and each voxel's value at each output time is the monotone cubic
 *   (PCHIP, Fritsch & Butland 1984, as scipy.interpolate.PchipInterpolator) through the node
 *   values at its w. Cost: O(nodes) ODE solves + O(voxels·times) cubic evaluations, no per-voxel
 *   allocation. Accuracy with the default 64 nodes: max relative error vs exact ≤ 4.2e-6 on the
 *   xenograft and patient presets, pO2 0–150 mmHg, 1 min–18 h (test/sim/tumour/interp.test.ts;
 *   the bound asserted there is the 0.5 %).
 * - **auto** (default): interpolate a region when it has more voxels than nodes and more than one
 *   pO2 value; otherwise exact.
 */
import { AtsmError } from "../../core/errors.js";
import { kOxPerMmHgPerS } from "../cell/model.js";
import { simulateVoxel, type TissueRegion, type TracerGrid } from "./tissue.js";

export interface TracerMapInput {
  /** pO2 per voxel, mmHg. */
  readonly pO2MmHg: Float32Array;
  /** Region index per voxel into `regions`; 255 = outside (zero activity). Null = all region 0. */
  readonly regionIndex: Uint8Array | null;
  readonly regions: readonly TissueRegion[];
  /**
   * Optional pO2 resolution, mmHg: when > 0 each voxel's pO2 is rounded to the nearest multiple
   * before solving, so a continuous map from the oxygen solver costs at most (range/quantum)
   * solves per region (rounding by ≤ q/2 changes k3_eff by ≤ (q/2)/P½ relative [D]: < 0.1 % for
   * q = 0.01 mmHg and P½ ≥ 5 mmHg).
   * Default: exact per-voxel pO2.
   */
  readonly pO2QuantumMmHg?: number;
}

/** How voxel curves are computed (see the file comment). */
export type TracerMapMethod = "auto" | "interpolate" | "exact";

/** Method options of `simulateTracerMap` / `buildPo2NodeTable`. */
export interface TracerMapMethodOptions {
  /** Default "auto". */
  readonly method?: TracerMapMethod;
  /** pO2 nodes per interpolated region (≥ 2), default `DEFAULT_PO2_NODES`. */
  readonly pO2Nodes?: number;
}

/** Default number of pO2 nodes per region for interpolated maps. */
export const DEFAULT_PO2_NODES = 64;

/** Voxel count above which the app layer uses worker threads for exact per-voxel solves. */
export const TRACER_MAP_THREAD_THRESHOLD = 4096;

/** Region index meaning "no tissue here" (air, outside the body). */
export const REGION_NONE = 255;

/** Interpolation table of one region: cubic pieces uniform in w = ln(1 + pO2/scale). */
export interface Po2NodeRegion {
  /** pO2 scale of w, mmHg (the cells' P½ = k_diss/k_ox). */
  readonly scaleMmHg: number;
  /** w of the first node. */
  readonly w0: number;
  /** Node spacing in w (> 0). */
  readonly dw: number;
  /** Number of cubic pieces (nodes − 1, ≥ 1). */
  readonly intervals: number;
  /** Node pO2 values, mmHg (length intervals + 1). */
  readonly nodesMmHg: Float64Array;
  /**
   * Cubic coefficients: piece k, time f → c[((k·nT) + f)·4 + j], value = c0 + t(c1 + t(c2 + t·c3)),
   * t = (w − w0)/dw − k ∈ [0, 1].
   */
  readonly coeffs: Float64Array;
}

/** Per-region interpolation tables of one map (plain, structured-cloneable data for workers). */
export interface Po2NodeTable {
  /** Number of output times. */
  readonly timeCount: number;
  /** Table per region; null = that region is solved exactly per distinct pO2. */
  readonly regions: readonly (Po2NodeRegion | null)[];
}

/** Validate the map input (lengths, region indices). */
export function checkTracerMapInput(m: TracerMapInput): void {
  const n = m.pO2MmHg.length;
  if (m.regionIndex !== null && m.regionIndex.length !== n) {
    throw new AtsmError({
      code: "INCONSISTENT",
      message: "region map and pO2 map differ in length",
      value: { pO2: n, region: m.regionIndex.length },
      hint: "both maps must be on the same grid",
    });
  }
  if (m.regions.length === 0) {
    throw new AtsmError({
      code: "INVALID_ARGUMENT",
      message: "no tissue regions given",
      hint: "give ≥ 1 TissueRegion",
    });
  }
  if (m.regionIndex !== null) {
    for (let i = 0; i < n; i++) {
      const r = m.regionIndex[i]!;
      if (r !== REGION_NONE && r >= m.regions.length) {
        throw new AtsmError({
          code: "INVALID_ARGUMENT",
          message: `region index ${r} at voxel ${i} has no region (only ${m.regions.length} given)`,
          value: r,
          hint: `use 0..${m.regions.length - 1}, or ${REGION_NONE} for no tissue`,
        });
      }
    }
  }
}

function checkMethod(o: TracerMapMethodOptions): { method: TracerMapMethod; nodes: number } {
  const method = o.method ?? "auto";
  const nodes = o.pO2Nodes ?? DEFAULT_PO2_NODES;
  if (method !== "auto" && method !== "interpolate" && method !== "exact") {
    throw new AtsmError({
      code: "INVALID_ARGUMENT",
      message: `unknown tracer map method: ${String(method)}`,
      value: method,
      field: "method",
      hint: "use auto, interpolate or exact",
    });
  }
  if (!Number.isInteger(nodes) || nodes < 2 || nodes > 65_536) {
    throw new AtsmError({
      code: "INVALID_ARGUMENT",
      message: `invalid pO2 node count: ${nodes}`,
      value: nodes,
      field: "pO2Nodes",
      hint: `an integer 2..65536; default ${DEFAULT_PO2_NODES}`,
    });
  }
  return { method, nodes };
}

/** The pO2 the kernels use for a raw map value: rounded to the quantum, clamped at 0. */
function effectivePo2(raw: number, q: number): number {
  const p = q > 0 ? Math.round(raw / q) * q : raw;
  return p > 0 || Number.isNaN(p) ? p : 0;
}

function quantumOf(m: TracerMapInput): number {
  return m.pO2QuantumMmHg !== undefined && m.pO2QuantumMmHg > 0 ? m.pO2QuantumMmHg : 0;
}

/**
 * PCHIP slopes at uniformly spaced nodes (scipy.interpolate.PchipInterpolator's rules: harmonic
 * mean of the neighbouring secants where they agree in sign, else 0; one-sided three-point ends
 * limited to keep the shape). y and d are node values/slopes with stride `stride`.
 */
function pchipSlopes(
  y: Float64Array,
  d: Float64Array,
  count: number,
  stride: number,
  off: number,
  h: number,
) {
  const sec = (k: number) => (y[(k + 1) * stride + off]! - y[k * stride + off]!) / h;
  if (count === 2) {
    const s = sec(0);
    d[off] = s;
    d[stride + off] = s;
    return;
  }
  for (let k = 1; k < count - 1; k++) {
    const a = sec(k - 1);
    const b = sec(k);
    d[k * stride + off] = a * b <= 0 ? 0 : 2 / (1 / a + 1 / b);
  }
  const edge = (m0: number, m1: number): number => {
    const v = (3 * m0 - m1) / 2;
    if (Math.sign(v) !== Math.sign(m0)) return 0;
    if (Math.sign(m0) !== Math.sign(m1) && Math.abs(v) > Math.abs(3 * m0)) return 3 * m0;
    return v;
  };
  d[off] = edge(sec(0), sec(1));
  d[(count - 1) * stride + off] = edge(sec(count - 2), sec(count - 3));
}

/** Node table of one region spanning [pMin, pMax] mmHg with `nodes` nodes. */
export function buildPo2NodeRegion(
  region: TissueRegion,
  pMinMmHg: number,
  pMaxMmHg: number,
  nodes: number,
  grid: TracerGrid,
): Po2NodeRegion {
  const nT = grid.timesS.length;
  const kOx = kOxPerMmHgPerS(region.cell);
  const scale = kOx > 0 && Number.isFinite(region.cell.kDissPerS / kOx) ? region.cell.kDissPerS / kOx : 1;
  // w = ln(1 + p/scale) with Math.log, exactly as the kernel evaluates it.
  const w0 = Math.log(1 + pMinMmHg / scale);
  const w1 = Math.log(1 + pMaxMmHg / scale);
  const intervals = nodes - 1;
  const dw = (w1 - w0) / intervals;
  const nodesMmHg = new Float64Array(nodes);
  const y = new Float64Array(nodes * nT);
  const tac = new Float64Array(nT);
  for (let j = 0; j < nodes; j++) {
    const p = j === 0 ? pMinMmHg : j === intervals ? pMaxMmHg : scale * (Math.exp(w0 + j * dw) - 1);
    nodesMmHg[j] = p;
    simulateVoxel(region, p, grid, tac);
    y.set(tac, j * nT);
  }
  const d = new Float64Array(nodes * nT);
  for (let f = 0; f < nT; f++) pchipSlopes(y, d, nodes, nT, f, dw);
  const coeffs = new Float64Array(intervals * nT * 4);
  for (let k = 0; k < intervals; k++) {
    for (let f = 0; f < nT; f++) {
      const y0 = y[k * nT + f]!;
      const y1 = y[(k + 1) * nT + f]!;
      const d0 = d[k * nT + f]! * dw;
      const d1 = d[(k + 1) * nT + f]! * dw;
      const c = (k * nT + f) * 4;
      coeffs[c] = y0;
      coeffs[c + 1] = d0;
      coeffs[c + 2] = 3 * (y1 - y0) - 2 * d0 - d1;
      coeffs[c + 3] = 2 * (y0 - y1) + d0 + d1;
    }
  }
  return { scaleMmHg: scale, w0, dw, intervals, nodesMmHg, coeffs };
}

/**
 * Decide per region (see `TracerMapMethod`) and build the node tables of the interpolated ones:
 * O(regions·nodes) ODE solves. Non-finite pO2 values are ignored for the range (their voxels
 * come out NaN).
 */
export function buildPo2NodeTable(
  m: TracerMapInput,
  grid: TracerGrid,
  opts: TracerMapMethodOptions = {},
): Po2NodeTable {
  const { method, nodes } = checkMethod(opts);
  const nR = m.regions.length;
  const timeCount = grid.timesS.length;
  if (method === "exact") return { timeCount, regions: m.regions.map(() => null) };
  const q = quantumOf(m);
  const lo = new Float64Array(nR).fill(Number.POSITIVE_INFINITY);
  const hi = new Float64Array(nR).fill(Number.NEGATIVE_INFINITY);
  const count = new Float64Array(nR);
  const n = m.pO2MmHg.length;
  for (let v = 0; v < n; v++) {
    const r = m.regionIndex === null ? 0 : m.regionIndex[v]!;
    if (r === REGION_NONE) continue;
    const p = effectivePo2(m.pO2MmHg[v]!, q);
    if (!Number.isFinite(p)) continue;
    if (p < lo[r]!) lo[r] = p;
    if (p > hi[r]!) hi[r] = p;
    count[r] = count[r]! + 1;
  }
  const regions = m.regions.map((region, r) => {
    const spread = hi[r]! > lo[r]!;
    const worth = method === "interpolate" || count[r]! > nodes;
    return spread && worth ? buildPo2NodeRegion(region, lo[r]!, hi[r]!, nodes, grid) : null;
  });
  return { timeCount, regions };
}

/**
 * Simulate voxels [start, end) of the map into `out` (frame-major over the chunk: frame f of voxel
 * v is `out[f*(end-start) + (v-start)]`). Regions with a table in `table` are interpolated, the
 * others (or all, without a table) solved exactly per distinct pO2. Build the table on the whole
 * map (`buildPo2NodeTable`) so every voxel lies in its region's node range; a pO2 outside it would
 * be extrapolated with the end cubic.
 */
export function simulateTracerMapRange(
  m: TracerMapInput,
  grid: TracerGrid,
  start: number,
  end: number,
  out: Float32Array,
  table: Po2NodeTable | null = null,
): Float32Array {
  const nT = grid.timesS.length;
  const len = end - start;
  const tac = new Float64Array(nT);
  const nR = m.regions.length;
  const caches = m.regions.map(() => new Map<number, Float64Array>());
  // Flatten the tables into typed arrays so the voxel loop is monomorphic: per region 1/scale,
  // w0, 1/dw, last piece index and the offset of its coefficients in `coef` (−1 = exact).
  const inv = new Float64Array(nR);
  const w0 = new Float64Array(nR);
  const invDw = new Float64Array(nR);
  const lastK = new Int32Array(nR);
  const base = new Int32Array(nR).fill(-1);
  let total = 0;
  for (let r = 0; r < nR; r++) total += table?.regions[r]?.coeffs.length ?? 0;
  const coef = new Float64Array(total);
  for (let r = 0, off = 0; r < nR; r++) {
    const t = table?.regions[r];
    if (!t) continue;
    if (table!.timeCount !== nT) {
      throw new AtsmError({
        code: "INCONSISTENT",
        message: `node table has ${table!.timeCount} times, the grid ${nT}`,
        hint: "build the table with the same TracerGrid",
      });
    }
    inv[r] = 1 / t.scaleMmHg;
    w0[r] = t.w0;
    invDw[r] = 1 / t.dw;
    lastK[r] = t.intervals - 1;
    base[r] = off;
    coef.set(t.coeffs, off);
    off += t.coeffs.length;
  }
  const q = quantumOf(m);
  const pO2 = m.pO2MmHg;
  const reg = m.regionIndex;
  const stride = nT * 4;
  for (let v = start; v < end; v++) {
    const r = reg === null ? 0 : reg[v]!;
    const local = v - start;
    if (r === REGION_NONE) {
      for (let f = 0, o = local; f < nT; f++, o += len) out[o] = 0;
      continue;
    }
    const p = effectivePo2(pO2[v]!, q);
    const b = base[r]!;
    if (b >= 0) {
      // Piece index and local coordinate; clamping keeps roundoff at the ends inside the table.
      const x = (Math.log(1 + p * inv[r]!) - w0[r]!) * invDw[r]!;
      let k = Math.floor(x);
      if (k < 0) k = 0;
      else if (k > lastK[r]!) k = lastK[r]!;
      const t = x - k;
      if (!Number.isFinite(t)) {
        for (let f = 0, o = local; f < nT; f++, o += len) out[o] = Number.NaN;
        continue;
      }
      let c = b + k * stride;
      for (let f = 0, o = local; f < nT; f++, o += len, c += 4) {
        out[o] = coef[c]! + t * (coef[c + 1]! + t * (coef[c + 2]! + t * coef[c + 3]!));
      }
      continue;
    }
    const cache = caches[r]!;
    let curve = cache.get(p);
    if (curve === undefined) {
      simulateVoxel(m.regions[r]!, p, grid, tac);
      curve = Float64Array.from(tac);
      if (cache.size < 65_536) cache.set(p, curve);
    }
    for (let f = 0, o = local; f < nT; f++, o += len) out[o] = curve[f]!;
  }
  return out;
}

/**
 * Single-threaded whole map: Float32Array(nTimes·nVoxels), frame-major. Default method "auto"
 * (node-grid interpolation for big regions, see the file comment); `{ method: "exact" }` solves
 * every distinct pO2.
 */
export function simulateTracerMap(
  m: TracerMapInput,
  grid: TracerGrid,
  opts: TracerMapMethodOptions = {},
): Float32Array {
  checkTracerMapInput(m);
  const n = m.pO2MmHg.length;
  const table = buildPo2NodeTable(m, grid, opts);
  return simulateTracerMapRange(m, grid, 0, n, new Float32Array(grid.timesS.length * n), table);
}

/** Number of voxels of the map that a table leaves to exact solves (for the thread decision). */
export function exactVoxelCount(m: TracerMapInput, table: Po2NodeTable): number {
  if (table.regions.every((t) => t !== null)) return 0;
  let c = 0;
  for (let v = 0; v < m.pO2MmHg.length; v++) {
    const r = m.regionIndex === null ? 0 : m.regionIndex[v]!;
    if (r !== REGION_NONE && table.regions[r] === null) c++;
  }
  return c;
}

/** Mean PET TAC (fraction of injected per mL) over pO2 samples of one region. */
export function simulateRegionMeanTac(
  region: TissueRegion,
  pO2SamplesMmHg: ArrayLike<number>,
  grid: TracerGrid,
): Float64Array {
  const nT = grid.timesS.length;
  const acc = new Float64Array(nT);
  const tac = new Float64Array(nT);
  for (let i = 0; i < pO2SamplesMmHg.length; i++) {
    simulateVoxel(region, pO2SamplesMmHg[i]!, grid, tac);
    for (let f = 0; f < nT; f++) acc[f] = acc[f]! + tac[f]!;
  }
  for (let f = 0; f < nT; f++) acc[f] = acc[f]! / pO2SamplesMmHg.length;
  return acc;
}
