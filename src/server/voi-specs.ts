/**
 * VOI specs as the server accepts them: the quant/voi grammar, except that masks must be stored
 * blobs of the same study (`mask:blob:<sha256>[:label]`), never file paths on the server; and
 * `voi:<voiId>` (whole spec or after the last `@`) refers to a stored VOI of the same study.
 */
import { AtsmError } from "../core/errors.js";
import { parseVoiSpec, voiMaskPaths } from "../quant/voi/spec.js";
import type { Store, StudyRow } from "../store/types.js";

const BLOB_PATH_RE = /^blob:([0-9a-f]{64})$/;
const VOI_REF_RE = /(^|@)voi:([0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12})$/;

/** Blob hashes a spec's masks refer to (throws when a mask is not a blob). */
export function maskBlobs(spec: string, field: string): string[] {
  const parsed = parseVoiSpecAt(spec, field);
  return voiMaskPaths(parsed).map((p) => {
    const m = BLOB_PATH_RE.exec(p);
    if (m === null) {
      throw new AtsmError({
        code: "INVALID_ARGUMENT",
        message: "masks on the server must be stored blobs",
        value: p,
        field,
        hint: "draw the mask in the viewer (maskRle) or use mask:blob:<sha256>[:label] of a VOI of this study",
      });
    }
    return m[1]!;
  });
}

function parseVoiSpecAt(spec: string, field: string) {
  try {
    return parseVoiSpec(spec);
  } catch (e) {
    const err = e as AtsmError;
    if (err.code !== undefined) {
      throw new AtsmError({
        code: err.code,
        message: err.message,
        field,
        ...(err.hint !== undefined ? { hint: err.hint } : {}),
      });
    }
    throw e;
  }
}

/** Hashes a VOI of `study` may refer to: its series' files and its VOIs' masks. */
async function allowedBlobs(store: Store, study: StudyRow): Promise<Set<string>> {
  const out = new Set<string>();
  for (const s of study.series) for (const f of s.files) out.add(f.sha256);
  for (const v of await store.vois.list(study.id)) {
    for (const m of v.spec.matchAll(/mask:blob:([0-9a-f]{64})/g)) out.add(m[1]!);
  }
  return out;
}

/** Validate a spec to be stored on `study` (grammar, masks are blobs of this study). */
export async function checkStoredSpec(
  store: Store,
  study: StudyRow,
  spec: string,
  field: string,
): Promise<string> {
  const blobs = maskBlobs(spec, field);
  if (blobs.length > 0) {
    const allowed = await allowedBlobs(store, study);
    for (const b of blobs) {
      if (!allowed.has(b))
        throw new AtsmError({ code: "NOT_FOUND", message: "mask blob not found in this study", field });
    }
  }
  return spec;
}

/** Resolve `voi:<id>` references of a live-metrics spec, then validate it like a stored one. */
export async function resolveSpec(
  store: Store,
  study: StudyRow,
  spec: string,
  field: string,
): Promise<string> {
  let text = spec.trim();
  const m = VOI_REF_RE.exec(text);
  if (m !== null) {
    const voi = await store.vois.byId(m[2]!.toLowerCase());
    if (voi === null || voi.studyId !== study.id) {
      throw new AtsmError({ code: "NOT_FOUND", message: "VOI not found in this study", field });
    }
    text = `${text.slice(0, m.index)}${m[1]}${voi.spec}`;
  }
  return checkStoredSpec(store, study, text, field);
}
