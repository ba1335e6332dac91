import { describe, expect, it } from "vitest";
import { identityDirection, type Volume } from "../../../src/core/types.js";
import { coronalMip, makePlane, samplePlane, worldToPlanePixel } from "../../../src/image/render/plane.js";

/** 10×12×8 grid, 2 mm voxels, origin (-9,-11,-7): centred on 0. One hot voxel, asymmetric. */
function phantom(direction = identityDirection(), origin: [number, number, number] = [-9, -11, -7]): Volume {
  const dims = [10, 12, 8] as const;
  const data = new Float32Array(10 * 12 * 8);
  // hot voxel at (i,j,k) = (7, 2, 6): patient left (+x), anterior (−y), superior (+z)
  data[7 + 10 * (2 + 12 * 6)] = 100;
  return { data, dims, spacingMm: [2, 2, 2], originMm: origin, direction, unit: "Bq/mL" };
}

function argmax(a: Float32Array): number {
  let b = 0;
  for (let i = 1; i < a.length; i++) if (a[i]! > a[b]!) b = i;
  return b;
}

describe("display planes (radiological convention)", () => {
  // LPS of the hot voxel centre = origin + 2*(7,2,6) = (5, -7, 5) mm.
  const hot: [number, number, number] = [5, -7, 5];

  it("axial: patient left on image right, anterior at the top", () => {
    const vol = phantom();
    const plane = makePlane("axial", hot, vol, 2);
    expect([plane.width, plane.height]).toEqual([10, 12]);
    const img = samplePlane(vol, plane);
    const p = argmax(img);
    // column 7 of 10 (right half = patient left), row 2 of 12 (top = anterior)
    expect([p % plane.width, Math.floor(p / plane.width)]).toEqual([7, 2]);
    expect(img[p]).toBe(100);
  });

  it("coronal: head up, patient left on image right", () => {
    const vol = phantom();
    const plane = makePlane("coronal", hot, vol, 2);
    const img = samplePlane(vol, plane);
    const p = argmax(img);
    // z = 5 mm is voxel k = 6 of 8; from the top row (k = 7) it is row 1
    expect([p % plane.width, Math.floor(p / plane.width)]).toEqual([7, 1]);
  });

  it("sagittal: head up, anterior on image left", () => {
    const vol = phantom();
    const plane = makePlane("sagittal", hot, vol, 2);
    const img = samplePlane(vol, plane);
    const p = argmax(img);
    expect([p % plane.width, Math.floor(p / plane.width)]).toEqual([2, 1]);
  });

  it("a grid stored with flipped axes shows the hot voxel at the same place", () => {
    // i runs towards patient right (−x), j towards anterior (−y): same world positions.
    const dir = new Float64Array([-1, 0, 0, 0, -1, 0, 0, 0, 1]);
    const vol = phantom(dir, [9, 11, -7]);
    // hot world (5,-7,5): i = (9-5)/2 = 2, j = (11+7)/2 = 9, k = 6
    vol.data.fill(0);
    vol.data[2 + 10 * (9 + 12 * 6)] = 100;
    const plane = makePlane("axial", hot, vol, 2);
    const img = samplePlane(vol, plane);
    const p = argmax(img);
    expect([p % plane.width, Math.floor(p / plane.width)]).toEqual([7, 2]);
    expect(worldToPlanePixel(plane, hot)).toEqual([7, 2]);
  });

  it("coronal MIP puts the hot voxel at its coronal position", () => {
    const { plane, values } = coronalMip(phantom(), 2);
    const p = argmax(values);
    expect([p % plane.width, Math.floor(p / plane.width)]).toEqual([7, 1]);
    expect(values[p]).toBe(100);
  });
});
