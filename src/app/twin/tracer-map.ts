/**
 * Use case "tracer concentration maps over time from a pO2 map".
 *
 * The pO2 node tables (`buildPo2NodeTable`: O(nodes) ODE solves per region) are built once here on
 * the whole map; voxels of interpolated regions then cost one cubic evaluation per output time
 * (~40 ns), so a 128³ map at a few times takes well under a second in one thread, and worker
 * threads (`workers/tracer-worker.ts`) are started by default only when ≥ 4096 voxels are left
 * to exact per-voxel solves (method "exact", or regions too small to interpolate). Both paths
 * run the same kernel with the same table on the same voxels, so the results are bit-identical.
 */
import type { ProgressFn } from "../../core/types.js";
import type { PlasmaInputFunction } from "../../sim/input/index.js";
import {
  buildPo2NodeTable,
  buildTracerGrid,
  checkTracerMapInput,
  exactVoxelCount,
  simulateTracerMapRange,
  TRACER_MAP_THREAD_THRESHOLD,
  type TracerMapInput,
  type TracerMapMethod,
} from "../../sim/tumour/index.js";
import { createWorkerPool, defaultThreadCount } from "../../workers/pool.js";
import type { TracerChunkTask } from "../../workers/tracer-worker.js";

export interface TracerMapOptions {
  /**
   * Threads; 1 = run in this thread. Default: cores − 1 when ≥ 4096 voxels need exact solves,
   * else 1 (interpolation is memory-bound and faster in one thread than the transfer to workers).
   */
  readonly threads?: number;
  /** Voxels per worker task (default: map split into 4 tasks per thread). */
  readonly chunkVoxels?: number;
  /** "auto" (default), "interpolate" or "exact" (see `sim/tumour/map.ts`). */
  readonly method?: TracerMapMethod;
  /** pO2 nodes per interpolated region (default `DEFAULT_PO2_NODES`). */
  readonly pO2Nodes?: number;
  readonly onProgress?: ProgressFn;
}

/**
 * PET concentration maps (fraction of injected activity per mL, decay-corrected) at `timesS`,
 * frame-major Float32Array(nTimes·nVoxels).
 */
export async function simulateTracerMapThreaded(
  m: TracerMapInput,
  input: PlasmaInputFunction,
  timesS: readonly number[],
  opts: TracerMapOptions = {},
): Promise<Float32Array> {
  checkTracerMapInput(m);
  const n = m.pO2MmHg.length;
  const grid = buildTracerGrid(input, timesS);
  const table = buildPo2NodeTable(m, grid, {
    ...(opts.method !== undefined ? { method: opts.method } : {}),
    ...(opts.pO2Nodes !== undefined ? { pO2Nodes: opts.pO2Nodes } : {}),
  });
  const threads =
    opts.threads ?? (exactVoxelCount(m, table) >= TRACER_MAP_THREAD_THRESHOLD ? defaultThreadCount() : 1);
  const nT = timesS.length;
  if (threads <= 1) {
    const out = simulateTracerMapRange(m, grid, 0, n, new Float32Array(nT * n), table);
    opts.onProgress?.(1, "tracer map");
    return out;
  }
  const chunk = Math.max(1, opts.chunkVoxels ?? Math.ceil(n / (threads * 4)));
  const out = new Float32Array(nT * n);
  const pool = createWorkerPool("tracer-worker", threads);
  let done = 0;
  try {
    const jobs: Promise<void>[] = [];
    for (let start = 0; start < n; start += chunk) {
      const end = Math.min(n, start + chunk);
      const task: TracerChunkTask = {
        pO2MmHg: m.pO2MmHg.slice(start, end),
        regionIndex: m.regionIndex === null ? null : m.regionIndex.slice(start, end),
        regions: m.regions,
        input,
        timesS: [...timesS],
        table,
        ...(m.pO2QuantumMmHg !== undefined ? { pO2QuantumMmHg: m.pO2QuantumMmHg } : {}),
      };
      jobs.push(
        pool.run<Float32Array>(task).then((res) => {
          const len = end - start;
          for (let f = 0; f < nT; f++) out.set(res.subarray(f * len, (f + 1) * len), f * n + start);
          done += len;
          opts.onProgress?.(done / n, "tracer map");
        }),
      );
    }
    await Promise.all(jobs);
  } finally {
    await pool.close();
  }
  return out;
}
