/**
 * The per-instance PET header fields that SUV needs, named by DICOM keyword (as Cornerstone's
 * calculate-suv `InstanceMetadata`), with date-times already converted at the io/ boundary to
 * epoch milliseconds (DICOM DA/TM carry no zone; io/ reads them as if UTC, which keeps every
 * difference exact except across a daylight-saving switch; `TimezoneOffsetFromUTC` is kept for
 * display). Numbers are in the DICOM units noted on each field; the SUV code converts to SI.
 *
 * `null` = the attribute is absent or empty in the file.
 */
export interface PetInstanceMetadata {
  /** (0008,0016) SOPInstanceUID, for error messages. */
  readonly SOPInstanceUID: string | null;
  /** (0008,0070) e.g. "SIEMENS", "GE MEDICAL SYSTEMS", "Philips Medical Systems". */
  readonly Manufacturer: string | null;
  /** (0054,1001) Units: BQML, CNTS, GML, ... */
  readonly Units: string | null;
  /** (0028,0051) CorrectedImage values, e.g. ["DECY", "ATTN", "SCAT"]. */
  readonly CorrectedImage: readonly string[];
  /** (0054,1102) DecayCorrection: START, ADMIN or NONE. */
  readonly DecayCorrection: string | null;
  /** (0008,0021)+(0008,0031) SeriesDate + SeriesTime, epoch ms. */
  readonly SeriesDateTimeMs: number | null;
  /** (0008,0022)+(0008,0032) AcquisitionDate + AcquisitionTime, epoch ms. */
  readonly AcquisitionDateTimeMs: number | null;
  /**
   * (0018,1078) RadiopharmaceuticalStartDateTime, or (0018,1072) RadiopharmaceuticalStartTime on
   * the SeriesDate when only the time is given; epoch ms.
   */
  readonly RadiopharmaceuticalStartDateTimeMs: number | null;
  /** (0018,1074) RadionuclideTotalDose, Bq (DICOM unit is Bq). */
  readonly RadionuclideTotalDose: number | null;
  /** (0018,1075) RadionuclideHalfLife, s. */
  readonly RadionuclideHalfLife: number | null;
  /** (0010,1030) PatientWeight, kg. */
  readonly PatientWeight: number | null;
  /** (0010,1020) PatientSize, m. */
  readonly PatientSize: number | null;
  /** (0010,0040) PatientSex: M, F or O. */
  readonly PatientSex: string | null;
  /** (0054,1300) FrameReferenceTime, ms. */
  readonly FrameReferenceTime: number | null;
  /** (0018,1242) ActualFrameDuration, ms. */
  readonly ActualFrameDuration: number | null;
  /** Philips private (7053,1000) SUV scale factor, g/mL per stored unit. */
  readonly PhilipsPETPrivateGroup_SUVScaleFactor: number | null;
  /** Philips private (7053,1009) activity concentration scale factor, Bq/mL per stored unit. */
  readonly PhilipsPETPrivateGroup_ActivityConcentrationScaleFactor: number | null;
  /** GE private (0009,100D) post-injection / scan start date-time, epoch ms. */
  readonly GEPrivatePostInjectionDateTimeMs: number | null;
  /** (0008,0201) TimezoneOffsetFromUTC, e.g. "+0100" (display only). */
  readonly TimezoneOffsetFromUTC: string | null;
  /** (0018,0031) Radiopharmaceutical, e.g. "Cu-64 ATSM". */
  readonly Radiopharmaceutical: string | null;
  /** (0008,0104) of RadionuclideCodeSequence, e.g. "^64^Copper". */
  readonly RadionuclideCodeMeaning: string | null;
}

/** A record with every field null (build test cases and partial headers from it). */
export function emptyPetInstanceMetadata(): PetInstanceMetadata {
  return {
    SOPInstanceUID: null,
    Manufacturer: null,
    Units: null,
    CorrectedImage: [],
    DecayCorrection: null,
    SeriesDateTimeMs: null,
    AcquisitionDateTimeMs: null,
    RadiopharmaceuticalStartDateTimeMs: null,
    RadionuclideTotalDose: null,
    RadionuclideHalfLife: null,
    PatientWeight: null,
    PatientSize: null,
    PatientSex: null,
    FrameReferenceTime: null,
    ActualFrameDuration: null,
    PhilipsPETPrivateGroup_SUVScaleFactor: null,
    PhilipsPETPrivateGroup_ActivityConcentrationScaleFactor: null,
    GEPrivatePostInjectionDateTimeMs: null,
    TimezoneOffsetFromUTC: null,
    Radiopharmaceutical: null,
    RadionuclideCodeMeaning: null,
  };
}
