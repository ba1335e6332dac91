/** Orientation words and frame views (hand-derived cases). */
import { describe, expect, it } from "vitest";
import type { DynamicVolume, Grid } from "../../src/core/types.js";
import { frameCount, frameVolume, meanOverFrames } from "../../src/image/frames.js";
import { axisCodes, slicePlane } from "../../src/image/orientation.js";

const grid = (d: number[]): Grid => ({
  dims: [2, 2, 2],
  spacingMm: [1, 1, 1],
  originMm: [0, 0, 0],
  direction: new Float64Array(d),
});

describe("slicePlane / axisCodes", () => {
  it("identity is axial LPS", () => {
    const g = grid([1, 0, 0, 0, 1, 0, 0, 0, 1]);
    expect(slicePlane(g)).toBe("axial");
    expect(axisCodes(g)).toBe("LPS");
  });
  it("sagittal IOP 0\\1\\0\\0\\0\\-1: i→P, j→I, k = row×col = (−1,0,0) → R", () => {
    // columns: row (0,1,0), col (0,0,−1), normal (1·(−1) − 0, 0, 0) = (−1, 0, 0)
    const g = grid([0, 0, -1, 1, 0, 0, 0, -1, 0]);
    expect(slicePlane(g)).toBe("sagittal");
    expect(axisCodes(g)).toBe("PIR");
  });
  it("coronal and 30° oblique", () => {
    expect(slicePlane(grid([1, 0, 0, 0, 0, 1, 0, -1, 0]))).toBe("coronal");
    const c = Math.cos(Math.PI / 6);
    const s = Math.sin(Math.PI / 6);
    expect(slicePlane(grid([1, 0, 0, 0, c, -s, 0, s, c]))).toBe("oblique");
  });
});

describe("frames", () => {
  const n = 8;
  const dyn: DynamicVolume = {
    data: Float32Array.from({ length: 3 * n }, (_, i) => Math.floor(i / n) + 1), // frames of 1, 2, 3
    dims: [2, 2, 2],
    spacingMm: [1, 1, 1],
    originMm: [0, 0, 0],
    direction: new Float64Array([1, 0, 0, 0, 1, 0, 0, 0, 1]),
    unit: "Bq/mL",
    frameStartS: new Float64Array([0, 60, 180]),
    frameDurationS: new Float64Array([60, 120, 300]),
    decayCorrectedToS: 0,
  };
  it("frameVolume is a view of the shared buffer", () => {
    expect(frameCount(dyn)).toBe(3);
    const f1 = frameVolume(dyn, 1);
    expect(f1.data.buffer).toBe(dyn.data.buffer);
    expect([...f1.data]).toEqual(new Array(n).fill(2));
    expect(() => frameVolume(dyn, 3)).toThrow(RangeError);
  });
  it("meanOverFrames weights by duration: (1·60 + 2·120 + 3·300)/480 = 2.5", () => {
    expect(meanOverFrames(dyn).data[0]).toBe(2.5);
    // frames 1..2: (2·120 + 3·300)/420 = 1140/420
    expect(meanOverFrames(dyn, 1, 2).data[0]).toBeCloseTo(1140 / 420, 6);
  });
});
