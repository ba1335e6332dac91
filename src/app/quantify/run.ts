/**
 * The quantify use case: load study → PET/CT → (dynamic: sum the uptake window) → SUV factor
 * (flags win over headers) → VOIs → metrics → T/M → hypoxic volume → prognosis. Pure computation
 * is `quantifyHypoxia` (quant/quantify.ts); this file does the loading and bookkeeping.
 */
import { AtsmError, isAtsmError } from "../../core/errors.js";
import { type Mask, maskOnGrid, type Vec3, type Volume, voxelCount } from "../../core/types.js";
import { parseDurationS } from "../../core/units.js";
import type { LoadedSeries } from "../../io/types.js";
import { sumFrameWindow } from "../../quant/frames.js";
import type { VoiMetrics } from "../../quant/metrics.js";
import { quantifyHypoxia, type VoiRasterCache } from "../../quant/quantify.js";
import type { ValueScale } from "../../quant/scale.js";
import { isBqPerMlUnit, isSuvUnit } from "../../quant/scale.js";
import { computeSuvScaleFactors } from "../../quant/suv/index.js";
import { emptyPetInstanceMetadata, type PetInstanceMetadata } from "../../quant/suv/metadata.js";
import type { SuvOverrides, SuvResult } from "../../quant/suv/types.js";
import type { VoiRaster } from "../../quant/voi/raster.js";
import { parseVoiSpec, type VoiSpec, voiMaskPaths } from "../../quant/voi/spec.js";
import { loadMasks, loadSeries, pickPetCt } from "./load.js";
import type { QuantifyImages, QuantifyRequest, QuantifyResult, StudySummary, VoiSummary } from "./types.js";

/** Label values of the written VOI maps. */
export const TUMOR_LABEL = 1;
export const REFERENCE_LABEL = 2;

function iso(ms: number | null | undefined): string | null {
  return ms === null || ms === undefined || !Number.isFinite(ms) ? null : new Date(ms).toISOString();
}

/** Parse "START-END" durations after injection ("30m-60m", "1800-3600", "30min-1h"). */
export function parseWindow(text: string): { startS: number; endS: number } {
  const m = /^\s*([^-]+?)\s*-\s*([^-]+?)\s*$/.exec(text);
  if (!m) {
    throw new AtsmError({
      code: "INVALID_ARGUMENT",
      message: "cannot parse the frame window",
      value: text,
      field: "--window",
      hint: "write START-END after injection, e.g. 30m-60m or 1800-3600 (seconds)",
    });
  }
  const startS = parseDurationS(m[1]!, "--window start");
  const endS = parseDurationS(m[2]!, "--window end");
  if (!(endS > startS)) {
    throw new AtsmError({
      code: "INVALID_ARGUMENT",
      message: "frame window end must be after its start",
      value: text,
      field: "--window",
      hint: "e.g. 30m-60m",
    });
  }
  return { startS, endS };
}

/** PET header records for the SUV factor (a synthetic one for a NIfTI PET without sidecar). */
export function suvInstances(pet: LoadedSeries): PetInstanceMetadata[] {
  if (pet.petInstances.length > 0) return [...pet.petInstances];
  // NIfTI without sidecar: one synthetic record; every SUV input must then come from flags.
  const u = pet.volume.unit;
  return [
    {
      ...emptyPetInstanceMetadata(),
      Units: isBqPerMlUnit(u) ? "BQML" : isSuvUnit(u) ? "GML" : null,
      CorrectedImage: ["ATTN", "DECY"],
      DecayCorrection: "START",
    },
  ];
}

function summarise(m: VoiMetrics, name: string, label: number): VoiSummary {
  return {
    name,
    spec: m.spec,
    label,
    unit: m.unit,
    voxelCount: m.voxelCount,
    volumeMl: m.volumeMl,
    suvMax: m.suvMax,
    suvMean: m.suvMean,
    suvMin: m.suvMin,
    suvSd: m.suvSd,
    suvPeak: m.suvPeak,
    totalUptakeSuvMl: m.totalUptakeSuvMl,
    bqPerMlMax: m.bqPerMlMax,
    bqPerMlMean: m.bqPerMlMean,
    bqPerMlPeak: m.bqPerMlPeak,
    totalActivityBq: m.totalActivityBq,
    nativeMax: m.native.max,
    nativeMean: m.native.mean,
    nativePeak: m.native.peak,
    maxVoxelMm: m.maxVoxelMm,
    peakCentreMm: m.peakCentreMm,
    clipped: m.clipped,
  };
}

/**
 * Voxels where the tumour and reference VOIs overlap (both centres inside), counted by merging
 * their sparse voxel lists (ascending, unique): O(VOI size), no volume-sized allocation.
 */
function overlapCount(tumor: VoiRaster, reference: VoiRaster): number {
  const ti = tumor.index;
  const ri = reference.index;
  let overlap = 0;
  let a = 0;
  for (let n = 0; n < ri.length; n++) {
    if (!reference.inside[n]) continue;
    const p = ri[n]!;
    while (a < ti.length && ti[a]! < p) a++;
    if (a < ti.length && ti[a] === p && tumor.inside[a]) overlap++;
  }
  return overlap;
}

/**
 * Tumour (1) and reference (2) as one label map on the PET grid; tumour wins where they overlap.
 * Built from the VOIs' sparse voxel lists, so it costs one zeroed allocation plus the VOI voxels.
 */
function combinedMask(tumor: VoiRaster, reference: VoiRaster): Mask {
  const data = new Uint8Array(voxelCount(tumor.grid.dims));
  for (let n = 0; n < tumor.index.length; n++) if (tumor.inside[n]) data[tumor.index[n]!] = TUMOR_LABEL;
  for (let n = 0; n < reference.index.length; n++) {
    if (!reference.inside[n]) continue;
    const p = reference.index[n]!;
    if (data[p] !== TUMOR_LABEL) data[p] = REFERENCE_LABEL;
  }
  return maskOnGrid(
    tumor.grid,
    data,
    new Map([
      [TUMOR_LABEL, "tumour"],
      [REFERENCE_LABEL, "reference"],
    ]),
  );
}

function scaled(vol: Volume, factor: number, unit: string): Volume {
  const data = new Float32Array(vol.data.length);
  for (let p = 0; p < data.length; p++) data[p] = vol.data[p]! * factor;
  return { ...vol, data, unit };
}

/** Run the quantify use case on one study. Throws AtsmError for every user-caused failure. */
export async function quantifyStudy(
  req: QuantifyRequest,
): Promise<{ result: QuantifyResult; images: QuantifyImages }> {
  const progress = req.onProgress ?? (() => {});
  // Parse the specs first so a typo fails before the study is read.
  const tumorSpec = parseVoiSpec(req.tumor);
  const referenceSpec = parseVoiSpec(req.reference);
  progress(0.02, "reading study");
  const series = await loadSeries(req.study, (f) => progress(0.02 + 0.5 * f, "reading study"));
  const picked = pickPetCt(series, req.study);
  let ctSeries = picked.ct;
  if (req.ct !== undefined) {
    const cts = await loadSeries(req.ct);
    ctSeries = cts.find((s) => s.modality === "CT") ?? cts[0] ?? null;
  }
  const prepared = prepareQuantify({
    pet: picked.pet,
    ct: ctSeries,
    pickWarnings: picked.warnings,
    tumor: tumorSpec,
    reference: referenceSpec,
    ...(req.window !== undefined ? { window: req.window } : {}),
    ...(req.overrides !== undefined ? { overrides: req.overrides } : {}),
    onProgress: progress,
  });
  const masks = await loadMasks(prepared.maskPaths, req.baseDir ?? process.cwd());
  return completeQuantify(prepared, masks, {
    ...(req.cutoff !== undefined ? { cutoff: req.cutoff } : {}),
    ...(req.binWidthTm !== undefined ? { binWidthTm: req.binWidthTm } : {}),
    images: true,
    onProgress: progress,
  });
}

/** Inputs of the computation on already-loaded series (see `prepareQuantify`). */
export interface QuantifySeriesInput {
  readonly pet: LoadedSeries;
  readonly ct: LoadedSeries | null;
  /** Warnings of the PET/CT choice (`pickPetCt`). */
  readonly pickWarnings: readonly string[];
  readonly tumor: VoiSpec;
  readonly reference: VoiSpec;
  readonly window?: string;
  readonly overrides?: SuvOverrides;
  readonly onProgress?: (fraction: number, label?: string) => void;
}

/** The VOI-independent part of `PreparedQuantify`: SUV factor, static image and its scale. */
export type PreparedImage = Omit<PreparedQuantify, "input" | "maskPaths">;

/** State between the two steps: the static PET image, its scale and the `mask:` paths to load. */
export interface PreparedQuantify {
  readonly input: QuantifySeriesInput;
  readonly warnings: readonly string[];
  readonly suv: SuvResult | null;
  readonly volume: Volume;
  readonly frames: string;
  readonly uptakeStartS: number | null;
  readonly uptakeEndS: number | null;
  readonly injectionMs: number | null;
  readonly scale: ValueScale;
  /** Paths of `mask:PATH` specs, in spec order (tumour first); load them for `completeQuantify`. */
  readonly maskPaths: readonly string[];
}

/**
 * Step 1 on loaded series: SUV factor (flags win over headers), the static image (a dynamic PET's
 * summed window) and its value scale. Pure computation; no files are read.
 */
export function prepareQuantify(input: QuantifySeriesInput): PreparedQuantify {
  return withVois(prepareImage(input), input);
}

/** `PreparedQuantify` for the VOIs of `input` on an image prepared (and possibly cached) before. */
export function withVois(image: PreparedImage, input: QuantifySeriesInput): PreparedQuantify {
  return {
    input,
    ...image,
    maskPaths: [...voiMaskPaths(input.tumor), ...voiMaskPaths(input.reference)],
  };
}

/**
 * The VOI-independent part of step 1 (SUV factor, summed window, value scale): depends only on the
 * PET, the window and the overrides, so a server may compute it once per loaded study and window.
 */
export function prepareImage(input: Omit<QuantifySeriesInput, "tumor" | "reference" | "ct">): PreparedImage {
  const progress = input.onProgress ?? (() => {});
  const warnings: string[] = [];
  const pet = input.pet;
  warnings.push(...input.pickWarnings, ...pet.warnings);
  progress(0.55, "SUV factors");

  // SUV factor (flags win over headers); T/M does not need it, so a missing input is a warning.
  let suv: SuvResult | null = null;
  try {
    suv = computeSuvScaleFactors(suvInstances(pet), input.overrides ?? {});
    warnings.push(...suv.warnings);
  } catch (e) {
    if (!isAtsmError(e) || e.code !== "MISSING_INPUT") throw e;
    warnings.push(`SUV not computed (${e.message}${e.hint ? `; ${e.hint}` : ""}); T/M ratios do not need it`);
  }
  const first = pet.petInstances[0];
  const injectionMs =
    suv?.injectionTimeMs ??
    input.overrides?.injectionTimeMs ??
    first?.RadiopharmaceuticalStartDateTimeMs ??
    null;
  const halfLifeS = suv?.halfLifeS ?? input.overrides?.halfLifeS ?? first?.RadionuclideHalfLife ?? null;

  // Static image: the PET itself, or the summed uptake window of a dynamic PET.
  let volume = pet.volume;
  let frames = "static";
  let uptakeStartS: number | null = null;
  let uptakeEndS: number | null = null;
  if (suv?.decayTimeS !== null && suv?.decayTimeS !== undefined) {
    uptakeStartS = suv.decayTimeS;
    const durMs = first?.ActualFrameDuration;
    uptakeEndS = durMs ? suv.decayTimeS + durMs / 1000 : null;
  }
  if (pet.dynamic !== null) {
    if (input.window === undefined) {
      throw new AtsmError({
        code: "MISSING_INPUT",
        message: `the PET is dynamic (${pet.dynamic.frameStartS.length} frames); choose the frames to sum`,
        field: "--window",
        hint: "pass --window START-END after injection, e.g. --window 30m-60m (WashU 60Cu-ATSM convention)",
      });
    }
    if (halfLifeS === null) {
      throw new AtsmError({
        code: "MISSING_INPUT",
        message: "summing dynamic frames needs the nuclide half-life",
        field: "RadionuclideHalfLife",
        hint: "pass --nuclide Cu-64 (or --half-life)",
      });
    }
    const w = parseWindow(input.window);
    // Frame starts are on the study's own axis; shift by the injection time when both are known.
    let offsetS = 0;
    const epochs = pet.frameStartEpochMs;
    if (epochs && epochs.length > 0 && injectionMs !== null) {
      offsetS = (injectionMs - epochs[0]!) / 1000 + pet.dynamic.frameStartS[0]!;
    } else {
      warnings.push("frame times are taken as seconds after injection (no injection/frame date-times found)");
    }
    const summed = sumFrameWindow(pet.dynamic, {
      startS: w.startS + offsetS,
      endS: w.endS + offsetS,
      halfLifeS,
    });
    warnings.push(...summed.warnings);
    volume = summed.volume;
    uptakeStartS = summed.spanStartS - offsetS;
    uptakeEndS = summed.spanEndS - offsetS;
    frames = `frames ${summed.frames[0]! + 1}-${summed.frames[summed.frames.length - 1]! + 1} summed, ${(uptakeStartS / 60).toFixed(1)}-${(uptakeEndS / 60).toFixed(1)} min p.i.`;
  } else if (input.window !== undefined) {
    warnings.push("--window ignored: the PET is static");
  }

  // Scale native values to SUV / Bq/mL.
  const u = volume.unit;
  // (CNTS: the SUV factor applies per stored count; Bq/mL stays unknown.)
  const scale: ValueScale = isSuvUnit(u)
    ? { toSuv: 1, toBqPerMl: null }
    : { toSuv: suv?.suvBwScaleFactor ?? null, toBqPerMl: isBqPerMlUnit(u) ? 1 : null };
  return { warnings, suv, volume, frames, uptakeStartS, uptakeEndS, injectionMs, scale };
}

/**
 * Step 2: VOIs → metrics → T/M → hypoxic volume → prognosis, with the `mask:` label maps loaded
 * (keyed by path as written). `images: false` skips the SUV display copy of the PET and builds the
 * label map only when `images.mask` is read (live metrics: work proportional to the VOIs).
 * `rasterCache` keeps geometric VOI rasters between calls on the same PET grid (see quantifyHypoxia).
 */
export function completeQuantify(
  prep: PreparedQuantify,
  masks: ReadonlyMap<string, Mask>,
  opts: {
    cutoff?: string;
    binWidthTm?: number;
    images?: boolean;
    rasterCache?: VoiRasterCache;
    onProgress?: (fraction: number, label?: string) => void;
  } = {},
): { result: QuantifyResult; images: QuantifyImages } {
  const progress = opts.onProgress ?? (() => {});
  const { input, suv, volume, scale, uptakeStartS, uptakeEndS, injectionMs } = prep;
  const pet = input.pet;
  const ctSeries = input.ct;
  const warnings = [...prep.warnings];
  const first = pet.petInstances[0];
  const u = volume.unit;
  progress(0.6, "VOIs and metrics");
  const nuclide = suv?.nuclide ?? input.overrides?.nuclide ?? first?.RadionuclideCodeMeaning ?? null;
  const q = quantifyHypoxia({
    volume,
    tumor: input.tumor,
    reference: input.reference,
    scale,
    masks,
    ...(opts.rasterCache !== undefined ? { rasterCache: opts.rasterCache } : {}),
    ...(opts.cutoff !== undefined ? { cutoff: opts.cutoff } : {}),
    ...(opts.binWidthTm !== undefined ? { histogramBinWidthTm: opts.binWidthTm } : {}),
    scan: {
      ...(nuclide !== null ? { nuclide } : {}),
      ...(uptakeStartS !== null && uptakeEndS !== null
        ? { windowStartS: uptakeStartS, windowEndS: uptakeEndS }
        : {}),
    },
  });
  warnings.push(...q.warnings);
  progress(0.9, "summary");

  const overlap = overlapCount(q.tumorVoi, q.referenceVoi);
  if (overlap > 0) warnings.push(`tumour and reference VOIs overlap in ${overlap} voxels`);
  const study: StudySummary = {
    source: pet.source,
    format: pet.format,
    petSeries: pet.seriesDescription,
    ctSeries: ctSeries?.seriesDescription ?? null,
    dims: volume.dims,
    spacingMm: volume.spacingMm,
    unit: volume.unit,
    radiopharmaceutical: first?.Radiopharmaceutical ?? null,
    nuclide,
    injectedActivityBq:
      suv?.injectedDoseBq ?? input.overrides?.injectedDoseBq ?? first?.RadionuclideTotalDose ?? null,
    injectionTime: iso(injectionMs),
    scanTime: iso(suv?.scanTimeMs ?? null),
    uptakeStartMin: uptakeStartS === null ? null : uptakeStartS / 60,
    uptakeEndMin: uptakeEndS === null ? null : uptakeEndS / 60,
    weightKg: suv?.weightKg ?? input.overrides?.weightKg ?? first?.PatientWeight ?? null,
    suvPerNativeUnit: scale.toSuv,
    frames: prep.frames,
  };
  const h = q.hypoxia.histogram;
  const result: QuantifyResult = {
    study,
    tumor: summarise(q.tumor, "tumour", TUMOR_LABEL),
    reference: summarise(q.reference, "reference", REFERENCE_LABEL),
    tmrMax: q.tmrMax,
    tmrMean: q.tmrMean,
    tmrPeak: q.tmrPeak,
    referenceStatistic: "mean",
    hypoxicCutoffTm: q.hypoxia.cutoffTm,
    hypoxicVolumeMl: q.hypoxicVolumeMl,
    hypoxicFraction: q.hypoxicFraction,
    prognosis: q.prognosis,
    histogram: {
      binEdgesTm: Array.from(h.binEdgesTm),
      volumeMl: Array.from(h.volumeMl),
      fractionAtLeast: Array.from(h.fractionAtLeast),
    },
    warnings: [...new Set(warnings)],
  };
  const wantDisplay = opts.images !== false && scale.toSuv !== null && !isSuvUnit(u);
  const display = wantDisplay ? scaled(volume, scale.toSuv!, "SUVbw") : volume;
  const { tumorVoi, referenceVoi } = q;
  let mask: Mask | null = opts.images === false ? null : combinedMask(tumorVoi, referenceVoi);
  const images: QuantifyImages = {
    pet: display,
    ct: ctSeries?.volume ?? null,
    get mask(): Mask {
      mask ??= combinedMask(tumorVoi, referenceVoi);
      return mask;
    },
    petSource: pet.format === "dicom" ? pet.source : null,
    petSeriesUid: pet.seriesInstanceUid,
  };
  progress(1, "done");
  return { result, images };
}

/** Hottest tumour voxel, the point the report's slices go through. */
export function tumourFocusMm(result: QuantifyResult): Vec3 {
  return result.tumor.maxVoxelMm;
}
