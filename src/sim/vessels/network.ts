/**
 * Seeded random vessel networks on a voxel grid (the O2 sources for sim/oxygen).
 *
 * 3-D (nz > 1): straight or curved tubes of radius `radiusUm` are added until the total centre-line
 * length per tissue volume reaches the requested length density Lv (mm vessel per mm³ tissue).
 * Straight tubes: a line through a uniform random point with an isotropic random direction
 * (uniform on the sphere), clipped to the box. Curved tubes: a persistent random walk of step
 * ≈ one voxel whose direction turns by a Gaussian angle of s.d. `curvatureRadPerStep` each step.
 * 2-D (nz = 1): a cross-section; Lv·area vessel discs (capillaries perpendicular to the section,
 * so the areal density equals Lv) at uniform random positions.
 *
 * Each vessel gets its own pO2 drawn from N(mean, sd) clipped to [1, 150] mmHg, so a network
 * carries both arteriolar-like and venular-like values. Typical Lv: tumours ~100–300 mm/mm³,
 * skeletal muscle ~500–1000 mm/mm³ (capillary densities ~500–1000 /mm², Krogh 1919; values of
 * this order are used in Secomb et al. 2004's tumour networks). Deterministic for a seed.
 */
import { AtsmError } from "../../core/errors.js";
import { createRng, type Rng } from "../../core/rng.js";
import type { Vec3, Vec3i } from "../../core/types.js";

/** A vessel map: mask + per-voxel vessel pO2 (the pO2 of the vessel occupying the voxel). */
export interface VesselMap {
  readonly dims: Vec3i;
  readonly spacingUm: Vec3;
  /** Non-zero at vessel voxels; index i + nx(j + ny k). */
  readonly mask: Uint8Array;
  /** pO2 of the vessel at each vessel voxel, mmHg (0 elsewhere). */
  readonly po2MmHg: Float32Array;
  /** Number of vessels (tubes or discs) placed. */
  readonly vesselCount: number;
  /** Achieved centre-line length density, mm/mm³ (2-D: discs per mm²). */
  readonly lengthDensityMmPerMm3: number;
  /** Fraction of voxels that are vessel. */
  readonly vesselVolumeFraction: number;
}

export type VesselShape = "straight" | "curved";

export interface VesselNetworkOptions {
  readonly dims: Vec3i;
  readonly spacingUm: Vec3;
  /** Target centre-line length density, mm/mm³ (2-D: discs per mm²). */
  readonly lengthDensityMmPerMm3: number;
  /** Vessel radius, µm (default 5, a capillary). */
  readonly radiusUm?: number;
  readonly shape?: VesselShape;
  /** Curved tubes: s.d. of the turn per step, rad (default 0.15). */
  readonly curvatureRadPerStep?: number;
  /** Mean and s.d. of vessel pO2, mmHg (defaults 40 and 10). */
  readonly meanPo2MmHg?: number;
  readonly sdPo2MmHg?: number;
  readonly seed: number;
}

const MAX_VESSELS = 1_000_000;

/** Generate a seeded random vessel network. */
export function generateVesselNetwork(o: VesselNetworkOptions): VesselMap {
  const [nx, ny, nz] = o.dims;
  if (!(o.lengthDensityMmPerMm3 > 0) || !Number.isFinite(o.lengthDensityMmPerMm3)) {
    throw new AtsmError({
      code: "INVALID_ARGUMENT",
      message: "vessel length density must be finite and > 0 mm/mm³",
      value: o.lengthDensityMmPerMm3,
      field: "lengthDensityMmPerMm3",
      hint: "tumours ~100–300 mm/mm³, muscle ~500–1000 mm/mm³",
    });
  }
  const n = nx * ny * nz;
  const mask = new Uint8Array(n);
  const po2 = new Float32Array(n);
  const rng = createRng(o.seed);
  const radiusUm = o.radiusUm ?? 5;
  const mean = o.meanPo2MmHg ?? 40;
  const sd = o.sdPo2MmHg ?? 10;
  const [hx, hy, hz] = o.spacingUm;
  const sizeUm = [nx * hx, ny * hy, nz * hz] as const;
  const vesselPo2 = (): number => Math.min(150, Math.max(1, mean + sd * rng.normal()));
  const stamp = makeStamper(o.dims, o.spacingUm, radiusUm, mask, po2);
  let count = 0;
  let lengthUm = 0;
  if (nz === 1) {
    const areaMm2 = (sizeUm[0] * sizeUm[1]) / 1e6;
    const target = Math.max(1, Math.round(o.lengthDensityMmPerMm3 * areaMm2));
    for (; count < target && count < MAX_VESSELS; count++) {
      stamp(rng.next() * sizeUm[0], rng.next() * sizeUm[1], 0.5 * hz, vesselPo2());
    }
  } else {
    const volMm3 = (sizeUm[0] * sizeUm[1] * sizeUm[2]) / 1e9;
    const targetUm = o.lengthDensityMmPerMm3 * volMm3 * 1000;
    const step = 0.5 * Math.min(hx, hy, hz);
    const turn = o.curvatureRadPerStep ?? 0.15;
    while (lengthUm < targetUm && count < MAX_VESSELS) {
      const v = vesselPo2();
      const start = [rng.next() * sizeUm[0], rng.next() * sizeUm[1], rng.next() * sizeUm[2]];
      const dir = randomDirection(rng);
      // Walk both ways from the start point until leaving the box.
      for (const sign of [1, -1]) {
        const pos = [start[0]!, start[1]!, start[2]!];
        const d = [sign * dir[0]!, sign * dir[1]!, sign * dir[2]!];
        for (let s = 0; s < 100_000; s++) {
          if (
            pos[0]! < 0 ||
            pos[1]! < 0 ||
            pos[2]! < 0 ||
            pos[0]! >= sizeUm[0] ||
            pos[1]! >= sizeUm[1] ||
            pos[2]! >= sizeUm[2]
          )
            break;
          stamp(pos[0]!, pos[1]!, pos[2]!, v);
          pos[0]! += step * d[0]!;
          pos[1]! += step * d[1]!;
          pos[2]! += step * d[2]!;
          lengthUm += step;
          if (o.shape === "curved") turnDirection(d, turn, rng);
        }
      }
      count++;
    }
  }
  let vox = 0;
  for (let u = 0; u < n; u++) vox += mask[u]!;
  const volMm3 = (sizeUm[0] * sizeUm[1] * sizeUm[2]) / 1e9;
  const areaMm2 = (sizeUm[0] * sizeUm[1]) / 1e6;
  return {
    dims: o.dims,
    spacingUm: o.spacingUm,
    mask,
    po2MmHg: po2,
    vesselCount: count,
    lengthDensityMmPerMm3: nz === 1 ? count / areaMm2 : lengthUm / 1000 / volMm3,
    vesselVolumeFraction: vox / n,
  };
}

/** Isotropic unit vector (uniform on the sphere: z = 2u−1, φ = 2πv). */
function randomDirection(rng: Rng): number[] {
  const z = 2 * rng.next() - 1;
  const phi = 2 * Math.PI * rng.next();
  const s = Math.sqrt(Math.max(0, 1 - z * z));
  return [s * Math.cos(phi), s * Math.sin(phi), z];
}

/** Rotate unit vector d by a small random turn (Gaussian components, renormalised). */
function turnDirection(d: number[], sdRad: number, rng: Rng): void {
  d[0]! += sdRad * rng.normal();
  d[1]! += sdRad * rng.normal();
  d[2]! += sdRad * rng.normal();
  const len = Math.hypot(d[0]!, d[1]!, d[2]!) || 1;
  d[0]! /= len;
  d[1]! /= len;
  d[2]! /= len;
}

/**
 * Returns stamp(x, y, z, pO2): marks every voxel whose centre lies within `radiusUm` of the point
 * (positions in µm from the grid corner; voxel centre (i + ½)h), and always the voxel containing it.
 */
function makeStamper(
  dims: Vec3i,
  spacingUm: Vec3,
  radiusUm: number,
  mask: Uint8Array,
  po2: Float32Array,
): (x: number, y: number, z: number, v: number) => void {
  const [nx, ny, nz] = dims;
  const [hx, hy, hz] = spacingUm;
  const rx = Math.ceil(radiusUm / hx);
  const ry = Math.ceil(radiusUm / hy);
  const rz = nz === 1 ? 0 : Math.ceil(radiusUm / hz);
  const r2 = radiusUm * radiusUm;
  return (x, y, z, v) => {
    const ic = Math.min(nx - 1, Math.floor(x / hx));
    const jc = Math.min(ny - 1, Math.floor(y / hy));
    const kc = Math.min(nz - 1, Math.floor(z / hz));
    for (let k = Math.max(0, kc - rz); k <= Math.min(nz - 1, kc + rz); k++) {
      const dz = nz === 1 ? 0 : (k + 0.5) * hz - z;
      for (let j = Math.max(0, jc - ry); j <= Math.min(ny - 1, jc + ry); j++) {
        const dy = (j + 0.5) * hy - y;
        for (let i = Math.max(0, ic - rx); i <= Math.min(nx - 1, ic + rx); i++) {
          const dx = (i + 0.5) * hx - x;
          if (dx * dx + dy * dy + dz * dz > r2 && !(i === ic && j === jc && k === kc)) continue;
          const u = i + nx * (j + ny * k);
          if (mask[u] === 0) {
            mask[u] = 1;
            po2[u] = v;
          }
        }
      }
    }
  };
}
