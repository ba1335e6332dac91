/**
 * NIfTI-1/-2 reading and writing (`.nii`, `.nii.gz`, `.hdr`+`.img` pairs) with BIDS-PET sidecars.
 * Conventions, affine rules and validation limits: docs/formats-nifti.md.
 */

import { basename } from "node:path";
import zlib from "node:zlib";
import { AtsmError } from "../../core/errors.js";
import type { DynamicVolume, Mask, Volume } from "../../core/types.js";
import type { LoadedSeries, SeriesModality } from "../types.js";
import { applyBidsSidecar, buildBidsSidecar, sidecarPathFor } from "./bids.js";
import { type DecodedNifti, type DecodeOptions, decodeNifti, decodeNiftiPair } from "./decode.js";
import { encodeNifti, encodeNiftiLabelMap } from "./encode.js";
import { isFile, readFileBytes, readTextFile, writeFileBytes } from "./files.js";

export { bestAffine, gridToRasAffine, ORTHO_COS_TOL, rasAffineToGrid } from "./affine.js";
export { applyBidsSidecar, buildBidsSidecar, sidecarPathFor } from "./bids.js";
export {
  type DecodedNifti,
  type DecodeOptions,
  decodeNifti,
  decodeNiftiPair,
  GZIP_TRAILING_SLACK_BYTES,
  MAX_VOXELS,
} from "./decode.js";
export { type EncodeOptions, encodeNifti, encodeNiftiLabelMap } from "./encode.js";

const MODALITIES: readonly SeriesModality[] = ["PT", "CT", "MR", "SEG", "NM", "OT"];

function asModality(m: string | null): SeriesModality | null {
  return m !== null && (MODALITIES as readonly string[]).includes(m) ? (m as SeriesModality) : null;
}

async function decodePath(path: string, opts: DecodeOptions): Promise<DecodedNifti> {
  const lower = path.toLowerCase();
  const isHdr = /\.hdr(\.gz)?$/.test(lower);
  const isImg = /\.img(\.gz)?$/.test(lower);
  if (!isHdr && !isImg) return decodeNifti(await readFileBytes(path), path, opts);
  const stem = path.replace(/\.(hdr|img)(\.gz)?$/i, "");
  const find = async (exts: string[]): Promise<string | null> => {
    for (const e of exts) if (await isFile(stem + e)) return stem + e;
    return null;
  };
  const hdrPath = isHdr ? path : await find([".hdr", ".hdr.gz", ".HDR"]);
  if (hdrPath === null) {
    throw new AtsmError({
      code: "NOT_FOUND",
      message: "no .hdr header next to the .img file",
      file: path,
      hint: "keep the .hdr and .img of a NIfTI/Analyze pair in the same folder with the same name; a Siemens Inveon/microPET image needs its text header x.img.hdr beside x.img",
    });
  }
  const hdrBytes = await readFileBytes(hdrPath, 64 * 1024 * 1024);
  const imgPath = isImg ? path : await find([".img", ".img.gz", ".IMG"]);
  if (imgPath === null) {
    // A .hdr with "n+1" magic holds its data itself.
    return decodeNifti(hdrBytes, hdrPath, opts);
  }
  return decodeNiftiPair(hdrBytes, await readFileBytes(imgPath), { hdr: hdrPath, img: imgPath }, opts);
}

/** Read and parse a JSON sidecar; null when there is none. */
async function readSidecar(path: string): Promise<Record<string, unknown> | null> {
  const p = sidecarPathFor(path);
  if (p === path || !(await isFile(p))) return null;
  const text = await readTextFile(p);
  let obj: unknown;
  try {
    obj = JSON.parse(text);
  } catch (e) {
    throw new AtsmError({
      code: "PARSE_ERROR",
      message: `BIDS sidecar is not valid JSON: ${(e as Error).message}`,
      file: p,
      hint: "fix the JSON syntax (e.g. check with `python3 -m json.tool`)",
      cause: e,
    });
  }
  if (typeof obj !== "object" || obj === null || Array.isArray(obj)) {
    throw new AtsmError({
      code: "PARSE_ERROR",
      message: "BIDS sidecar must be a JSON object",
      file: p,
      hint: "the sidecar holds { key: value } pairs",
    });
  }
  return obj as Record<string, unknown>;
}

/**
 * Read a NIfTI image (`.nii`, `.nii.gz`, or a `.hdr`/`.img` pair) and its BIDS-PET sidecar
 * (`<same name>.json`) when present. Returns one series.
 */
export async function readNifti(path: string, opts: DecodeOptions = {}): Promise<LoadedSeries[]> {
  const d = await decodePath(path, opts);
  const side = await readSidecar(path);
  const name = basename(path).replace(/\.(nii|hdr|img)(\.gz)?$/i, "");
  if (side === null) {
    return [
      {
        source: path,
        format: "nifti",
        modality: asModality(d.modality) ?? "OT",
        seriesInstanceUid: null,
        seriesDescription: d.description.trim() || name,
        volume: d.volume,
        dynamic: d.dynamic,
        petInstances: [],
        frameStartEpochMs: null,
        warnings: d.warnings,
      },
    ];
  }
  const s = applyBidsSidecar(d.volume, d.dynamic, side, sidecarPathFor(path));
  return [
    {
      source: path,
      format: "nifti",
      modality: asModality(s.modality) ?? asModality(d.modality) ?? "OT",
      seriesInstanceUid: null,
      seriesDescription: s.seriesDescription ?? (d.description.trim() || name),
      volume: s.volume,
      dynamic: s.dynamic,
      petInstances: s.petInstances,
      frameStartEpochMs: s.frameStartEpochMs,
      warnings: [
        ...(side.FrameTimesStart !== undefined
          ? d.warnings.filter((w) => !/^(frame timing from pixdim|4-D NIfTI without frame timing)/.test(w))
          : d.warnings),
        ...s.warnings,
      ],
    },
  ];
}

function checkOutPath(path: string): boolean {
  const lower = path.toLowerCase();
  if (!lower.endsWith(".nii") && !lower.endsWith(".nii.gz")) {
    throw new AtsmError({
      code: "INVALID_ARGUMENT",
      message: "NIfTI output name must end in .nii or .nii.gz",
      value: path,
      field: "output path",
      hint: "name the output e.g. result.nii.gz",
    });
  }
  return lower.endsWith(".gz");
}

/**
 * Write a volume (3-D) or dynamic volume (4-D) as NIfTI-1 float32 (gzipped when the name ends
 * in .gz). A BIDS-PET sidecar `<name>.json` is written for a dynamic volume (frame timing, decay
 * state, Units) and whenever `bidsSidecar` is given (its keys are added).
 */
export async function writeNifti(
  path: string,
  vol: Volume | DynamicVolume,
  opts: { description?: string; bidsSidecar?: Record<string, unknown>; modality?: string } = {},
): Promise<void> {
  const gz = checkOutPath(path);
  const raw = encodeNifti(vol, {
    ...(opts.description !== undefined ? { description: opts.description } : {}),
    ...(opts.modality !== undefined ? { modality: opts.modality } : {}),
  });
  await writeFileBytes(path, gz ? zlib.gzipSync(raw, { level: 6 }) : raw);
  if ("frameStartS" in vol || opts.bidsSidecar !== undefined) {
    const side = buildBidsSidecar(vol, opts.bidsSidecar);
    await writeFileBytes(sidecarPathFor(path), `${JSON.stringify(side, null, 2)}\n`);
  }
}

/** Write a label mask as a NIfTI-1 uint8 label map (values = labels, 0 = background). */
export async function writeNiftiLabelMap(path: string, mask: Mask, description = "label map"): Promise<void> {
  const gz = checkOutPath(path);
  const raw = encodeNiftiLabelMap(mask, description);
  await writeFileBytes(path, gz ? zlib.gzipSync(raw, { level: 6 }) : raw);
}
