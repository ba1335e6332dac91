/**
 * Tracer concentration maps over time from a pO2 map (the per-voxel kernel that
 * `workers/tracer-worker.ts` runs on chunks; `app/twin/tracer-map.ts` picks threads or not).
 *
 * Output layout: frame-major Float32Array of length nTimes·nVoxels; frame f is
 * `out.subarray(f*nVox, (f+1)*nVox)` (STYLE §4). Values: PET concentration (with blood volume),
 * fraction of injected activity per mL, decay-corrected.
 *
 * Voxels with the same region and the same pO2 value share one computed curve (an exact cache:
 * the result is a pure function of those two), so uniform backgrounds cost one solve.
 */
import { AtsmError } from "../../core/errors.js";
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

/** Voxel count above which the app layer uses worker threads. */
export const TRACER_MAP_THREAD_THRESHOLD = 4096;

/** Region index meaning "no tissue here" (air, outside the body). */
export const REGION_NONE = 255;

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

/**
 * Simulate voxels [start, end) of the map into `out` (frame-major over the chunk: frame f of voxel
 * v is `out[f*(end-start) + (v-start)]`).
 */
export function simulateTracerMapRange(
  m: TracerMapInput,
  grid: TracerGrid,
  start: number,
  end: number,
  out: Float32Array,
): Float32Array {
  const nT = grid.timesS.length;
  const len = end - start;
  const tac = new Float64Array(nT);
  const caches = m.regions.map(() => new Map<number, Float64Array>());
  const q = m.pO2QuantumMmHg !== undefined && m.pO2QuantumMmHg > 0 ? m.pO2QuantumMmHg : 0;
  for (let v = start; v < end; v++) {
    const r = m.regionIndex === null ? 0 : m.regionIndex[v]!;
    const local = v - start;
    if (r === REGION_NONE) {
      for (let f = 0; f < nT; f++) out[f * len + local] = 0;
      continue;
    }
    const raw = m.pO2MmHg[v]!;
    const p = q > 0 ? Math.round(raw / q) * q : raw;
    const cache = caches[r]!;
    let curve = cache.get(p);
    if (curve === undefined) {
      simulateVoxel(m.regions[r]!, p, grid, tac);
      curve = Float64Array.from(tac);
      if (cache.size < 65_536) cache.set(p, curve);
    }
    for (let f = 0; f < nT; f++) out[f * len + local] = curve[f]!;
  }
  return out;
}

/** Single-threaded whole map: Float32Array(nTimes·nVoxels), frame-major. */
export function simulateTracerMap(m: TracerMapInput, grid: TracerGrid): Float32Array {
  checkTracerMapInput(m);
  const n = m.pO2MmHg.length;
  return simulateTracerMapRange(m, grid, 0, n, new Float32Array(grid.timesS.length * n));
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
