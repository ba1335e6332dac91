/**
 * RGBA raster type and tiny drawing primitives (pure; no I/O). Pixel (x, y) starts at byte
 * 4*(x + width*y); y = 0 is the top row.
 */

/** An 8-bit RGBA raster, row-major from the top-left pixel, 4 bytes per pixel. */
export interface RgbaImage {
  readonly width: number;
  readonly height: number;
  /** length width*height*4. */
  readonly data: Uint8Array;
}

/** An opaque colour [r, g, b] (0–255). */
export type Rgb = readonly [number, number, number];

/** New image filled with one colour (default opaque black). */
export function createRgba(width: number, height: number, fill: Rgb = [0, 0, 0]): RgbaImage {
  const w = Math.max(1, Math.round(width));
  const h = Math.max(1, Math.round(height));
  const data = new Uint8Array(w * h * 4);
  for (let p = 0; p < w * h; p++) {
    data[4 * p] = fill[0];
    data[4 * p + 1] = fill[1];
    data[4 * p + 2] = fill[2];
    data[4 * p + 3] = 255;
  }
  return { width: w, height: h, data };
}

/** Set one pixel (clipped to the image); `alpha` in [0,1] blends over what is there. */
export function setPixel(img: RgbaImage, x: number, y: number, c: Rgb, alpha = 1): void {
  const xi = Math.round(x);
  const yi = Math.round(y);
  if (xi < 0 || yi < 0 || xi >= img.width || yi >= img.height) return;
  const o = 4 * (xi + img.width * yi);
  const d = img.data;
  if (alpha >= 1) {
    d[o] = c[0];
    d[o + 1] = c[1];
    d[o + 2] = c[2];
  } else {
    d[o] = Math.round(d[o]! * (1 - alpha) + c[0] * alpha);
    d[o + 1] = Math.round(d[o + 1]! * (1 - alpha) + c[1] * alpha);
    d[o + 2] = Math.round(d[o + 2]! * (1 - alpha) + c[2] * alpha);
  }
  d[o + 3] = 255;
}

/** Read pixel (x, y) as [r, g, b, a]. */
export function getPixel(img: RgbaImage, x: number, y: number): [number, number, number, number] {
  const o = 4 * (x + img.width * y);
  return [img.data[o]!, img.data[o + 1]!, img.data[o + 2]!, img.data[o + 3]!];
}

/** Fill an axis-aligned rectangle [x0, x0+w) × [y0, y0+h). */
export function fillRect(
  img: RgbaImage,
  x0: number,
  y0: number,
  w: number,
  h: number,
  c: Rgb,
  alpha = 1,
): void {
  const xa = Math.max(0, Math.round(x0));
  const ya = Math.max(0, Math.round(y0));
  const xb = Math.min(img.width, Math.round(x0 + w));
  const yb = Math.min(img.height, Math.round(y0 + h));
  for (let y = ya; y < yb; y++) for (let x = xa; x < xb; x++) setPixel(img, x, y, c, alpha);
}

/** Draw a line (Bresenham, `thickness` px square pen). */
export function drawLine(
  img: RgbaImage,
  x0: number,
  y0: number,
  x1: number,
  y1: number,
  c: Rgb,
  thickness = 1,
): void {
  let x = Math.round(x0);
  let y = Math.round(y0);
  const xe = Math.round(x1);
  const ye = Math.round(y1);
  const dx = Math.abs(xe - x);
  const dy = -Math.abs(ye - y);
  const sx = x < xe ? 1 : -1;
  const sy = y < ye ? 1 : -1;
  let err = dx + dy;
  const half = Math.floor((thickness - 1) / 2);
  const maxSteps = dx - dy + 1;
  for (let s = 0; s <= maxSteps; s++) {
    if (thickness <= 1) setPixel(img, x, y, c);
    else fillRect(img, x - half, y - half, thickness, thickness, c);
    if (x === xe && y === ye) break;
    const e2 = 2 * err;
    if (e2 >= dy) {
      err += dy;
      x += sx;
    }
    if (e2 <= dx) {
      err += dx;
      y += sy;
    }
  }
}

/** Copy `src` into `dst` with its top-left corner at (x0, y0) (clipped). */
export function blit(dst: RgbaImage, src: RgbaImage, x0: number, y0: number): void {
  for (let y = 0; y < src.height; y++) {
    const ty = y + y0;
    if (ty < 0 || ty >= dst.height) continue;
    for (let x = 0; x < src.width; x++) {
      const tx = x + x0;
      if (tx < 0 || tx >= dst.width) continue;
      const so = 4 * (x + src.width * y);
      const to = 4 * (tx + dst.width * ty);
      dst.data[to] = src.data[so]!;
      dst.data[to + 1] = src.data[so + 1]!;
      dst.data[to + 2] = src.data[so + 2]!;
      dst.data[to + 3] = src.data[so + 3]!;
    }
  }
}
