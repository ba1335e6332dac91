/**
 * A tiny drawing model for the assay report: charts are built once as a list of primitives and
 * rendered both to SVG (HTML report) and to PDF (pdf-lib), so both show the same figure.
 * Coordinates are in points, origin top-left, y down.
 */

export type Prim =
  | { t: "line"; x1: number; y1: number; x2: number; y2: number; color: string; width: number; dash?: number }
  | { t: "rect"; x: number; y: number; w: number; h: number; fill: string; stroke?: string }
  | { t: "circle"; cx: number; cy: number; r: number; fill: string; stroke?: string }
  | {
      t: "text";
      x: number;
      y: number;
      text: string;
      size: number;
      anchor: "start" | "middle" | "end";
      color?: string;
      rotate?: boolean;
      bold?: boolean;
    }
  | {
      t: "poly";
      points: readonly (readonly [number, number])[];
      color: string;
      width: number;
      dash?: number;
    };

export interface Figure {
  readonly width: number;
  readonly height: number;
  readonly prims: readonly Prim[];
  readonly title: string;
}

/** Colour per condition: reference (normoxic) grey-blue, others warm (hypoxic red), then a palette. */
export const PALETTE = ["#4C78A8", "#E45756", "#F58518", "#54A24B", "#B279A2", "#9D755D"] as const;

/** "Nice" axis ticks covering [lo, hi]. */
export function niceTicks(lo: number, hi: number, count = 5): number[] {
  if (!(hi > lo)) hi = lo + 1;
  const raw = (hi - lo) / count;
  const mag = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 2.5, 5, 10].map((m) => m * mag).find((s) => s >= raw) ?? 10 * mag;
  const out: number[] = [];
  const first = Math.floor(lo / step + 1e-9);
  const last = Math.ceil(hi / step - 1e-9);
  for (let k = first; k <= last && out.length < 50; k++) out.push(Number((k * step).toPrecision(12)));
  return out;
}

function tickLabel(v: number): string {
  if (v === 0) return "0";
  const a = Math.abs(v);
  if (a >= 1e4 || a < 1e-3) return v.toExponential(1);
  return String(Number(v.toPrecision(4)));
}

interface Frame {
  readonly left: number;
  readonly top: number;
  readonly w: number;
  readonly h: number;
  readonly yMin: number;
  readonly yMax: number;
}

/** The x-axis title centred under the frame. */
function xAxisLabel(prims: Prim[], f: Frame, text: string): void {
  prims.push({ t: "text", x: f.left + f.w / 2, y: f.top + f.h + 30, text, size: 9.5, anchor: "middle" });
}

function axes(prims: Prim[], f: Frame, yLabel: string, ticks: number[]): (v: number) => number {
  const y = (v: number) => f.top + f.h - ((v - f.yMin) / (f.yMax - f.yMin)) * f.h;
  for (const t of ticks) {
    prims.push({ t: "line", x1: f.left, y1: y(t), x2: f.left + f.w, y2: y(t), color: "#e3e3e3", width: 0.6 });
    prims.push({
      t: "text",
      x: f.left - 5,
      y: y(t) + 3,
      text: tickLabel(t),
      size: 8.5,
      anchor: "end",
      color: "#333",
    });
  }
  prims.push({ t: "line", x1: f.left, y1: f.top, x2: f.left, y2: f.top + f.h, color: "#222", width: 1 });
  prims.push({
    t: "line",
    x1: f.left,
    y1: f.top + f.h,
    x2: f.left + f.w,
    y2: f.top + f.h,
    color: "#222",
    width: 1,
  });
  prims.push({
    t: "text",
    x: 14,
    y: f.top + f.h / 2,
    text: yLabel,
    size: 9.5,
    anchor: "middle",
    rotate: true,
    color: "#222",
  });
  return y;
}

function legend(prims: Prim[], x: number, y: number, names: readonly string[]): void {
  names.forEach((n, i) => {
    prims.push({ t: "rect", x: x + i * 110, y: y - 8, w: 10, h: 10, fill: PALETTE[i % PALETTE.length]! });
    prims.push({
      t: "text",
      x: x + i * 110 + 14,
      y: y + 1,
      text: n,
      size: 9,
      anchor: "start",
      color: "#222",
    });
  });
}

export interface BarSeries {
  readonly name: string;
  /** One value per category (null = no data). */
  readonly mean: readonly (number | null)[];
  readonly sd: readonly (number | null)[];
  readonly n: readonly number[];
}

/** Grouped bar chart with SD error bars (categories = time points). */
export function barChart(opts: {
  title: string;
  categories: readonly string[];
  xLabel: string;
  yLabel: string;
  series: readonly BarSeries[];
  annotations?: readonly (string | null)[];
}): Figure {
  const width = 520;
  const height = 300;
  const f0 = { left: 62, top: 40, w: width - 80, h: height - 95 };
  let yMax = 0;
  for (const s of opts.series)
    s.mean.forEach((m, i) => {
      yMax = Math.max(yMax, (m ?? 0) + (s.sd[i] ?? 0));
    });
  const ticks = niceTicks(0, yMax * 1.12 || 1);
  const f: Frame = { ...f0, yMin: 0, yMax: ticks[ticks.length - 1]! };
  const prims: Prim[] = [];
  prims.push({ t: "text", x: width / 2, y: 16, text: opts.title, size: 11, anchor: "middle", bold: true });
  const y = axes(prims, f, opts.yLabel, ticks);
  const nc = opts.categories.length;
  const ns = opts.series.length;
  const groupW = f.w / Math.max(nc, 1);
  const barW = Math.min(34, (groupW * 0.7) / Math.max(ns, 1));
  opts.categories.forEach((c, i) => {
    const gx = f.left + groupW * (i + 0.5);
    prims.push({ t: "text", x: gx, y: f.top + f.h + 14, text: c, size: 9, anchor: "middle" });
    opts.series.forEach((s, j) => {
      const m = s.mean[i];
      if (m === null || m === undefined) return;
      const x = gx - (ns * barW) / 2 + j * barW;
      const color = PALETTE[j % PALETTE.length]!;
      const y0 = y(0);
      const ym = y(Math.max(m, 0));
      prims.push({
        t: "rect",
        x: x + 1,
        y: Math.min(ym, y0),
        w: barW - 2,
        h: Math.abs(y0 - ym),
        fill: color,
      });
      const sdv = s.sd[i];
      if (sdv !== null && sdv !== undefined) {
        const cx = x + barW / 2;
        prims.push({ t: "line", x1: cx, y1: y(m - sdv), x2: cx, y2: y(m + sdv), color: "#111", width: 1 });
        prims.push({
          t: "line",
          x1: cx - 4,
          y1: y(m + sdv),
          x2: cx + 4,
          y2: y(m + sdv),
          color: "#111",
          width: 1,
        });
        prims.push({
          t: "line",
          x1: cx - 4,
          y1: y(m - sdv),
          x2: cx + 4,
          y2: y(m - sdv),
          color: "#111",
          width: 1,
        });
      }
    });
    const ann = opts.annotations?.[i];
    if (ann) {
      let top = 0;
      for (const s of opts.series) top = Math.max(top, (s.mean[i] ?? 0) + (s.sd[i] ?? 0));
      prims.push({ t: "text", x: gx, y: y(top) - 5, text: ann, size: 9, anchor: "middle", color: "#111" });
    }
  });
  xAxisLabel(prims, f, opts.xLabel);
  legend(
    prims,
    f.left,
    height - 12,
    opts.series.map((s) => s.name),
  );
  return { width, height, prims, title: opts.title };
}

export interface LineSeries {
  readonly name: string;
  readonly points: readonly (readonly [number, number])[];
  readonly means?: readonly { x: number; mean: number; sd: number | null }[];
  /** Fitted curve y(x), drawn as a smooth line. */
  readonly curve?: (x: number) => number;
}

/** Scatter of replicates, mean ± SD markers and fitted curves on a linear time axis. */
export function timeCourse(opts: {
  title: string;
  xLabel: string;
  yLabel: string;
  series: readonly LineSeries[];
  xMin?: number;
}): Figure {
  const width = 520;
  const height = 300;
  const prims: Prim[] = [];
  let xMax = 0;
  let yMax = 0;
  let yMin = 0;
  for (const s of opts.series)
    for (const [x, v] of s.points) {
      xMax = Math.max(xMax, x);
      yMax = Math.max(yMax, v);
      yMin = Math.min(yMin, v);
    }
  const yt = niceTicks(yMin, yMax * 1.08 || 1);
  const xt = niceTicks(opts.xMin ?? 0, xMax || 1);
  const f: Frame = {
    left: 62,
    top: 40,
    w: width - 80,
    h: height - 95,
    yMin: yt[0]!,
    yMax: yt[yt.length - 1]!,
  };
  const x0 = xt[0]!;
  const x1 = xt[xt.length - 1]!;
  const xs = (x: number) => f.left + ((x - x0) / (x1 - x0)) * f.w;
  prims.push({ t: "text", x: width / 2, y: 16, text: opts.title, size: 11, anchor: "middle", bold: true });
  const y = axes(prims, f, opts.yLabel, yt);
  for (const t of xt)
    prims.push({ t: "text", x: xs(t), y: f.top + f.h + 14, text: tickLabel(t), size: 8.5, anchor: "middle" });
  xAxisLabel(prims, f, opts.xLabel);
  opts.series.forEach((s, j) => {
    const color = PALETTE[j % PALETTE.length]!;
    if (s.curve) {
      const pts: [number, number][] = [];
      for (let k = 0; k <= 80; k++) {
        const xv = x0 + ((x1 - x0) * k) / 80;
        const yv = s.curve(xv);
        if (Number.isFinite(yv)) pts.push([xs(xv), y(Math.min(Math.max(yv, f.yMin), f.yMax))]);
      }
      prims.push({ t: "poly", points: pts, color, width: 1.6 });
    }
    for (const [x, v] of s.points)
      prims.push({ t: "circle", cx: xs(x), cy: y(v), r: 2.2, fill: "#fff", stroke: color });
    for (const m of s.means ?? []) {
      prims.push({ t: "circle", cx: xs(m.x), cy: y(m.mean), r: 3.6, fill: color });
      if (m.sd !== null)
        prims.push({
          t: "line",
          x1: xs(m.x),
          y1: y(m.mean - m.sd),
          x2: xs(m.x),
          y2: y(m.mean + m.sd),
          color,
          width: 1.2,
        });
    }
  });
  legend(
    prims,
    f.left,
    height - 12,
    opts.series.map((s) => s.name),
  );
  return { width, height, prims, title: opts.title };
}

/** Render a figure as an SVG string. */
export function toSvg(fig: Figure): string {
  const esc = (s: string) =>
    s.replace(/[&<>"]/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;" })[c]!);
  const n = (v: number) => String(Math.round(v * 100) / 100);
  const body = fig.prims
    .map((p) => {
      switch (p.t) {
        case "line":
          return `<line x1="${n(p.x1)}" y1="${n(p.y1)}" x2="${n(p.x2)}" y2="${n(p.y2)}" stroke="${p.color}" stroke-width="${p.width}"${p.dash ? ` stroke-dasharray="${p.dash}"` : ""}/>`;
        case "rect":
          return `<rect x="${n(p.x)}" y="${n(p.y)}" width="${n(p.w)}" height="${n(p.h)}" fill="${p.fill}"${p.stroke ? ` stroke="${p.stroke}"` : ""}/>`;
        case "circle":
          return `<circle cx="${n(p.cx)}" cy="${n(p.cy)}" r="${p.r}" fill="${p.fill}"${p.stroke ? ` stroke="${p.stroke}" stroke-width="1.2"` : ""}/>`;
        case "text":
          return `<text x="${n(p.x)}" y="${n(p.y)}" font-size="${p.size}" text-anchor="${p.anchor}" fill="${p.color ?? "#111"}"${p.bold ? ' font-weight="bold"' : ""}${p.rotate ? ` transform="rotate(-90 ${n(p.x)} ${n(p.y)})"` : ""}>${esc(p.text)}</text>`;
        case "poly":
          return `<polyline points="${p.points.map(([a, b]) => `${n(a)},${n(b)}`).join(" ")}" fill="none" stroke="${p.color}" stroke-width="${p.width}"/>`;
      }
      return "";
    })
    .join("");
  return `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${fig.width} ${fig.height}" width="${fig.width}" height="${fig.height}" font-family="Helvetica, Arial, sans-serif" role="img" aria-label="${esc(fig.title)}">${body}</svg>`;
}
