/**
 * In-vitro uptake and retention assay (brief protocol 2), end to end on plain data:
 * layout + gamma counts (+ protein readings) → per-well uptake, group statistics, ratios, tests
 * and time-course fits.
 *
 * uptake % = 100 · R_well / R_added, where R_well is the well's net decay-corrected count rate and
 * R_added the mean over `standard` wells of R_std / standardFraction (the activity added per well,
 * counted in the same run so that efficiency cancels; lab-formats.md §0.2).
 * per-µg = uptake % / µg protein in the well. Retention (efflux wells) = 100 · value / mean value
 * of the same condition's efflux wells at timeMin 0 (the activity at washout).
 */
import { AtsmError } from "../../core/errors.js";
import { computeWellActivities } from "./activity.js";
import { computeProtein, type ProteinResult } from "./protein.js";
import { type AssayStatistics, assayStatistics } from "./statistics.js";
import type {
  AssayOptions,
  AssayPhase,
  AssayWarning,
  CountRecord,
  LayoutWell,
  ProteinReading,
} from "./types.js";

export interface WellResult {
  readonly well: string;
  readonly phase: AssayPhase;
  readonly condition: string;
  readonly timeMin: number;
  readonly replicate: string;
  readonly grossRatePerS: number;
  readonly netRatePerS: number;
  readonly correctedRatePerS: number;
  readonly activityBq: number | null;
  readonly uptakePercent: number;
  readonly proteinUg: number | null;
  readonly uptakePercentPerUgProtein: number | null;
  /** Efflux wells only: % of the activity at washout (of the primary response). */
  readonly retentionPercent: number | null;
}

export interface AssayResult extends AssayStatistics {
  readonly referenceMs: number;
  readonly halfLifeS: number;
  readonly counterDecayCorrected: boolean;
  readonly background: { readonly ratePerS: number; readonly n: number };
  readonly added: {
    /** Mean activity added per well as a decay-corrected count rate, counts/s. */
    readonly ratePerS: number;
    readonly activityBq: number | null;
    readonly n: number;
    readonly cvPercent: number | null;
  };
  readonly wells: readonly WellResult[];
  readonly protein: ProteinResult | null;
  readonly warnings: readonly AssayWarning[];
}

/** Index the layout by well id, rejecting duplicates. */
export function indexLayout(layout: readonly LayoutWell[]): Map<string, LayoutWell> {
  const m = new Map<string, LayoutWell>();
  for (const l of layout) {
    const prev = m.get(l.well);
    if (prev) {
      throw new AtsmError({
        code: "INCONSISTENT",
        message: `well ${l.well} appears twice in the layout (rows ${prev.source.row} and ${l.source.row})`,
        ...(l.source.file !== undefined ? { file: l.source.file } : {}),
        row: l.source.row,
        field: "well",
        hint: "each well has one row in the layout",
      });
    }
    m.set(l.well, l);
  }
  return m;
}

export function analyzeAssay(input: {
  readonly layout: readonly LayoutWell[];
  readonly counts: readonly CountRecord[];
  readonly protein?: readonly ProteinReading[];
  readonly options: AssayOptions;
  /** Warnings gathered by the readers, passed through. */
  readonly warnings?: readonly AssayWarning[];
}): AssayResult {
  const { options } = input;
  if (!(options.halfLifeS > 0)) {
    throw new AtsmError({
      code: "INVALID_ARGUMENT",
      message: "half-life must be > 0 s",
      value: options.halfLifeS,
      field: "halfLifeS",
    });
  }
  const warnings: AssayWarning[] = [...(input.warnings ?? [])];
  const layout = indexLayout(input.layout);
  const act = computeWellActivities(layout, input.counts, options, warnings);

  for (const l of layout.values()) {
    if ((l.role === "sample" || l.role === "standard") && !act.wells.has(l.well)) {
      warnings.push({
        code: "NOT_COUNTED",
        well: l.well,
        ...(l.source.file !== undefined ? { file: l.source.file } : {}),
        row: l.source.row,
        message: `layout well ${l.well} (${l.role}) has no counts and is left out`,
      });
    }
  }

  // Added activity from standards (per condition when every condition has its own standards).
  const stdRates: { cond: string; rate: number; well: string }[] = [];
  for (const l of layout.values()) {
    if (l.role !== "standard") continue;
    const a = act.wells.get(l.well);
    if (!a) continue;
    if (!(l.standardFraction > 0)) {
      throw new AtsmError({
        code: "INVALID_ARGUMENT",
        message: `standardFraction of well ${l.well} must be > 0`,
        value: l.standardFraction,
        ...(l.source.file !== undefined ? { file: l.source.file } : {}),
        row: l.source.row,
        field: "standardFraction",
        hint: "the fraction of the per-well added activity in the standard tube, e.g. 1 or 0.1",
      });
    }
    if (!(a.correctedRatePerS > 0)) {
      throw new AtsmError({
        code: "INCONSISTENT",
        message: `standard well ${l.well} has no net counts above background`,
        value: a.netRatePerS,
        ...(l.source.file !== undefined ? { file: l.source.file } : {}),
        row: l.source.row,
        field: "counts",
        hint: "a standard holds a known fraction of the added activity; check its counts and role",
      });
    }
    stdRates.push({ cond: l.condition, rate: a.correctedRatePerS / l.standardFraction, well: l.well });
  }
  if (stdRates.length === 0) {
    throw new AtsmError({
      code: "MISSING_INPUT",
      message: "no counted `standard` wells: uptake as % of added activity needs standards",
      field: "role",
      hint: "add wells with role standard (a known fraction of the activity added per well, column standardFraction, default 1) to the layout and count them",
    });
  }
  const allStd = stdRates.map((s) => s.rate);
  const addedMean = allStd.reduce((a, b) => a + b, 0) / allStd.length;
  const sdStd =
    allStd.length > 1
      ? Math.sqrt(allStd.reduce((a, b) => a + (b - addedMean) ** 2, 0) / (allStd.length - 1))
      : null;
  const cv = sdStd === null ? null : (100 * sdStd) / addedMean;
  if (cv !== null && cv > 10) {
    warnings.push({
      code: "STANDARDS_SPREAD",
      message: `added-activity standards disagree: CV ${cv.toFixed(1)} % (> 10 %); check pipetting of ${stdRates.map((s) => s.well).join(", ")}`,
    });
  }
  const sampleConds = new Set(
    [...layout.values()].filter((l) => l.role === "sample").map((l) => l.condition),
  );
  const perCond = [...sampleConds].every((c) => stdRates.some((s) => s.cond === c));
  const addedFor = (cond: string): number => {
    if (!perCond) return addedMean;
    const r = stdRates.filter((s) => s.cond === cond).map((s) => s.rate);
    return r.reduce((a, b) => a + b, 0) / r.length;
  };

  let protein: ProteinResult | null = null;
  if (input.protein !== undefined && input.protein.length > 0)
    protein = computeProtein(layout, input.protein, options, warnings);

  const wells: WellResult[] = [];
  for (const l of layout.values()) {
    if (l.role !== "sample") continue;
    const a = act.wells.get(l.well);
    if (!a) continue;
    if (l.timeMin === null) {
      throw new AtsmError({
        code: "MISSING_INPUT",
        message: `sample well ${l.well} has no timeMin`,
        ...(l.source.file !== undefined ? { file: l.source.file } : {}),
        row: l.source.row,
        field: "timeMin",
        hint: "give the incubation time in minutes (or, for phase efflux, the minutes after medium replacement)",
      });
    }
    const uptake = (100 * a.correctedRatePerS) / addedFor(l.condition);
    if (uptake > 100) {
      warnings.push({
        code: "UPTAKE_ABOVE_100",
        well: l.well,
        message: `well ${l.well}: uptake ${uptake.toFixed(1)} % of added activity exceeds 100 %: check the standards (standardFraction) and roles`,
      });
    }
    const ug = protein?.proteinUg.get(l.well) ?? null;
    wells.push({
      well: l.well,
      phase: l.phase,
      condition: l.condition,
      timeMin: l.timeMin,
      replicate: l.replicate,
      grossRatePerS: a.grossRatePerS,
      netRatePerS: a.netRatePerS,
      correctedRatePerS: a.correctedRatePerS,
      activityBq: a.activityBq,
      uptakePercent: uptake,
      proteinUg: ug,
      uptakePercentPerUgProtein: ug === null ? null : uptake / ug,
      retentionPercent: null,
    });
  }
  if (wells.length === 0) {
    throw new AtsmError({
      code: "MISSING_INPUT",
      message: "no counted sample wells",
      field: "role",
      hint: "the layout needs wells with role sample that appear in the counts file",
    });
  }
  const usePerUg = protein !== null && wells.every((w) => w.uptakePercentPerUgProtein !== null);
  if (protein !== null && !usePerUg) {
    warnings.push({
      code: "PER_UG_INCOMPLETE",
      message: "some sample wells have no protein value: statistics use uptake % (not per µg protein)",
    });
  }
  const value = (w: WellResult): number => (usePerUg ? w.uptakePercentPerUgProtein! : w.uptakePercent);

  // Retention relative to efflux t = 0 of the same condition.
  const withRetention = wells.map((w) => {
    if (w.phase !== "efflux") return w;
    const ref = wells.filter((v) => v.phase === "efflux" && v.condition === w.condition && v.timeMin === 0);
    if (ref.length === 0) return w;
    const m = ref.reduce((s, v) => s + value(v), 0) / ref.length;
    return { ...w, retentionPercent: (100 * value(w)) / m };
  });
  for (const c of new Set(wells.filter((w) => w.phase === "efflux").map((w) => w.condition))) {
    if (!wells.some((w) => w.phase === "efflux" && w.condition === c && w.timeMin === 0)) {
      warnings.push({
        code: "NO_WASHOUT_REFERENCE",
        message: `condition ${c}: no efflux wells at timeMin 0 (activity at washout), so retention % is not computed`,
      });
    }
  }

  const o2 = new Map<string, number>();
  for (const l of layout.values())
    if (l.o2Percent !== null && l.condition !== "") o2.set(l.condition, l.o2Percent);
  const stats = assayStatistics(withRetention, {
    response: usePerUg ? "uptakePercentPerUgProtein" : "uptakePercent",
    o2Percent: o2,
    ...(options.referenceCondition !== undefined ? { referenceCondition: options.referenceCondition } : {}),
    level: options.level ?? 0.95,
    warnings,
  });
  const eff = options.efficiency;
  return {
    referenceMs: act.referenceMs,
    halfLifeS: options.halfLifeS,
    counterDecayCorrected: options.counterDecayCorrected,
    background: { ratePerS: act.backgroundRatePerS, n: act.backgroundN },
    added: {
      ratePerS: addedMean,
      activityBq: eff !== undefined && eff > 0 ? addedMean / eff : null,
      n: stdRates.length,
      cvPercent: cv,
    },
    wells: withRetention,
    protein,
    ...stats,
    warnings,
  };
}
