/**
 * Series metadata recorded at import (SeriesRow fields and `meta` JSON) from what the io readers
 * returned: geometry, frames, the first PET header record (DICOM keywords, SUV inputs), warnings;
 * and the patient/injection summary the server offers when it creates subjects and injections.
 */

import type { LoadedSeries } from "../../io/types.js";
import { findNuclideInText } from "../../physics/nuclides.js";
import type { StoredFileRow } from "../../store/types.js";
import type { ImportedInjection, ImportedPatient, ImportedSeries } from "./types.js";

function iso(ms: number | null | undefined): string | null {
  return ms === null || ms === undefined || !Number.isFinite(ms) ? null : new Date(ms).toISOString();
}

function sex(s: string | null | undefined): "F" | "M" | "O" | null {
  const v = (s ?? "").trim().toUpperCase();
  return v === "F" || v === "M" || v === "O" ? v : null;
}

/** Patient fields from the first PET header record (plus DICOM name/id). */
export function patientOf(
  s: LoadedSeries,
  ids: { name: string | null; id: string | null } = { name: null, id: null },
): ImportedPatient | null {
  const p = s.petInstances[0];
  const out: ImportedPatient = {
    name: ids.name,
    id: ids.id,
    sex: sex(p?.PatientSex),
    weightKg: p?.PatientWeight ?? null,
    heightM: p?.PatientSize ?? null,
  };
  return Object.values(out).every((v) => v === null) ? null : out;
}

/** Injection fields from the first PET header record (null for non-PET series). */
export function injectionOf(s: LoadedSeries): ImportedInjection | null {
  const p = s.petInstances[0];
  if (p === undefined) return null;
  const nuclideText = p.RadionuclideCodeMeaning ?? p.Radiopharmaceutical ?? "";
  const out: ImportedInjection = {
    radiopharmaceutical: p.Radiopharmaceutical,
    nuclide: findNuclideInText(nuclideText)?.name ?? (p.RadionuclideCodeMeaning || null),
    activityBq: p.RadionuclideTotalDose,
    injectionTime: iso(p.RadiopharmaceuticalStartDateTimeMs),
  };
  return Object.values(out).every((v) => v === null) ? null : out;
}

/** The SeriesRow part of an imported series; `order` keeps the reader's series order. */
export function seriesRowOf(
  s: LoadedSeries,
  files: readonly StoredFileRow[],
  extra: { order: number; seriesNumber: number | null },
): Omit<ImportedSeries, "studyInstanceUid" | "studyDate" | "studyDescription" | "patient" | "injection"> {
  const v = s.volume;
  const d = s.dynamic;
  return {
    modality: s.modality,
    format: s.format,
    description: s.seriesDescription,
    seriesInstanceUid: s.seriesInstanceUid,
    dims: [v.dims[0], v.dims[1], v.dims[2]],
    frames: d === null ? 1 : d.frameStartS.length,
    spacingMm: [v.spacingMm[0], v.spacingMm[1], v.spacingMm[2]],
    unit: v.unit,
    meta: {
      order: extra.order,
      seriesNumber: extra.seriesNumber,
      originMm: [...v.originMm],
      direction: Array.from(v.direction),
      frameStartS: d === null ? null : Array.from(d.frameStartS),
      frameDurationS: d === null ? null : Array.from(d.frameDurationS),
      frameStartEpochMs: s.frameStartEpochMs === null ? null : [...s.frameStartEpochMs],
      petInstanceCount: s.petInstances.length,
      petInstance: s.petInstances[0] ?? null,
      warnings: [...s.warnings],
    },
    files: [...files],
  };
}
