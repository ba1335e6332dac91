/**
 * Phantom anatomy on the fine truth grid: tissue labels, tumour shells and CT numbers.
 *
 * Grids: the scanner grid (preset dims/spacing) is centred on LPS (0,0,0) with identity
 * direction; the truth grid subdivides every scanner voxel into f³ voxels sharing its corners.
 */
import { centredOriginMm } from "../../core/geometry.js";
import { type Grid, identityDirection, type Vec3, type Vec3i } from "../../core/types.js";
import type { Ellipsoid, StudyPreset } from "./presets.js";

/** Tissue labels of the truth grid. */
export const TISSUE = {
  air: 0,
  soft: 1,
  muscle: 2,
  bone: 3,
  tumour: 4,
  hypoxicCore: 5,
  liver: 6,
} as const;

/** CT numbers per tissue label, HU [A] (typical values: soft tissue 20–60, cortical bone > 700). */
export const TISSUE_HU: readonly number[] = [-1000, 40, 55, 800, 50, 35, 65];

/** Shell index for voxels outside the tumour. */
export const NO_SHELL = 255;

export function scannerGrid(p: StudyPreset): Grid {
  const [nx, ny, nz] = p.dims;
  const s = p.spacingMm;
  return {
    dims: [nx, ny, nz],
    spacingMm: s,
    originMm: centredOriginMm([nx, ny, nz], s),
    direction: identityDirection(),
  };
}

export function truthGrid(p: StudyPreset): Grid {
  const g = scannerGrid(p);
  const f = p.truthFactor;
  const s: Vec3 = [g.spacingMm[0] / f, g.spacingMm[1] / f, g.spacingMm[2] / f];
  const dims: Vec3i = [g.dims[0] * f, g.dims[1] * f, g.dims[2] * f];
  // Same outer corner: corner = origin − spacing/2 on both grids.
  const o: Vec3 = [
    g.originMm[0] - g.spacingMm[0] / 2 + s[0] / 2,
    g.originMm[1] - g.spacingMm[1] / 2 + s[1] / 2,
    g.originMm[2] - g.spacingMm[2] / 2 + s[2] / 2,
  ];
  return { dims, spacingMm: s, originMm: o, direction: new Float64Array([1, 0, 0, 0, 1, 0, 0, 0, 1]) };
}

function inside(e: Ellipsoid, x: number, y: number, z: number): boolean {
  const dx = (x - e.centreMm[0]) / e.semiAxesMm[0];
  const dy = (y - e.centreMm[1]) / e.semiAxesMm[1];
  if (e.infiniteZ === true) {
    const zr = e.zRangeMm ?? [Number.NEGATIVE_INFINITY, Number.POSITIVE_INFINITY];
    return dx * dx + dy * dy <= 1 && z >= zr[0] && z <= zr[1];
  }
  const dz = (z - e.centreMm[2]) / e.semiAxesMm[2];
  return dx * dx + dy * dy + dz * dz <= 1;
}

export interface Anatomy {
  readonly grid: Grid;
  /** TISSUE label per truth voxel (hypoxic core assigned later from the shells' pO2). */
  readonly labels: Uint8Array;
  /** Tumour shell index per truth voxel (NO_SHELL outside the tumour). */
  readonly shell: Uint8Array;
}

/** Paint the anatomy: body, bones, muscle, liver, then the tumour (which may protrude). */
export function buildAnatomy(p: StudyPreset, levels: number): Anatomy {
  const grid = truthGrid(p);
  const [nx, ny, nz] = grid.dims;
  const [sx, sy, sz] = grid.spacingMm;
  const [ox, oy, oz] = grid.originMm;
  const labels = new Uint8Array(nx * ny * nz);
  const shell = new Uint8Array(nx * ny * nz).fill(NO_SHELL);
  const [tx, ty, tz] = p.tumourCentreMm;
  const R = p.tumourRadiusMm;
  let u = 0;
  for (let k = 0; k < nz; k++) {
    const z = oz + k * sz;
    for (let j = 0; j < ny; j++) {
      const y = oy + j * sy;
      for (let i = 0; i < nx; i++, u++) {
        const x = ox + i * sx;
        let l: number = TISSUE.air;
        if (inside(p.body, x, y, z)) {
          l = TISSUE.soft;
          for (const b of p.bones) if (inside(b, x, y, z)) l = TISSUE.bone;
          if (l === TISSUE.soft && inside(p.muscle, x, y, z)) l = TISSUE.muscle;
          if (l === TISSUE.soft && p.liver !== null && inside(p.liver, x, y, z)) l = TISSUE.liver;
        }
        const r = Math.hypot(x - tx, y - ty, z - tz);
        if (r <= R) {
          l = TISSUE.tumour;
          shell[u] = Math.min(levels - 1, Math.floor((r / R) * levels));
        }
        labels[u] = l;
      }
    }
  }
  return { grid, labels, shell };
}
