/**
 * `computeSuvScaleFactors`: QIBA / Cornerstone calculate-suv SUV scale factors of one PET series.
 * See index.ts for the API and docs/suv.md for the rules and their validation.
 */
import { AtsmError } from "../../core/errors.js";
import { decayFactor } from "../../physics/index.js";
import {
  bodySurfaceAreaDuBoisM2,
  leanBodyMassJamesKg,
  leanBodyMassJanmahasatianKg,
  type SuvSex,
} from "./body.js";
import {
  checkCorrectedImage,
  checkSingleSeries,
  missingHalfLife,
  resolveDecayCorrection,
  resolveDoseBq,
  resolveHalfLifeS,
  resolveHeightM,
  resolveInjectionTimeMs,
  resolveNuclide,
  resolveSex,
  resolveUnits,
  resolveWeightKg,
} from "./inputs.js";
import { isoUtc } from "./iso-time.js";
import type { PetInstanceMetadata } from "./metadata.js";
import { acquisitionScanTimes, type ScanTimes, startScanTimes } from "./scan-time.js";
import type {
  SuvInputSource,
  SuvInstanceFactors,
  SuvOverrides,
  SuvResult,
  SuvScanTimeRule,
  SuvUnits,
} from "./types.js";

/** Relative difference below which per-instance factors count as equal. */
const SAME_FACTOR_REL = 1e-9;

function finiteNonZero(v: number | null): v is number {
  return v !== null && Number.isFinite(v) && v !== 0;
}

/** How a CNTS (Philips) series is scaled. */
type CntsRoute = "suv-scale-factor" | "activity-concentration";

function philipsRoute(
  instances: readonly PetInstanceMetadata[],
  overridesTouchDose: boolean,
  warnings: string[],
): CntsRoute {
  const hasSuv = instances.every((i) => finiteNonZero(i.PhilipsPETPrivateGroup_SUVScaleFactor));
  const hasAcsf = instances.every((i) =>
    finiteNonZero(i.PhilipsPETPrivateGroup_ActivityConcentrationScaleFactor),
  );
  if (hasSuv && !(overridesTouchDose && hasAcsf)) {
    if (overridesTouchDose) {
      warnings.push(
        "Philips SUVScaleFactor (7053,1000) used; dose/time overrides cannot be applied without ActivityConcentrationScaleFactor (7053,1009) (a weight override is applied as W_override/W_header)",
      );
    }
    return "suv-scale-factor";
  }
  if (hasAcsf) return "activity-concentration";
  throw new AtsmError({
    code: "MISSING_INPUT",
    message:
      "Units are CNTS but the Philips private SUVScaleFactor (7053,1000) and ActivityConcentrationScaleFactor (7053,1009) are absent or zero",
    field: "PhilipsPETPrivateGroup_SUVScaleFactor",
    hint: "only Philips CNTS series with these private tags can be converted; export the series in BQML",
  });
}

/** Reference activity: dose and residual decayed to the scan reference time, Bq. */
function netActivityAtBq(
  doseBq: number,
  injectionMs: number,
  residualBq: number,
  residualMs: number,
  refMs: number,
  halfLifeS: number | null,
): number {
  if (halfLifeS === null) {
    // Only reachable when every time equals the reference (ADMIN without a residual time).
    return doseBq - residualBq;
  }
  return (
    doseBq * decayFactor(halfLifeS, (refMs - injectionMs) / 1000) -
    residualBq * decayFactor(halfLifeS, (refMs - residualMs) / 1000)
  );
}

function lbmOrNull(kg: number, name: string, warnings: string[]): number | null {
  if (kg > 0 && Number.isFinite(kg)) return kg;
  warnings.push(`${name} lean body mass is ${kg.toFixed(1)} kg (formula out of range): factor not given`);
  return null;
}

function differ(values: readonly (number | null)[]): boolean {
  const a = values[0] ?? null;
  return values.some((v) => {
    if (v === null || a === null) return v !== a;
    return Math.abs(v - a) > SAME_FACTOR_REL * Math.abs(a);
  });
}

/**
 * SUV scale factors of one PET series from its per-instance header records.
 *
 * @param instances one `PetInstanceMetadata` per instance (slice or frame) of ONE series
 * @param overrides values that win over the headers (CLI flags)
 * @throws AtsmError MISSING_INPUT naming the DICOM keyword and the flag that supplies it;
 *   UNSUPPORTED for Units other than BQML/CNTS(Philips)/GML; INCONSISTENT for mixed series or a
 *   scan time before the injection.
 */
export function computeSuvScaleFactors(
  instances: readonly PetInstanceMetadata[],
  overrides: SuvOverrides = {},
): SuvResult {
  checkSingleSeries(instances);
  const first = instances[0]!;
  const warnings: string[] = [];
  const sources: Record<string, SuvInputSource> = {};

  const units: SuvUnits = resolveUnits(first);
  const dc = resolveDecayCorrection(first, overrides, warnings);
  sources.decayCorrection = dc.source;
  checkCorrectedImage(first, dc.mode, warnings);

  const weight = resolveWeightKg(first, overrides);
  sources.weightKg = weight.source;
  const height = resolveHeightM(first, overrides, warnings);
  sources.heightM = height.source;
  const sex = resolveSex(first, overrides);
  sources.sex = sex.source;

  const overridesTouchDose =
    overrides.injectedDoseBq !== undefined ||
    overrides.injectionTimeMs !== undefined ||
    overrides.residualActivityBq !== undefined ||
    overrides.halfLifeS !== undefined ||
    overrides.decayCorrection !== undefined ||
    overrides.scanTimeMs !== undefined ||
    overrides.weightKg !== undefined;
  const cnts = units === "CNTS" ? philipsRoute(instances, overridesTouchDose, warnings) : null;
  const needsDose = units === "BQML" || cnts === "activity-concentration";

  const nuclide = resolveNuclide(first, overrides);
  const hl = resolveHalfLifeS(first, overrides, nuclide, warnings);
  sources.halfLifeS = hl.source;

  let injectedDoseBq: number | null = null;
  let injectionTimeMs: number | null = null;
  let residualBq: number | null = null;
  let scan: ScanTimes | null = null;
  let rule: SuvScanTimeRule = "not-needed";
  const refActivity: (number | null)[] = instances.map(() => null);
  const scanTimes: (number | null)[] = instances.map(() => null);
  const decayFactors: (number | null)[] = instances.map(() => null);
  let decayTimeS: number | null = null;

  if (needsDose) {
    const dose = resolveDoseBq(first, overrides);
    injectedDoseBq = dose.v;
    sources.injectedDoseBq = dose.source;
    residualBq = overrides.residualActivityBq ?? null;
    if (residualBq !== null && !(residualBq >= 0 && Number.isFinite(residualBq))) {
      throw new AtsmError({
        code: "INVALID_ARGUMENT",
        message: "residual activity must be ≥ 0",
        value: residualBq,
        field: "--residual-mbq",
      });
    }
    const needsTime = dc.mode !== "ADMIN" || overrides.residualTimeMs !== undefined;
    let injMs = 0;
    if (needsTime) {
      const inj = resolveInjectionTimeMs(first, overrides);
      injMs = inj.v;
      injectionTimeMs = inj.v;
      sources.injectionTimeMs = inj.source;
      if (hl.v === null) throw missingHalfLife();
    } else if (first.RadiopharmaceuticalStartDateTimeMs !== null || overrides.injectionTimeMs !== undefined) {
      injectionTimeMs = overrides.injectionTimeMs ?? first.RadiopharmaceuticalStartDateTimeMs;
      injMs = injectionTimeMs!;
      sources.injectionTimeMs = overrides.injectionTimeMs !== undefined ? "override" : "header";
    }
    const resMs = overrides.residualTimeMs ?? injMs;
    if (residualBq !== null) {
      sources.residualActivityBq = "override";
      if (overrides.residualTimeMs === undefined)
        warnings.push("residual activity taken as measured at the injection time");
      else if (overrides.residualTimeMs < injMs)
        // The syringe/line is measured after the injection; an earlier time is usually a date or zone typo.
        warnings.push(
          `residual activity measured ${((injMs - overrides.residualTimeMs) / 60000).toFixed(1)} min before the injection: check --residual-time (it is normally after the injection)`,
        );
    }

    if (dc.mode === "ADMIN") {
      rule = "not-needed";
      for (let i = 0; i < instances.length; i++)
        refActivity[i] = netActivityAtBq(dose.v, injMs, residualBq ?? 0, resMs, injMs, hl.v);
      decayTimeS = 0;
    } else {
      const halfLifeS = hl.v!;
      if (overrides.scanTimeMs !== undefined) {
        scan = { rule: "override", timesMs: instances.map(() => overrides.scanTimeMs!), warnings: [] };
      } else {
        scan =
          dc.mode === "START"
            ? startScanTimes(instances, halfLifeS)
            : acquisitionScanTimes(instances, halfLifeS);
      }
      warnings.push(...scan.warnings);
      rule = scan.rule;
      for (let i = 0; i < instances.length; i++) {
        const t = scan.timesMs[i]!;
        if (t < injMs) {
          throw new AtsmError({
            code: "INCONSISTENT",
            message: `scan time ${isoUtc(t)} (${rule}) is before the injection time ${isoUtc(injMs)}: decay time cannot be negative`,
            field: "RadiopharmaceuticalStartDateTime",
            hint: "check the injection date/time (RadiopharmaceuticalStartTime without a date is placed on the SeriesDate); pass --injection-time with a date, e.g. 2025-03-01T08:00:00Z",
          });
        }
        scanTimes[i] = t;
        refActivity[i] = netActivityAtBq(dose.v, injMs, residualBq ?? 0, resMs, t, halfLifeS);
      }
      decayTimeS = (scanTimes[0]! - injMs) / 1000;
    }
    for (let i = 0; i < instances.length; i++) {
      const a = refActivity[i]!;
      if (!(a > 0)) {
        throw new AtsmError({
          code: "INVALID_ARGUMENT",
          message: `net activity at the reference time is ${a} Bq: the residual is not smaller than the dose`,
          field: "--residual-mbq",
          hint: "check --residual-mbq and --dose-mbq (both in MBq)",
        });
      }
      decayFactors[i] = a / dose.v;
    }
  } else if (units === "GML" || cnts === "suv-scale-factor") {
    injectedDoseBq = positiveOrNull(first.RadionuclideTotalDose);
    injectionTimeMs = first.RadiopharmaceuticalStartDateTimeMs;
  }
  if (scan === null && dc.mode === "START" && hl.v !== null) {
    // Report the scan time when the headers give one, even if the factors do not use it.
    try {
      const s = startScanTimes(instances, hl.v);
      for (let i = 0; i < instances.length; i++) scanTimes[i] = s.timesMs[i]!;
      rule = "not-needed";
    } catch {
      // no scan time in the headers: nothing to report
    }
  }

  // SUVbw factor per instance.
  const weightG = weight.v * 1000; // kg -> g
  const bqml: (number | null)[] = instances.map((inst) => {
    if (units === "BQML") return 1;
    if (units === "GML") return null;
    const f = inst.PhilipsPETPrivateGroup_ActivityConcentrationScaleFactor;
    return finiteNonZero(f) ? f : null;
  });
  const suvBw = instances.map((inst, i) => {
    if (units === "GML") return 1;
    if (cnts === "suv-scale-factor") {
      const f = inst.PhilipsPETPrivateGroup_SUVScaleFactor!;
      const wh = first.PatientWeight;
      return overrides.weightKg !== undefined && wh !== null && wh > 0 ? (f * overrides.weightKg) / wh : f;
    }
    return (bqml[i]! * weightG) / refActivity[i]!;
  });

  // Body-size normalisers.
  let lbmJanmaKg: number | null = null;
  let lbmJamesKg: number | null = null;
  let bsaM2: number | null = null;
  if (height.v !== null) {
    bsaM2 = bodySurfaceAreaDuBoisM2(weight.v, height.v);
    if (sex.v !== null) {
      lbmJanmaKg = lbmOrNull(
        leanBodyMassJanmahasatianKg(weight.v, height.v, sex.v),
        "Janmahasatian",
        warnings,
      );
      lbmJamesKg = lbmOrNull(leanBodyMassJamesKg(weight.v, height.v, sex.v), "James", warnings);
    } else {
      warnings.push(
        `SUL not computed: PatientSex (0010,0040) is ${first.PatientSex === null ? "absent" : `"${first.PatientSex}"`}; pass --sex M|F`,
      );
    }
  } else {
    warnings.push("SUL and SUVbsa not computed: PatientSize (0010,1020) is absent; pass --height-cm");
  }
  const scaled = (ratioKgOrM2: number | null, perKg: number) =>
    suvBw.map((f) => (ratioKgOrM2 === null ? null : (f * ratioKgOrM2 * perKg) / weight.v));
  const janma = scaled(lbmJanmaKg, 1);
  const james = scaled(lbmJamesKg, 1);
  // BSA in cm² per g of weight: BSA[m²]·1e4 / (W[kg]·1000) → factor × 10 per (m²/kg).
  const bsa = scaled(bsaM2, 10);

  const perInstanceNeeded =
    instances.length > 1 && (differ(suvBw) || differ(janma) || differ(james) || differ(bsa) || differ(bqml));
  const perInstance: SuvInstanceFactors[] | null = perInstanceNeeded
    ? instances.map((inst, i) => ({
        index: i,
        SOPInstanceUID: inst.SOPInstanceUID,
        suvBwScaleFactor: suvBw[i]!,
        suvLbmJanmaScaleFactor: janma[i] ?? null,
        suvLbmJamesScaleFactor: james[i] ?? null,
        suvBsaScaleFactor: bsa[i] ?? null,
        bqmlScaleFactor: bqml[i] ?? null,
        scanTimeMs: scanTimes[i] ?? null,
        decayFactor: decayFactors[i] ?? null,
      }))
    : null;

  return {
    units,
    decayCorrection: dc.mode,
    suvBwScaleFactor: suvBw[0]!,
    suvLbmJanmaScaleFactor: janma[0] ?? null,
    suvLbmJamesScaleFactor: james[0] ?? null,
    suvBsaScaleFactor: bsa[0] ?? null,
    perInstance,
    decayFactor: decayFactors[0] ?? null,
    decayTimeS,
    scanTimeMs: scanTimes[0] ?? null,
    scanTimeRule: rule,
    injectionTimeMs,
    injectedDoseBq,
    residualActivityBq: residualBq,
    decayedDoseBq: refActivity[0] ?? null,
    halfLifeS: hl.v,
    nuclide: nuclide?.name ?? null,
    weightKg: weight.v,
    heightM: height.v,
    sex: sex.v as SuvSex | null,
    lbmJanmaKg,
    lbmJamesKg,
    bsaM2,
    sources,
    warnings,
  };
}

function positiveOrNull(v: number | null): number | null {
  return v !== null && Number.isFinite(v) && v > 0 ? v : null;
}
