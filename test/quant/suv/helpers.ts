/** Build PetInstanceMetadata records for SUV tests. */
import {
  combineDicomDateTimeMs,
  parseDicomDateMs,
  parseDicomDateTimeMs,
  parseDicomTimeMs,
} from "../../../src/io/dicom/datetime.js";
import { emptyPetInstanceMetadata, type PetInstanceMetadata } from "../../../src/quant/suv/index.js";
import type { CornerstoneInstance } from "./cornerstone-cases.js";

/** Convert a calculate-suv InstanceMetadata record (DA/TM strings) as io/ would. */
export function fromCornerstone(c: CornerstoneInstance): PetInstanceMetadata {
  const start =
    c.RadiopharmaceuticalStartDateTime !== undefined
      ? parseDicomDateTimeMs(c.RadiopharmaceuticalStartDateTime)
      : (parseDicomDateMs(c.SeriesDate) ?? 0) + (parseDicomTimeMs(c.RadiopharmaceuticalStartTime) ?? 0);
  return {
    ...emptyPetInstanceMetadata(),
    Units: c.Units,
    CorrectedImage: c.CorrectedImage,
    DecayCorrection: c.DecayCorrection,
    SeriesDateTimeMs: combineDicomDateTimeMs(c.SeriesDate, c.SeriesTime),
    AcquisitionDateTimeMs: combineDicomDateTimeMs(c.AcquisitionDate, c.AcquisitionTime),
    RadiopharmaceuticalStartDateTimeMs: start,
    RadionuclideTotalDose: c.RadionuclideTotalDose,
    RadionuclideHalfLife: c.RadionuclideHalfLife,
    PatientWeight: c.PatientWeight,
    PatientSize: c.PatientSize ?? null,
    PatientSex: c.PatientSex,
    FrameReferenceTime: c.FrameReferenceTime,
    ActualFrameDuration: c.ActualFrameDuration,
    PhilipsPETPrivateGroup_SUVScaleFactor: c.SUVScaleFactor ?? null,
    PhilipsPETPrivateGroup_ActivityConcentrationScaleFactor: c.ActivityConcentrationScaleFactor ?? null,
  };
}

export const T0 = Date.UTC(2025, 2, 1, 8, 0, 0); // 2025-03-01T08:00:00Z, injection
export const CU64_T_S = 12.7 * 3600; // ICRP-107 half-life of Cu-64, s
export const H_MS = 3600_000;

/** A Cu-64 BQML START series: 185 MBq at T0, 70 kg, scan at T0 + one half-life (12.7 h). */
export function cu64Instance(over: Partial<PetInstanceMetadata> = {}): PetInstanceMetadata {
  const scan = T0 + CU64_T_S * 1000;
  return {
    ...emptyPetInstanceMetadata(),
    SOPInstanceUID: "1.2.3.1",
    Manufacturer: "SIEMENS",
    Units: "BQML",
    CorrectedImage: ["ATTN", "DECY", "SCAT"],
    DecayCorrection: "START",
    SeriesDateTimeMs: scan,
    AcquisitionDateTimeMs: scan,
    RadiopharmaceuticalStartDateTimeMs: T0,
    RadionuclideTotalDose: 185e6,
    RadionuclideHalfLife: CU64_T_S,
    PatientWeight: 70,
    PatientSize: 1.75,
    PatientSex: "M",
    Radiopharmaceutical: "Cu-64 ATSM",
    RadionuclideCodeMeaning: "^64^Copper",
    ...over,
  };
}
