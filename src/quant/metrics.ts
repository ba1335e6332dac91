/**
 * Per-VOI statistics: SUVmax, SUVmean, SUVmin, SD, SUVpeak, volume, total uptake, voxel count, and
 * the same in Bq/mL.
 *
 * Definitions (w = fractional voxel weight, see `voi/raster.ts`; B = binary voxels, centre inside;
 * V_vox = voxel volume in mL):
 * - volumeMl = Σ w · V_vox (partial-voxel volume); binaryVolumeMl = |B| · V_vox; voxelCount = |B|.
 * - mean = Σ w·v / Σ w; SD = sqrt(Σ w·(v − mean)² / Σ w) (weighted population SD).
 * - max, min = max/min of v over B (a voxel is "in" the VOI for max/min when its centre is).
 * - peak = SUVpeak (`peak.ts`): best 1 cm³ sphere mean with centre in B.
 * - total uptake = mean × volumeMl (TLG-like: SUV·mL; in Bq/mL units it is the activity in Bq).
 * All statistics are linear in v, so they are computed in the volume's native unit and scaled by
 * `ValueScale` to SUV and Bq/mL (null where the factor is unknown).
 */
import { AtsmError } from "../core/errors.js";
import { voxelToWorld, voxelVolumeMl } from "../core/geometry.js";
import type { Volume } from "../core/types.js";
import { PEAK_SPHERE_RADIUS_MM, peakSearch } from "./peak.js";
import type { ValueScale } from "./scale.js";
import { valueScaleFor } from "./scale.js";
import type { VoiRaster } from "./voi/raster.js";

/** Statistics in one unit. */
export interface VoiStats {
  readonly max: number;
  readonly mean: number;
  readonly min: number;
  readonly sd: number;
  readonly peak: number;
  /** mean × volumeMl (unit·mL). */
  readonly total: number;
}

export interface VoiMetrics {
  /** Canonical VOI spec. */
  readonly spec: string;
  /** Native unit of `native`. */
  readonly unit: string;
  readonly voxelCount: number;
  readonly volumeMl: number;
  readonly binaryVolumeMl: number;
  readonly native: VoiStats;
  readonly suvMax: number | null;
  readonly suvMean: number | null;
  readonly suvMin: number | null;
  readonly suvSd: number | null;
  readonly suvPeak: number | null;
  /** SUVmean × volumeMl (TLG-like, SUV·mL). */
  readonly totalUptakeSuvMl: number | null;
  readonly bqPerMlMax: number | null;
  readonly bqPerMlMean: number | null;
  readonly bqPerMlMin: number | null;
  readonly bqPerMlSd: number | null;
  readonly bqPerMlPeak: number | null;
  /** Mean Bq/mL × volume mL = activity in the VOI, Bq. */
  readonly totalActivityBq: number | null;
  /** LPS mm of the hottest binary voxel. */
  readonly maxVoxelMm: [number, number, number];
  /** LPS mm of the SUVpeak sphere centre. */
  readonly peakCentreMm: [number, number, number];
  /** Sampled peak sphere volume, mL (≈ 1). */
  readonly peakSphereVolumeMl: number;
  /** Peak sphere was cut by the image border. */
  readonly peakTruncated: boolean;
  /** VOI was cut by the image border. */
  readonly clipped: boolean;
}

export interface MetricsOptions {
  /** Unit conversion; default `valueScaleFor(volume.unit)` (no SUV factor). */
  readonly scale?: ValueScale;
  /** Skip the SUVpeak search (peak fields are then NaN/null). Default false. */
  readonly skipPeak?: boolean;
  /** Peak sphere radius, mm; default 6.2035 (1 cm³). */
  readonly peakRadiusMm?: number;
}

function checkGrid(volume: Volume, voi: VoiRaster): void {
  const g = voi.grid;
  const same =
    g.dims[0] === volume.dims[0] &&
    g.dims[1] === volume.dims[1] &&
    g.dims[2] === volume.dims[2] &&
    g.spacingMm.every((s, a) => Math.abs(s - volume.spacingMm[a]!) < 1e-6) &&
    g.originMm.every((o, a) => Math.abs(o - volume.originMm[a]!) < 1e-4);
  if (!same) {
    throw new AtsmError({
      code: "INCONSISTENT",
      message: `VOI ${voi.spec} was rasterised on a different grid than the image`,
      hint: "rasterise the VOI on the PET grid (rasterizeVoi(spec, {volume: pet}))",
    });
  }
}

/** Basic statistics of values over a VOI in the native unit (no peak). */
export function voiBasicStats(
  data: Float32Array,
  voi: VoiRaster,
): { max: number; min: number; mean: number; sd: number; sumW: number; maxIndex: number } {
  if (voi.insideCount === 0) {
    throw new AtsmError({
      code: "EMPTY_VOI",
      message: `VOI ${voi.spec} is empty (no voxel centre inside it)`,
      hint: "enlarge the VOI, lower its threshold, or check that it overlaps the image",
    });
  }
  let sumW = 0;
  let sumWV = 0;
  let max = -Infinity;
  let min = Infinity;
  let maxIndex = -1;
  for (let n = 0; n < voi.index.length; n++) {
    const p = voi.index[n]!;
    const v = data[p]!;
    if (!Number.isFinite(v)) {
      throw new AtsmError({
        code: "NUMERIC",
        message: `VOI ${voi.spec} contains a NaN or infinite voxel value at linear index ${p}`,
        value: v,
        hint: "the image has undefined voxels inside the VOI; check the reconstruction or move the VOI",
      });
    }
    const w = voi.weight[n]!;
    sumW += w;
    sumWV += w * v;
    if (voi.inside[n]) {
      if (v > max) {
        max = v;
        maxIndex = p;
      }
      if (v < min) min = v;
    }
  }
  const mean = sumWV / sumW;
  let ss = 0;
  for (let n = 0; n < voi.index.length; n++) {
    const d = data[voi.index[n]!]! - mean;
    ss += voi.weight[n]! * d * d;
  }
  return { max, min, mean, sd: Math.sqrt(ss / sumW), sumW, maxIndex };
}

function scaled(v: number, f: number | null): number | null {
  return f === null || !Number.isFinite(v) ? null : v * f;
}

/**
 * Metrics of one VOI on `volume` (definitions above). Throws EMPTY_VOI for an empty VOI, NUMERIC
 * for NaN/Inf voxels, INCONSISTENT when the VOI is on another grid.
 */
export function computeVoiMetrics(volume: Volume, voi: VoiRaster, options: MetricsOptions = {}): VoiMetrics {
  checkGrid(volume, voi);
  const scale = options.scale ?? valueScaleFor(volume.unit);
  const b = voiBasicStats(volume.data, voi);
  const pk = options.skipPeak
    ? null
    : peakSearch(volume.data, voi, options.peakRadiusMm ?? PEAK_SPHERE_RADIUS_MM);
  const vox = voxelVolumeMl(volume.spacingMm);
  const volumeMl = b.sumW * vox;
  const native: VoiStats = {
    max: b.max,
    mean: b.mean,
    min: b.min,
    sd: b.sd,
    peak: pk ? pk.peak : Number.NaN,
    total: b.mean * volumeMl,
  };
  const [nx, ny] = volume.dims;
  const mi = b.maxIndex % nx;
  const mq = (b.maxIndex - mi) / nx;
  const mj = mq % ny;
  const mk = (mq - mj) / ny;
  const s = scale.toSuv;
  const q = scale.toBqPerMl;
  return {
    spec: voi.spec,
    unit: volume.unit,
    voxelCount: voi.insideCount,
    volumeMl,
    binaryVolumeMl: voi.insideCount * vox,
    native,
    suvMax: scaled(native.max, s),
    suvMean: scaled(native.mean, s),
    suvMin: scaled(native.min, s),
    suvSd: scaled(native.sd, s),
    suvPeak: scaled(native.peak, s),
    totalUptakeSuvMl: scaled(native.total, s),
    bqPerMlMax: scaled(native.max, q),
    bqPerMlMean: scaled(native.mean, q),
    bqPerMlMin: scaled(native.min, q),
    bqPerMlSd: scaled(native.sd, q),
    bqPerMlPeak: scaled(native.peak, q),
    totalActivityBq: scaled(native.total, q),
    maxVoxelMm: voxelToWorld(volume, mi, mj, mk) as [number, number, number],
    peakCentreMm: pk ? pk.centreMm : [Number.NaN, Number.NaN, Number.NaN],
    peakSphereVolumeMl: pk ? pk.sphereVolumeMl : Number.NaN,
    peakTruncated: pk ? pk.truncated : false,
    clipped: voi.clipped,
  };
}
