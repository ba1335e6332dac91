/**
 * The web viewer's pure logic against the server-side code it must agree with:
 * - brush RLE (web/src/viewer/rle.ts) decodes to the same voxels with the library's maskFromRle;
 * - VOI specs built by the tools parse with the core grammar (src/quant/voi/spec.ts) to the same numbers;
 * - voxel ↔ LPS geometry matches src/core/geometry.ts on an oblique, anisotropic grid, and LPS ↔ RAS
 *   is the x/y sign flip (NiiVue reports RAS mm).
 */
import { gunzipSync } from "node:zlib";
import { describe, expect, it } from "vitest";
import { maskFromRle } from "../../src/app/library/index.js";
import * as core from "../../src/core/geometry.js";
import type { Grid } from "../../src/core/types.js";
import { parseVoiSpec } from "../../src/quant/voi/spec.js";
import { lpsToRas, rasToLps, voxelToWorld, worldToVoxel } from "../../web/src/viewer/geometry.js";
import { rasterise } from "../../web/src/viewer/raster.js";
import { decodeRle, encodeRle } from "../../web/src/viewer/rle.js";
import { boxSpec, growSpec, parseDrawSpec, sphereSpec, thresholdSpec } from "../../web/src/viewer/spec.js";

// 30° rotation about z, anisotropic spacing, off-centre origin (an oblique grid).
const c = Math.cos(Math.PI / 6);
const s = Math.sin(Math.PI / 6);
const grid: Grid = {
  dims: [7, 5, 4],
  spacingMm: [2, 3, 4],
  originMm: [-10, 20, 5],
  direction: new Float64Array([c, -s, 0, s, c, 0, 0, 0, 1]),
};
const webGrid = {
  dims: grid.dims,
  spacingMm: grid.spacingMm,
  originMm: grid.originMm,
  direction: Array.from(grid.direction),
};

describe("brush RLE", () => {
  it("round-trips and matches the library's maskFromRle voxel for voxel", () => {
    const n = 7 * 5 * 4;
    const mask = new Uint8Array(n);
    for (const v of [0, 1, 2, 17, 18, 40, 41, 42, 43, n - 1]) mask[v] = 1;
    const rle = encodeRle(mask, grid.dims);
    // starts with a (here empty) background run because voxel 0 is set
    expect(rle.runs[0]).toBe(0);
    expect(rle.runs.reduce((a, b) => a + b, 0)).toBe(n);
    expect(Array.from(decodeRle(rle))).toEqual(Array.from(mask));
    const nii = gunzipSync(maskFromRle(grid, rle));
    const voxOffset = new DataView(nii.buffer, nii.byteOffset).getFloat32(108, true);
    expect(Array.from(nii.subarray(voxOffset, voxOffset + n))).toEqual(Array.from(mask));
  });
  it("encodes the documented examples", () => {
    expect(encodeRle(new Uint8Array([0, 0, 1, 1, 0]), [5, 1, 1]).runs).toEqual([2, 2, 1]);
    expect(encodeRle(new Uint8Array([1, 0]), [2, 1, 1]).runs).toEqual([0, 1, 1]);
  });
});

describe("VOI specs from the tools", () => {
  it("parse with the core grammar to the numbers the tool used", () => {
    const sphere = parseVoiSpec(sphereSpec([12.34, -5, 0.05], 10));
    expect(sphere).toMatchObject({ kind: "sphere", centerMm: [12.3, -5, 0.1], radiusMm: 10 });
    const box = parseVoiSpec(boxSpec([10, 5, 30], [-10, -5, 30], 8));
    // z extent was zero: ±8 mm around the clicked plane
    expect(box).toMatchObject({ kind: "box", minMm: [-10, -5, 22], maxMm: [10, 5, 38] });
    const thr = parseVoiSpec(thresholdSpec(41, "sphere:1,2,3,10"));
    expect(thr).toMatchObject({ kind: "threshold", level: { kind: "relative", fraction: 0.41, of: "max" } });
    const grow = parseVoiSpec(growSpec([1, 2, 3], 50));
    expect(grow).toMatchObject({ kind: "grow", seedMm: [1, 2, 3], level: { fraction: 0.5, of: "seed" } });
  });
  it("draw parser reads the same specs", () => {
    expect(parseDrawSpec("threshold:41%max@sphere:1,2,3,10")).toMatchObject({
      kind: "threshold",
      level: { kind: "rel", fraction: 0.41, of: "max" },
      inner: { kind: "sphere", c: [1, 2, 3], r: 10 },
    });
    expect(parseDrawSpec("mask:blob:abc:1")).toEqual({ kind: "mask" });
    expect(parseDrawSpec("sphere:1,2")).toBeNull();
  });
});

describe("viewer geometry", () => {
  it("voxel → LPS matches core on an oblique grid and inverts exactly", () => {
    for (const [i, j, k] of [
      [0, 0, 0],
      [6, 4, 3],
      [2.5, 1, 3],
    ] as const) {
      const ours = voxelToWorld(webGrid, i, j, k);
      const ref = core.voxelToWorld(grid, i, j, k);
      for (let a = 0; a < 3; a++) expect(Math.abs(ours[a]! - ref[a]!)).toBeLessThan(1e-9);
      const back = worldToVoxel(webGrid, ours);
      expect(Math.abs(back[0] - i) + Math.abs(back[1] - j) + Math.abs(back[2] - k)).toBeLessThan(1e-9);
    }
  });
  it("RAS ↔ LPS flips x and y only", () => {
    expect(rasToLps([10, -20, 30])).toEqual([-10, 20, 30]);
    expect(lpsToRas(rasToLps([1.5, 2.5, -3]))).toEqual([1.5, 2.5, -3]);
  });
  it("sphere raster: voxel centres within R (hand count on an isotropic 1 mm grid)", () => {
    const g = { dims: [9, 9, 9] as const, spacingMm: [1, 1, 1] as const, originMm: [0, 0, 0] as const };
    const iso = { ...g, direction: [1, 0, 0, 0, 1, 0, 0, 0, 1] };
    const m = rasterise({ kind: "sphere", c: [4, 4, 4], r: 1 }, iso, new Float32Array(729));
    // centre + 6 face neighbours at distance 1 (edge neighbours are at √2 > 1)
    expect(m?.reduce((a, b) => a + b, 0)).toBe(7);
  });
});
