/**
 * The threaded tracer map (worker threads, `.ts` worker started through tsx under vitest) gives
 * bit-identical results to the single-thread path, and is reproducible for a seed.
 */
import { describe, expect, it } from "vitest";
import { simulateTracerMapThreaded } from "../../src/app/twin/tracer-map.js";
import { createRng } from "../../src/core/rng.js";
import { XENOGRAFTS } from "../../src/sim/presets/xenografts.js";
import { drawPo2, REGION_NONE } from "../../src/sim/tumour/index.js";
import { createWorkerPool } from "../../src/workers/pool.js";
import { expectAtsmErrorAsync } from "../helpers/errors.js";

function phantom(n: number, seed: number) {
  const p = XENOGRAFTS.FaDu!;
  const rng = createRng(seed);
  const pO2 = new Float32Array(n);
  const reg = new Uint8Array(n);
  for (let i = 0; i < n; i++) {
    reg[i] = i % 7 === 0 ? REGION_NONE : i % 3 === 0 ? 1 : 0;
    pO2[i] = reg[i] === 1 ? 30 : drawPo2(p.tumourPo2, rng);
  }
  return { pO2MmHg: pO2, regionIndex: reg, regions: [p.tumour, p.muscle] };
}

describe("tracer map: threads vs single thread", () => {
  const p = XENOGRAFTS.FaDu!;
  const times = [300, 1200, 5400];

  it("identical results (2 threads, 40-voxel chunks) and progress reaches 1", async () => {
    const m = phantom(240, 11);
    const single = await simulateTracerMapThreaded(m, p.input, times, { threads: 1 });
    const seen: number[] = [];
    const threaded = await simulateTracerMapThreaded(m, p.input, times, {
      threads: 2,
      chunkVoxels: 40,
      onProgress: (f) => seen.push(f),
    });
    expect(threaded.length).toBe(single.length);
    let differ = 0;
    for (let i = 0; i < single.length; i++) if (single[i] !== threaded[i]) differ++;
    expect(differ).toBe(0);
    expect(seen.at(-1)).toBe(1);
  });

  it("identical with methods interpolate and exact too (2 threads, uneven 37-voxel chunks)", async () => {
    // Issue 4: the node table is built once on the whole map and shipped to the workers, so a
    // chunk's interpolated voxels use the same cubic as the single-thread kernel.
    const m = phantom(150, 12);
    for (const method of ["interpolate", "exact"] as const) {
      const single = await simulateTracerMapThreaded(m, p.input, times, { threads: 1, method });
      const threaded = await simulateTracerMapThreaded(m, p.input, times, {
        threads: 2,
        chunkVoxels: 37,
        method,
      });
      let differ = 0;
      for (let i = 0; i < single.length; i++) if (single[i] !== threaded[i]) differ++;
      expect(differ, method).toBe(0);
    }
  });

  it("same seed → same map; different seed → different map", async () => {
    const a = await simulateTracerMapThreaded(phantom(50, 3), p.input, times, { threads: 1 });
    const b = await simulateTracerMapThreaded(phantom(50, 3), p.input, times, { threads: 1 });
    const c = await simulateTracerMapThreaded(phantom(50, 4), p.input, times, { threads: 1 });
    expect(Array.from(a)).toEqual(Array.from(b));
    expect(Array.from(a)).not.toEqual(Array.from(c));
  });

  it("validation errors surface before any worker starts", async () => {
    const m = { ...phantom(10, 1), regionIndex: new Uint8Array(9) };
    await expectAtsmErrorAsync(() => simulateTracerMapThreaded(m, p.input, times, { threads: 2 }), {
      code: "INCONSISTENT",
    });
  });

  it("a failing worker task rejects with the worker's error", async () => {
    const pool = createWorkerPool("tracer-worker", 1);
    try {
      await expect(
        pool.run({
          pO2MmHg: new Float32Array(1),
          regionIndex: null,
          regions: [],
          input: p.input,
          timesS: [60, 1],
        }),
      ).rejects.toThrow(/ascending/);
    } finally {
      await pool.close();
    }
  });
});
