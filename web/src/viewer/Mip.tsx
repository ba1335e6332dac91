/**
 * PET maximum-intensity projection (anterior view), computed from the PET voxels on the CPU and drawn on
 * a 2-D canvas: inverted grey (hot = black), patient right on the screen's left, head up, pixel aspect
 * from the voxel spacing. Clicking a spot moves the crosshair to the hottest voxel along that ray.
 */
import { type MouseEvent, useEffect, useMemo, useRef } from "react";
import type { Vec3 } from "../types.js";
import { type Grid, voxelToWorld } from "./geometry.js";

interface Projection {
  readonly w: number;
  readonly h: number;
  readonly max: Float32Array;
  /** Voxel index (file order) of the maximum of each pixel. */
  readonly at: Int32Array;
  readonly aspect: number;
}

function project(g: Grid, pet: Float32Array): Projection {
  const d = g.direction;
  const col = (c: number) => [d[c] ?? 0, d[3 + c] ?? 0, d[6 + c] ?? 0];
  const axes = [0, 1, 2];
  const ap = axes.reduce((a, b) => (Math.abs(col(b)[1]!) > Math.abs(col(a)[1]!) ? b : a));
  const rest = axes.filter((a) => a !== ap);
  const lr = Math.abs(col(rest[0]!)[0]!) >= Math.abs(col(rest[1]!)[0]!) ? rest[0]! : rest[1]!;
  const si = rest[0] === lr ? rest[1]! : rest[0]!;
  const flipX = col(lr)[0]! < 0; // screen x grows towards patient left (+x LPS)
  const flipY = col(si)[2]! > 0; // screen y grows towards inferior (−z LPS)
  const w = g.dims[lr]!;
  const h = g.dims[si]!;
  const n = g.dims[ap]!;
  const stride = [1, g.dims[0], g.dims[0] * g.dims[1]];
  const max = new Float32Array(w * h).fill(-Infinity);
  const at = new Int32Array(w * h);
  for (let y = 0; y < h; y++)
    for (let x = 0; x < w; x++) {
      const a = flipX ? w - 1 - x : x;
      const b = flipY ? h - 1 - y : y;
      const base = a * stride[lr]! + b * stride[si]!;
      let best = -Infinity;
      let bestIdx = base;
      for (let k = 0; k < n; k++) {
        const idx = base + k * stride[ap]!;
        const v = pet[idx]!;
        if (v > best) {
          best = v;
          bestIdx = idx;
        }
      }
      max[x + w * y] = best;
      at[x + w * y] = bestIdx;
    }
  return { w, h, max, at, aspect: (w * g.spacingMm[lr]!) / (h * g.spacingMm[si]!) };
}

export function MipView(props: {
  grid: Grid;
  pet: Float32Array;
  /** Upper end of the grey scale, in the units of `pet`. */
  rangeMax: number;
  onPick: (lps: Vec3) => void;
}) {
  const canvas = useRef<HTMLCanvasElement>(null);
  const p = useMemo(() => project(props.grid, props.pet), [props.grid, props.pet]);

  useEffect(() => {
    const c = canvas.current;
    if (!c) return;
    const off = document.createElement("canvas");
    off.width = p.w;
    off.height = p.h;
    const octx = off.getContext("2d");
    if (!octx) return;
    const img = octx.createImageData(p.w, p.h);
    const top = props.rangeMax > 0 ? props.rangeMax : 1;
    for (let i = 0; i < p.max.length; i++) {
      const g = 255 - Math.round(255 * Math.max(0, Math.min(1, p.max[i]! / top)));
      img.data[4 * i] = g;
      img.data[4 * i + 1] = g;
      img.data[4 * i + 2] = g;
      img.data[4 * i + 3] = 255;
    }
    octx.putImageData(img, 0, 0);
    const parent = c.parentElement;
    const cw = parent?.clientWidth ?? 400;
    const ch = parent?.clientHeight ?? 400;
    const scale = Math.min(cw / p.aspect, ch);
    const dpr = window.devicePixelRatio || 1;
    c.style.width = `${Math.round(scale * p.aspect)}px`;
    c.style.height = `${Math.round(scale)}px`;
    c.width = Math.round(scale * p.aspect * dpr);
    c.height = Math.round(scale * dpr);
    const ctx = c.getContext("2d");
    if (!ctx) return;
    ctx.imageSmoothingEnabled = true;
    ctx.drawImage(off, 0, 0, c.width, c.height);
  }, [p, props.rangeMax]);

  const onClick = (e: MouseEvent<HTMLCanvasElement>) => {
    const r = e.currentTarget.getBoundingClientRect();
    const x = Math.floor(((e.clientX - r.left) / r.width) * p.w);
    const y = Math.floor(((e.clientY - r.top) / r.height) * p.h);
    if (x < 0 || y < 0 || x >= p.w || y >= p.h) return;
    const idx = p.at[x + p.w * y]!;
    const [nx, ny] = props.grid.dims;
    props.onPick(voxelToWorld(props.grid, idx % nx, Math.floor(idx / nx) % ny, Math.floor(idx / (nx * ny))));
  };

  return (
    <div className="mip" data-testid="mip-view">
      <canvas ref={canvas} onClick={onClick} title="click a spot to go there" />
      <span className="mip-label">MIP (anterior) · R on the left</span>
    </div>
  );
}
