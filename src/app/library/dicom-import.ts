/**
 * DICOM part of an import: parse every file fully (so a corrupt file fails the upload naming it),
 * group the instances by StudyInstanceUID and SeriesInstanceUID, and assemble each series with the
 * same code `readDicom` uses. Study/patient identifiers come from the same headers.
 */
import { readFileSync } from "node:fs";
import dicomParser from "dicom-parser";
import { assembleSeries } from "../../io/dicom/assemble.js";
import { str } from "../../io/dicom/fields.js";
import { parseDicomFile } from "../../io/dicom/parse.js";
import type { DicomSlice } from "../../io/dicom/slice.js";
import type { LoadedSeries } from "../../io/types.js";

export interface DicomStudyInfo {
  readonly studyInstanceUid: string | null;
  /** ISO date "YYYY-MM-DD" from StudyDate, or null. */
  readonly studyDate: string | null;
  readonly studyDescription: string;
  readonly patientName: string | null;
  readonly patientId: string | null;
}

export interface DicomImportedSeries {
  readonly loaded: LoadedSeries;
  /** Relative names of the series' files. */
  readonly files: readonly string[];
  readonly seriesNumber: number | null;
}

export interface DicomImportedStudy {
  readonly info: DicomStudyInfo;
  readonly series: DicomImportedSeries[];
}

const TAG = {
  Modality: "x00080060",
  StudyInstanceUID: "x0020000d",
  StudyDate: "x00080020",
  StudyDescription: "x00081030",
  PatientName: "x00100010",
  PatientID: "x00100020",
} as const;

function isoDate(da: string | null): string | null {
  const m = da === null ? null : /^(\d{4})(\d{2})(\d{2})/.exec(da.trim());
  return m ? `${m[1]}-${m[2]}-${m[3]}` : null;
}

/** Modalities of DICOM objects that are not image series (skipped, not errors). */
const NON_IMAGE_MODALITIES = new Set(["SEG", "RTSTRUCT", "RTPLAN", "RTDOSE", "SR", "PR", "KO", "REG", "DOC"]);

const UNKNOWN_STUDY: DicomStudyInfo & { modality: string | null } = {
  modality: null,
  studyInstanceUid: null,
  studyDate: null,
  studyDescription: "",
  patientName: null,
  patientId: null,
};

/** Study-level tags (header only); null when the header does not parse (parseDicomFile reports it). */
function studyInfo(bytes: Uint8Array): (DicomStudyInfo & { modality: string | null }) | null {
  let ds: ReturnType<typeof dicomParser.parseDicom>;
  try {
    ds = dicomParser.parseDicom(bytes, { untilTag: "x7fe00010" });
  } catch {
    return null;
  }
  const name = str(ds, TAG.PatientName);
  return {
    modality: str(ds, TAG.Modality),
    studyInstanceUid: str(ds, TAG.StudyInstanceUID),
    studyDate: isoDate(str(ds, TAG.StudyDate)),
    studyDescription: str(ds, TAG.StudyDescription) ?? "",
    patientName: name === null ? null : name.replace(/\^+/g, " ").trim() || null,
    patientId: str(ds, TAG.PatientID),
  };
}

/**
 * Read the DICOM files (`names` relative; `abs(name)` their paths). Files without image pixels
 * (DICOMDIR, SR) are returned in `skipped`. Throws the reader's AtsmError naming the bad file.
 */
export function importDicom(
  names: readonly string[],
  abs: (name: string) => string,
  onProgress?: (fraction: number) => void,
): { studies: DicomImportedStudy[]; skipped: { name: string; reason: string }[] } {
  const skipped: { name: string; reason: string }[] = [];
  const studies = new Map<string, { info: DicomStudyInfo; series: Map<string, DicomSlice[]> }>();
  const filesOf = new Map<string, Set<string>>();
  for (let i = 0; i < names.length; i++) {
    const name = names[i]!;
    const bytes = new Uint8Array(readFileSync(abs(name)));
    const head = studyInfo(bytes);
    const modality = head?.modality?.toUpperCase() ?? "";
    if (NON_IMAGE_MODALITIES.has(modality)) {
      skipped.push({ name, reason: `DICOM ${modality} object (not an image series)` });
      continue;
    }
    const slices = parseDicomFile(bytes, name);
    if (slices === null || slices.length === 0) {
      skipped.push({ name, reason: "DICOM file without image pixels (e.g. DICOMDIR or a report)" });
      continue;
    }
    const { modality: _m, ...info } = head ?? UNKNOWN_STUDY;
    const key = info.studyInstanceUid ?? "";
    let study = studies.get(key);
    if (study === undefined) {
      study = { info, series: new Map() };
      studies.set(key, study);
    }
    for (const s of slices) {
      const list = study.series.get(s.seriesInstanceUid);
      if (list === undefined) study.series.set(s.seriesInstanceUid, [s]);
      else list.push(s);
      const files = filesOf.get(s.seriesInstanceUid) ?? new Set<string>();
      files.add(name);
      filesOf.set(s.seriesInstanceUid, files);
    }
    if (onProgress !== undefined && (i & 15) === 0) onProgress((0.5 * i) / names.length);
  }
  const out: DicomImportedStudy[] = [];
  for (const study of studies.values()) {
    const series: DicomImportedSeries[] = [];
    for (const [uid, slices] of study.series) {
      series.push({
        loaded: assembleSeries(slices, slices[0]!.file),
        files: [...(filesOf.get(uid) ?? [])].sort(),
        seriesNumber: slices[0]!.seriesNumber,
      });
    }
    // Same order as readDicom: SeriesNumber, then UID.
    series.sort(
      (a, b) =>
        (a.seriesNumber ?? Number.MAX_SAFE_INTEGER) - (b.seriesNumber ?? Number.MAX_SAFE_INTEGER) ||
        String(a.loaded.seriesInstanceUid).localeCompare(String(b.loaded.seriesInstanceUid)),
    );
    out.push({ info: study.info, series });
  }
  return { studies: out, skipped };
}
