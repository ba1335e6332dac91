/**
 * Colour maps and value → RGBA mapping. A colour map is a 256-entry RGB lookup table
 * (Uint8Array of 768 bytes).
 */
import type { RgbaImage } from "./rgba.js";

export type ColormapName = "grey" | "hot" | "inferno";

function fromStops(stops: readonly (readonly [number, number, number, number])[]): Uint8Array {
  const lut = new Uint8Array(768);
  for (let i = 0; i < 256; i++) {
    const t = i / 255;
    let s = 0;
    while (s < stops.length - 2 && stops[s + 1]![0] < t) s++;
    const a = stops[s]!;
    const b = stops[s + 1]!;
    const f = b[0] === a[0] ? 0 : Math.min(1, Math.max(0, (t - a[0]) / (b[0] - a[0])));
    for (let ch = 0; ch < 3; ch++) lut[3 * i + ch] = Math.round(a[ch + 1]! + (b[ch + 1]! - a[ch + 1]!) * f);
  }
  return lut;
}

/**
 * Inferno, sampled at tenths from matplotlib's perceptually uniform map (Smith & van der Walt,
 * BIDS colormaps, CC0; matplotlib `_cm_listed.py`), linearly interpolated between samples.
 */
const INFERNO_STOPS = [
  [0.0, 0x00, 0x00, 0x04],
  [0.1, 0x16, 0x0b, 0x39],
  [0.2, 0x42, 0x0a, 0x68],
  [0.3, 0x6a, 0x17, 0x6e],
  [0.4, 0x93, 0x26, 0x67],
  [0.5, 0xbc, 0x37, 0x54],
  [0.6, 0xdd, 0x51, 0x3a],
  [0.7, 0xf3, 0x78, 0x19],
  [0.8, 0xfc, 0xa5, 0x0a],
  [0.9, 0xf6, 0xd7, 0x46],
  [1.0, 0xfc, 0xff, 0xa4],
] as const;

/** "Hot" (black → red → yellow → white), the classic PET display map. */
const HOT_STOPS = [
  [0, 0, 0, 0],
  [0.375, 255, 0, 0],
  [0.75, 255, 255, 0],
  [1, 255, 255, 255],
] as const;

const GREY_STOPS = [
  [0, 0, 0, 0],
  [1, 255, 255, 255],
] as const;

const cache = new Map<ColormapName, Uint8Array>();
/** The 256×RGB lookup table of a named map. */
export function colormap(name: ColormapName): Uint8Array {
  let lut = cache.get(name);
  if (lut === undefined) {
    lut = fromStops(name === "inferno" ? INFERNO_STOPS : name === "hot" ? HOT_STOPS : GREY_STOPS);
    cache.set(name, lut);
  }
  return lut;
}

/** Display window: values ≤ min map to entry 0, ≥ max to entry 255. */
export interface DisplayWindow {
  readonly min: number;
  readonly max: number;
}

/** Window from DICOM-style centre/width (e.g. CT soft tissue: centre 40 HU, width 400 HU). */
export function windowFromLevel(center: number, width: number): DisplayWindow {
  return { min: center - width / 2, max: center + width / 2 };
}

/** LUT index (0–255) of a value in a window. */
export function lutIndex(v: number, w: DisplayWindow): number {
  if (!(v > w.min)) return 0; // also NaN
  if (v >= w.max) return 255;
  return Math.round(((v - w.min) / (w.max - w.min)) * 255);
}

/** Map width×height values through a window and colour map to an opaque RGBA image. */
export function applyColormap(
  values: ArrayLike<number>,
  width: number,
  height: number,
  window: DisplayWindow,
  map: ColormapName,
): RgbaImage {
  const lut = colormap(map);
  const data = new Uint8Array(width * height * 4);
  for (let p = 0; p < width * height; p++) {
    const li = lutIndex(values[p]!, window);
    data[4 * p] = lut[3 * li]!;
    data[4 * p + 1] = lut[3 * li + 1]!;
    data[4 * p + 2] = lut[3 * li + 2]!;
    data[4 * p + 3] = 255;
  }
  return { width, height, data };
}

/**
 * Alpha-fuse a PET colour image over a CT grey image: out = (1−α)·CT + α·PET with
 * α = alphaMax · min(1, t / fadeIn), t = PET value normalised to its window in [0,1], so that
 * background PET does not tint the anatomy.
 */
export function fuseRgba(
  base: RgbaImage,
  petValues: ArrayLike<number>,
  petWindow: DisplayWindow,
  map: ColormapName,
  alphaMax = 0.75,
  fadeIn = 0.5,
): RgbaImage {
  const lut = colormap(map);
  const n = base.width * base.height;
  const data = new Uint8Array(base.data);
  for (let p = 0; p < n; p++) {
    const v = petValues[p]!;
    const t = v > petWindow.min ? Math.min(1, (v - petWindow.min) / (petWindow.max - petWindow.min)) : 0;
    if (!(t > 0)) continue;
    const a = alphaMax * Math.min(1, t / fadeIn);
    const li = Math.round(t * 255);
    for (let ch = 0; ch < 3; ch++)
      data[4 * p + ch] = Math.round(data[4 * p + ch]! * (1 - a) + lut[3 * li + ch]! * a);
  }
  return { width: base.width, height: base.height, data };
}
