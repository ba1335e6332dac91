/**
 * Resolution of the SUV inputs: overrides win over headers, headers are checked for one-series
 * consistency, and each missing input raises an AtsmError naming the DICOM keyword and the
 * `atsm suv` flag that supplies it.
 */
import { AtsmError } from "../../core/errors.js";
import { findNuclide, findNuclideInText, type Nuclide } from "../../physics/index.js";
import type { SuvSex } from "./body.js";
import type { PetInstanceMetadata } from "./metadata.js";
import type { SuvDecayCorrection, SuvInputSource, SuvOverrides, SuvUnits } from "./types.js";

/** Header keys that must be identical in every instance of one series (calculate-suv's check). */
const SERIES_LEVEL_KEYS = [
  "Units",
  "DecayCorrection",
  "PatientWeight",
  "PatientSize",
  "PatientSex",
  "RadionuclideTotalDose",
  "RadionuclideHalfLife",
  "RadiopharmaceuticalStartDateTimeMs",
  "SeriesDateTimeMs",
] as const satisfies readonly (keyof PetInstanceMetadata)[];

/** Throw INCONSISTENT when series-level attributes differ between instances. */
export function checkSingleSeries(instances: readonly PetInstanceMetadata[]): void {
  if (instances.length === 0) {
    throw new AtsmError({
      code: "INVALID_ARGUMENT",
      message: "no PET instances given for SUV",
      hint: "pass the instances of one PET series",
    });
  }
  const first = instances[0]!;
  const ci0 = first.CorrectedImage.join("\\");
  for (let i = 1; i < instances.length; i++) {
    const inst = instances[i]!;
    for (const key of SERIES_LEVEL_KEYS) {
      if (inst[key] !== first[key]) {
        throw new AtsmError({
          code: "INCONSISTENT",
          message: `instances do not come from one series: ${key} is ${String(first[key])} in instance 0 but ${String(inst[key])} in instance ${i}${inst.SOPInstanceUID ? ` (${inst.SOPInstanceUID})` : ""}`,
          field: key,
          hint: "compute SUV per series; series-level attributes must be identical in every instance",
        });
      }
    }
    if (inst.CorrectedImage.join("\\") !== ci0) {
      throw new AtsmError({
        code: "INCONSISTENT",
        message: `instances do not come from one series: CorrectedImage differs between instance 0 and ${i}`,
        field: "CorrectedImage",
        value: inst.CorrectedImage.join("\\"),
      });
    }
  }
}

/** Units (0054,1001) as one of BQML, CNTS, GML. */
export function resolveUnits(first: PetInstanceMetadata): SuvUnits {
  const u = first.Units?.trim().toUpperCase() ?? "";
  if (u === "BQML" || u === "CNTS" || u === "GML") return u;
  throw new AtsmError({
    code: u === "" ? "MISSING_INPUT" : "UNSUPPORTED",
    message: u === "" ? "Units (0054,1001) is absent" : "Units (0054,1001) is not supported for SUV",
    ...(u === "" ? {} : { value: first.Units }),
    field: "Units",
    hint: "SUV needs pixels in BQML (Bq/mL), CNTS with the Philips scale factors (7053,1000)/(7053,1009), or GML (already SUVbw)",
  });
}

/** Decay-correction mode: override, then header, then inferred from CorrectedImage. */
export function resolveDecayCorrection(
  first: PetInstanceMetadata,
  overrides: SuvOverrides,
  warnings: string[],
): { mode: SuvDecayCorrection; source: SuvInputSource } {
  if (overrides.decayCorrection !== undefined) return { mode: overrides.decayCorrection, source: "override" };
  const h = first.DecayCorrection?.trim().toUpperCase() ?? "";
  if (h === "START" || h === "ADMIN" || h === "NONE") return { mode: h, source: "header" };
  if (h !== "") {
    throw new AtsmError({
      code: "UNSUPPORTED",
      message: "DecayCorrection (0054,1102) is not START, ADMIN or NONE",
      value: first.DecayCorrection,
      field: "DecayCorrection",
      hint: "pass --decay-correction START|ADMIN|NONE",
    });
  }
  if (first.CorrectedImage.includes("DECY")) {
    warnings.push("DecayCorrection absent but CorrectedImage has DECY: assumed START");
    return { mode: "START", source: "default" };
  }
  throw new AtsmError({
    code: "MISSING_INPUT",
    message: "DecayCorrection (0054,1102) is absent and CorrectedImage has no DECY",
    field: "DecayCorrection",
    hint: "pass --decay-correction START|ADMIN|NONE",
  });
}

/** Check CorrectedImage (0028,0051): ATTN required; DECY must agree with DecayCorrection. */
export function checkCorrectedImage(
  first: PetInstanceMetadata,
  mode: SuvDecayCorrection,
  warnings: string[],
): void {
  const ci = first.CorrectedImage;
  if (ci.length === 0) {
    warnings.push(
      "CorrectedImage (0028,0051) absent: attenuation and decay correction not confirmed by the header",
    );
    return;
  }
  if (!ci.includes("ATTN")) {
    throw new AtsmError({
      code: "UNSUPPORTED",
      message:
        "CorrectedImage (0028,0051) lacks ATTN: the images are not attenuation-corrected, so SUV is undefined",
      value: ci.join("\\"),
      field: "CorrectedImage",
      hint: "use an attenuation-corrected reconstruction",
    });
  }
  const hasDecy = ci.includes("DECY");
  if (mode !== "NONE" && !hasDecy) {
    throw new AtsmError({
      code: "INCONSISTENT",
      message: `DecayCorrection is ${mode} but CorrectedImage (0028,0051) lacks DECY`,
      value: ci.join("\\"),
      field: "CorrectedImage",
      hint: "pass --decay-correction NONE if the images are not decay-corrected",
    });
  }
  if (mode === "NONE" && hasDecy) {
    warnings.push("DecayCorrection NONE but CorrectedImage has DECY: treated as not decay-corrected");
  }
}

function positive(v: number | null | undefined): v is number {
  return typeof v === "number" && Number.isFinite(v) && v > 0;
}

function checkOverride(v: number | undefined, name: string, flag: string): number | undefined {
  if (v === undefined) return undefined;
  if (!positive(v)) {
    throw new AtsmError({
      code: "INVALID_ARGUMENT",
      message: `${name} must be a positive finite number`,
      value: v,
      field: flag,
    });
  }
  return v;
}

export function missing(
  keyword: string,
  tag: string,
  flag: string,
  example: string,
  what: string,
): AtsmError {
  return new AtsmError({
    code: "MISSING_INPUT",
    message: `${keyword} ${tag} is absent or zero: ${what}`,
    field: keyword,
    hint: `pass ${flag} ${example}`,
  });
}

/** Weight, kg: override, else PatientWeight (0 = unknown, as many scanners write). */
export function resolveWeightKg(
  first: PetInstanceMetadata,
  o: SuvOverrides,
): { v: number; source: SuvInputSource } {
  const ov = checkOverride(o.weightKg, "weight", "--weight-kg");
  if (ov !== undefined) return { v: ov, source: "override" };
  if (positive(first.PatientWeight)) return { v: first.PatientWeight, source: "header" };
  throw missing("PatientWeight", "(0010,1030)", "--weight-kg", "70", "SUVbw needs the body weight");
}

/** Height, m: override, else PatientSize; values > 3 are taken as cm (warning). */
export function resolveHeightM(
  first: PetInstanceMetadata,
  o: SuvOverrides,
  warnings: string[],
): { v: number | null; source: SuvInputSource } {
  const ov = checkOverride(o.heightM, "height", "--height-cm");
  if (ov !== undefined) return { v: ov, source: "override" };
  const h = first.PatientSize;
  if (!positive(h)) return { v: null, source: "absent" };
  if (h > 3) {
    warnings.push(`PatientSize ${h} is not in metres; read as ${h} cm`);
    return { v: h / 100, source: "header" };
  }
  return { v: h, source: "header" };
}

/** Sex for the LBM formulas: override, else PatientSex M/F (O or absent → null). */
export function resolveSex(
  first: PetInstanceMetadata,
  o: SuvOverrides,
): { v: SuvSex | null; source: SuvInputSource } {
  if (o.sex !== undefined) return { v: o.sex, source: "override" };
  const s = first.PatientSex?.trim().toUpperCase();
  if (s === "M" || s === "F") return { v: s, source: "header" };
  return { v: null, source: "absent" };
}

/** Injected activity at the injection time, Bq. */
export function resolveDoseBq(
  first: PetInstanceMetadata,
  o: SuvOverrides,
): { v: number; source: SuvInputSource } {
  const ov = checkOverride(o.injectedDoseBq, "injected dose", "--dose-mbq");
  if (ov !== undefined) return { v: ov, source: "override" };
  if (positive(first.RadionuclideTotalDose)) return { v: first.RadionuclideTotalDose, source: "header" };
  throw missing(
    "RadionuclideTotalDose",
    "(0018,1074)",
    "--dose-mbq",
    "185",
    "SUV needs the injected activity (RadiopharmaceuticalInformationSequence)",
  );
}

/** Injection time, epoch ms. */
export function resolveInjectionTimeMs(
  first: PetInstanceMetadata,
  o: SuvOverrides,
): { v: number; source: SuvInputSource } {
  if (o.injectionTimeMs !== undefined) {
    if (!Number.isFinite(o.injectionTimeMs)) {
      throw new AtsmError({
        code: "INVALID_ARGUMENT",
        message: "injection time is not finite",
        field: "--injection-time",
      });
    }
    return { v: o.injectionTimeMs, source: "override" };
  }
  const t = first.RadiopharmaceuticalStartDateTimeMs;
  if (t !== null && Number.isFinite(t)) return { v: t, source: "header" };
  throw missing(
    "RadiopharmaceuticalStartDateTime",
    "(0018,1078) / RadiopharmaceuticalStartTime (0018,1072)",
    "--injection-time",
    "2025-03-01T08:00:00Z",
    "decay correction of the dose needs the injection time",
  );
}

/** The nuclide named by the override, the RadionuclideCodeSequence meaning or Radiopharmaceutical. */
export function resolveNuclide(first: PetInstanceMetadata, o: SuvOverrides): Nuclide | null {
  if (o.nuclide !== undefined) {
    const n = findNuclide(o.nuclide);
    if (n === undefined) {
      throw new AtsmError({
        code: "UNKNOWN_NUCLIDE",
        message: "unknown nuclide",
        value: o.nuclide,
        field: "--nuclide",
        hint: "e.g. Cu-64, F-18, Ga-68, Zr-89 (see atsm decay --help)",
      });
    }
    return n;
  }
  const fromCode = first.RadionuclideCodeMeaning ? findNuclide(first.RadionuclideCodeMeaning) : undefined;
  if (fromCode) return fromCode;
  const fromText = first.Radiopharmaceutical ? findNuclideInText(first.Radiopharmaceutical) : undefined;
  return fromText ?? null;
}

/** Half-life, s: override, else RadionuclideHalfLife, else the nuclide table. */
export function resolveHalfLifeS(
  first: PetInstanceMetadata,
  o: SuvOverrides,
  nuclide: Nuclide | null,
  warnings: string[],
): { v: number | null; source: SuvInputSource } {
  const ov = checkOverride(o.halfLifeS, "half-life", "--half-life");
  if (ov !== undefined) return { v: ov, source: "override" };
  const h = first.RadionuclideHalfLife;
  if (positive(h)) {
    if (nuclide !== null && Math.abs(h / nuclide.halfLifeS - 1) > 0.01) {
      warnings.push(
        `RadionuclideHalfLife ${h} s differs by more than 1 % from ${nuclide.name} (${nuclide.halfLifeS} s, ${nuclide.source}); header value used`,
      );
    }
    return { v: h, source: "header" };
  }
  if (nuclide !== null) return { v: nuclide.halfLifeS, source: "table" };
  return { v: null, source: "absent" };
}

export function missingHalfLife(): AtsmError {
  return missing(
    "RadionuclideHalfLife",
    "(0018,1075)",
    "--nuclide",
    "Cu-64 (or --half-life SECONDS)",
    "decay correction needs the half-life and the nuclide is not named in RadionuclideCodeSequence or Radiopharmaceutical",
  );
}
