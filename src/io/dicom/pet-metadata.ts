/**
 * Fill `PetInstanceMetadata` (DICOM keywords, times as epoch ms) from one PET instance, the way
 * Cornerstone's calculate-suv expects it: RadiopharmaceuticalInformationSequence item 0, Philips
 * private SUV / activity-concentration scale factors (7053,1000)/(7053,1009), and the GE private
 * post-injection date-time (0009,100D).
 *
 * Malformed dates and times do not stop the image from loading: the field is left null and a
 * warning names the file and field (the SUV step then reports what is missing).
 */
import type { DataSet } from "dicom-parser";
import type { PetInstanceMetadata } from "../../quant/suv/metadata.js";
import { combineDicomDateTimeMs, parseDicomDateMs, parseDicomDateTimeMs } from "./datetime.js";
import { type FieldReader, num, safeTime, str } from "./fields.js";

const P = {
  SOPInstanceUID: "x00080018",
  SeriesDate: "x00080021",
  TimezoneOffsetFromUTC: "x00080201",
  Manufacturer: "x00080070",
  CodeMeaning: "x00080104",
  PatientSex: "x00100040",
  PatientSize: "x00101020",
  PatientWeight: "x00101030",
  Radiopharmaceutical: "x00180031",
  RadiopharmaceuticalStartTime: "x00181072",
  RadionuclideTotalDose: "x00181074",
  RadionuclideHalfLife: "x00181075",
  RadiopharmaceuticalStartDateTime: "x00181078",
  CorrectedImage: "x00280051",
  RadiopharmaceuticalInformationSequence: "x00540016",
  RadionuclideCodeSequence: "x00540300",
  Units: "x00541001",
  DecayCorrection: "x00541102",
  FrameReferenceTime: "x00541300",
  ActualFrameDuration: "x00181242",
  /** GE private "GEMS_PETD_01" post-injection date-time (calculate-suv: GEPrivatePostInjectionDateTime). */
  GEPostInjectionDateTime: "x0009100d",
  /** Philips private "Philips PET Private Group" SUV scale factor. */
  PhilipsSUVScaleFactor: "x70531000",
  /** Philips private "Philips PET Private Group" activity concentration scale factor. */
  PhilipsActivityConcentrationScaleFactor: "x70531009",
} as const;

function firstItem(ds: DataSet, tag: string): DataSet | null {
  const el = ds.elements[tag];
  const item = el?.items?.[0];
  return item?.dataSet ?? null;
}

function allStrings(ds: DataSet, tag: string): string[] {
  const el = ds.elements[tag];
  if (el === undefined || el.length === 0) return [];
  const raw = ds.string(tag);
  return raw === undefined
    ? []
    : raw
        .split("\\")
        .map((s) => s.trim())
        .filter((s) => s !== "");
}

/** Read the PET fields of one instance. `seriesDateTimeMs` anchors a time-only injection time. */
export function readPetMetadata(
  r: FieldReader,
  seriesDateTimeMs: number | null,
  acquisitionDateTimeMs: number | null,
  warnings: string[],
): PetInstanceMetadata {
  const { ds, file } = r;
  const rp = firstItem(ds, P.RadiopharmaceuticalInformationSequence);
  const rr: FieldReader | null = rp === null ? null : { ds: rp, file };
  let injectionMs: number | null = null;
  if (rr !== null) {
    injectionMs = safeTime(warnings, file, "RadiopharmaceuticalStartDateTime", () => {
      const dt = str(rr.ds, P.RadiopharmaceuticalStartDateTime);
      if (dt !== null) return parseDicomDateTimeMs(dt, "RadiopharmaceuticalStartDateTime");
      const seriesDate = str(ds, P.SeriesDate);
      return combineDicomDateTimeMs(
        seriesDate,
        str(rr.ds, P.RadiopharmaceuticalStartTime),
        "SeriesDate/RadiopharmaceuticalStartTime",
      );
    });
  }
  const code = rr === null ? null : firstItem(rr.ds, P.RadionuclideCodeSequence);
  const ge = safeTime(warnings, file, "GE private post-injection date-time (0009,100D)", () => {
    const s = str(ds, P.GEPostInjectionDateTime);
    if (s === null) return null;
    // GE writes DT without fraction, or DA only; parse as DT (or DA).
    return /^\d{8}$/.test(s) ? parseDicomDateMs(s) : parseDicomDateTimeMs(s, "GE (0009,100D)");
  });
  return {
    SOPInstanceUID: str(ds, P.SOPInstanceUID),
    Manufacturer: str(ds, P.Manufacturer),
    Units: str(ds, P.Units),
    CorrectedImage: allStrings(ds, P.CorrectedImage),
    DecayCorrection: str(ds, P.DecayCorrection),
    SeriesDateTimeMs: seriesDateTimeMs,
    AcquisitionDateTimeMs: acquisitionDateTimeMs,
    RadiopharmaceuticalStartDateTimeMs: injectionMs,
    RadionuclideTotalDose: rr === null ? null : num(rr, P.RadionuclideTotalDose),
    RadionuclideHalfLife: rr === null ? null : num(rr, P.RadionuclideHalfLife),
    PatientWeight: num(r, P.PatientWeight),
    PatientSize: num(r, P.PatientSize),
    PatientSex: str(ds, P.PatientSex),
    FrameReferenceTime: num(r, P.FrameReferenceTime),
    ActualFrameDuration: num(r, P.ActualFrameDuration),
    PhilipsPETPrivateGroup_SUVScaleFactor: privateNumber(r, P.PhilipsSUVScaleFactor, warnings),
    PhilipsPETPrivateGroup_ActivityConcentrationScaleFactor: privateNumber(
      r,
      P.PhilipsActivityConcentrationScaleFactor,
      warnings,
    ),
    GEPrivatePostInjectionDateTimeMs: ge,
    TimezoneOffsetFromUTC: str(ds, P.TimezoneOffsetFromUTC),
    Radiopharmaceutical: rr === null ? null : (rr.ds.string(P.Radiopharmaceutical)?.trim() ?? null) || null,
    RadionuclideCodeMeaning: code === null ? null : (code.string(P.CodeMeaning)?.trim() ?? null) || null,
  };
}

/** A private numeric tag (DS text, or FD/FL binary); malformed → null + warning. */
function privateNumber(r: FieldReader, tag: string, warnings: string[]): number | null {
  try {
    const v = num(r, tag);
    return v === 0 ? null : v;
  } catch (e) {
    warnings.push(`${r.file}: ignored malformed private tag ${tag}: ${(e as Error).message}`);
    return null;
  }
}
