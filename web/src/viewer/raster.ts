/**
 * Client-side rasterisation of VOI specs on the PET grid, for DRAWING only (the numbers always come from
 * the server's /metrics). Sphere: voxel centres within R mm; box: centres inside the LPS box; threshold:
 * voxels of the inner VOI (whole image if none) ≥ level; grow: 6-connected flood from the seed over
 * voxels ≥ level. Values are the PET in display-independent units (SUV when known, else native).
 */
import type { Vec3 } from "../types.js";
import { type Grid, voxelBounds, voxelCount, voxelToWorld, worldToVoxel } from "./geometry.js";
import type { DrawSpec } from "./spec.js";

export function rasterise(s: DrawSpec, g: Grid, pet: Float32Array): Uint8Array | null {
  const n = voxelCount(g);
  const [nx, ny] = g.dims;
  if (s.kind === "mask") return null;
  if (s.kind === "sphere" || s.kind === "box") {
    const out = new Uint8Array(n);
    const lo: Vec3 = s.kind === "sphere" ? [s.c[0] - s.r, s.c[1] - s.r, s.c[2] - s.r] : s.lo;
    const hi: Vec3 = s.kind === "sphere" ? [s.c[0] + s.r, s.c[1] + s.r, s.c[2] + s.r] : s.hi;
    const b = voxelBounds(g, lo, hi);
    if (!b) return out;
    const r2 = s.kind === "sphere" ? s.r * s.r : 0;
    for (let k = b.min[2]; k <= b.max[2]; k++)
      for (let j = b.min[1]; j <= b.max[1]; j++)
        for (let i = b.min[0]; i <= b.max[0]; i++) {
          const p = voxelToWorld(g, i, j, k);
          let inside: boolean;
          if (s.kind === "sphere") {
            const dx = p[0] - s.c[0];
            const dy = p[1] - s.c[1];
            const dz = p[2] - s.c[2];
            inside = dx * dx + dy * dy + dz * dz <= r2;
          } else {
            inside =
              p[0] >= lo[0] &&
              p[0] <= hi[0] &&
              p[1] >= lo[1] &&
              p[1] <= hi[1] &&
              p[2] >= lo[2] &&
              p[2] <= hi[2];
          }
          if (inside) out[i + nx * (j + ny * k)] = 1;
        }
    return out;
  }
  if (s.kind === "component") return s.inner ? rasterise(s.inner, g, pet) : null;
  const inner = s.inner ? rasterise(s.inner, g, pet) : null;
  if (s.inner && !inner) return null;
  if (s.kind === "threshold") {
    let level = s.level.kind === "abs" ? s.level.value : 0;
    if (s.level.kind === "rel") {
      let max = -Infinity;
      for (let v = 0; v < n; v++) if ((!inner || inner[v]) && (pet[v] ?? 0) > max) max = pet[v] ?? 0;
      level = s.level.fraction * max;
    }
    const out = new Uint8Array(n);
    for (let v = 0; v < n; v++) if ((!inner || inner[v]) && (pet[v] ?? -Infinity) >= level) out[v] = 1;
    return out;
  }
  // grow
  const sv = worldToVoxel(g, s.seed).map(Math.round) as unknown as Vec3;
  if (sv.some((x, a) => x < 0 || x >= g.dims[a]!)) return new Uint8Array(n);
  const seed = sv[0] + nx * (sv[1] + ny * sv[2]);
  const level = s.level.kind === "abs" ? s.level.value : s.level.fraction * (pet[seed] ?? 0);
  return flood(g, pet, seed, level, inner);
}

function flood(
  g: Grid,
  pet: Float32Array,
  seed: number,
  level: number,
  inner: Uint8Array | null,
): Uint8Array {
  const [nx, ny, nz] = g.dims;
  const out = new Uint8Array(nx * ny * nz);
  if ((pet[seed] ?? -Infinity) < level || (inner && !inner[seed])) return out;
  const stack = new Int32Array(nx * ny * nz);
  let top = 0;
  stack[top++] = seed;
  out[seed] = 1;
  const plane = nx * ny;
  while (top > 0) {
    const v = stack[--top]!;
    const i = v % nx;
    const j = Math.floor(v / nx) % ny;
    const k = Math.floor(v / plane);
    const nbrs = [
      i > 0 ? v - 1 : -1,
      i < nx - 1 ? v + 1 : -1,
      j > 0 ? v - nx : -1,
      j < ny - 1 ? v + nx : -1,
      k > 0 ? v - plane : -1,
      k < nz - 1 ? v + plane : -1,
    ];
    for (const w of nbrs) {
      if (w < 0 || out[w] || (pet[w] ?? -Infinity) < level || (inner && !inner[w])) continue;
      out[w] = 1;
      stack[top++] = w;
    }
  }
  return out;
}

/** Paint (value 1) or erase (0) a ball of `radiusMm` around the LPS point into `mask`. */
export function paintBall(g: Grid, mask: Uint8Array, c: Vec3, radiusMm: number, value: 0 | 1): void {
  const b = voxelBounds(
    g,
    [c[0] - radiusMm, c[1] - radiusMm, c[2] - radiusMm],
    [c[0] + radiusMm, c[1] + radiusMm, c[2] + radiusMm],
  );
  if (!b) return;
  const [nx, ny] = g.dims;
  const r2 = radiusMm * radiusMm;
  for (let k = b.min[2]; k <= b.max[2]; k++)
    for (let j = b.min[1]; j <= b.max[1]; j++)
      for (let i = b.min[0]; i <= b.max[0]; i++) {
        const p = voxelToWorld(g, i, j, k);
        const d2 = (p[0] - c[0]) ** 2 + (p[1] - c[1]) ** 2 + (p[2] - c[2]) ** 2;
        if (d2 <= r2) mask[i + nx * (j + ny * k)] = value;
      }
}
