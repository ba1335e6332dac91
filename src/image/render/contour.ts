/**
 * VOI contour overlay (outlines of label masks drawn over an RGBA image).
 */
import { type Rgb, type RgbaImage, setPixel } from "./rgba.js";

/** Default contour colours by label: 1 = tumour (cyan), 2 = reference (green), then others. */
export const LABEL_COLORS: readonly Rgb[] = [
  [0, 255, 255],
  [60, 220, 60],
  [255, 80, 255],
  [255, 255, 255],
  [80, 160, 255],
];

/** Colour of label `label` (1-based). */
export function labelColor(label: number): Rgb {
  return LABEL_COLORS[(label - 1) % LABEL_COLORS.length]!;
}

/**
 * Draw the outlines of every non-zero label of a width×height label slice into `img` (same
 * size), in place: a pixel of label L is drawn when a pixel within `thickness` (Chebyshev
 * distance) has another label or lies outside the image, giving an inner band `thickness` px
 * wide. Returns the number of contour pixels drawn.
 */
export function drawContours(
  img: RgbaImage,
  labels: Uint8Array,
  colorOf: (label: number) => Rgb = labelColor,
  thickness = 1,
): number {
  const w = img.width;
  const h = img.height;
  const r = Math.max(1, Math.round(thickness));
  let count = 0;
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      const l = labels[x + w * y]!;
      if (l === 0) continue;
      let edge = false;
      for (let dy = -r; dy <= r && !edge; dy++) {
        for (let dx = -r; dx <= r; dx++) {
          if (r === 1 && dx !== 0 && dy !== 0) continue; // 4-neighbours for a 1 px line
          const xx = x + dx;
          const yy = y + dy;
          if (xx < 0 || yy < 0 || xx >= w || yy >= h || labels[xx + w * yy] !== l) {
            edge = true;
            break;
          }
        }
      }
      if (edge) {
        setPixel(img, x, y, colorOf(l));
        count++;
      }
    }
  }
  return count;
}
