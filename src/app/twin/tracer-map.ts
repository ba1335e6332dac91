/**
 * Use case "tracer concentration maps over time from a pO2 map": single-threaded for small maps,
 * split across worker threads (`workers/tracer-worker.ts`) for big ones. Both paths run the same
 * kernel on the same voxels, so the results are bit-identical.
 */
import type { ProgressFn } from "../../core/types.js";
import type { PlasmaInputFunction } from "../../sim/input/index.js";
import {
  buildTracerGrid,
  checkTracerMapInput,
  simulateTracerMap,
  TRACER_MAP_THREAD_THRESHOLD,
  type TracerMapInput,
} from "../../sim/tumour/index.js";
import { createWorkerPool, defaultThreadCount } from "../../workers/pool.js";
import type { TracerChunkTask } from "../../workers/tracer-worker.js";

export interface TracerMapOptions {
  /** Threads; 1 = run in this thread. Default: cores − 1 for maps above the threshold. */
  readonly threads?: number;
  /** Voxels per worker task (default: map split into 4 tasks per thread). */
  readonly chunkVoxels?: number;
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
  const threads = opts.threads ?? (n >= TRACER_MAP_THREAD_THRESHOLD ? defaultThreadCount() : 1);
  const grid = buildTracerGrid(input, timesS);
  if (threads <= 1) {
    const out = simulateTracerMap(m, grid);
    opts.onProgress?.(1, "tracer map");
    return out;
  }
  const nT = timesS.length;
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
