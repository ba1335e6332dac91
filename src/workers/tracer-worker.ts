/**
 * Worker thread: simulates a chunk of a tracer map (`sim/tumour/map.ts`). Message
 * `{ id, task: TracerChunkTask }` → `{ id, ok, result: Float32Array }` (frame-major over the chunk).
 *
 * With a `table` (built once by the caller with `buildPo2NodeTable` on the whole map) the
 * interpolated regions are evaluated from it and only the other regions are solved here, so a
 * chunked map is bit-identical to the single-thread one. Without a table every voxel is solved
 * exactly.
 */
import { parentPort } from "node:worker_threads";
import type { PlasmaInputFunction } from "../sim/input/index.js";
import {
  buildTracerGrid,
  type Po2NodeTable,
  simulateTracerMapRange,
  type TissueRegion,
} from "../sim/tumour/index.js";

export interface TracerChunkTask {
  readonly pO2MmHg: Float32Array;
  readonly regionIndex: Uint8Array | null;
  readonly regions: readonly TissueRegion[];
  readonly input: PlasmaInputFunction;
  readonly timesS: readonly number[];
  readonly pO2QuantumMmHg?: number;
  /** Interpolation tables of the whole map; absent = exact solves for every voxel. */
  readonly table?: Po2NodeTable;
}

parentPort?.on("message", (msg: { id: number; task: TracerChunkTask }) => {
  try {
    const t = msg.task;
    const grid = buildTracerGrid(t.input, t.timesS);
    const n = t.pO2MmHg.length;
    const out = simulateTracerMapRange(
      {
        pO2MmHg: t.pO2MmHg,
        regionIndex: t.regionIndex,
        regions: t.regions,
        ...(t.pO2QuantumMmHg !== undefined ? { pO2QuantumMmHg: t.pO2QuantumMmHg } : {}),
      },
      grid,
      0,
      n,
      new Float32Array(t.timesS.length * n),
      t.table ?? null,
    );
    parentPort!.postMessage({ id: msg.id, ok: true, result: out }, [out.buffer as ArrayBuffer]);
  } catch (e) {
    const err = e as { message?: string; name?: string; code?: string; hint?: string };
    parentPort!.postMessage({
      id: msg.id,
      ok: false,
      error: { message: err.message ?? String(e), name: err.name ?? "Error", code: err.code, hint: err.hint },
    });
  }
});
