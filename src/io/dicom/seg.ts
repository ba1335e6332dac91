/**
 * DICOM Segmentation (SEG) writer for VOI label masks (PS3.3 A.51 Segmentation IOD, binary
 * segmentation type, Explicit VR Little Endian). One frame per (segment, slice) that holds any
 * voxel of the segment; frames carry Plane Position/Orientation, Segment Identification and,
 * when the source PET instances are known, a Derivation Image reference to the source slice.
 * The output passes dicom3tools `dciodvfy` without errors (tested when it is installed).
 */
import { readFileSync, statSync } from "node:fs";
import dicomParser from "dicom-parser";
import { AtsmError } from "../../core/errors.js";
import { voxelToWorld, worldToVoxel } from "../../core/geometry.js";
import type { Mask } from "../../core/types.js";
import { concat, IMPLEMENTATION_CLASS_UID } from "./encode.js";
import { listFiles } from "./read.js";
import { newUid } from "./uid.js";

export { newUid };

/** Segmentation Storage SOP Class (PS3.4 B.5). */
export const SEG_SOP_CLASS_UID = "1.2.840.10008.5.1.4.1.1.66.4";
const EXPLICIT_VR_LE = "1.2.840.10008.1.2.1";

/** A coded concept (CodeValue, CodingSchemeDesignator, CodeMeaning). */
export interface CodedConcept {
  readonly value: string;
  readonly scheme: string;
  readonly meaning: string;
}

/** SNOMED CT codes for the two VOIs of a T/M read-out (DICOM CID 7150/7151/7166). */
export const SEG_CODES = {
  morphologicallyAltered: { value: "49755003", scheme: "SCT", meaning: "Morphologically Altered Structure" },
  neoplasm: { value: "108369006", scheme: "SCT", meaning: "Neoplasm" },
  tissue: { value: "85756007", scheme: "SCT", meaning: "Tissue" },
  muscle: { value: "71616004", scheme: "SCT", meaning: "Skeletal and/or smooth muscle structure" },
} as const satisfies Record<string, CodedConcept>;

export interface SegSegmentSpec {
  /** Label value in the mask (1..255). */
  readonly label: number;
  readonly name: string;
  readonly category: CodedConcept;
  readonly type: CodedConcept;
  /** How the VOI was made (default "SEMIAUTOMATIC"). */
  readonly algorithmType?: "MANUAL" | "SEMIAUTOMATIC" | "AUTOMATIC";
  /** Short description of the algorithm, e.g. the VOI spec "sphere:0,0,0,15". */
  readonly algorithmName?: string;
}

/** What the SEG points back to: the source PET study/series and, per slice k, its instance. */
export interface SegSourceInfo {
  readonly studyInstanceUid?: string;
  readonly seriesInstanceUid?: string;
  readonly frameOfReferenceUid?: string;
  readonly patientName?: string;
  readonly patientId?: string;
  readonly patientBirthDate?: string;
  readonly patientSex?: string;
  readonly studyDate?: string;
  readonly studyTime?: string;
  readonly studyId?: string;
  readonly accessionNumber?: string;
  /** Source instance of each slice k of the mask grid (null where unknown). */
  readonly sliceInstances?: readonly ({ sopClassUid: string; sopInstanceUid: string } | null)[];
}

export interface WriteSegOptions {
  readonly segments: readonly SegSegmentSpec[];
  readonly source?: SegSourceInfo;
  readonly seriesDescription?: string;
  readonly seriesNumber?: number;
  /** Content date-time (default: now). */
  readonly date?: Date;
  /** UID generator (default: 2.25.<random 128-bit>); pass a fixed one for reproducible files. */
  readonly uid?: () => string;
  readonly softwareVersion?: string;
}

// ---------------------------------------------------------------- minimal DICOM encoder
// A nested-map encoder (not ./encode.ts's element list) because SEG needs the AT VR
// (DimensionIndexPointer, FunctionalGroupPointer), which ./encode.ts does not write.
type Value = string | readonly string[] | readonly number[] | Uint8Array | readonly Item[];
/** One dataset: tag (group<<16 | element) → [VR, value]. */
type Item = Map<number, readonly [string, Value]>;

const LONG_VRS = new Set(["OB", "OD", "OF", "OL", "OW", "SQ", "UC", "UR", "UT", "UN"]);
const te = new TextEncoder();

function t(group: number, element: number): number {
  return ((group << 16) | element) >>> 0;
}

/** DS string of at most 16 characters. */
export function formatDs(v: number): string {
  if (!Number.isFinite(v))
    throw new AtsmError({ code: "NUMERIC", message: "DICOM DS value is not finite", value: v });
  const r = Math.abs(v) < 1e-10 ? 0 : v;
  for (let p = 16; p >= 1; p--) {
    const s = String(Number(r.toPrecision(p)));
    if (s.length <= 16) return s;
  }
  return r.toExponential(8);
}

function encodeValue(vr: string, value: Value): Uint8Array {
  if (vr === "SQ") {
    const items = (value as readonly Item[]).map((it) => {
      const body = encodeItem(it);
      const h = new Uint8Array(8 + body.length);
      const dv = new DataView(h.buffer);
      dv.setUint16(0, 0xfffe, true);
      dv.setUint16(2, 0xe000, true);
      dv.setUint32(4, body.length, true);
      h.set(body, 8);
      return h;
    });
    return concat(items);
  }
  if (value instanceof Uint8Array) return value.length % 2 ? concat([value, new Uint8Array(1)]) : value;
  if (vr === "US" || vr === "UL" || vr === "FL" || vr === "FD" || vr === "AT" || vr === "SS") {
    const nums = value as readonly number[];
    const size = vr === "US" || vr === "SS" ? 2 : vr === "FD" ? 8 : 4;
    const out = new Uint8Array(nums.length * size);
    const dv = new DataView(out.buffer);
    nums.forEach((n, i) => {
      if (vr === "US") dv.setUint16(i * 2, n, true);
      else if (vr === "SS") dv.setInt16(i * 2, n, true);
      else if (vr === "UL") dv.setUint32(i * 4, n, true);
      else if (vr === "FL") dv.setFloat32(i * 4, n, true);
      else if (vr === "FD") dv.setFloat64(i * 8, n, true);
      else {
        dv.setUint16(i * 4, n >>> 16, true);
        dv.setUint16(i * 4 + 2, n & 0xffff, true);
      }
    });
    return out;
  }
  const s = typeof value === "string" ? value : (value as readonly string[]).join("\\");
  const bytes = te.encode(s);
  if (bytes.length % 2 === 0) return bytes;
  const padded = new Uint8Array(bytes.length + 1);
  padded.set(bytes);
  padded[bytes.length] = vr === "UI" || vr === "OB" ? 0 : 0x20;
  return padded;
}

function encodeElement(tag: number, vr: string, value: Value): Uint8Array {
  const body = encodeValue(vr, value);
  const long = LONG_VRS.has(vr);
  const head = new Uint8Array(long ? 12 : 8);
  const dv = new DataView(head.buffer);
  dv.setUint16(0, tag >>> 16, true);
  dv.setUint16(2, tag & 0xffff, true);
  head[4] = vr.charCodeAt(0);
  head[5] = vr.charCodeAt(1);
  if (long) dv.setUint32(8, body.length, true);
  else {
    if (body.length > 0xffff)
      throw new AtsmError({ code: "LIMIT_EXCEEDED", message: `DICOM ${vr} value too long` });
    dv.setUint16(6, body.length, true);
  }
  return concat([head, body]);
}

function encodeItem(item: Item): Uint8Array {
  const tags = [...item.keys()].sort((a, b) => a - b);
  return concat(tags.map((tag) => encodeElement(tag, item.get(tag)![0], item.get(tag)![1])));
}

function item(entries: readonly (readonly [number, string, Value])[]): Item {
  return new Map(entries.map(([tag, vr, v]) => [tag, [vr, v] as const]));
}

function code(c: CodedConcept): Item {
  return item([
    [t(0x0008, 0x0100), "SH", c.value],
    [t(0x0008, 0x0102), "SH", c.scheme],
    [t(0x0008, 0x0104), "LO", c.meaning],
  ]);
}

function dicomDate(d: Date): string {
  return d.toISOString().slice(0, 10).replace(/-/g, "");
}
function dicomTime(d: Date): string {
  return d.toISOString().slice(11, 19).replace(/:/g, "");
}

// ---------------------------------------------------------------- SEG
/**
 * Encode the labels of `mask` listed in `opts.segments` as a DICOM SEG Part-10 file.
 * Frames: for each segment (in the order given), each slice k (increasing) containing the label.
 * Pixel data: 1 bit per pixel, frames packed back to back without padding (PS3.5 8.1.1),
 * first pixel in the least significant bit.
 */
export function writeDicomSeg(mask: Mask, opts: WriteSegOptions): Uint8Array {
  const uid = opts.uid ?? newUid;
  const src = opts.source ?? {};
  const date = opts.date ?? new Date();
  const [nx, ny, nz] = mask.dims;
  const sliceN = nx * ny;
  if (opts.segments.length === 0) {
    throw new AtsmError({ code: "INVALID_ARGUMENT", message: "DICOM SEG needs at least one segment" });
  }
  const frames: { seg: number; k: number }[] = [];
  opts.segments.forEach((s, si) => {
    let any = false;
    for (let k = 0; k < nz; k++) {
      const slice = mask.data.subarray(k * sliceN, (k + 1) * sliceN);
      if (slice.includes(s.label)) {
        frames.push({ seg: si, k });
        any = true;
      }
    }
    if (!any) {
      throw new AtsmError({
        code: "EMPTY_VOI",
        message: `segment ${JSON.stringify(s.name)} (label ${s.label}) has no voxels`,
        hint: "check the VOI definition; an empty VOI cannot be written as a segment",
      });
    }
  });
  const pixels = new Uint8Array(Math.ceil((frames.length * sliceN) / 8));
  frames.forEach((f, fi) => {
    const label = opts.segments[f.seg]!.label;
    const base = f.k * sliceN;
    const bit0 = fi * sliceN;
    for (let p = 0; p < sliceN; p++) {
      if (mask.data[base + p] === label) {
        const b = bit0 + p;
        pixels[b >> 3] = pixels[b >> 3]! | (1 << (b & 7));
      }
    }
  });

  const d = mask.direction;
  const iop = [d[0]!, d[3]!, d[6]!, d[1]!, d[4]!, d[7]!].map(formatDs);
  const studyUid = src.studyInstanceUid ?? uid();
  const forUid = src.frameOfReferenceUid ?? uid();
  const seriesUid = uid();
  const sopUid = uid();
  const dimOrgUid = uid();
  const refs = src.sliceInstances ?? [];
  const usedRefs = new Map<string, string>();
  // Derivation Image is type 2 per frame once used: frames without a source get an empty one.
  const anyRef = frames.some((f) => refs[f.k] != null);
  const DERIV_SEG: CodedConcept = { value: "113076", scheme: "DCM", meaning: "Segmentation" };
  const PURPOSE_SRC: CodedConcept = {
    value: "121322",
    scheme: "DCM",
    meaning: "Source image for image processing operation",
  };

  const perFrame: Item[] = frames.map((f) => {
    const pos = voxelToWorld(mask, 0, 0, f.k).map(formatDs);
    const entries: [number, string, Value][] = [
      [t(0x0020, 0x9111), "SQ", [item([[t(0x0020, 0x9157), "UL", [f.seg + 1, f.k + 1]]])]],
      [t(0x0020, 0x9113), "SQ", [item([[t(0x0020, 0x0032), "DS", pos]])]],
      [t(0x0062, 0x000a), "SQ", [item([[t(0x0062, 0x000b), "US", [f.seg + 1]]])]],
    ];
    const ref = refs[f.k];
    if (!ref && anyRef) entries.push([t(0x0008, 0x9124), "SQ", []]);
    if (ref) {
      usedRefs.set(ref.sopInstanceUid, ref.sopClassUid);
      entries.push([
        t(0x0008, 0x9124),
        "SQ",
        [
          item([
            [
              t(0x0008, 0x2112),
              "SQ",
              [
                item([
                  [t(0x0008, 0x1150), "UI", ref.sopClassUid],
                  [t(0x0008, 0x1155), "UI", ref.sopInstanceUid],
                  [t(0x0040, 0xa170), "SQ", [code(PURPOSE_SRC)]],
                ]),
              ],
            ],
            [t(0x0008, 0x9215), "SQ", [code(DERIV_SEG)]],
          ]),
        ],
      ]);
    }
    return item(entries);
  });

  const shared = item([
    [
      t(0x0028, 0x9110),
      "SQ",
      [
        item([
          [t(0x0028, 0x0030), "DS", [formatDs(mask.spacingMm[1]), formatDs(mask.spacingMm[0])]],
          [t(0x0018, 0x0050), "DS", formatDs(mask.spacingMm[2])],
          [t(0x0018, 0x0088), "DS", formatDs(mask.spacingMm[2])],
        ]),
      ],
    ],
    [t(0x0020, 0x9116), "SQ", [item([[t(0x0020, 0x0037), "DS", iop]])]],
  ]);

  const segmentItems = opts.segments.map((s, si) => {
    const algType = s.algorithmType ?? "SEMIAUTOMATIC";
    const e: [number, string, Value][] = [
      [t(0x0062, 0x0003), "SQ", [code(s.category)]],
      [t(0x0062, 0x0004), "US", [si + 1]],
      [t(0x0062, 0x0005), "LO", s.name.slice(0, 64)],
      [t(0x0062, 0x0008), "CS", algType],
      [t(0x0062, 0x000f), "SQ", [code(s.type)]],
    ];
    if (algType !== "MANUAL")
      e.push([t(0x0062, 0x0009), "LO", (s.algorithmName ?? "ATSM Workbench VOI").slice(0, 64)]);
    return item(e);
  });

  const tag = (g: number, e: number) => (g << 16) | e;
  const dimIndex = (ptr: number, fg: number, label: string) =>
    item([
      [t(0x0020, 0x9164), "UI", dimOrgUid],
      [t(0x0020, 0x9165), "AT", [ptr]],
      [t(0x0020, 0x9167), "AT", [fg]],
      [t(0x0020, 0x9421), "LO", label],
    ]);

  const ds: [number, string, Value][] = [
    [t(0x0008, 0x0005), "CS", "ISO_IR 192"],
    [t(0x0008, 0x0008), "CS", ["DERIVED", "PRIMARY"]],
    [t(0x0008, 0x0016), "UI", SEG_SOP_CLASS_UID],
    [t(0x0008, 0x0018), "UI", sopUid],
    [t(0x0008, 0x0020), "DA", src.studyDate ?? dicomDate(date)],
    [t(0x0008, 0x0023), "DA", dicomDate(date)],
    [t(0x0008, 0x0030), "TM", src.studyTime ?? dicomTime(date)],
    [t(0x0008, 0x0033), "TM", dicomTime(date)],
    [t(0x0008, 0x0050), "SH", src.accessionNumber ?? ""],
    [t(0x0008, 0x0060), "CS", "SEG"],
    [t(0x0008, 0x0070), "LO", "ATSM Workbench"],
    [t(0x0008, 0x0090), "PN", ""],
    [t(0x0008, 0x103e), "LO", (opts.seriesDescription ?? "ATSM VOIs").slice(0, 64)],
    [t(0x0008, 0x1090), "LO", "atsm-workbench"],
    [t(0x0010, 0x0010), "PN", src.patientName ?? ""],
    [t(0x0010, 0x0020), "LO", src.patientId ?? "ANONYMOUS"],
    [t(0x0010, 0x0030), "DA", src.patientBirthDate ?? ""],
    [t(0x0010, 0x0040), "CS", src.patientSex ?? ""],
    [t(0x0018, 0x1000), "LO", "0"],
    [t(0x0018, 0x1020), "LO", opts.softwareVersion ?? "0.1.0"],
    [t(0x0020, 0x000d), "UI", studyUid],
    [t(0x0020, 0x000e), "UI", seriesUid],
    [t(0x0020, 0x0010), "SH", src.studyId ?? "1"],
    [t(0x0020, 0x0011), "IS", String(opts.seriesNumber ?? 900)],
    [t(0x0020, 0x0013), "IS", "1"],
    [t(0x0020, 0x0052), "UI", forUid],
    [t(0x0020, 0x1040), "LO", ""],
    [t(0x0020, 0x9221), "SQ", [item([[t(0x0020, 0x9164), "UI", dimOrgUid]])]],
    [
      t(0x0020, 0x9222),
      "SQ",
      [
        dimIndex(tag(0x0062, 0x000b), tag(0x0062, 0x000a), "Segment Number"),
        dimIndex(tag(0x0020, 0x0032), tag(0x0020, 0x9113), "Image Position Patient"),
      ],
    ],
    [t(0x0028, 0x0002), "US", [1]],
    [t(0x0028, 0x0004), "CS", "MONOCHROME2"],
    [t(0x0028, 0x0008), "IS", String(frames.length)],
    [t(0x0028, 0x0010), "US", [ny]],
    [t(0x0028, 0x0011), "US", [nx]],
    [t(0x0028, 0x0100), "US", [1]],
    [t(0x0028, 0x0101), "US", [1]],
    [t(0x0028, 0x0102), "US", [0]],
    [t(0x0028, 0x0103), "US", [0]],
    [t(0x0028, 0x2110), "CS", "00"],
    [t(0x0062, 0x0001), "CS", "BINARY"],
    [t(0x0062, 0x0002), "SQ", segmentItems],
    [t(0x0070, 0x0080), "CS", "VOI"],
    [t(0x0070, 0x0081), "LO", "VOIs of the ATSM Workbench quantification"],
    [t(0x0070, 0x0084), "PN", ""],
    [t(0x5200, 0x9229), "SQ", [shared]],
    [t(0x5200, 0x9230), "SQ", perFrame],
    [t(0x7fe0, 0x0010), "OB", pixels],
  ];
  if (usedRefs.size > 0 && src.seriesInstanceUid) {
    const inst = [...usedRefs].map(([iuid, cuid]) =>
      item([
        [t(0x0008, 0x1150), "UI", cuid],
        [t(0x0008, 0x1155), "UI", iuid],
      ]),
    );
    ds.push([
      t(0x0008, 0x1115),
      "SQ",
      [
        item([
          [t(0x0008, 0x114a), "SQ", inst],
          [t(0x0020, 0x000e), "UI", src.seriesInstanceUid],
        ]),
      ],
    ]);
  }
  const body = encodeItem(item(ds));
  const metaBody = encodeItem(
    item([
      [t(0x0002, 0x0001), "OB", Uint8Array.of(0, 1)],
      [t(0x0002, 0x0002), "UI", SEG_SOP_CLASS_UID],
      [t(0x0002, 0x0003), "UI", sopUid],
      [t(0x0002, 0x0010), "UI", EXPLICIT_VR_LE],
      [t(0x0002, 0x0012), "UI", IMPLEMENTATION_CLASS_UID],
      [t(0x0002, 0x0013), "SH", "ATSM_WB_0_1"],
    ]),
  );
  const groupLen = encodeElement(t(0x0002, 0x0000), "UL", [metaBody.length]);
  const preamble = new Uint8Array(132);
  preamble.set(te.encode("DICM"), 128);
  return concat([preamble, groupLen, metaBody, body]);
}

// ---------------------------------------------------------------- source references
/**
 * Study/patient identifiers and per-slice instances of the source DICOM series, for the SEG's
 * references: reads the headers of the files under `source` (a folder or one file) whose
 * SeriesInstanceUID is `seriesUid`, and maps each single-frame instance to the slice k of `grid`
 * its ImagePositionPatient falls on. Unreadable files are skipped; returns {} when nothing matches.
 */
export function segSourceFromDicom(
  source: string,
  seriesUid: string | null,
  grid: Pick<Mask, "dims" | "spacingMm" | "originMm" | "direction">,
): SegSourceInfo {
  let files: string[];
  try {
    files = statSync(source).isDirectory() ? listFiles(source) : [source];
  } catch {
    return {};
  }
  const slices: ({ sopClassUid: string; sopInstanceUid: string } | null)[] = new Array(grid.dims[2]).fill(
    null,
  );
  let info: Record<string, string | undefined> | null = null;
  for (const f of files) {
    let ds: ReturnType<typeof dicomParser.parseDicom>;
    try {
      ds = dicomParser.parseDicom(new Uint8Array(readFileSync(f)), { untilTag: "x7fe00010" });
    } catch {
      continue;
    }
    if (seriesUid !== null && ds.string("x0020000e") !== seriesUid) continue;
    info ??= {
      studyInstanceUid: ds.string("x0020000d"),
      seriesInstanceUid: ds.string("x0020000e"),
      frameOfReferenceUid: ds.string("x00200052"),
      patientName: ds.string("x00100010"),
      patientId: ds.string("x00100020"),
      patientBirthDate: ds.string("x00100030"),
      patientSex: ds.string("x00100040"),
      studyDate: ds.string("x00080020"),
      studyTime: ds.string("x00080030"),
      studyId: ds.string("x00200010"),
      accessionNumber: ds.string("x00080050"),
    };
    const frames = Number(ds.string("x00280008") ?? "1");
    const ipp = ds.string("x00200032")?.split("\\").map(Number);
    const cls = ds.string("x00080016");
    const inst = ds.string("x00080018");
    if (frames > 1 || !ipp || ipp.length !== 3 || !cls || !inst) continue;
    const v = worldToVoxel(grid, ipp[0]!, ipp[1]!, ipp[2]!);
    const k = Math.round(v[2]!);
    if (Math.abs(v[2]! - k) < 0.05 && k >= 0 && k < grid.dims[2])
      slices[k] = { sopClassUid: cls, sopInstanceUid: inst };
  }
  if (info === null) return {};
  const out: Record<string, unknown> = {};
  for (const [key, val] of Object.entries(info)) if (val !== undefined && val !== "") out[key] = val;
  if (slices.some((s) => s !== null)) out.sliceInstances = slices;
  return out as SegSourceInfo;
}

// ---------------------------------------------------------------- reader
/**
 * Read a binary DICOM SEG (ours or another tool's) as a label Mask: label = segment number, on the
 * grid spanned by its frames (in-plane geometry from the Plane Orientation / Pixel Measures
 * functional groups, slices ordered along the normal row × column). Frames of several segments on
 * one slice are merged; where segments overlap the higher segment number wins.
 * Throws UNSUPPORTED for FRACTIONAL segmentations, PARSE_ERROR for malformed files.
 */
export function readDicomSeg(bytes: Uint8Array, file: string): Mask {
  const bad = (
    message: string,
    hint = "re-export the segmentation as a binary DICOM SEG or a NIfTI label map",
  ): never => {
    throw new AtsmError({ code: "PARSE_ERROR", message: `DICOM SEG: ${message}`, file, hint });
  };
  let ds: ReturnType<typeof dicomParser.parseDicom>;
  try {
    ds = dicomParser.parseDicom(bytes);
  } catch (e) {
    return bad(`cannot parse: ${String((e as Error)?.message ?? e)}`);
  }
  if (ds.string("x00080016") !== SEG_SOP_CLASS_UID) bad("not a Segmentation Storage object (SOP class)");
  const type = ds.string("x00620001");
  if (type !== "BINARY") {
    throw new AtsmError({
      code: "UNSUPPORTED",
      message: `DICOM SEG type ${type ?? "?"} is not supported (only BINARY)`,
      file,
      hint: "export a binary segmentation, or a NIfTI label map",
    });
  }
  const rows = ds.uint16("x00280010") ?? 0;
  const cols = ds.uint16("x00280011") ?? 0;
  const nFrames = Number(ds.string("x00280008") ?? "1");
  if (!(rows > 0 && cols > 0 && Number.isInteger(nFrames) && nFrames > 0))
    bad("missing Rows/Columns/NumberOfFrames");
  if ((ds.uint16("x00280100") ?? 0) !== 1) bad("BitsAllocated must be 1 for a BINARY SEG");
  const px = ds.elements.x7fe00010;
  if (!px || px.length * 8 < rows * cols * nFrames)
    bad(`pixel data holds fewer than ${rows}×${cols}×${nFrames} bits`);
  const item = (d: typeof ds | undefined, tag: string) => d?.elements[tag]?.items?.[0]?.dataSet;
  const shared = item(ds, "x52009229");
  const perFrame = ds.elements.x52009230?.items ?? [];
  if (perFrame.length !== nFrames)
    bad(`${perFrame.length} per-frame functional groups for ${nFrames} frames`);
  const nums = (d: typeof ds | undefined, tag: string) => d?.string(tag)?.split("\\").map(Number);
  const fg = (f: typeof ds | undefined, seq: string, tag: string) =>
    nums(item(f, seq), tag) ?? nums(item(shared, seq), tag);
  const f0 = perFrame[0]?.dataSet;
  const iop = fg(f0, "x00209116", "x00200037");
  const spacing = fg(f0, "x00289110", "x00280030");
  if (iop?.length !== 6 || iop.some((v) => !Number.isFinite(v))) bad("missing ImageOrientationPatient");
  if (spacing?.length !== 2 || !spacing.every((v) => v > 0)) bad("missing PixelSpacing");
  const r = [iop![0]!, iop![1]!, iop![2]!];
  const c = [iop![3]!, iop![4]!, iop![5]!];
  const n = [r[1]! * c[2]! - r[2]! * c[1]!, r[2]! * c[0]! - r[0]! * c[2]!, r[0]! * c[1]! - r[1]! * c[0]!];
  const frames = perFrame.map((it, fi) => {
    const ipp = fg(it.dataSet, "x00209113", "x00200032");
    const seg =
      item(it.dataSet, "x0062000a")?.uint16("x0062000b") ?? item(shared, "x0062000a")?.uint16("x0062000b");
    if (ipp?.length !== 3 || ipp.some((v) => !Number.isFinite(v)))
      bad(`frame ${fi + 1} has no ImagePositionPatient`);
    if (seg === undefined || seg < 1 || seg > 255)
      bad(`frame ${fi + 1} has no valid ReferencedSegmentNumber`);
    return { ipp: ipp!, seg: seg!, d: ipp![0]! * n[0]! + ipp![1]! * n[1]! + ipp![2]! * n[2]! };
  });
  const ds0 = [...new Set(frames.map((f) => Math.round(f.d * 1000) / 1000))].sort((a, b) => a - b);
  let dz = Number(item(shared, "x00289110")?.string("x00180088") ?? Number.NaN);
  if (!(dz > 0)) {
    const gaps = ds0.slice(1).map((v, i) => v - ds0[i]!);
    dz = gaps.length > 0 ? Math.min(...gaps) : Number(item(shared, "x00289110")?.string("x00180050") ?? 1);
  }
  if (!(dz > 0)) dz = 1;
  const nz = Math.round((ds0[ds0.length - 1]! - ds0[0]!) / dz) + 1;
  if (nz * rows * cols > 2 ** 28) {
    throw new AtsmError({
      code: "LIMIT_EXCEEDED",
      message: "DICOM SEG grid too large",
      file,
      value: [cols, rows, nz],
    });
  }
  const first = frames.reduce((a, b) => (b.d < a.d ? b : a));
  const data = new Uint8Array(cols * rows * nz);
  const plane = rows * cols;
  const base = px!.dataOffset;
  frames.forEach((f, fi) => {
    const k = Math.round((f.d - first.d) / dz);
    const bit0 = fi * plane;
    const out = k * plane;
    for (let p = 0; p < plane; p++) {
      const b = bit0 + p;
      if ((bytes[base + (b >> 3)]! >> (b & 7)) & 1 && data[out + p]! < f.seg) data[out + p] = f.seg;
    }
  });
  const labels = new Map<number, string>();
  for (const s of ds.elements.x00620002?.items ?? []) {
    const num = s.dataSet?.uint16("x00620004");
    if (num !== undefined) labels.set(num, s.dataSet?.string("x00620005") ?? `segment ${num}`);
  }
  return {
    data,
    dims: [cols, rows, nz],
    spacingMm: [spacing![1]!, spacing![0]!, dz],
    originMm: [first.ipp[0]!, first.ipp[1]!, first.ipp[2]!],
    direction: new Float64Array([r[0]!, c[0]!, n[0]!, r[1]!, c[1]!, n[1]!, r[2]!, c[2]!, n[2]!]),
    labels,
  };
}
