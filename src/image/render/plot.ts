/**
 * Simple 2-D plots rasterised to RGBA (white background, axes, ticks, labels in the built-in
 * bitmap font): bar series (histograms), line series on a left or right axis, vertical markers.
 */
import { drawText, textHeight, textWidth } from "./font.js";
import { createRgba, drawLine, fillRect, type Rgb, type RgbaImage } from "./rgba.js";

export interface BarSeries {
  /** Bin edges, length counts.length + 1. */
  readonly edges: ArrayLike<number>;
  readonly heights: ArrayLike<number>;
  readonly color: Rgb;
}

export interface LineSeries {
  readonly x: ArrayLike<number>;
  readonly y: ArrayLike<number>;
  readonly color: Rgb;
  /** Which y axis the series uses (default left). */
  readonly axis?: "left" | "right";
  readonly label?: string;
}

export interface VMarker {
  readonly x: number;
  readonly color: Rgb;
  readonly label?: string;
}

export interface PlotSpec {
  readonly width: number;
  readonly height: number;
  readonly title?: string;
  readonly xLabel?: string;
  readonly yLabel?: string;
  readonly yRightLabel?: string;
  readonly xRange?: readonly [number, number];
  readonly yRange?: readonly [number, number];
  readonly yRightRange?: readonly [number, number];
  readonly bars?: readonly BarSeries[];
  readonly lines?: readonly LineSeries[];
  readonly markers?: readonly VMarker[];
  /** Font scale (integer, default 2). */
  readonly fontScale?: number;
}

/** "Nice" tick values covering [lo, hi] with about `count` ticks (1-2-5 steps). */
export function niceTicks(lo: number, hi: number, count = 5): number[] {
  if (!(hi > lo)) return [lo];
  const raw = (hi - lo) / Math.max(1, count);
  const mag = 10 ** Math.floor(Math.log10(raw));
  const norm = raw / mag;
  const step = (norm < 1.5 ? 1 : norm < 3 ? 2 : norm < 7 ? 5 : 10) * mag;
  const out: number[] = [];
  for (let t = Math.ceil(lo / step - 1e-9) * step; t <= hi + step * 1e-9; t += step)
    out.push(Math.abs(t) < step * 1e-9 ? 0 : t);
  return out;
}

/** Short label of a tick value. */
export function formatTick(v: number): string {
  if (v === 0) return "0";
  const a = Math.abs(v);
  if (a >= 1e4 || a < 1e-3) return v.toExponential(0);
  return String(Number(v.toPrecision(4)));
}

function dataRange(values: number[], fallback: readonly [number, number]): [number, number] {
  const f = values.filter(Number.isFinite);
  if (f.length === 0) return [fallback[0], fallback[1]];
  let lo = Math.min(...f);
  let hi = Math.max(...f);
  if (hi === lo) {
    hi = lo + 1;
    lo = Math.min(lo, 0);
  }
  return [lo, hi];
}

/** Render a plot to an RGBA image. */
export function renderPlot(spec: PlotSpec): RgbaImage {
  const s = spec.fontScale ?? 2;
  const img = createRgba(spec.width, spec.height, [255, 255, 255]);
  const th = textHeight(s);
  const ink: Rgb = [30, 30, 30];
  const grid: Rgb = [225, 225, 225];
  const xs: number[] = [];
  const ysL: number[] = [];
  const ysR: number[] = [];
  for (const b of spec.bars ?? []) {
    for (let i = 0; i < b.edges.length; i++) xs.push(b.edges[i]!);
    for (let i = 0; i < b.heights.length; i++) ysL.push(b.heights[i]!);
    ysL.push(0);
  }
  for (const l of spec.lines ?? []) {
    for (let i = 0; i < l.x.length; i++) {
      xs.push(l.x[i]!);
      (l.axis === "right" ? ysR : ysL).push(l.y[i]!);
    }
  }
  for (const m of spec.markers ?? []) xs.push(m.x);
  const [x0, x1] = spec.xRange ?? dataRange(xs, [0, 1]);
  const [y0, y1] = spec.yRange ?? dataRange(ysL, [0, 1]);
  const [r0, r1] = spec.yRightRange ?? dataRange(ysR, [0, 1]);
  const hasRight = ysR.length > 0 || spec.yRightRange !== undefined;
  const yTicks = niceTicks(y0, y1);
  const rTicks = hasRight ? niceTicks(r0, r1) : [];
  const xTicks = niceTicks(x0, x1, 6);
  const leftW = Math.max(...yTicks.map((t) => textWidth(formatTick(t), s))) + th + 3 * s + 6;
  const rightW = hasRight ? Math.max(...rTicks.map((t) => textWidth(formatTick(t), s))) + th + 3 * s + 6 : 10;
  const top = spec.title ? th + 4 * s : 8;
  const bottom = 2 * th + 6 * s;
  const pw = img.width - leftW - rightW;
  const ph = img.height - top - bottom;
  const px = (x: number) => leftW + ((x - x0) / (x1 - x0)) * pw;
  const py = (y: number) => top + ph - ((y - y0) / (y1 - y0)) * ph;
  const pr = (y: number) => top + ph - ((y - r0) / (r1 - r0)) * ph;
  for (const t of yTicks) drawLine(img, leftW, py(t), leftW + pw, py(t), grid);
  for (const b of spec.bars ?? []) {
    for (let i = 0; i < b.heights.length; i++) {
      const xa = px(b.edges[i]!);
      const xb = px(b.edges[i + 1]!);
      const ya = py(Math.max(y0, Math.min(y1, b.heights[i]!)));
      fillRect(img, xa, ya, Math.max(1, xb - xa - 1), py(Math.max(y0, 0)) - ya, b.color);
    }
  }
  for (const l of spec.lines ?? []) {
    const map = l.axis === "right" ? pr : py;
    for (let i = 1; i < l.x.length; i++) {
      drawLine(img, px(l.x[i - 1]!), map(l.y[i - 1]!), px(l.x[i]!), map(l.y[i]!), l.color, 2);
    }
  }
  for (const m of spec.markers ?? []) {
    if (m.x < x0 || m.x > x1) continue;
    for (let y = top; y < top + ph; y += 6)
      drawLine(img, px(m.x), y, px(m.x), Math.min(y + 3, top + ph), m.color, 2);
    if (m.label)
      drawText(img, px(m.x) + 3 * s, top + 2 * s, m.label, {
        scale: s,
        color: m.color,
        background: [255, 255, 255],
      });
  }
  // axes box, ticks, labels
  drawLine(img, leftW, top, leftW, top + ph, ink);
  drawLine(img, leftW, top + ph, leftW + pw, top + ph, ink);
  if (hasRight) drawLine(img, leftW + pw, top, leftW + pw, top + ph, ink);
  for (const t of xTicks) {
    drawLine(img, px(t), top + ph, px(t), top + ph + 2 * s, ink);
    drawText(img, px(t), top + ph + 3 * s, formatTick(t), { scale: s, color: ink, align: "center" });
  }
  for (const t of yTicks) {
    drawLine(img, leftW - 2 * s, py(t), leftW, py(t), ink);
    drawText(img, leftW - 3 * s, py(t) - th / 2, formatTick(t), { scale: s, color: ink, align: "right" });
  }
  for (const t of rTicks) {
    drawLine(img, leftW + pw, pr(t), leftW + pw + 2 * s, pr(t), ink);
    drawText(img, leftW + pw + 3 * s, pr(t) - th / 2, formatTick(t), { scale: s, color: ink });
  }
  if (spec.title) drawText(img, leftW + pw / 2, 2 * s, spec.title, { scale: s, color: ink, align: "center" });
  if (spec.xLabel)
    drawText(img, leftW + pw / 2, img.height - th - 2 * s, spec.xLabel, {
      scale: s,
      color: ink,
      align: "center",
    });
  if (spec.yLabel)
    drawText(img, th / 2 + 2 * s, top + ph / 2, spec.yLabel, { scale: s, color: ink, vertical: true });
  if (spec.yRightLabel && hasRight)
    drawText(img, img.width - th / 2 - 2 * s, top + ph / 2, spec.yRightLabel, {
      scale: s,
      color: ink,
      vertical: true,
    });
  return img;
}
