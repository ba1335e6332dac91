/**
 * Every metric against analytic phantoms (partial-voxel effects stated per test), SUVpeak against a
 * brute-force sphere mean, and the error cases.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { identityDirection } from "../../src/core/types.js";
import { computeVoiMetrics } from "../../src/quant/metrics.js";
import { PEAK_SPHERE_RADIUS_MM, peakSearch, sphereRowKernel } from "../../src/quant/peak.js";
import { valueScaleFor } from "../../src/quant/scale.js";
import { sphereVoi } from "../../src/quant/voi/raster.js";
import { rasterizeVoi } from "../../src/quant/voi/resolve.js";
import { expectClose } from "../helpers/close.js";
import { expectAtsmError } from "../helpers/errors.js";
import { phantom, rotationZ, sphereVolumeMl } from "./phantom.js";

const g = {
  dims: [40, 40, 36] as const,
  spacingMm: [2, 2, 2.5] as const,
  originMm: [-39, -39, -43.75] as const,
};

describe("uniform sphere", () => {
  // Value 4 within 30 mm of the origin, 1 elsewhere; VOI radius 15 mm: every voxel touching the VOI
  // (centre within 15 + ½·diagonal ≈ 16.8 mm) has value 4, so max = mean = min = peak = 4 exactly,
  // SD = 0; the peak sphere (6.2 mm) around any VOI centre stays inside 30 mm.
  const vol = phantom(g, (x, y, z) => (Math.hypot(x, y, z) <= 30 ? 4 : 1));
  const voi = rasterizeVoi("sphere:0.4,-0.3,0.2,15", { volume: vol });
  const m = computeVoiMetrics(vol, voi);
  it("max/mean/min/peak exact, SD 0", () => {
    expect(m.suvMax).toBe(4);
    expect(m.suvMin).toBe(4);
    expectClose(m.suvMean!, 4, { rel: 1e-12 }, "mean");
    expectClose(m.suvPeak!, 4, { rel: 1e-12 }, "peak");
    expectClose(m.suvSd!, 0, { abs: 1e-6 }, "SD");
  });
  it("volume = 4/3·π·15³ = 14.137 mL within 0.3 % (k = 5 supersampling)", () => {
    expectClose(m.volumeMl, sphereVolumeMl(15), { rel: 0.003 }, "volume");
    expectClose(m.totalUptakeSuvMl!, 4 * m.volumeMl, { rel: 1e-12 }, "total uptake = mean × volume");
    expect(m.voxelCount).toBe(voi.insideCount);
    expectClose(m.binaryVolumeMl, m.voxelCount * 0.01, { rel: 1e-12 }, "binary volume");
    expectClose(m.peakSphereVolumeMl, 1, { rel: 0.01 }, "peak sphere ≈ 1 mL");
  });
  it("Bq/mL outputs follow the SUV factor; unknown factor gives null", () => {
    const scaled = computeVoiMetrics(vol, voi, { scale: valueScaleFor("SUVbw", 2e-4) });
    expectClose(scaled.bqPerMlMax!, 4 / 2e-4, { rel: 1e-12 }, "Bq/mL max");
    expectClose(scaled.totalActivityBq!, (4 / 2e-4) * m.volumeMl, { rel: 1e-12 }, "activity Bq");
    expect(m.bqPerMlMean).toBeNull();
    const bq = { ...vol, unit: "Bq/mL" };
    const mb = computeVoiMetrics(bq, voi, { scale: valueScaleFor("Bq/mL", 1e-3) });
    expectClose(mb.suvMean!, 4e-3, { rel: 1e-12 }, "SUV from Bq/mL");
    expectClose(mb.bqPerMlMean!, 4, { rel: 1e-12 }, "Bq/mL native");
  });
});

describe("linear gradient v = 10 + 0.2·x (x LPS mm)", () => {
  // Sphere centred on a voxel centre: the supersampled weights are symmetric about the centre, so
  // the weighted mean is exactly the value at the centre; the peak kernel is symmetric, so a sphere
  // mean equals the value at its centre, maximised at the VOI voxel with the largest x.
  const vol = phantom(g, (x) => 10 + 0.2 * x);
  const cx = -39 + 2 * 20; // voxel i = 20 -> x = 1 mm
  const voi = rasterizeVoi(`sphere:${cx},1,1.25,15`, { volume: vol });
  const m = computeVoiMetrics(vol, voi);
  it("mean = value at the centroid", () => {
    expectClose(m.suvMean!, 10 + 0.2 * cx, { rel: 1e-6 }, "mean");
  });
  it("max, min = value at the extreme voxel centres inside (x = c ± 14 mm); peak = max", () => {
    // Voxel centres along x are at c + 2n; c + 14 is inside r = 15, c + 16 is not.
    expectClose(m.suvMax!, 10 + 0.2 * (cx + 14), { rel: 1e-6 }, "max");
    expectClose(m.suvMin!, 10 + 0.2 * (cx - 14), { rel: 1e-6 }, "min");
    expectClose(m.suvPeak!, 10 + 0.2 * (cx + 14), { rel: 1e-6 }, "peak");
    expectClose(m.peakCentreMm[0], cx + 14, { abs: 1e-9 }, "peak centre x");
  });
  it("SD = 0.2·r/√5 (variance of x over a ball is r²/5) within 1 %", () => {
    expectClose(m.suvSd!, (0.2 * 15) / Math.sqrt(5), { rel: 0.01 }, "SD");
  });
});

describe("SUVpeak search", () => {
  // Pseudo-random image (deterministic LCG), brute-force sphere mean with the same kernel weights.
  const n = [18, 16, 14] as const;
  let seed = 12345;
  const rnd = () => ((seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648) * 10;
  function bruteForce(vol: ReturnType<typeof phantom>, voiInside: number[]): number {
    const kern = sphereRowKernel(vol, PEAK_SPHERE_RADIUS_MM);
    // Expand the row kernel to (di, dj, dk, w).
    const cells: [number, number, number, number][] = [];
    for (let r = 0; r < kern.dj.length; r++)
      for (let a = kern.runA[r]!; a <= kern.runB[r]!; a++) cells.push([a, kern.dj[r]!, kern.dk[r]!, 1]);
    for (let e = 0; e < kern.endW.length; e++) {
      const r = kern.endRow[e]!;
      cells.push([kern.endDi[e]!, kern.dj[r]!, kern.dk[r]!, kern.endW[e]!]);
    }
    let best = -Infinity;
    const [nx, ny, nz] = vol.dims;
    for (const p of voiInside) {
      const i = p % nx;
      const j = Math.floor(p / nx) % ny;
      const k = Math.floor(p / (nx * ny));
      let s = 0;
      let w = 0;
      for (const [a, b, c, wt] of cells) {
        const ii = i + a;
        const jj = j + b;
        const kk = k + c;
        if (ii < 0 || jj < 0 || kk < 0 || ii >= nx || jj >= ny || kk >= nz) continue;
        s += wt * vol.data[ii + nx * (jj + ny * kk)]!;
        w += wt;
      }
      best = Math.max(best, s / w);
    }
    return best;
  }
  it.each([
    ["axis-aligned, sphere inside", identityDirection(), "sphere:0,0,0,9"],
    [
      "axis-aligned, VOI at the border (truncated spheres)",
      identityDirection(),
      "box:-100,-100,-100,100,100,100",
    ],
    ["oblique 25°", rotationZ(25), "sphere:1,-2,0,10"],
  ])("matches a brute-force sphere mean: %s", (_what, direction, spec) => {
    const vol = phantom({ dims: n, spacingMm: [2.1, 1.9, 3], originMm: [-18, -14, -20], direction }, () =>
      rnd(),
    );
    const voi = rasterizeVoi(spec, { volume: vol });
    const inside: number[] = [];
    for (let q = 0; q < voi.index.length; q++) if (voi.inside[q]) inside.push(voi.index[q]!);
    expectClose(peakSearch(vol.data, voi).peak, bruteForce(vol, inside), { rel: 1e-12 }, "peak");
  });
  it("matches brute force on random grids (spacing 1.5–4 mm, any rotation about z, random VOI)", () => {
    fc.assert(
      fc.property(
        fc.tuple(fc.double({ min: 1.5, max: 4, noNaN: true }), fc.double({ min: 1.5, max: 4, noNaN: true })),
        fc.double({ min: 1.5, max: 4, noNaN: true }),
        fc.integer({ min: 0, max: 359 }),
        fc.tuple(
          fc.integer({ min: -4, max: 4 }),
          fc.integer({ min: -4, max: 4 }),
          fc.integer({ min: 6, max: 14 }),
        ),
        ([sx, sy], sz, deg, [cx, cy, r]) => {
          // Grid centred on the world origin: origin = −D·diag(s)·(n − 1)/2.
          const d = rotationZ(deg);
          const h = [5.5 * sx, 5 * sy, 4 * sz];
          const originMm = [0, 1, 2].map(
            (r) => -(d[3 * r]! * h[0]! + d[3 * r + 1]! * h[1]! + d[3 * r + 2]! * h[2]!),
          );
          const vol = phantom(
            {
              dims: [12, 11, 9],
              spacingMm: [sx, sy, sz],
              originMm: originMm as [number, number, number],
              direction: d,
            },
            () => rnd(),
          );
          const voi = rasterizeVoi(`sphere:${cx},${cy},0,${r}`, { volume: vol });
          const inside: number[] = [];
          for (let q = 0; q < voi.index.length; q++) if (voi.inside[q]) inside.push(voi.index[q]!);
          expectClose(peakSearch(vol.data, voi).peak, bruteForce(vol, inside), { rel: 1e-12 }, "peak");
        },
      ),
      { numRuns: 30 },
    );
  });
  it("kernel volume is 1 mL within 1 % on 2–4 mm voxels", () => {
    for (const s of [2, 2.7, 4]) {
      const k = sphereRowKernel(
        { ...g, spacingMm: [s, s, s], direction: identityDirection() },
        PEAK_SPHERE_RADIUS_MM,
      );
      expectClose((k.totalWeight * s ** 3) / 1000, 1, { rel: 0.01 }, `kernel volume at ${s} mm`);
    }
  });
});

describe("errors", () => {
  const vol = phantom(g, () => 1);
  it("VOI outside the image", () => {
    expectAtsmError(() => rasterizeVoi("sphere:500,0,0,10", { volume: vol }), {
      code: "EMPTY_VOI",
      message: /sphere:500,0,0,10 lies outside the image/,
    });
  });
  it("empty VOI (sphere smaller than a voxel between centres)", () => {
    expectAtsmError(() => rasterizeVoi("sphere:0,0,0,0.5", { volume: vol }), {
      code: "EMPTY_VOI",
      message: /VOI sphere:0,0,0,0.5 is empty/,
    });
  });
  it("NaN voxel inside the VOI names the VOI", () => {
    const bad = phantom(g, (x, y, z) => (x === 1 && y === 1 && Math.abs(z - 1.25) < 1e-9 ? Number.NaN : 1));
    const voi = sphereVoi("sphere:1,1,1.25,5", bad, [1, 1, 1.25], 5);
    expectAtsmError(() => computeVoiMetrics(bad, voi), {
      code: "NUMERIC",
      message: /VOI sphere:1,1,1.25,5 .*NaN/,
    });
  });
  it("VOI from another grid", () => {
    const other = phantom({ ...g, spacingMm: [3, 3, 3] }, () => 1);
    const voi = rasterizeVoi("sphere:0,0,0,10", { volume: other });
    expectAtsmError(() => computeVoiMetrics(vol, voi), { code: "INCONSISTENT" });
  });
});
