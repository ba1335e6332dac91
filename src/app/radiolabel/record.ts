/**
 * Radiolabelling batch record (lab-formats.md §5.3): identity, materials with lots, timed activities
 * (each linked to its measurement time and decay-corrected to one reference time), yield, molar
 * activity, QC against the specification, release decision, who and when.
 *
 * Input is a JSON document (see docs/radiolabel.md for the schema); output is the same content
 * plus every derived number, with nothing rounded (rounding happens only in the HTML/PDF view).
 */
import { dirname, resolve } from "node:path";
import { AtsmError } from "../../core/errors.js";
import { parseActivityBq, parseIsoTimeMs } from "../../core/units.js";
import { readChromatogram } from "../../io/lab/chromatogram.js";
import { analyzeChromatogram, type ChromatogramResult, type Trace } from "../../lab/chromatogram/analyze.js";
import { H2ATSM_FORMULA, molarMassGPerMol } from "../../lab/radiolabel/chemistry.js";
import { radiochemicalYield } from "../../lab/radiolabel/planner.js";
import { decayFactor, getNuclide } from "../../physics/index.js";
import { validateBatchInput } from "./validate.js";

export interface BatchRecordInput {
  product: string;
  batchNumber: string;
  specificationVersion: string;
  nuclide?: string;
  operator: string;
  /** ISO time all activities are also decay-corrected to (default: end of synthesis). */
  referenceTime?: string;
  materials: { name: string; lot: string; amount?: string }[];
  activities: { step: string; activity: string; time: string; volumeMl?: number }[];
  synthesis: { startStep: string; productStep: string; ligandMassUg: number; ligandFormula?: string };
  qc: {
    trace?: string;
    originMm?: number;
    frontMm?: number;
    productRange: [number, number];
    rois?: [number, number][];
    releaseLimitPercent?: number;
    otherTests?: {
      test: string;
      method?: string;
      result: string;
      acceptance: string;
      pass: boolean;
      stage?: "pre-release" | "post-release";
    }[];
  };
  release?: { decidedBy: string; time: string; comment?: string };
}

export interface TimedActivity {
  readonly step: string;
  readonly activityBq: number;
  readonly time: string;
  readonly timeMs: number;
  readonly activityAtReferenceBq: number;
  readonly volumeMl: number | null;
}

export interface BatchRecord {
  readonly input: BatchRecordInput;
  readonly nuclide: string;
  readonly halfLifeS: number;
  readonly halfLifeSource: string;
  readonly referenceTime: string;
  readonly activities: readonly TimedActivity[];
  readonly rcyNonDecayCorrectedPercent: number;
  readonly rcyDecayCorrectedPercent: number;
  readonly ligandMolarMassGPerMol: number;
  readonly ligandMol: number;
  readonly molarActivityGBqPerUmol: number;
  readonly molarActivityReferenceTime: string;
  readonly qc: ChromatogramResult | null;
  /** The imported QC trace (for the HTML/PDF views), or null without `qc.trace`. */
  readonly trace: Trace | null;
  readonly rcpPercent: number | null;
  /**
   * `released`: meets the specification and signed; `pending`: meets it but nobody has signed
   * (no `release` block); `rejected`: fails a pre-release test, or the data are inconsistent.
   */
  readonly release: {
    readonly decision: "released" | "pending" | "rejected";
    readonly reasons: readonly string[];
  };
  readonly warnings: readonly string[];
}

/**
 * Build the batch record from its JSON input; `baseDir` resolves the trace path, `file` names the
 * batch file in errors. The input is shape-checked first (validate.ts), so the fields below exist.
 */
export async function buildBatchRecord(
  input: BatchRecordInput,
  baseDir: string,
  file?: string,
): Promise<BatchRecord> {
  validateBatchInput(input, file);
  const nuc = getNuclide(input.nuclide ?? "Cu-64");
  const warnings: string[] = [];
  const acts = input.activities.map((a, i) => ({
    step: a.step,
    activityBq: parseActivityBq(a.activity, `activities[${i}].activity`),
    time: a.time,
    timeMs: parseIsoTimeMs(a.time, `activities[${i}].time`),
    volumeMl: a.volumeMl ?? null,
  }));
  const byStep = (name: string, field: string) => {
    const a = acts.find((x) => x.step === name);
    if (!a) {
      throw new AtsmError({
        code: "INCONSISTENT",
        message: `${field} names step ${JSON.stringify(name)}, which is not in activities`,
        field,
        hint: `steps present: ${acts.map((x) => x.step).join(", ")}`,
      });
    }
    return a;
  };
  const start = byStep(input.synthesis.startStep, "synthesis.startStep");
  const product = byStep(input.synthesis.productStep, "synthesis.productStep");
  const refMs = input.referenceTime ? parseIsoTimeMs(input.referenceTime, "referenceTime") : product.timeMs;
  const referenceTime = new Date(refMs).toISOString();
  const activities: TimedActivity[] = acts.map((a) => ({
    ...a,
    activityAtReferenceBq: a.activityBq * decayFactor(nuc.halfLifeS, (refMs - a.timeMs) / 1000),
  }));
  const rcy = radiochemicalYield({
    halfLifeS: nuc.halfLifeS,
    startActivityBq: start.activityBq,
    startTimeS: start.timeMs / 1000,
    productActivityBq: product.activityBq,
    productTimeS: product.timeMs / 1000,
  });
  const mw = molarMassGPerMol(input.synthesis.ligandFormula ?? H2ATSM_FORMULA);
  const ligandMol = (input.synthesis.ligandMassUg * 1e-6) / mw;
  const molarActivity = product.activityBq / 1e9 / (ligandMol * 1e6);

  let qc: ChromatogramResult | null = null;
  let trace: Trace | null = null;
  const reasons: string[] = [];
  if (input.qc.trace) {
    trace = (await readChromatogram(resolve(baseDir, input.qc.trace))).trace;
    qc = analyzeChromatogram(trace, {
      ...(input.qc.originMm !== undefined ? { originMm: input.qc.originMm } : {}),
      ...(input.qc.frontMm !== undefined ? { frontMm: input.qc.frontMm } : {}),
      productRange: input.qc.productRange,
      ...(input.qc.rois ? { rois: input.qc.rois } : {}),
      ...(input.qc.releaseLimitPercent !== undefined
        ? { releaseLimitPercent: input.qc.releaseLimitPercent }
        : {}),
    });
    if (!qc.pass)
      reasons.push(`RCP ${qc.rcpPercent.toFixed(2)} % is not above the limit ${qc.releaseLimitPercent} %`);
  } else {
    reasons.push("no radiochemical purity result (qc.trace missing)");
  }
  for (const t of input.qc.otherTests ?? []) {
    if (!t.pass && (t.stage ?? "pre-release") === "pre-release")
      reasons.push(`${t.test}: ${t.result} fails ${t.acceptance}`);
  }
  let unsigned = false;
  if (!input.release) {
    // A batch meets its specification or not; it is released only when someone signs for it.
    warnings.push("no release signature (release.decidedBy / release.time)");
    unsigned = true;
  } else if (parseIsoTimeMs(input.release.time, "release.time") < product.timeMs) {
    reasons.push(`release time ${input.release.time} is before the product was measured (${product.time})`);
  }
  if (rcy.rcyDecayCorrected > 1.05) {
    // More product than was put in is a data-entry error (unit, time or step), not a yield.
    reasons.push(
      `decay-corrected RCY ${(100 * rcy.rcyDecayCorrected).toFixed(1)} % is above 100 %: check the activities, their units and times`,
    );
  }
  return {
    input,
    nuclide: nuc.name,
    halfLifeS: nuc.halfLifeS,
    halfLifeSource: nuc.source,
    referenceTime,
    activities,
    rcyNonDecayCorrectedPercent: 100 * rcy.rcyNonDecayCorrected,
    rcyDecayCorrectedPercent: 100 * rcy.rcyDecayCorrected,
    ligandMolarMassGPerMol: mw,
    ligandMol,
    molarActivityGBqPerUmol: molarActivity,
    molarActivityReferenceTime: product.time,
    qc,
    trace,
    rcpPercent: qc ? qc.rcpPercent : null,
    release: {
      decision: reasons.length > 0 ? "rejected" : unsigned ? "pending" : "released",
      reasons: unsigned
        ? [...reasons, "not signed: the record has no release.decidedBy / release.time"]
        : reasons,
    },
    warnings,
  };
}

/** JSON form of the record (trace and baseline arrays dropped: they are in the trace file). */
export function recordToJson(r: BatchRecord): Record<string, unknown> {
  const { qc, trace: _trace, ...rest } = r;
  return { ...rest, qc: qc ? { ...qc, baseline: undefined } : null };
}

export function baseDirOf(path: string): string {
  return dirname(resolve(path));
}
