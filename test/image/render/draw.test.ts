import { describe, expect, it } from "vitest";
import {
  applyColormap,
  colormap,
  fuseRgba,
  lutIndex,
  windowFromLevel,
} from "../../../src/image/render/colormap.js";
import { drawContours } from "../../../src/image/render/contour.js";
import { drawText, textWidth } from "../../../src/image/render/font.js";
import { niceTicks, renderPlot } from "../../../src/image/render/plot.js";
import { createRgba, getPixel } from "../../../src/image/render/rgba.js";

describe("colour maps and fusion", () => {
  it("grey window: centre 40 HU, width 400 HU maps -160 → 0 and 240 → 255", () => {
    const w = windowFromLevel(40, 400);
    expect(lutIndex(-160, w)).toBe(0);
    expect(lutIndex(240, w)).toBe(255);
    expect(lutIndex(40, w)).toBe(128);
    expect(lutIndex(Number.NaN, w)).toBe(0);
  });

  it("hot map goes black → red → yellow → white; inferno starts near black and ends pale yellow", () => {
    const hot = colormap("hot");
    expect([hot[0], hot[1], hot[2]]).toEqual([0, 0, 0]);
    expect([hot[765], hot[766], hot[767]]).toEqual([255, 255, 255]);
    const inf = colormap("inferno");
    expect([inf[0], inf[1], inf[2]]).toEqual([0, 0, 4]); // matplotlib inferno(0) = #000004
    expect([inf[765], inf[766], inf[767]]).toEqual([252, 255, 164]); // inferno(1) = #fcffa4
  });

  it("fusion leaves zero PET untouched and tints hot PET", () => {
    const ct = applyColormap([0, 0], 2, 1, { min: -100, max: 100 }, "grey");
    const f = fuseRgba(ct, [0, 5], { min: 0, max: 10 }, "hot"); // hot(0.5) = (255, 85, 0)
    expect(getPixel(f, 0, 0)).toEqual(getPixel(ct, 0, 0));
    const hot = getPixel(f, 1, 0);
    expect(hot[0]).toBeGreaterThan(hot[2]);
  });
});

describe("contours", () => {
  it("outlines a 4×4 square of label 1 with its 12 border pixels", () => {
    const img = createRgba(8, 8);
    const labels = new Uint8Array(64);
    for (let y = 2; y < 6; y++) for (let x = 2; x < 6; x++) labels[x + 8 * y] = 1;
    expect(drawContours(img, labels, () => [0, 255, 0])).toBe(12);
    expect(getPixel(img, 2, 2)).toEqual([0, 255, 0, 255]);
    expect(getPixel(img, 3, 3)).toEqual([0, 0, 0, 255]); // interior untouched
  });
});

describe("font and plots", () => {
  it("draws glyph ink inside the text box only", () => {
    const img = createRgba(40, 10);
    drawText(img, 1, 1, "T/M 4", { color: [255, 0, 0] });
    let ink = 0;
    for (let y = 0; y < 10; y++)
      for (let x = 0; x < 40; x++) {
        if (getPixel(img, x, y)[0] === 255) {
          ink++;
          expect(x).toBeLessThan(1 + textWidth("T/M 4"));
        }
      }
    expect(ink).toBeGreaterThan(20);
  });

  it("nice ticks use 1-2-5 steps", () => {
    expect(niceTicks(0, 100, 5)).toEqual([0, 20, 40, 60, 80, 100]);
    expect(niceTicks(0.9, 4.6, 5)).toEqual([1, 2, 3, 4]);
  });

  it("renders a histogram with a right axis to the requested size", () => {
    const p = renderPlot({
      width: 300,
      height: 200,
      title: "T/M",
      bars: [{ edges: [1, 2, 3], heights: [2, 1], color: [0, 0, 255] }],
      lines: [{ x: [1, 2, 3], y: [100, 33, 0], color: [255, 0, 0], axis: "right" }],
      markers: [{ x: 2.5, color: [0, 128, 0], label: "CUT" }],
    });
    expect([p.width, p.height]).toEqual([300, 200]);
    let blue = 0;
    for (let i = 0; i < p.data.length; i += 4)
      if (p.data[i] === 0 && p.data[i + 1] === 0 && p.data[i + 2] === 255) blue++;
    expect(blue).toBeGreaterThan(1000);
  });
});
