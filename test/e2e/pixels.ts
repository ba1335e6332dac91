/**
 * Pixel census of a screenshot, to tell a blank viewer from a fused PET/CT rendering. Screenshots
 * test rendering only, never a quantitative result (STYLE.md §11).
 *
 * Classes (8-bit RGB; the thresholds are wide so antialiasing and colour-bar text do not matter):
 * - background: within ±6 per channel of the most frequent colour (the viewer's back colour, air);
 * - grey:       not background, 60 ≤ max(R,G,B), min(R,G,B) < 200 and channel spread max−min ≤ 0.35·max:
 *               desaturated mid-grey, i.e. CT showing, also through a translucent PET overlay (bone under
 *               a 0.7-opacity "hot" PET reads about RGB 100,77,77), excluding the near-white top of the
 *               PET colour map and white bone;
 * - coloured:   not background and spread ≥ 40 and > 0.35·max (PET colour map over the CT, colour bar).
 * PET-only pixels are saturated reds/yellows, so the grey class comes from the CT layer.
 */
import { decodePng } from "../../src/io/png.js";

export interface PixelCensus {
  readonly width: number;
  readonly height: number;
  /** The most frequent colour, [R, G, B]. */
  readonly background: readonly [number, number, number];
  readonly nonBackgroundFraction: number;
  readonly greyFraction: number;
  readonly colouredFraction: number;
  /** Distinct colours among coloured pixels, quantised to 4 bits per channel (a colour map has many). */
  readonly distinctColours: number;
}

export function pixelCensus(png: Uint8Array): PixelCensus {
  const img = decodePng(png);
  const n = img.width * img.height;
  const counts = new Map<number, number>();
  for (let p = 0; p < n; p++) {
    const key = (img.data[4 * p]! << 16) | (img.data[4 * p + 1]! << 8) | img.data[4 * p + 2]!;
    counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  let mode = 0;
  let modeCount = -1;
  for (const [k, c] of counts) if (c > modeCount) [mode, modeCount] = [k, c];
  const bg = [(mode >> 16) & 255, (mode >> 8) & 255, mode & 255] as const;
  let nonBackground = 0;
  let grey = 0;
  let coloured = 0;
  const colours = new Set<number>();
  for (let p = 0; p < n; p++) {
    const r = img.data[4 * p]!;
    const g = img.data[4 * p + 1]!;
    const b = img.data[4 * p + 2]!;
    const hi = Math.max(r, g, b);
    const spread = hi - Math.min(r, g, b);
    if (Math.abs(r - bg[0]) <= 6 && Math.abs(g - bg[1]) <= 6 && Math.abs(b - bg[2]) <= 6) continue;
    nonBackground++;
    const lo = hi - spread;
    if (hi >= 60 && lo < 200 && spread <= 0.35 * hi) grey++;
    else if (spread >= 40 && spread > 0.35 * hi) {
      coloured++;
      colours.add(((r >> 4) << 8) | ((g >> 4) << 4) | (b >> 4));
    }
  }
  return {
    width: img.width,
    height: img.height,
    background: bg,
    nonBackgroundFraction: nonBackground / n,
    greyFraction: grey / n,
    colouredFraction: coloured / n,
    distinctColours: colours.size,
  };
}
