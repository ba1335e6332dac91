/**
 * The DICOM JSON model (PS3.18 §F.2) of QIDO-RS answers, turned into plain records with DICOM
 * keyword names (STYLE.md §6): `{"0020000D": {"vr": "UI", "Value": ["1.2.3"]}}` becomes
 * `{ StudyInstanceUID: "1.2.3" }`. Person names keep their Alphabetic group; multi-valued
 * attributes (ModalitiesInStudy) become string arrays; IS/DS/US numbers become numbers.
 *
 * UIDs that the client will put into URLs are validated here (`^[0-9.]{1,64}$`), so a hostile
 * server cannot make us request `../../` paths.
 */
import { AtsmError } from "../../core/errors.js";

/** Tags we read, by keyword (PS3.6). */
export const QIDO_TAGS = {
  "00080020": "StudyDate",
  "00080030": "StudyTime",
  "00080050": "AccessionNumber",
  "00080060": "Modality",
  "00080061": "ModalitiesInStudy",
  "00080016": "SOPClassUID",
  "00080018": "SOPInstanceUID",
  "00081030": "StudyDescription",
  "0008103E": "SeriesDescription",
  "00100010": "PatientName",
  "00100020": "PatientID",
  "00100030": "PatientBirthDate",
  "00100040": "PatientSex",
  "0020000D": "StudyInstanceUID",
  "0020000E": "SeriesInstanceUID",
  "00200010": "StudyID",
  "00200011": "SeriesNumber",
  "00200013": "InstanceNumber",
  "00201206": "NumberOfStudyRelatedSeries",
  "00201208": "NumberOfStudyRelatedInstances",
  "00201209": "NumberOfSeriesRelatedInstances",
} as const;

export type QidoKeyword = (typeof QIDO_TAGS)[keyof typeof QIDO_TAGS];
type Attr = string | number | string[] | null;

/** A QIDO-RS study match. Absent attributes are null (or [] for ModalitiesInStudy). */
export interface QidoStudy {
  readonly StudyInstanceUID: string;
  readonly PatientID: string | null;
  /** PN Alphabetic group, e.g. "Doe^Jane". */
  readonly PatientName: string | null;
  readonly PatientBirthDate: string | null;
  readonly PatientSex: string | null;
  /** DA, YYYYMMDD. */
  readonly StudyDate: string | null;
  /** TM, HHMMSS.FFFFFF. */
  readonly StudyTime: string | null;
  readonly StudyDescription: string | null;
  readonly AccessionNumber: string | null;
  readonly StudyID: string | null;
  readonly ModalitiesInStudy: readonly string[];
  readonly NumberOfStudyRelatedSeries: number | null;
  readonly NumberOfStudyRelatedInstances: number | null;
}

export interface QidoSeries {
  readonly StudyInstanceUID: string;
  readonly SeriesInstanceUID: string;
  readonly Modality: string | null;
  readonly SeriesDescription: string | null;
  readonly SeriesNumber: number | null;
  readonly NumberOfSeriesRelatedInstances: number | null;
}

export interface QidoInstance {
  readonly StudyInstanceUID: string;
  readonly SeriesInstanceUID: string;
  readonly SOPInstanceUID: string;
  readonly SOPClassUID: string | null;
  readonly InstanceNumber: number | null;
}

const UID_RE = /^[0-9.]{1,64}$/;

/** True for a UID that is safe to put into a DICOMweb URL path. */
export function isUrlSafeUid(uid: string): boolean {
  return UID_RE.test(uid);
}

/** Throw INVALID_ARGUMENT unless `uid` matches `^[0-9.]{1,64}$`. */
export function checkUid(uid: unknown, field: string): string {
  if (typeof uid !== "string" || !UID_RE.test(uid)) {
    throw new AtsmError({
      code: "INVALID_ARGUMENT",
      message: `invalid ${field}`,
      value: uid,
      field,
      hint: "a DICOM UID is 1–64 characters of digits and dots, e.g. 1.2.840.113619.2.55.3",
    });
  }
  return uid;
}

const NUMERIC_VRS = new Set(["IS", "DS", "US", "UL", "SS", "SL", "FL", "FD"]);

function attrValue(el: unknown): Attr {
  if (typeof el !== "object" || el === null) return null;
  const e = el as { vr?: unknown; Value?: unknown };
  if (!Array.isArray(e.Value) || e.Value.length === 0) return null;
  const vals = e.Value;
  if (e.vr === "PN") {
    const first = vals[0] as { Alphabetic?: unknown } | null;
    return first !== null && typeof first === "object" && typeof first.Alphabetic === "string"
      ? first.Alphabetic
      : null;
  }
  if (typeof e.vr === "string" && NUMERIC_VRS.has(e.vr)) {
    const n = typeof vals[0] === "number" ? vals[0] : Number(vals[0]);
    return Number.isFinite(n) ? n : null;
  }
  const strs = vals.filter((v): v is string => typeof v === "string");
  if (strs.length === 0) return null;
  return strs.length === 1 ? strs[0]! : strs;
}

/** One DICOM JSON object → `{ keyword: value }` for the tags in QIDO_TAGS (others dropped). */
export function dicomJsonToRecord(obj: unknown): Partial<Record<QidoKeyword, Attr>> {
  const out: Partial<Record<QidoKeyword, Attr>> = {};
  if (typeof obj !== "object" || obj === null) return out;
  for (const [tag, kw] of Object.entries(QIDO_TAGS)) {
    const el = (obj as Record<string, unknown>)[tag] ?? (obj as Record<string, unknown>)[tag.toLowerCase()];
    if (el !== undefined) out[kw] = attrValue(el);
  }
  return out;
}

function str(r: Partial<Record<QidoKeyword, Attr>>, k: QidoKeyword): string | null {
  const v = r[k];
  if (v === undefined || v === null) return null;
  return Array.isArray(v) ? v.join("\\") : String(v);
}

function num(r: Partial<Record<QidoKeyword, Attr>>, k: QidoKeyword): number | null {
  const v = r[k];
  return typeof v === "number" ? v : typeof v === "string" && Number.isFinite(Number(v)) ? Number(v) : null;
}

function uid(r: Partial<Record<QidoKeyword, Attr>>, k: QidoKeyword, i: number, source: string): string {
  const v = r[k];
  if (typeof v !== "string" || !UID_RE.test(v)) {
    throw new AtsmError({
      code: "PARSE_ERROR",
      message: `QIDO-RS match ${i} has no valid ${k}`,
      value: v ?? null,
      file: source,
      field: k,
      hint: "the PACS answered with a malformed DICOM JSON record",
    });
  }
  return v;
}

function matches(json: unknown, source: string): unknown[] {
  if (!Array.isArray(json)) {
    throw new AtsmError({
      code: "PARSE_ERROR",
      message: "QIDO-RS answer is not a JSON array",
      file: source,
      hint: "the URL may not be a DICOMweb root (it should end in e.g. /dicom-web)",
    });
  }
  return json;
}

export function toStudies(json: unknown, source: string): QidoStudy[] {
  return matches(json, source).map((o, i) => {
    const r = dicomJsonToRecord(o);
    const mods = r.ModalitiesInStudy;
    return {
      StudyInstanceUID: uid(r, "StudyInstanceUID", i, source),
      PatientID: str(r, "PatientID"),
      PatientName: str(r, "PatientName"),
      PatientBirthDate: str(r, "PatientBirthDate"),
      PatientSex: str(r, "PatientSex"),
      StudyDate: str(r, "StudyDate"),
      StudyTime: str(r, "StudyTime"),
      StudyDescription: str(r, "StudyDescription"),
      AccessionNumber: str(r, "AccessionNumber"),
      StudyID: str(r, "StudyID"),
      ModalitiesInStudy: Array.isArray(mods) ? mods : typeof mods === "string" ? mods.split("\\") : [],
      NumberOfStudyRelatedSeries: num(r, "NumberOfStudyRelatedSeries"),
      NumberOfStudyRelatedInstances: num(r, "NumberOfStudyRelatedInstances"),
    };
  });
}

export function toSeries(json: unknown, source: string, studyUid: string): QidoSeries[] {
  return matches(json, source).map((o, i) => {
    const r = dicomJsonToRecord(o);
    return {
      StudyInstanceUID: r.StudyInstanceUID === undefined ? studyUid : uid(r, "StudyInstanceUID", i, source),
      SeriesInstanceUID: uid(r, "SeriesInstanceUID", i, source),
      Modality: str(r, "Modality"),
      SeriesDescription: str(r, "SeriesDescription"),
      SeriesNumber: num(r, "SeriesNumber"),
      NumberOfSeriesRelatedInstances: num(r, "NumberOfSeriesRelatedInstances"),
    };
  });
}

export function toInstances(
  json: unknown,
  source: string,
  studyUid: string,
  seriesUid: string,
): QidoInstance[] {
  return matches(json, source).map((o, i) => {
    const r = dicomJsonToRecord(o);
    return {
      StudyInstanceUID: r.StudyInstanceUID === undefined ? studyUid : uid(r, "StudyInstanceUID", i, source),
      SeriesInstanceUID:
        r.SeriesInstanceUID === undefined ? seriesUid : uid(r, "SeriesInstanceUID", i, source),
      SOPInstanceUID: uid(r, "SOPInstanceUID", i, source),
      SOPClassUID: str(r, "SOPClassUID"),
      InstanceNumber: num(r, "InstanceNumber"),
    };
  });
}
