/**
 * BIDS-PET JSON sidecars (BIDS specification 1.9, "Positron Emission Tomography" modality page:
 * https://bids-specification.readthedocs.io/en/stable/modality-specific-files/positron-emission-tomography.html).
 *
 * All BIDS-PET times are seconds relative to `TimeZero` (a clock time "hh:mm:ss"), and so are our
 * `DynamicVolume.frameStartS` and `decayCorrectedToS` for a NIfTI read with a sidecar.
 *
 * Mapping to `PetInstanceMetadata` (so QIBA SUV works on NIfTI + sidecar):
 *   Units "Bq/mL" (also kBq/mL, MBq/mL, nCi/mL, uCi/mL: values converted to Bq/mL) → Units "BQML"
 *   InjectedRadioactivity [InjectedRadioactivityUnits, default MBq] → RadionuclideTotalDose (Bq)
 *   TracerRadionuclide ("Cu64", "64Cu", "C11", ...) → RadionuclideHalfLife (s, physics/ table)
 *   BodyWeight (kg) → PatientWeight; BodyHeight (m) → PatientSize; PatientSex (M/F/O, an extra
 *   key written by `atsm convert` so that SUL survives the round trip) → PatientSex
 *   date + TimeZero + ScanStart → SeriesDateTimeMs and AcquisitionDateTimeMs (frame start for
 *     dynamic frames); date + TimeZero + InjectionStart → RadiopharmaceuticalStartDateTimeMs
 *   ImageDecayCorrected + ImageDecayCorrectionTime: = ScanStart → DecayCorrection "START",
 *     = InjectionStart → "ADMIN", not corrected → "NONE"; when AttenuationCorrection is given,
 *     CorrectedImage gets "DECY" (if corrected) and "ATTN" (unless it says "none"); without it
 *     CorrectedImage stays empty (not stated)
 *   FrameTimesStart − ScanStart → FrameReferenceTime (ms); FrameDuration → ActualFrameDuration (ms)
 *   TracerName → Radiopharmaceutical; TracerRadionuclide → RadionuclideCodeMeaning;
 *   Manufacturer → Manufacturer
 * The date is `ScanDate` (deprecated BIDS key, "YYYY-MM-DD") or the date part of
 * `AcquisitionDateTime`; without either the clock times are placed on 1970-01-01 (UTC), which
 * keeps every time difference exact, and a warning says so.
 */
import { AtsmError } from "../../core/errors.js";
import type { DynamicVolume, Volume } from "../../core/types.js";
import { parseActivityBq } from "../../core/units.js";
import { findNuclide } from "../../physics/nuclides.js";
import { emptyPetInstanceMetadata, type PetInstanceMetadata } from "../../quant/suv/metadata.js";

/** Sidecar path: `x.nii.gz` / `x.nii` / `x.hdr` → `x.json`. */
export function sidecarPathFor(imagePath: string): string {
  return imagePath.replace(/\.(nii(\.gz)?|hdr|img)(\.gz)?$/i, "") + ".json";
}

/** Concentration units accepted in `Units`, with the factor to Bq/mL (1 Ci = 3.7e10 Bq). */
const CONC_TO_BQML: Readonly<Record<string, number>> = {
  "bq/ml": 1,
  "kbq/ml": 1e3,
  "mbq/ml": 1e6,
  "nci/ml": 37,
  "uci/ml": 3.7e4,
  "µci/ml": 3.7e4,
};

export interface SidecarResult {
  readonly volume: Volume;
  readonly dynamic: DynamicVolume | null;
  readonly petInstances: PetInstanceMetadata[];
  readonly frameStartEpochMs: number[] | null;
  readonly modality: string | null;
  readonly seriesDescription: string | null;
  /** BIDS `DecayCorrectionFactor` per frame when given. */
  readonly decayCorrectionFactors: number[] | null;
  readonly warnings: string[];
}

function num(side: Record<string, unknown>, key: string, file: string): number | null {
  const v = side[key];
  if (v === undefined || v === null) return null;
  if (typeof v !== "number" || !Number.isFinite(v)) {
    throw new AtsmError({
      code: "PARSE_ERROR",
      message: `BIDS sidecar ${key} must be a finite number`,
      value: v,
      file,
      field: key,
      hint: `write ${key} as a JSON number (seconds for times, kg for weight)`,
    });
  }
  return v;
}

function numArray(side: Record<string, unknown>, key: string, file: string, n: number): number[] | null {
  let v = side[key];
  if (v === undefined || v === null) return null;
  if (typeof v === "number" && n === 1) v = [v];
  if (!Array.isArray(v) || !v.every((x) => typeof x === "number" && Number.isFinite(x))) {
    throw new AtsmError({
      code: "PARSE_ERROR",
      message: `BIDS sidecar ${key} must be an array of finite numbers`,
      value: v,
      file,
      field: key,
      hint: `write ${key} as a JSON array with one number per frame`,
    });
  }
  if (v.length !== n) {
    throw new AtsmError({
      code: "INCONSISTENT",
      message: `BIDS sidecar ${key} has ${v.length} entries but the image has ${n} frame(s)`,
      value: v.length,
      file,
      field: key,
      hint: "the sidecar does not belong to this image, or the image was cropped in time",
    });
  }
  return v as number[];
}

function str(side: Record<string, unknown>, key: string): string | null {
  const v = side[key];
  return typeof v === "string" && v.trim() !== "" ? v.trim() : null;
}

/** "hh:mm:ss(.fff)" → ms after midnight, or null when unparsable. */
function clockMs(text: string): number | null {
  const m = /^(\d{1,2}):(\d{2})(?::(\d{2}(?:\.\d+)?))?$/.exec(text.trim());
  if (!m) return null;
  const h = Number(m[1]);
  const mi = Number(m[2]);
  const s = m[3] === undefined ? 0 : Number(m[3]);
  if (h > 23 || mi > 59 || s >= 61) return null;
  return ((h * 60 + mi) * 60 + s) * 1000;
}

/** Apply a parsed sidecar to a decoded image. `vol`/`dyn` are not mutated (data may be rescaled in a copy). */
export function applyBidsSidecar(
  vol: Volume,
  dyn: DynamicVolume | null,
  side: Record<string, unknown>,
  file: string,
): SidecarResult {
  const warnings: string[] = [];
  const nt = dyn ? Math.round(dyn.frameStartS.length) : 1;
  const starts = numArray(side, "FrameTimesStart", file, nt);
  const durs = numArray(side, "FrameDuration", file, nt);
  if (durs?.some((d) => !(d > 0))) {
    throw new AtsmError({
      code: "PARSE_ERROR",
      message: "BIDS sidecar FrameDuration values must be > 0 s",
      value: durs,
      file,
      field: "FrameDuration",
      hint: "fix the frame durations in the .json sidecar",
    });
  }
  const dcf = numArray(side, "DecayCorrectionFactor", file, nt);
  const scanStartS = num(side, "ScanStart", file);
  const injStartS = num(side, "InjectionStart", file);
  const decayTimeS = num(side, "ImageDecayCorrectionTime", file);
  const corrected = side.ImageDecayCorrected === true;
  const timeZero = str(side, "TimeZero");
  const tzMs = timeZero === null ? null : clockMs(timeZero);
  if (timeZero !== null && tzMs === null) {
    throw new AtsmError({
      code: "PARSE_ERROR",
      message: "BIDS sidecar TimeZero must be a clock time hh:mm:ss",
      value: timeZero,
      file,
      field: "TimeZero",
      hint: 'write e.g. "TimeZero": "10:15:00"',
    });
  }
  // Units → Bq/mL scaling.
  const unitsText = str(side, "Units");
  let unit = vol.unit;
  let factor = 1;
  if (unitsText !== null) {
    const f = CONC_TO_BQML[unitsText.toLowerCase().replace(/\s+/g, "")];
    if (f !== undefined) {
      factor = f;
      unit = "Bq/mL";
    } else unit = unitsText;
  }
  let data = dyn ? dyn.data : vol.data;
  if (factor !== 1) {
    const scaled = new Float32Array(data.length);
    for (let i = 0; i < data.length; i++) scaled[i] = data[i]! * factor;
    data = scaled;
    warnings.push(`values converted from ${unitsText} to Bq/mL (× ${factor})`);
  }
  const n3 = vol.dims[0] * vol.dims[1] * vol.dims[2];
  const frameStartS = starts ? Float64Array.from(starts) : (dyn?.frameStartS ?? new Float64Array([0]));
  const frameDurationS = durs ? Float64Array.from(durs) : (dyn?.frameDurationS ?? new Float64Array([0]));
  let decayCorrectedToS: number | null = null;
  if (corrected) {
    decayCorrectedToS = decayTimeS ?? scanStartS;
    if (decayTimeS === null)
      warnings.push("ImageDecayCorrected without ImageDecayCorrectionTime: assumed ScanStart");
  }
  const volume: Volume = { ...vol, data: dyn ? data.subarray(0, n3) : data, unit };
  const dynamic: DynamicVolume | null = dyn
    ? { ...dyn, data, unit, frameStartS, frameDurationS, decayCorrectedToS }
    : null;

  // Date for clock times.
  const dateText = str(side, "ScanDate") ?? str(side, "AcquisitionDateTime")?.slice(0, 10) ?? null;
  let dayMs: number | null = null;
  if (dateText !== null && /^\d{4}-\d{2}-\d{2}$/.test(dateText)) dayMs = Date.parse(`${dateText}T00:00:00Z`);
  if (tzMs !== null && (dayMs === null || !Number.isFinite(dayMs))) {
    dayMs = 0;
    warnings.push("sidecar has no ScanDate: clock times placed on 1970-01-01 (time differences are exact)");
  }
  const at = (relS: number | null): number | null =>
    tzMs === null || dayMs === null || relS === null ? null : dayMs + tzMs + relS * 1000;

  // Injection and nuclide.
  const injected = num(side, "InjectedRadioactivity", file);
  const injUnits = str(side, "InjectedRadioactivityUnits") ?? "MBq";
  let doseBq: number | null = null;
  if (injected !== null) {
    try {
      doseBq = parseActivityBq(`${injected}${injUnits}`, "InjectedRadioactivityUnits");
    } catch (e) {
      throw new AtsmError({
        code: "PARSE_ERROR",
        message: "BIDS sidecar InjectedRadioactivityUnits is not an activity unit",
        value: injUnits,
        file,
        field: "InjectedRadioactivityUnits",
        hint: "use MBq, kBq, Bq, GBq, mCi or uCi",
        cause: e,
      });
    }
  }
  const tracer = str(side, "TracerRadionuclide");
  const nuclide = tracer === null ? undefined : findNuclide(tracer);
  if (tracer !== null && !nuclide)
    warnings.push(`TracerRadionuclide "${tracer}" not recognised: no half-life`);
  let decayCorrection: string | null = null;
  if (side.ImageDecayCorrected === false) decayCorrection = "NONE";
  else if (corrected && decayCorrectedToS !== null) {
    if (scanStartS !== null && Math.abs(decayCorrectedToS - scanStartS) < 1e-3) decayCorrection = "START";
    else if (injStartS !== null && Math.abs(decayCorrectedToS - injStartS) < 1e-3) decayCorrection = "ADMIN";
    else warnings.push("images are decay-corrected to a time that is neither ScanStart nor InjectionStart");
  }
  // CorrectedImage stays empty (= not stated) without AttenuationCorrection, so SUV warns
  // instead of refusing; an explicit "none" lists only DECY and SUV refuses, as it should.
  const corrections: string[] = [];
  const ac = str(side, "AttenuationCorrection");
  if (ac !== null) {
    if (corrected) corrections.push("DECY");
    if (!/^(none|no|false|n\/a)$/i.test(ac)) corrections.push("ATTN");
  }
  const modality = str(side, "Modality") ?? (starts || tracer || injected !== null ? "PT" : null);
  const base: PetInstanceMetadata = {
    ...emptyPetInstanceMetadata(),
    Manufacturer: str(side, "Manufacturer"),
    Units: unit === "Bq/mL" ? "BQML" : null,
    CorrectedImage: corrections,
    DecayCorrection: decayCorrection,
    SeriesDateTimeMs: at(scanStartS),
    AcquisitionDateTimeMs: at(scanStartS),
    RadiopharmaceuticalStartDateTimeMs: at(injStartS),
    RadionuclideTotalDose: doseBq,
    RadionuclideHalfLife: nuclide ? nuclide.halfLifeS : null,
    PatientWeight: num(side, "BodyWeight", file),
    PatientSize: num(side, "BodyHeight", file),
    PatientSex: sexOf(str(side, "PatientSex")),
    Radiopharmaceutical: str(side, "TracerName"),
    RadionuclideCodeMeaning: tracer,
  };
  const petInstances: PetInstanceMetadata[] = [];
  if (modality === "PT") {
    for (let f = 0; f < frameStartS.length; f++) {
      petInstances.push({
        ...base,
        AcquisitionDateTimeMs: dyn ? at(frameStartS[f]!) : base.AcquisitionDateTimeMs,
        FrameReferenceTime: scanStartS === null ? null : (frameStartS[f]! - scanStartS) * 1000,
        ActualFrameDuration: durs ? frameDurationS[f]! * 1000 : null,
      });
    }
  }
  const frameStartEpochMs = starts && tzMs !== null ? Array.from(frameStartS, (s) => at(s)!) : null;
  return {
    volume,
    dynamic,
    petInstances,
    frameStartEpochMs,
    modality,
    seriesDescription: str(side, "SeriesDescription") ?? str(side, "TracerName"),
    decayCorrectionFactors: dcf,
    warnings,
  };
}

/**
 * Sidecar for a volume we write: frame timing and decay state of a dynamic volume, `Units`, then
 * the caller's `extra` keys (which win for everything but the frame timing).
 */
export function buildBidsSidecar(
  vol: Volume | DynamicVolume,
  extra: Record<string, unknown> | undefined,
): Record<string, unknown> {
  const out: Record<string, unknown> = { Units: vol.unit, ...(extra ?? {}) };
  if ("frameStartS" in vol) {
    out.FrameTimesStart = Array.from(vol.frameStartS);
    out.FrameDuration = Array.from(vol.frameDurationS);
    out.ImageDecayCorrected = vol.decayCorrectedToS !== null;
    if (vol.decayCorrectedToS !== null) out.ImageDecayCorrectionTime = vol.decayCorrectedToS;
    else delete out.ImageDecayCorrectionTime;
  }
  return out;
}

/** PatientSex from the sidecar: M/F/O (also male/female), anything else ignored. */
function sexOf(v: string | null): string | null {
  if (v === null) return null;
  const t = v.trim().toUpperCase();
  if (t === "M" || t === "MALE") return "M";
  if (t === "F" || t === "FEMALE") return "F";
  if (t === "O" || t === "OTHER") return "O";
  return null;
}
