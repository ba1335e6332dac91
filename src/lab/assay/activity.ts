/**
 * From gamma-counter records to decay-corrected net count rates per well.
 *
 * For each record (gross rate m in counts/s, live time T, count start ts = end − T):
 * 1. dead time (non-paralysable, Knoll, Radiation Detection and Measurement 4th ed. eq. 4.7):
 *    n = m / (1 − m·τ);
 * 2. background: subtract the mean dead-time-corrected rate of the `background` wells
 *    (background is not radioactive tracer, so it is not decay-corrected);
 * 3. decay during counting: the mean rate over [ts, ts+T] is A(ts)(1 − e^(−λT))/(λT), so multiply by
 *    λT / (1 − e^(−λT));
 * 4. decay to the reference time tref: multiply by e^(λ·(ts − tref)), λ = ln2 / T½.
 * Steps 3–4 are skipped when the counter already decay-corrected (lab-formats.md §1.1).
 * 5. optional efficiency ε (counts per decay): activity = rate / ε, Bq at tref.
 */
import { AtsmError } from "../../core/errors.js";
import type { AssayOptions, AssayWarning, CountRecord, LayoutWell } from "./types.js";

export interface WellActivity {
  readonly well: string;
  /** Dead-time-corrected gross rate, counts/s (mean of recounts). */
  readonly grossRatePerS: number;
  /** Gross − background, counts/s, not decay-corrected. */
  readonly netRatePerS: number;
  /** Net rate decay-corrected to the reference time, counts/s. */
  readonly correctedRatePerS: number;
  /** Activity at the reference time, Bq (only with an efficiency). */
  readonly activityBq: number | null;
  readonly records: readonly CountRecord[];
}

export interface ActivityResult {
  readonly referenceMs: number;
  readonly backgroundRatePerS: number;
  readonly backgroundN: number;
  readonly wells: ReadonlyMap<string, WellActivity>;
}

/** Dead-time correction m/(1 − mτ); throws when mτ ≥ 1. */
export function deadTimeCorrect(ratePerS: number, deadTimeS: number, rec?: CountRecord): number {
  if (deadTimeS <= 0) return ratePerS;
  const loss = ratePerS * deadTimeS;
  if (loss >= 1) {
    throw new AtsmError({
      code: "NUMERIC",
      message: `count rate ${ratePerS.toFixed(1)} /s is beyond the dead-time limit 1/τ = ${(1 / deadTimeS).toFixed(1)} /s`,
      ...(rec?.source.file !== undefined ? { file: rec.source.file } : {}),
      ...(rec !== undefined ? { row: rec.source.row, field: rec.field } : {}),
      hint: "check --dead-time-s (seconds, e.g. 1e-6) or dilute and recount the sample",
    });
  }
  return ratePerS / (1 - loss);
}

/** Decay factor from count start `startMs` (live time `countTimeS`) to `referenceMs`. */
export function decayCorrectionFactor(
  startMs: number,
  countTimeS: number,
  referenceMs: number,
  halfLifeS: number,
): number {
  const lambda = Math.LN2 / halfLifeS;
  const lt = lambda * countTimeS;
  const during = lt > 1e-12 ? lt / -Math.expm1(-lt) : 1;
  return during * Math.exp((lambda * (startMs - referenceMs)) / 1000);
}

/**
 * Per-well net, decay-corrected count rates. Throws for count records with no layout well, a
 * count start before the assay start, or bad live times; warns for negative net rates and recounts.
 */
export function computeWellActivities(
  layout: ReadonlyMap<string, LayoutWell>,
  records: readonly CountRecord[],
  options: AssayOptions,
  warnings: AssayWarning[],
): ActivityResult {
  if (records.length === 0) {
    throw new AtsmError({
      code: "MISSING_INPUT",
      message: "the counts file has no records",
      hint: "export the counter run with one row per tube",
    });
  }
  const tau = options.deadTimeS ?? 0;
  for (const r of records) {
    if (!layout.has(r.well)) {
      throw new AtsmError({
        code: "INCONSISTENT",
        message: `counted well ${JSON.stringify(r.well)} is not in the plate layout`,
        ...(r.source.file !== undefined ? { file: r.source.file } : {}),
        row: r.source.row,
        field: "well",
        hint: "add the well to the layout CSV (role sample, background or standard), or fix its name in the counts file",
      });
    }
    if (!(r.countTimeS > 0)) {
      throw new AtsmError({
        code: "INVALID_ARGUMENT",
        message: `count time must be > 0 s`,
        value: r.countTimeS,
        ...(r.source.file !== undefined ? { file: r.source.file } : {}),
        row: r.source.row,
        field: "countTimeS",
        hint: "the live counting time in seconds, e.g. 60",
      });
    }
    if (r.grossRatePerS < 0) {
      // A counter that subtracts its own background (Wizard2 option) can report < 0 for empty tubes.
      warnings.push({
        code: "NEGATIVE_GROSS",
        well: r.well,
        ...(r.source.file !== undefined ? { file: r.source.file } : {}),
        row: r.source.row,
        field: r.field,
        message: `well ${r.well}: the counter reports a negative rate (${r.grossRatePerS.toFixed(3)} /s), so it already subtracted a background; background wells here are subtracted again`,
      });
    }
    const startMs = r.countEndMs - r.countTimeS * 1000;
    // Background tubes hold no tracer and may be counted before it was added.
    const isBackground = layout.get(r.well)!.role === "background";
    if (options.assayStartMs !== undefined && startMs < options.assayStartMs && !isBackground) {
      throw new AtsmError({
        code: "INCONSISTENT",
        message: `counting of well ${r.well} started ${((options.assayStartMs - startMs) / 60000).toFixed(1)} min before the assay start`,
        ...(r.source.file !== undefined ? { file: r.source.file } : {}),
        row: r.source.row,
        field: "countEndTime",
        hint: "check the counter clock, the time zone (--counter-utc-offset) and --assay-start",
      });
    }
  }
  const referenceMs =
    options.referenceMs ??
    options.assayStartMs ??
    Math.min(...records.map((r) => r.countEndMs - r.countTimeS * 1000));

  // background
  const bgRates: number[] = [];
  for (const r of records)
    if (layout.get(r.well)!.role === "background") bgRates.push(deadTimeCorrect(r.grossRatePerS, tau, r));
  const backgroundRatePerS = bgRates.length > 0 ? bgRates.reduce((a, b) => a + b, 0) / bgRates.length : 0;
  if (bgRates.length === 0) {
    warnings.push({
      code: "NO_BACKGROUND",
      message: "no background wells in the layout: counts are used without background subtraction",
    });
  }

  const byWell = new Map<string, CountRecord[]>();
  for (const r of records) {
    const l = byWell.get(r.well);
    if (l) l.push(r);
    else byWell.set(r.well, [r]);
  }
  const wells = new Map<string, WellActivity>();
  for (const [well, recs] of byWell) {
    const role = layout.get(well)!.role;
    if (role === "protein-standard") {
      const r0 = recs[0]!;
      throw new AtsmError({
        code: "INCONSISTENT",
        message: `well ${well} is a protein-standard in the layout but has gamma counts`,
        ...(r0.source.file !== undefined ? { file: r0.source.file } : {}),
        row: r0.source.row,
        field: "well",
        hint: "protein standards are read on the plate reader; fix the well name or the role",
      });
    }
    if (recs.length > 1) {
      warnings.push({
        code: "RECOUNT",
        well,
        message: `well ${well} was counted ${recs.length} times (rows ${recs.map((r) => r.source.row).join(", ")}); the decay-corrected rates are averaged`,
      });
    }
    let gross = 0;
    let net = 0;
    let corrected = 0;
    for (const r of recs) {
      const g = deadTimeCorrect(r.grossRatePerS, tau, r);
      const nr = g - backgroundRatePerS;
      const startMs = r.countEndMs - r.countTimeS * 1000;
      const f = options.counterDecayCorrected
        ? 1
        : decayCorrectionFactor(startMs, r.countTimeS, referenceMs, options.halfLifeS);
      gross += g / recs.length;
      net += nr / recs.length;
      corrected += (nr * f) / recs.length;
    }
    if (role !== "background" && net < 0) {
      const r0 = recs[0]!;
      warnings.push({
        code: "NEGATIVE_NET",
        well,
        ...(r0.source.file !== undefined ? { file: r0.source.file } : {}),
        row: r0.source.row,
        field: r0.field,
        message: `well ${well}: net count rate ${net.toFixed(3)} /s is below background (${backgroundRatePerS.toFixed(3)} /s); kept as negative (not clipped) so means stay unbiased`,
      });
    }
    const eff = options.efficiency;
    wells.set(well, {
      well,
      grossRatePerS: gross,
      netRatePerS: net,
      correctedRatePerS: corrected,
      activityBq: eff !== undefined && eff > 0 ? corrected / eff : null,
      records: recs,
    });
  }
  return { referenceMs, backgroundRatePerS, backgroundN: bgRates.length, wells };
}
