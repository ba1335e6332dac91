/**
 * Turn a VOI spec (text or parsed) into a `VoiRaster` on the PET grid: geometric VOIs are rasterised
 * (`raster.ts`), masks resampled (`resample.ts`), derived VOIs selected (`select.ts`) with their
 * levels converted to the image's native unit:
 *
 * - `N` / `Nsuv`: N ÷ (SUV per native unit); `Nbqml`: N ÷ (Bq/mL per native unit);
 * - `Ntm`: N × reference (muscle) mean in native units (needs `referenceMeanNative`);
 * - `P%max`: P/100 × max over the inner VOI's binary voxels (whole image without an inner VOI);
 * - `P%peak`: P/100 × SUVpeak of the inner VOI (an inner VOI is required); `P%seed`: P/100 × the
 *   seed voxel value (grow).
 */
import { AtsmError } from "../../core/errors.js";
import type { Mask, Volume } from "../../core/types.js";
import { voxelCount } from "../../core/types.js";
import { peakSearch } from "../peak.js";
import type { ValueScale } from "../scale.js";
import { valueScaleFor } from "../scale.js";
import type { VoiRaster } from "./raster.js";
import { binaryVoiRaster, boxVoi, DEFAULT_SUPERSAMPLE, sphereVoi } from "./raster.js";
import { maskToVoi } from "./resample.js";
import { componentVoi, growVoi, nearestVoxel, thresholdVoi } from "./select.js";
import type { VoiLevel, VoiSpec } from "./spec.js";
import { formatVoiLevel, formatVoiSpec, parseVoiSpec } from "./spec.js";

export interface RasterizeContext {
  /** The image whose grid the VOI is built on (its values drive threshold/component/grow). */
  readonly volume: Volume;
  /** Loaded label maps by the PATH written in `mask:PATH` (any grid; resampled to the PET grid). */
  readonly masks?: ReadonlyMap<string, Mask>;
  /** Unit conversion for `suv` / `bqml` levels; default `valueScaleFor(volume.unit)`. */
  readonly scale?: ValueScale;
  /** Reference (muscle) mean in the image's native unit, for `tm` levels. */
  readonly referenceMeanNative?: number | null;
  /** Sub-voxels per axis for partial-voxel weights (default 5). */
  readonly supersample?: number;
}

function levelToNative(
  spec: string,
  level: VoiLevel,
  ctx: RasterizeContext,
  inner: VoiRaster | null,
  seedValue: number | null,
): number {
  const scale = ctx.scale ?? valueScaleFor(ctx.volume.unit);
  const data = ctx.volume.data;
  const lv = formatVoiLevel(level);
  if (level.kind === "absolute") {
    if (level.unit === "tm") {
      const ref = ctx.referenceMeanNative;
      if (ref === undefined || ref === null) {
        throw new AtsmError({
          code: "MISSING_INPUT",
          message: `VOI ${spec}: level ${lv} is in T/M units but no reference (muscle) VOI was given`,
          hint: "pass a reference VOI (--reference SPEC), or give the level in SUV (e.g. 2.5suv)",
        });
      }
      if (!(ref > 0)) {
        throw new AtsmError({
          code: "NUMERIC",
          message: `VOI ${spec}: reference mean ${ref} is not > 0, T/M level ${lv} is undefined`,
          hint: "place the reference VOI in normal muscle with positive uptake",
        });
      }
      return level.value * ref;
    }
    const f = level.unit === "suv" ? scale.toSuv : scale.toBqPerMl;
    if (f === null) {
      throw new AtsmError({
        code: "MISSING_INPUT",
        message: `VOI ${spec}: level ${lv} needs the ${level.unit === "suv" ? "SUV" : "Bq/mL"} scale of an image in ${ctx.volume.unit}`,
        hint:
          level.unit === "suv"
            ? "give patient weight and injected activity so SUV can be computed, or use a %max or tm level"
            : "use an SUV, %max or tm level",
      });
    }
    return level.value / f;
  }
  if (level.of === "seed") return level.fraction * (seedValue ?? Number.NaN);
  if (level.of === "peak") {
    if (!inner) {
      // A whole-image SUVpeak search is costly and usually finds the bladder or kidneys.
      throw new AtsmError({
        code: "INVALID_ARGUMENT",
        message: `VOI ${spec}: level ${lv} needs an inner VOI to search the SUVpeak in`,
        hint: `write e.g. threshold:${lv}@sphere:X,Y,Z,R`,
      });
    }
    return level.fraction * peakSearch(data, inner).peak;
  }
  let max = -Infinity;
  if (inner) {
    for (let n = 0; n < inner.index.length; n++) {
      if (!inner.inside[n]) continue;
      const v = data[inner.index[n]!]!;
      if (v > max) max = v;
    }
  } else for (let p = 0; p < data.length; p++) if (data[p]! > max) max = data[p]!;
  if (!Number.isFinite(max)) {
    throw new AtsmError({
      code: "NUMERIC",
      message: `VOI ${spec}: the maximum for ${lv} is not finite`,
      value: max,
      hint: "the inner VOI is empty or holds NaN/Inf voxels",
    });
  }
  return level.fraction * max;
}

function wholeImageThreshold(
  spec: string,
  data: Float32Array,
  ctx: RasterizeContext,
  level: number,
): VoiRaster {
  let count = 0;
  for (let p = 0; p < data.length; p++) if (data[p]! >= level) count++;
  const index = new Int32Array(count);
  let m = 0;
  for (let p = 0; p < data.length; p++) if (data[p]! >= level) index[m++] = p;
  return binaryVoiRaster(spec, ctx.volume, index);
}

function nonEmpty(voi: VoiRaster, what: string): VoiRaster {
  if (voi.insideCount === 0) {
    throw new AtsmError({
      code: "EMPTY_VOI",
      message: `VOI ${voi.spec} is empty: ${what}`,
      hint: "enlarge the VOI, lower the threshold, or check the coordinates (LPS mm of the PET image)",
    });
  }
  return voi;
}

function resolve(spec: VoiSpec, ctx: RasterizeContext): VoiRaster {
  const text = formatVoiSpec(spec);
  const grid = ctx.volume;
  const data = ctx.volume.data;
  const k = ctx.supersample ?? DEFAULT_SUPERSAMPLE;
  if (data.length !== voxelCount(grid.dims)) {
    throw new AtsmError({
      code: "INCONSISTENT",
      message: `image data length ${data.length} does not match its dims ${grid.dims.join("×")}`,
    });
  }
  switch (spec.kind) {
    case "sphere":
      return nonEmpty(
        sphereVoi(text, grid, spec.centerMm, spec.radiusMm, k),
        "no voxel centre inside the sphere (radius smaller than a voxel, or mostly outside the image)",
      );
    case "box":
      return nonEmpty(boxVoi(text, grid, spec.minMm, spec.maxMm, k), "no voxel centre inside the box");
    case "mask": {
      const mask = ctx.masks?.get(spec.path);
      if (!mask) {
        throw new AtsmError({
          code: "MISSING_INPUT",
          message: `VOI ${text}: mask file ${JSON.stringify(spec.path)} was not loaded`,
          hint: "load the mask file first (the app layer reads NIfTI / DICOM SEG) and pass it in `masks`",
        });
      }
      return nonEmpty(
        maskToVoi(text, mask, grid, { label: spec.label, supersample: k }),
        "no voxel on the PET grid",
      );
    }
    case "threshold": {
      const inner = spec.inner ? resolve(spec.inner, ctx) : null;
      const level = levelToNative(text, spec.level, ctx, inner, null);
      const out = inner
        ? thresholdVoi(text, data, inner, level)
        : wholeImageThreshold(text, data, ctx, level);
      return nonEmpty(
        out,
        `no voxel reaches the level ${formatVoiLevel(spec.level)} (= ${level} ${ctx.volume.unit})`,
      );
    }
    case "component":
      return nonEmpty(
        componentVoi(text, data, resolve(spec.inner, ctx), spec.connectivity),
        "empty component",
      );
    case "grow": {
      const inner = spec.inner ? resolve(spec.inner, ctx) : null;
      const seed = nearestVoxel(grid, spec.seedMm);
      const seedValue = seed === null ? null : data[seed]!;
      const level = levelToNative(text, spec.level, ctx, inner, seedValue);
      return nonEmpty(growVoi(text, data, grid, spec.seedMm, level, inner), "region growing found no voxel");
    }
  }
}

/**
 * Rasterise a VOI spec on the grid of `ctx.volume` (see file comment for level conversions and
 * `raster.ts` for partial-voxel handling). Throws AtsmError naming the spec: INVALID_ARGUMENT (syntax),
 * EMPTY_VOI (outside the image / nothing selected), MISSING_INPUT (mask not loaded, T/M without
 * reference, SUV level without SUV scale).
 */
export function rasterizeVoi(spec: VoiSpec | string, ctx: RasterizeContext): VoiRaster {
  return resolve(typeof spec === "string" ? parseVoiSpec(spec) : spec, ctx);
}
