/**
 * Our NIfTI header extension: a comment extension (ecode 6, NIFTI_ECODE_COMMENT in nifti1.h)
 * whose text is `ATSM ` + JSON `{ "v": 1, "affineRas": [12 float64], "unit": "...", "modality": "..." }`.
 *
 * Why: NIfTI-1 stores srow as float32, which rounds world coordinates to ~1e-5 mm. Our writer
 * also stores the exact float64 affine here; the reader uses it only when the header's selected
 * affine is the sform and every srow value equals the float64 value rounded to the header's float
 * type. If any other tool edited the sform, the check fails and the stored sform wins. Other
 * readers ignore the comment.
 */
import type { BestAffine } from "./affine.js";
import type { NiftiExtension, NiftiHeader } from "./header.js";

export const NIFTI_ECODE_COMMENT = 6;
const PREFIX = "ATSM ";

export interface AtsmExtension {
  readonly affineRas: Float64Array | null;
  readonly unit: string | null;
  readonly modality: string | null;
}

export function readAtsmExtension(
  exts: readonly NiftiExtension[],
  h: NiftiHeader,
  best: BestAffine,
): AtsmExtension {
  const none: AtsmExtension = { affineRas: null, unit: null, modality: null };
  for (const e of exts) {
    if (e.ecode !== NIFTI_ECODE_COMMENT || e.content.length < PREFIX.length) continue;
    let text = "";
    for (let i = 0; i < e.content.length && e.content[i] !== 0; i++)
      text += String.fromCharCode(e.content[i]!);
    if (!text.startsWith(PREFIX)) continue;
    let obj: unknown;
    try {
      obj = JSON.parse(text.slice(PREFIX.length));
    } catch {
      return none;
    }
    if (typeof obj !== "object" || obj === null) return none;
    const o = obj as Record<string, unknown>;
    const unit = typeof o.unit === "string" && o.unit.length < 64 ? o.unit : null;
    const modality = typeof o.modality === "string" && o.modality.length < 16 ? o.modality : null;
    let affineRas: Float64Array | null = null;
    const a = o.affineRas;
    if (
      best.source === "sform" &&
      Array.isArray(a) &&
      a.length === 12 &&
      a.every((v) => typeof v === "number" && Number.isFinite(v))
    ) {
      const round = h.version === 1 ? Math.fround : (v: number) => v;
      const matches = a.every((v, i) => round(v as number) === h.srow[i]);
      if (matches) affineRas = Float64Array.from(a as number[]);
    }
    return { affineRas, unit, modality };
  }
  return none;
}

/** Extension block bytes (esize, ecode, text padded with NULs to a multiple of 16). */
export function encodeAtsmExtension(
  affineRas: ArrayLike<number>,
  unit: string,
  modality: string | null,
): Uint8Array {
  const text =
    PREFIX +
    JSON.stringify({ v: 1, affineRas: Array.from(affineRas), unit, ...(modality ? { modality } : {}) });
  const body = new TextEncoder().encode(text);
  const esize = Math.ceil((body.length + 8 + 1) / 16) * 16;
  const out = new Uint8Array(esize);
  const v = new DataView(out.buffer);
  v.setInt32(0, esize, true);
  v.setInt32(4, NIFTI_ECODE_COMMENT, true);
  out.set(body, 8);
  return out;
}
