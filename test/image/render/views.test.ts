import { describe, expect, it } from "vitest";
import { identityDirection, type Volume } from "../../../src/core/types.js";
import { makePlane, worldToPlanePixel } from "../../../src/image/render/plane.js";
import { getPixel } from "../../../src/image/render/rgba.js";
import { renderFusedView } from "../../../src/image/render/views.js";

/** PET 10×12×8 at 4 mm with one hot voxel at LPS (10, −14, 6); CT 20×24×16 at 2 mm, uniform 0 HU. */
function study(): { pet: Volume; ct: Volume; hot: [number, number, number] } {
  const pet = new Float32Array(10 * 12 * 8);
  const origin: [number, number, number] = [-18, -22, -14];
  // hot voxel (i,j,k) = (7, 2, 5): LPS = origin + 4·(7,2,5) = (10, −14, 6): patient left, anterior, superior
  pet[7 + 10 * (2 + 12 * 5)] = 10;
  const ct = new Float32Array(20 * 24 * 16);
  return {
    pet: {
      data: pet,
      dims: [10, 12, 8],
      spacingMm: [4, 4, 4],
      originMm: origin,
      direction: identityDirection(),
      unit: "SUVbw",
    },
    ct: {
      data: ct,
      dims: [20, 24, 16],
      spacingMm: [2, 2, 2],
      originMm: [-19, -23, -15],
      direction: identityDirection(),
      unit: "HU",
    },
    hot: [10, -14, 6],
  };
}

function reddest(img: { width: number; height: number; data: Uint8Array }): [number, number] {
  let best = -1;
  let at: [number, number] = [0, 0];
  for (let y = 0; y < img.height; y++)
    for (let x = 0; x < img.width; x++) {
      const [r, g, b] = getPixel(img, x, y);
      const score = r - (g + b) / 2;
      if (score > best) {
        best = score;
        at = [x, y];
      }
    }
  return at;
}

describe("fused views", () => {
  for (const orientation of ["axial", "coronal", "sagittal"] as const) {
    it(`${orientation}: the hot PET voxel lands where its LPS position projects on the CT plane`, () => {
      const { pet, ct, hot } = study();
      // CT extent 40 × 48 × 32 mm; the longer in-plane side spans 48 px
      const img = renderFusedView({
        pet,
        ct,
        orientation,
        pointMm: hot,
        petWindow: { min: 0, max: 10 },
        sizePx: 48,
      });
      const pixelMm = (orientation === "coronal" ? 40 : 48) / 48;
      const plane = makePlane(orientation, hot, ct, pixelMm);
      expect([img.width, img.height]).toEqual([plane.width, plane.height]);
      const [c, r] = worldToPlanePixel(plane, hot);
      const [x, y] = reddest(img);
      // trilinear spread of one 4 mm voxel: peak within 2 pixels of the projection
      expect(Math.abs(x - c)).toBeLessThanOrEqual(2);
      expect(Math.abs(y - r)).toBeLessThanOrEqual(2);
      // and on the expected side: axial/coronal patient left → right half; superior/anterior → upper half
      if (orientation !== "sagittal") expect(x).toBeGreaterThan(img.width / 2);
      else expect(x).toBeLessThan(img.width / 2);
      if (orientation !== "axial") expect(y).toBeLessThan(img.height / 2);
    });
  }
});
