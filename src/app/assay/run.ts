/**
 * The assay job: read layout, counts (generic or Wizard2) and protein files, resolve the nuclide,
 * check for counter-side decay correction, run the core analysis and shape the JSON result.
 */
import { readFile } from "node:fs/promises";
import { basename } from "node:path";
import { AtsmError } from "../../core/errors.js";
import { decodeText } from "../../io/csv.js";
import { readAssayCounts } from "../../io/lab/assay-counts.js";
import { readAssayLayout } from "../../io/lab/assay-layout.js";
import { readPlateAbsorbance } from "../../io/lab/platereader.js";
import { type AssayResult, analyzeAssay } from "../../lab/assay/analyze.js";
import { type CounterDecayCheck, checkCounterDecayCorrection } from "../../lab/assay/counter-decay.js";
import type { AssayWarning, ProteinModelChoice, ProteinReading } from "../../lab/assay/types.js";
import { findNuclide, getNuclide } from "../../physics/nuclides.js";

export interface AssayJobInput {
  readonly layoutPath: string;
  readonly countsPath: string;
  readonly proteinPath?: string;
  /** Nuclide name; default Cu-64 (or the Wizard2 column prefix when it names a nuclide). */
  readonly nuclide?: string;
  /** Half-life override, s. */
  readonly halfLifeS?: number;
  readonly referenceMs?: number;
  readonly assayStartMs?: number;
  readonly deadTimeS?: number;
  readonly efficiency?: number;
  /** undefined: ask the data (error when the counter evidently corrected). */
  readonly counterDecayCorrected?: boolean;
  readonly counterUtcOffset?: string;
  readonly wizardTimeIs?: "start" | "end";
  readonly window?: string;
  readonly lysateVolumeMl?: number;
  readonly proteinModel?: ProteinModelChoice;
  readonly referenceCondition?: string;
  readonly decimalComma?: boolean;
}

export interface AssayJobResult {
  readonly result: AssayResult;
  readonly nuclide: string;
  readonly countsFormat: "generic" | "wizard2";
  readonly counterDecayCheck: CounterDecayCheck | null;
  readonly files: { layout: string; counts: string; protein: string | null };
}

async function readText(path: string, what: string): Promise<string> {
  try {
    return decodeText(new Uint8Array(await readFile(path)));
  } catch (e) {
    throw new AtsmError({
      code: "NOT_FOUND",
      message: `cannot read the ${what} file`,
      file: path,
      hint: "check the path",
      cause: e,
    });
  }
}

export async function runAssayJob(input: AssayJobInput): Promise<AssayJobResult> {
  const csv = input.decimalComma !== undefined ? { decimalComma: input.decimalComma } : {};
  const layoutName = basename(input.layoutPath);
  const countsName = basename(input.countsPath);
  const layout = readAssayLayout(await readText(input.layoutPath, "layout"), { file: layoutName, ...csv });
  const counts = readAssayCounts(await readText(input.countsPath, "counts"), {
    file: countsName,
    ...csv,
    ...(input.counterUtcOffset !== undefined ? { utcOffset: input.counterUtcOffset } : {}),
    ...(input.wizardTimeIs !== undefined ? { timeIs: input.wizardTimeIs } : {}),
    ...(input.window !== undefined ? { window: input.window } : {}),
  });
  let protein: ProteinReading[] | undefined;
  let proteinName: string | null = null;
  if (input.proteinPath !== undefined) {
    proteinName = basename(input.proteinPath);
    protein = readPlateAbsorbance(await readText(input.proteinPath, "protein"), {
      file: proteinName,
      ...csv,
    });
  }
  const warnings: AssayWarning[] = [];
  // Nuclide: flag, else Wizard2 prefix, else Cu-64.
  const prefixNuclide = counts.nuclidePrefix !== null ? findNuclide(counts.nuclidePrefix) : undefined;
  const nuclide = getNuclide(input.nuclide ?? prefixNuclide?.name ?? "Cu-64", "--nuclide");
  if (prefixNuclide !== undefined && prefixNuclide.name !== nuclide.name) {
    warnings.push({
      code: "NUCLIDE_MISMATCH",
      file: countsName,
      field: `${counts.nuclidePrefix} CPM`,
      message: `the counter protocol is for ${prefixNuclide.name} but --nuclide is ${nuclide.name}; decay correction uses ${nuclide.name}`,
    });
  }
  const halfLifeS = input.halfLifeS ?? nuclide.halfLifeS;
  if (
    counts.format === "wizard2" &&
    input.counterUtcOffset === undefined &&
    (input.referenceMs !== undefined || input.assayStartMs !== undefined)
  ) {
    warnings.push({
      code: "COUNTER_ZONE_ASSUMED",
      file: countsName,
      field: "Measurement date & time",
      message:
        "Wizard2 times carry no time zone and were read as UTC; pass --counter-utc-offset (e.g. +01:00) so they line up with --reference-time / --assay-start",
    });
  }
  let check: CounterDecayCheck | null = null;
  let corrected = input.counterDecayCorrected;
  if (counts.format === "wizard2") {
    check = checkCounterDecayCorrection(counts.records, halfLifeS);
    if (corrected === undefined) {
      if (check.verdict === "corrected") {
        throw new AtsmError({
          code: "INCONSISTENT",
          message: `the counter appears to have decay-corrected its CPM already (${check.reason})`,
          file: countsName,
          field: `${counts.nuclidePrefix} CPM`,
          hint: "pass --counter-decay-corrected yes (use the CPM as they are) or --counter-decay-corrected no (correct them here); correcting twice would bias late counts",
        });
      }
      if (check.verdict === "unknown") {
        warnings.push({
          code: "COUNTER_DECAY_UNKNOWN",
          file: countsName,
          message: `could not tell from the data whether the counter decay-corrected its CPM (${check.reason}); assumed not: pass --counter-decay-corrected yes if the Wizard2 protocol had decay correction on`,
        });
      }
      corrected = false;
    } else if ((check.verdict === "corrected") !== corrected && check.verdict !== "unknown") {
      warnings.push({
        code: "COUNTER_DECAY_DISAGREES",
        file: countsName,
        message: `--counter-decay-corrected ${corrected ? "yes" : "no"} but the CPM/counts ratio says ${check.verdict} (${check.reason})`,
      });
    }
  }
  const result = analyzeAssay({
    layout,
    counts: counts.records,
    ...(protein !== undefined ? { protein } : {}),
    warnings,
    options: {
      halfLifeS,
      counterDecayCorrected: corrected ?? false,
      ...(input.referenceMs !== undefined ? { referenceMs: input.referenceMs } : {}),
      ...(input.assayStartMs !== undefined ? { assayStartMs: input.assayStartMs } : {}),
      ...(input.deadTimeS !== undefined ? { deadTimeS: input.deadTimeS } : {}),
      ...(input.efficiency !== undefined ? { efficiency: input.efficiency } : {}),
      ...(input.lysateVolumeMl !== undefined ? { lysateVolumeMl: input.lysateVolumeMl } : {}),
      ...(input.proteinModel !== undefined ? { proteinModel: input.proteinModel } : {}),
      ...(input.referenceCondition !== undefined ? { referenceCondition: input.referenceCondition } : {}),
    },
  });
  return {
    result,
    nuclide: nuclide.name,
    countsFormat: counts.format,
    counterDecayCheck: check,
    files: { layout: layoutName, counts: countsName, protein: proteinName },
  };
}

/** Round for JSON output: 6 significant digits; no NaN (becomes null). */
function r6(v: number | null | undefined): number | null {
  if (v === null || v === undefined || !Number.isFinite(v)) return null;
  return Number(v.toPrecision(6));
}

/** The `--json` object: groups, ratios, tests, fits, warnings, plus the details behind them. */
export function assayJson(job: AssayJobResult): Record<string, unknown> {
  const r = job.result;
  return {
    nuclide: job.nuclide,
    halfLifeH: r6(r.halfLifeS / 3600),
    // With counter-side correction the values refer to the counter's reference (implied from
    // CPM/counts when it can be), not ours.
    referenceTime: r.counterDecayCorrected
      ? job.counterDecayCheck?.impliedReferenceMs != null
        ? new Date(job.counterDecayCheck.impliedReferenceMs).toISOString()
        : null
      : new Date(r.referenceMs).toISOString(),
    referenceTimeSource: r.counterDecayCorrected
      ? job.counterDecayCheck?.impliedReferenceMs != null
        ? "counter (implied from CPM/counts)"
        : "counter (not stated in the file)"
      : "workbench",
    countsFormat: job.countsFormat,
    counterDecayCorrected: r.counterDecayCorrected,
    counterDecayCheck: job.counterDecayCheck && {
      verdict: job.counterDecayCheck.verdict,
      reason: job.counterDecayCheck.reason,
      slopeOverLambda:
        job.counterDecayCheck.slopePerS === null
          ? null
          : r6(job.counterDecayCheck.slopePerS / job.counterDecayCheck.lambdaPerS),
    },
    response: r.response,
    referenceCondition: r.referenceCondition,
    background: { ratePerS: r6(r.background.ratePerS), n: r.background.n },
    added: {
      ratePerS: r6(r.added.ratePerS),
      activityBq: r6(r.added.activityBq),
      n: r.added.n,
      cvPercent: r6(r.added.cvPercent),
    },
    protein: r.protein && {
      model: r.protein.curve.fit.model,
      params: r.protein.curve.fit.params.map(r6),
      r2: r6(r.protein.curve.fit.r2),
      candidates: r.protein.curve.candidates.map((c) => ({ model: c.model, r2: r6(c.r2), aicc: r6(c.aicc) })),
      standards: r.protein.standards.length,
    },
    groups: r.groups.map((g) => ({
      phase: g.phase,
      condition: g.condition,
      timeMin: g.timeMin,
      uptakePercent: r6(g.uptakePercent),
      uptakePercentPerUgProtein: r6(g.uptakePercentPerUgProtein),
      sd: r6(g.sd),
      sdPerUgProtein: r6(g.sdPerUgProtein),
      sem: r6(g.sem),
      retentionPercent: r6(g.retentionPercent),
      sdRetentionPercent: r6(g.sdRetentionPercent),
      n: g.n,
    })),
    ratios: r.ratios.map((q) => ({
      phase: q.phase,
      timeMin: q.timeMin,
      numerator: q.numerator,
      denominator: q.denominator,
      response: q.response,
      ratio: r6(q.ratio),
      ciLow: r6(q.ciLow),
      ciHigh: r6(q.ciHigh),
      level: q.level,
      method: q.method,
    })),
    tests: r.tests.map((t) =>
      t.kind === "welch-t"
        ? {
            ...t,
            t: r6(t.t),
            df: r6(t.df),
            p: r6(t.p),
            meanDifference: r6(t.meanDifference),
            ciLow: r6(t.ciLow),
            ciHigh: r6(t.ciHigh),
          }
        : {
            ...t,
            rows: t.rows.map((w) => ({
              source: w.source,
              ss: r6(w.ss),
              df: w.df,
              ms: r6(w.ms),
              f: r6(w.f),
              p: r6(w.p),
            })),
          },
    ),
    fits: r.fits.map((f) => {
      const p = (x: { value: number; se: number | null; fixed: boolean }) => ({
        value: r6(x.value),
        se: r6(x.se),
        fixed: x.fixed,
      });
      return {
        phase: f.phase,
        condition: f.condition,
        response: f.response,
        model: f.fit.model,
        Y0: p(f.fit.Y0),
        Plateau: p(f.fit.Plateau),
        KPerMin: p(f.fit.K),
        halfTimeMin: p(f.fit.halfTime),
        TauMin: p(f.fit.Tau),
        r2: r6(f.fit.r2),
        n: f.fit.n,
        converged: f.fit.converged,
      };
    }),
    wells: r.wells.map((w) => ({
      well: w.well,
      phase: w.phase,
      condition: w.condition,
      timeMin: w.timeMin,
      netRatePerS: r6(w.netRatePerS),
      correctedRatePerS: r6(w.correctedRatePerS),
      activityBq: r6(w.activityBq),
      uptakePercent: r6(w.uptakePercent),
      proteinUg: r6(w.proteinUg),
      uptakePercentPerUgProtein: r6(w.uptakePercentPerUgProtein),
      retentionPercent: r6(w.retentionPercent),
    })),
    warnings: r.warnings,
  };
}
