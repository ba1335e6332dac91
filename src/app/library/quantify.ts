/**
 * Live metrics on a loaded (cached) study: the same computation as `atsm quantify`
 * (app/quantify/run.ts `prepareQuantify` + `completeQuantify`) on the same series, without
 * reading the study again. `mask:blob:<sha256>[:label]` specs resolve to label maps in the blob
 * store (NIfTI or DICOM SEG), decoded once per study and kept with it.
 *
 * The result is identical to `quantifyStudy` on the study's files except `study.source`, which is
 * `series/<seriesId>` here (a server path would mean nothing to the client).
 *
 * Per-request work is proportional to the VOIs, not to the volume: the request-independent part
 * (SUV factor, a dynamic PET's summed window, value scale: `prepareImage`) is memoised per loaded
 * study and (window, overrides), geometric VOI rasters (sphere, box, stored mask) per loaded study
 * and spec, and the label map of the two VOIs is only built when images are asked for. Memos live
 * in WeakMaps keyed by the loaded study, so they go when the StudyCache drops it.
 */
import { readFileSync } from "node:fs";
import { AtsmError } from "../../core/errors.js";
import type { Mask } from "../../core/types.js";
import { hasDicomMagic } from "../../io/dicom/parse.js";
import { readDicomSeg } from "../../io/dicom/seg.js";
import { decodeNifti } from "../../io/nifti/index.js";
import type { VoiRaster } from "../../quant/voi/raster.js";
import { parseVoiSpec } from "../../quant/voi/spec.js";
import { volumeToMask } from "../quantify/load.js";
import { completeQuantify, type PreparedImage, prepareImage, withVois } from "../quantify/run.js";
import type { QuantifyImages, QuantifyResult } from "../quantify/types.js";
import { checkSha256 } from "./blobs.js";
import type { LoadedStudy, QuantifyLoadedRequest } from "./types.js";

/** Decoded blob masks per loaded study (dropped with the study). */
const maskCache = new WeakMap<LoadedStudy, Map<string, Mask>>();

/** Small least-recently-used map (insertion order = recency). */
class Lru<V> {
  private readonly map = new Map<string, V>();
  constructor(private readonly max: number) {}
  get(key: string): V | undefined {
    const v = this.map.get(key);
    if (v !== undefined) {
      this.map.delete(key);
      this.map.set(key, v);
    }
    return v;
  }
  set(key: string, v: V): void {
    this.map.delete(key);
    this.map.set(key, v);
    for (const k of this.map.keys()) {
      if (this.map.size <= this.max) break;
      this.map.delete(k);
    }
  }
}

/** Prepared images per (window, overrides): a dynamic PET's summed window is volume-sized. */
export const MAX_PREPARED_PER_STUDY = 4;
/** Geometric VOI rasters per study (each the size of its VOI's bounding box). */
export const MAX_RASTERS_PER_STUDY = 64;

interface StudyMemo {
  readonly prepared: Lru<PreparedImage>;
  readonly rasters: Lru<VoiRaster>;
}
const memos = new WeakMap<LoadedStudy, StudyMemo>();

function memoOf(study: LoadedStudy): StudyMemo {
  let m = memos.get(study);
  if (m === undefined) {
    m = { prepared: new Lru(MAX_PREPARED_PER_STUDY), rasters: new Lru(MAX_RASTERS_PER_STUDY) };
    memos.set(study, m);
  }
  return m;
}

/** The study's prepared image for this window and these overrides (computed once). */
function preparedImage(study: LoadedStudy, req: QuantifyLoadedRequest): PreparedImage {
  const memo = memoOf(study).prepared;
  const key = JSON.stringify([req.window ?? null, req.overrides ?? null]);
  const hit = memo.get(key);
  if (hit !== undefined) return hit;
  const image = prepareImage({
    pet: study.pet.loaded,
    pickWarnings: study.pickWarnings,
    ...(req.window !== undefined ? { window: req.window } : {}),
    ...(req.overrides !== undefined ? { overrides: req.overrides } : {}),
  });
  memo.set(key, image);
  return image;
}

const BLOB_PREFIX = "blob:";

/** The label map behind a `mask:blob:<sha>` path (decoded once per study). */
function blobMask(study: LoadedStudy, path: string): Mask {
  if (!path.startsWith(BLOB_PREFIX)) {
    throw new AtsmError({
      code: "INVALID_ARGUMENT",
      message: "mask VOIs on the server must name a stored mask",
      value: `mask:${path}`,
      field: "spec",
      hint: "use mask:blob:<sha256>[:label] (a saved VOI), sphere:, box:, threshold: or grow:",
    });
  }
  const sha = checkSha256(path.slice(BLOB_PREFIX.length));
  let cache = maskCache.get(study);
  if (cache === undefined) {
    cache = new Map();
    maskCache.set(study, cache);
  }
  const hit = cache.get(sha);
  if (hit !== undefined) return hit;
  let bytes: Uint8Array;
  try {
    bytes = new Uint8Array(readFileSync(study.blobs.path(sha)));
  } catch {
    throw new AtsmError({
      code: "NOT_FOUND",
      message: "stored mask not found",
      value: sha,
      field: "spec",
      hint: "save the VOI again",
    });
  }
  const mask = hasDicomMagic(bytes)
    ? readDicomSeg(bytes, `mask ${sha.slice(0, 12)}`)
    : volumeToMask(decodeNifti(bytes, `mask ${sha.slice(0, 12)}`).volume, `mask ${sha.slice(0, 12)}`);
  cache.set(sha, mask);
  return mask;
}

function run(
  study: LoadedStudy,
  req: QuantifyLoadedRequest,
  images: boolean,
): { result: QuantifyResult; images: QuantifyImages } {
  const tumor = parseVoiSpec(req.tumour);
  const reference = parseVoiSpec(req.reference);
  const prepared = withVois(preparedImage(study, req), {
    pet: study.pet.loaded,
    ct: study.ct?.loaded ?? null,
    pickWarnings: study.pickWarnings,
    tumor,
    reference,
    ...(req.window !== undefined ? { window: req.window } : {}),
    ...(req.overrides !== undefined ? { overrides: req.overrides } : {}),
  });
  const masks = new Map<string, Mask>();
  for (const p of prepared.maskPaths) if (!masks.has(p)) masks.set(p, blobMask(study, p));
  const out = completeQuantify(prepared, masks, {
    ...(req.cutoff !== undefined ? { cutoff: req.cutoff } : {}),
    images,
    rasterCache: memoOf(study).rasters,
  });
  return {
    result: { ...out.result, study: { ...out.result.study, source: `series/${study.pet.row.id}` } },
    images: out.images,
  };
}

/** Metrics for the VOI specs on a loaded study (synchronous; milliseconds for sphere VOIs). */
export function quantifyLoaded(study: LoadedStudy, req: QuantifyLoadedRequest): QuantifyResult {
  return run(study, req, false).result;
}

/** As `quantifyLoaded`, plus the images (PET in SUV when known, CT, label map) for reports/SEG. */
export function quantifyLoadedWithImages(
  study: LoadedStudy,
  req: QuantifyLoadedRequest,
): { result: QuantifyResult; images: QuantifyImages } {
  return run(study, req, true);
}
