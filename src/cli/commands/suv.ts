/**
 * `atsm suv <path> [--json] [overrides]`: SUV scale factors of the PET series of a study, computed
 * the QIBA / Cornerstone calculate-suv way by `computeSuvScaleFactors` (src/quant/suv). Flags win
 * over header values.
 */
import { AtsmError } from "../../core/errors.js";
import { parseActivityBq, parseDurationS, parseFiniteNumber } from "../../core/units.js";
import { loadStudy, pickPetSeries } from "../../io/study.js";
import { computeSuvScaleFactors, isoUtc, type SuvOverrides } from "../../quant/suv/index.js";
import { type CliContext, optionalString, parseCommandArgs } from "../context.js";
import { progressBar } from "../progress.js";

const HELP = `usage: atsm suv <path> [--json] [--series UID] [overrides]

SUV scale factors (multiply Bq/mL by the factor to get SUV) of the PET series at <path> (DICOM
folder/file, NIfTI with BIDS-PET sidecar, Inveon, Interfile), following QIBA / calculate-suv:
decay correction START vs ADMIN, series vs acquisition time, Philips and GE private tags,
residual activity. SUL by Janmahasatian and James lean body mass, SUVbsa by Du Bois.

overrides (win over the header):
  --weight-kg KG          PatientWeight (0010,1030)
  --height-cm CM          PatientSize (0010,1020)
  --sex M|F               PatientSex (0010,0040)
  --dose-mbq MBQ          RadionuclideTotalDose (0018,1074); also --dose 185MBq / 5mCi
  --injection-time TIME   RadiopharmaceuticalStartDateTime (0018,1078)
  --residual-mbq MBQ      activity left in syringe/line   --residual-time TIME  when measured
  --half-life DURATION    RadionuclideHalfLife (0018,1075), e.g. 12.7h
  --nuclide NAME          nuclide for the half-life, e.g. Cu-64
  --decay-correction START|ADMIN|NONE                      DecayCorrection (0054,1102)
  --scan-time TIME        decay reference time (bypasses the series/acquisition time rules)
  --series UID            which PET series (default: the largest static Bq/mL one)
  --json                  print one JSON object
  --help                  this text

TIME: DICOM times carry no zone and are read as wall-clock; give TIME as the same wall-clock,
e.g. 2025-03-01T09:15:00 (or with Z). A time with an offset (+01:00) is converted to UTC and then
to the header's TimezoneOffsetFromUTC wall-clock (UTC when the header has none).
`;

const OPTIONS = {
  json: { type: "boolean" },
  help: { type: "boolean", short: "h" },
  series: { type: "string" },
  "weight-kg": { type: "string" },
  "height-cm": { type: "string" },
  sex: { type: "string" },
  "dose-mbq": { type: "string" },
  dose: { type: "string" },
  "injection-time": { type: "string" },
  "residual-mbq": { type: "string" },
  "residual-time": { type: "string" },
  "half-life": { type: "string" },
  nuclide: { type: "string" },
  "decay-correction": { type: "string" },
  "scan-time": { type: "string" },
} as const;

/** Parse "+0100" / "-0500" (DICOM TimezoneOffsetFromUTC) to minutes; 0 when absent or malformed. */
function offsetMinutes(tz: string | null): number {
  const m = /^([+-])(\d{2})(\d{2})$/.exec((tz ?? "").trim());
  return m === null ? 0 : (m[1] === "-" ? -1 : 1) * (Number(m[2]) * 60 + Number(m[3]));
}

/**
 * A flag time on the header's naive wall-clock axis (epoch ms "as if UTC", like the DICOM reader).
 * Exported for tests.
 */
export function parseScannerTimeMs(text: string, flag: string, headerTz: string | null): number {
  const t = text.trim().replace(" ", "T");
  const m = /^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?)(Z|[+-]\d{2}:?\d{2})?$/.exec(t);
  const base = m === null ? Number.NaN : Date.parse(`${m[1]}Z`);
  if (m === null || !Number.isFinite(base)) {
    throw new AtsmError({
      code: "INVALID_ARGUMENT",
      message: `cannot parse ${flag} as an ISO-8601 date-time`,
      value: text,
      field: flag,
      hint: "write e.g. 2025-03-01T09:15:00 (scanner wall-clock) or 2025-03-01T08:15:00Z",
    });
  }
  const zone = m[2];
  if (zone === undefined || zone === "Z") return base;
  const sign = zone.startsWith("-") ? -1 : 1;
  const digits = zone.slice(1).replace(":", "");
  const userOffsetMin = sign * (Number(digits.slice(0, 2)) * 60 + Number(digits.slice(2, 4)));
  const utc = base - userOffsetMin * 60_000;
  return utc + offsetMinutes(headerTz) * 60_000;
}

/** A plain number with a unit glued on ("370MBq", "72kg", "168cm"): the flag already names the unit. */
const WITH_UNIT = /^\s*[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?\s*[a-zA-Zµ]+\s*$/;
const BARE_NUMBER = /^\s*[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?\s*$/;

function positive(text: string, flag: string): number {
  if (WITH_UNIT.test(text)) {
    throw new AtsmError({
      code: "INVALID_ARGUMENT",
      message: `${flag} takes a plain number (its unit is in the flag name)`,
      value: text,
      field: flag,
      hint:
        flag === "--dose-mbq" || flag === "--residual-mbq"
          ? `write ${flag} 370, or --dose 370MBq / --dose 10mCi to give the unit`
          : `write e.g. ${flag} ${text.replace(/[a-zA-Zµ\s]+$/, "")}`,
    });
  }
  const v = parseFiniteNumber(text, flag);
  if (!(v > 0)) {
    throw new AtsmError({
      code: "INVALID_ARGUMENT",
      message: `${flag} must be > 0`,
      value: text,
      field: flag,
    });
  }
  return v;
}

export async function run(argv: readonly string[], ctx: CliContext): Promise<number> {
  const { values, positionals } = parseCommandArgs("suv", argv, OPTIONS);
  if (values.help === true) {
    ctx.stdout(HELP);
    return 0;
  }
  const path = positionals[0];
  if (path === undefined || positionals.length > 1) {
    ctx.stderr(`error: atsm suv takes one path\n${HELP}`);
    return 2;
  }
  const bar = progressBar(ctx, "reading");
  const series = await loadStudy(path, { onProgress: bar });
  bar.done();
  const uid = optionalString(values, "series");
  const pet = pickPetSeries(series, uid === undefined ? {} : { seriesInstanceUid: uid });
  const tz = pet.petInstances[0]?.TimezoneOffsetFromUTC ?? null;
  const o: { -readonly [K in keyof SuvOverrides]: SuvOverrides[K] } = {};
  const s = (k: string) => optionalString(values, k);
  if (s("weight-kg") !== undefined) o.weightKg = positive(s("weight-kg")!, "--weight-kg");
  if (s("height-cm") !== undefined) {
    const cm = positive(s("height-cm")!, "--height-cm");
    // No patient is under 3 cm tall: 1.68 here is metres, and would give SUL off by 10^4.
    if (cm < 3) {
      throw new AtsmError({
        code: "INVALID_ARGUMENT",
        message: "--height-cm is in centimetres",
        value: s("height-cm"),
        field: "--height-cm",
        hint: `looks like metres: write --height-cm ${Number((cm * 100).toPrecision(6))}`,
      });
    }
    o.heightM = cm / 100; // cm -> m
  }
  const sex = s("sex");
  if (sex !== undefined) {
    const up = sex.toUpperCase();
    if (up !== "M" && up !== "F") {
      throw new AtsmError({
        code: "INVALID_ARGUMENT",
        message: "--sex must be M or F",
        value: sex,
        field: "--sex",
        hint: "the lean-body-mass formulas are defined for M and F only",
      });
    }
    o.sex = up;
  }
  if (s("dose-mbq") !== undefined) o.injectedDoseBq = positive(s("dose-mbq")!, "--dose-mbq") * 1e6; // MBq -> Bq
  if (s("dose") !== undefined) {
    // A bare number would be read as Bq (370 → 370 Bq, SUV × 10^6): require the unit here.
    if (BARE_NUMBER.test(s("dose")!)) {
      throw new AtsmError({
        code: "INVALID_ARGUMENT",
        message: "--dose needs a unit",
        value: s("dose"),
        field: "--dose",
        hint: `write --dose ${s("dose")!.trim()}MBq (or mCi), or --dose-mbq ${s("dose")!.trim()}`,
      });
    }
    o.injectedDoseBq = parseActivityBq(s("dose")!, "--dose");
  }
  if (s("injection-time") !== undefined)
    o.injectionTimeMs = parseScannerTimeMs(s("injection-time")!, "--injection-time", tz);
  if (s("residual-mbq") !== undefined)
    o.residualActivityBq = positive(s("residual-mbq")!, "--residual-mbq") * 1e6;
  if (s("residual-time") !== undefined)
    o.residualTimeMs = parseScannerTimeMs(s("residual-time")!, "--residual-time", tz);
  if (s("half-life") !== undefined) {
    // A bare number would be read as seconds (12.7 → 12.7 s, decay factor 2^-190): require the unit.
    if (BARE_NUMBER.test(s("half-life")!)) {
      throw new AtsmError({
        code: "INVALID_ARGUMENT",
        message: "--half-life needs a unit",
        value: s("half-life"),
        field: "--half-life",
        hint: `write e.g. --half-life ${s("half-life")!.trim()}h (s, m, h, d accepted), or --nuclide Cu-64`,
      });
    }
    o.halfLifeS = parseDurationS(s("half-life")!, "--half-life");
  }
  if (s("nuclide") !== undefined) o.nuclide = s("nuclide")!;
  if (s("scan-time") !== undefined) o.scanTimeMs = parseScannerTimeMs(s("scan-time")!, "--scan-time", tz);
  const dc = s("decay-correction");
  if (dc !== undefined) {
    const up = dc.toUpperCase();
    if (up !== "START" && up !== "ADMIN" && up !== "NONE") {
      throw new AtsmError({
        code: "INVALID_ARGUMENT",
        message: "--decay-correction must be START, ADMIN or NONE",
        value: dc,
        field: "--decay-correction",
      });
    }
    o.decayCorrection = up;
  }
  if (pet.petInstances.length === 0) {
    throw new AtsmError({
      code: "MISSING_INPUT",
      message: `series "${pet.seriesDescription}" carries no PET header fields`,
      file: pet.source,
      hint: "use a DICOM PET series, or a NIfTI with a BIDS-PET sidecar (InjectedRadioactivity, InjectionStart, ...)",
    });
  }
  const r = computeSuvScaleFactors(pet.petInstances, o);
  const result = {
    ...r,
    scanTime: r.scanTimeMs === null ? null : isoUtc(r.scanTimeMs),
    injectionTime: r.injectionTimeMs === null ? null : isoUtc(r.injectionTimeMs),
    series: {
      seriesInstanceUid: pet.seriesInstanceUid,
      seriesDescription: pet.seriesDescription,
      source: pet.source,
    },
  };
  if (values.json === true) {
    ctx.stdout(`${JSON.stringify(result, null, 2)}\n`);
    return 0;
  }
  // Factor units: mass / activity (g/Bq), so SUV (g/mL) = Bq/mL × factor; BSA: cm²/Bq → cm²/mL.
  const f = (x: number | null, unit: string) => (x === null ? "n/a" : `${x.toExponential(6)} ${unit}`);
  ctx.stdout(
    [
      `series              "${pet.seriesDescription}" (${pet.seriesInstanceUid ?? pet.source})`,
      `units               ${r.units}, decay correction ${r.decayCorrection}`,
      `SUVbw factor        ${f(r.suvBwScaleFactor, "g/Bq")}  (SUV [g/mL] = value [Bq/mL] × factor)`,
      `SUL Janmahasatian   ${f(r.suvLbmJanmaScaleFactor, "g/Bq")}`,
      `SUL James           ${f(r.suvLbmJamesScaleFactor, "g/Bq")}`,
      `SUVbsa              ${f(r.suvBsaScaleFactor, "cm²/Bq")}`,
      `injected            ${r.injectedDoseBq === null ? "?" : `${(r.injectedDoseBq / 1e6).toFixed(3)} MBq`} at ${result.injectionTime ?? "?"}`,
      `scan time           ${result.scanTime ?? "?"} (${r.scanTimeRule}), decay factor ${r.decayFactor === null ? "n/a" : Number(r.decayFactor.toPrecision(7))}`,
      `weight              ${r.weightKg} kg${r.heightM === null ? "" : `, height ${r.heightM} m`}${r.sex === null ? "" : `, sex ${r.sex}`}`,
      ...r.warnings.map((w) => `warning             ${w}`),
      "",
    ].join("\n"),
  );
  return 0;
}
