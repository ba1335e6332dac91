/**
 * A synthetic Cu-ATSM PET/CT phantom with known truth (pure; seeded noise): a body (elliptic
 * cylinder) with a muscle block, a liver, a spine, and a tumour sphere with a hotter hypoxic core.
 * PET values are SUV (the caller converts to Bq/mL with its injection data), blurred by a Gaussian
 * (scanner resolution) and given mild multiplicative Gaussian noise; CT is in HU on a finer grid.
 *
 * Uptake levels are illustrative, chosen to land in the published range: tumour rim T/M 2.4 and
 * hypoxic core T/M 5 over muscle (clinical 60Cu-ATSM T/M spans about 1.5–5, Dehdashti 2003/2008,
 * reference notes atsm-science.md §3.1); liver is the hottest normal organ for Cu-ATSM.
 */
import { centredOriginMm } from "../core/geometry.js";
import { createRng } from "../core/rng.js";
import { identityDirection, type Vec3, type Volume } from "../core/types.js";

export interface PhantomOptions {
  /** PET grid size (default [80, 80, 64]). */
  readonly dims?: readonly [number, number, number];
  /** PET voxel size, mm (default 4). */
  readonly spacingMm?: number;
  /** CT voxel size, mm (default spacingMm / 2; CT grid covers the same field of view). */
  readonly ctSpacingMm?: number;
  /** Gaussian blur FWHM, mm (default 7; 0 = none). */
  readonly blurFwhmMm?: number;
  /** Multiplicative noise SD (fraction, default 0.04; 0 = none). */
  readonly noiseSd?: number;
  readonly seed?: number;
  /** Skip the CT (default false). */
  readonly noCt?: boolean;
}

/** Ground truth of the phantom (LPS mm, SUV). */
export interface PhantomTruth {
  readonly tumourCentreMm: Vec3;
  readonly tumourRadiusMm: number;
  readonly coreRadiusMm: number;
  readonly tumourRimSuv: number;
  readonly tumourCoreSuv: number;
  readonly muscleCentreMm: Vec3;
  /** Semi-axes of the muscle ellipsoid, mm. */
  readonly muscleSemiAxesMm: Vec3;
  readonly muscleSuv: number;
  readonly backgroundSuv: number;
  readonly liverSuv: number;
  /** Unblurred T/M of the core and of the whole tumour mean (analytic, volume-weighted). */
  readonly tmrCoreTrue: number;
  readonly tmrMeanTrue: number;
  /** Sphere volume 4/3·π·r³, mL. */
  readonly tumourVolumeMl: number;
  readonly coreVolumeMl: number;
}

export interface Phantom {
  readonly pet: Volume;
  readonly ct: Volume | null;
  readonly truth: PhantomTruth;
}

const TUMOUR: Vec3 = [45, -15, 0];
const MUSCLE: Vec3 = [-45, 55, -20];
const MUSCLE_AXES: Vec3 = [32, 20, 45];
const LIVER: Vec3 = [-70, 0, 55];
const LIVER_AXES: Vec3 = [55, 60, 40];

function inEllipsoid(x: number, y: number, z: number, c: Vec3, a: Vec3): boolean {
  const dx = (x - c[0]) / a[0];
  const dy = (y - c[1]) / a[1];
  const dz = (z - c[2]) / a[2];
  return dx * dx + dy * dy + dz * dz <= 1;
}

function centredGrid(dims: readonly [number, number, number], s: number) {
  return {
    dims: [dims[0], dims[1], dims[2]] as const,
    spacingMm: [s, s, s] as const,
    originMm: centredOriginMm(dims, [s, s, s]),
    direction: identityDirection(),
  };
}

/** Separable Gaussian blur in place (σ in voxels per axis), edges clamped. */
export function gaussianBlur3d(
  data: Float32Array,
  dims: readonly [number, number, number],
  sigmaVox: Vec3,
): void {
  const [nx, ny, nz] = dims;
  const strides = [1, nx, nx * ny];
  const lens = [nx, ny, nz];
  for (let axis = 0; axis < 3; axis++) {
    const sigma = sigmaVox[axis]!;
    if (!(sigma > 0)) continue;
    const r = Math.max(1, Math.ceil(3 * sigma));
    const k = new Float64Array(2 * r + 1);
    let sum = 0;
    for (let i = -r; i <= r; i++) sum += k[i + r] = Math.exp((-0.5 * i * i) / (sigma * sigma));
    for (let i = 0; i < k.length; i++) k[i] = k[i]! / sum;
    const n = lens[axis]!;
    const st = strides[axis]!;
    const line = new Float64Array(n);
    const lines = (nx * ny * nz) / n;
    for (let l = 0; l < lines; l++) {
      // base index of line l along `axis`
      let base: number;
      if (axis === 0) base = l * nx;
      else if (axis === 1) base = (l % nx) + Math.floor(l / nx) * nx * ny;
      else base = l;
      for (let i = 0; i < n; i++) line[i] = data[base + i * st]!;
      for (let i = 0; i < n; i++) {
        let acc = 0;
        for (let t = -r; t <= r; t++) {
          const q = Math.min(n - 1, Math.max(0, i + t));
          acc += k[t + r]! * line[q]!;
        }
        data[base + i * st] = acc;
      }
    }
  }
}

/** Build the phantom (see file comment). Deterministic for a given seed. */
export function makeAtsmPhantom(opts: PhantomOptions = {}): Phantom {
  const dims = opts.dims ?? [80, 80, 64];
  const s = opts.spacingMm ?? 4;
  const truth: PhantomTruth = {
    tumourCentreMm: TUMOUR,
    tumourRadiusMm: 18,
    coreRadiusMm: 8,
    tumourRimSuv: 2.4,
    tumourCoreSuv: 5,
    muscleCentreMm: MUSCLE,
    muscleSemiAxesMm: MUSCLE_AXES,
    muscleSuv: 1,
    backgroundSuv: 0.7,
    liverSuv: 5.5,
    tmrCoreTrue: 5,
    tmrMeanTrue: (2.4 * (18 ** 3 - 8 ** 3) + 5 * 8 ** 3) / 18 ** 3,
    tumourVolumeMl: ((4 / 3) * Math.PI * 18 ** 3) / 1000,
    coreVolumeMl: ((4 / 3) * Math.PI * 8 ** 3) / 1000,
  };
  const petGrid = centredGrid(dims, s);
  const suvAt = (x: number, y: number, z: number): number => {
    if ((x / 130) ** 2 + (y / 95) ** 2 > 1) return 0;
    const dt = Math.hypot(x - TUMOUR[0], y - TUMOUR[1], z - TUMOUR[2]);
    if (dt <= truth.coreRadiusMm) return truth.tumourCoreSuv;
    if (dt <= truth.tumourRadiusMm) return truth.tumourRimSuv;
    if (inEllipsoid(x, y, z, LIVER, LIVER_AXES)) return truth.liverSuv;
    if (inEllipsoid(x, y, z, MUSCLE, MUSCLE_AXES)) return truth.muscleSuv;
    if (Math.hypot(x, y - 60) <= 15) return 0.4; // spine
    return truth.backgroundSuv;
  };
  const n = dims[0] * dims[1] * dims[2];
  const pet = new Float32Array(n);
  // 3×3×3 supersampling of the piecewise-constant truth (partial-volume at edges).
  let p = 0;
  for (let k = 0; k < dims[2]; k++)
    for (let j = 0; j < dims[1]; j++)
      for (let i = 0; i < dims[0]; i++, p++) {
        const x = petGrid.originMm[0] + i * s;
        const y = petGrid.originMm[1] + j * s;
        const z = petGrid.originMm[2] + k * s;
        let acc = 0;
        for (let a = -1; a <= 1; a++)
          for (let b = -1; b <= 1; b++)
            for (let c = -1; c <= 1; c++) acc += suvAt(x + (a * s) / 3, y + (b * s) / 3, z + (c * s) / 3);
        pet[p] = acc / 27;
      }
  const fwhm = opts.blurFwhmMm ?? 7;
  if (fwhm > 0) {
    const sigmaVox = fwhm / (2 * Math.sqrt(2 * Math.LN2)) / s; // FWHM = 2√(2 ln 2) σ
    gaussianBlur3d(pet, dims, [sigmaVox, sigmaVox, sigmaVox]);
  }
  const noise = opts.noiseSd ?? 0.04;
  if (noise > 0) {
    const rng = createRng(opts.seed ?? 64);
    for (let q = 0; q < n; q++) pet[q] = Math.max(0, pet[q]! * (1 + noise * rng.normal()));
  }
  let ct: Volume | null = null;
  if (!opts.noCt) {
    const cs = opts.ctSpacingMm ?? s / 2;
    const cd: [number, number, number] = [
      Math.round((dims[0] * s) / cs),
      Math.round((dims[1] * s) / cs),
      Math.round((dims[2] * s) / cs),
    ];
    const g = centredGrid(cd, cs);
    const hu = new Float32Array(cd[0] * cd[1] * cd[2]);
    let q = 0;
    for (let k = 0; k < cd[2]; k++)
      for (let j = 0; j < cd[1]; j++)
        for (let i = 0; i < cd[0]; i++, q++) {
          const x = g.originMm[0] + i * cs;
          const y = g.originMm[1] + j * cs;
          const z = g.originMm[2] + k * cs;
          let v = -1000;
          if ((x / 130) ** 2 + (y / 95) ** 2 <= 1) {
            v = -80; // fat-like soft tissue
            if (inEllipsoid(x, y, z, MUSCLE, MUSCLE_AXES)) v = 50;
            if (inEllipsoid(x, y, z, LIVER, LIVER_AXES)) v = 60;
            if (Math.hypot(x - TUMOUR[0], y - TUMOUR[1], z - TUMOUR[2]) <= truth.tumourRadiusMm) v = 35;
            if (Math.hypot(x, y - 60) <= 15) v = 700;
            if (((x - 55) / 45) ** 2 + ((y + 10) / 55) ** 2 <= 1 && z > 60) v = -850; // a lung
          }
          hu[q] = v;
        }
    ct = { data: hu, ...g, unit: "HU" };
  }
  return { pet: { data: pet, ...petGrid, unit: "SUVbw" }, ct, truth };
}
