/**
 * Group statistics of an assay: mean ± SD (n − 1) and n per phase × condition × time; condition /
 * reference-condition ratios with Fieller 95 % CIs; Welch t-tests per time point; two-way ANOVA
 * (condition × time, Type III sums of squares, effect coding); GraphPad one-phase association
 * (uptake, Y0 fixed at 0 after background subtraction) and plateau + one-phase decay (retention,
 * X0 = 0) fits per condition.
 */
import { AtsmError } from "../../core/errors.js";
import { AnovaNotEstimable, type AnovaRow, twoWayAnova } from "../../stats/anova.js";
import { summarize } from "../../stats/descriptive.js";
import { type ExpFit, fitOnePhaseAssociation, fitOnePhaseDecay } from "../../stats/exponential.js";
import { ratioOfMeansCi } from "../../stats/ratio.js";
import { welchTTest } from "../../stats/ttest.js";
import type { WellResult } from "./analyze.js";
import type { AssayPhase, AssayWarning } from "./types.js";

export type ResponseName = "uptakePercent" | "uptakePercentPerUgProtein" | "retentionPercent";

export interface GroupResult {
  readonly phase: AssayPhase;
  readonly condition: string;
  readonly timeMin: number;
  readonly n: number;
  /** Mean uptake, % of added activity. */
  readonly uptakePercent: number;
  /** SD of uptake % (n − 1); null when n < 2. */
  readonly sd: number | null;
  readonly sem: number | null;
  readonly uptakePercentPerUgProtein: number | null;
  readonly sdPerUgProtein: number | null;
  readonly retentionPercent: number | null;
  readonly sdRetentionPercent: number | null;
}

export interface RatioResult {
  readonly phase: AssayPhase;
  readonly timeMin: number;
  readonly numerator: string;
  readonly denominator: string;
  readonly response: ResponseName;
  readonly ratio: number;
  readonly ciLow: number | null;
  readonly ciHigh: number | null;
  readonly level: number;
  readonly method: "fieller";
  readonly df: number | null;
  readonly seDelta: number | null;
}

export interface WelchTestResult {
  readonly kind: "welch-t";
  readonly phase: AssayPhase;
  readonly timeMin: number;
  readonly conditions: readonly [string, string];
  readonly response: ResponseName;
  readonly t: number;
  readonly df: number;
  readonly p: number;
  readonly meanDifference: number;
  readonly ciLow: number;
  readonly ciHigh: number;
}

export interface AnovaTestResult {
  readonly kind: "two-way-anova";
  readonly phase: AssayPhase;
  readonly response: ResponseName;
  readonly ssType: "III";
  readonly balanced: boolean;
  readonly rows: readonly AnovaRow[];
}

export interface FitResult {
  readonly phase: AssayPhase;
  readonly condition: string;
  readonly response: ResponseName;
  readonly fit: ExpFit;
}

export interface AssayStatistics {
  readonly response: ResponseName;
  readonly referenceCondition: string;
  readonly groups: readonly GroupResult[];
  readonly ratios: readonly RatioResult[];
  readonly tests: readonly (WelchTestResult | AnovaTestResult)[];
  readonly fits: readonly FitResult[];
}

function pick(w: WellResult, r: ResponseName): number | null {
  return r === "uptakePercent"
    ? w.uptakePercent
    : r === "uptakePercentPerUgProtein"
      ? w.uptakePercentPerUgProtein
      : w.retentionPercent;
}

function values(ws: readonly WellResult[], r: ResponseName): number[] | null {
  const v = ws.map((w) => pick(w, r));
  return v.every((x) => x !== null) ? (v as number[]) : null;
}

function chooseReference(
  conditions: readonly string[],
  o2: ReadonlyMap<string, number>,
  requested: string | undefined,
  warnings: AssayWarning[],
): string {
  if (requested !== undefined) {
    if (!conditions.includes(requested)) {
      throw new AtsmError({
        code: "INVALID_ARGUMENT",
        message: "reference condition is not a sample condition of the layout",
        value: requested,
        field: "--reference-condition",
        hint: `one of ${conditions.map((c) => JSON.stringify(c)).join(", ")}`,
      });
    }
    return requested;
  }
  const withO2 = conditions.filter((c) => o2.has(c));
  if (withO2.length === conditions.length && conditions.length > 0) {
    return [...withO2].sort((a, b) => o2.get(b)! - o2.get(a)!)[0]!;
  }
  const normox = conditions.find((c) => /normox/i.test(c));
  if (normox !== undefined) return normox;
  warnings.push({
    code: "REFERENCE_CONDITION_GUESSED",
    message: `no o2Percent column and no condition named "normoxic": ratios use ${JSON.stringify(conditions[0])} as the denominator (pass --reference-condition)`,
  });
  return conditions[0] ?? "";
}

export function assayStatistics(
  wells: readonly WellResult[],
  opts: {
    response: "uptakePercent" | "uptakePercentPerUgProtein";
    o2Percent: ReadonlyMap<string, number>;
    referenceCondition?: string;
    level: number;
    warnings: AssayWarning[];
  },
): AssayStatistics {
  const { warnings, level } = opts;
  const conditions = [...new Set(wells.map((w) => w.condition))];
  const reference = chooseReference(conditions, opts.o2Percent, opts.referenceCondition, warnings);
  const phases: AssayPhase[] = ["uptake", "efflux"];
  const groups: GroupResult[] = [];
  const ratios: RatioResult[] = [];
  const tests: (WelchTestResult | AnovaTestResult)[] = [];
  const fits: FitResult[] = [];
  for (const phase of phases) {
    const pw = wells.filter((w) => w.phase === phase);
    if (pw.length === 0) continue;
    const times = [...new Set(pw.map((w) => w.timeMin))].sort((a, b) => a - b);
    const resp: ResponseName = phase === "uptake" ? opts.response : "retentionPercent";
    for (const c of conditions)
      for (const t of times) {
        const g = pw.filter((w) => w.condition === c && w.timeMin === t);
        if (g.length === 0) continue;
        const up = summarize(g.map((w) => w.uptakePercent));
        const pu = values(g, "uptakePercentPerUgProtein");
        const ps = pu ? summarize(pu) : null;
        const rt = values(g, "retentionPercent");
        const rs = rt ? summarize(rt) : null;
        groups.push({
          phase,
          condition: c,
          timeMin: t,
          n: g.length,
          uptakePercent: up.mean,
          sd: up.sd,
          sem: up.sem,
          uptakePercentPerUgProtein: ps?.mean ?? null,
          sdPerUgProtein: ps?.sd ?? null,
          retentionPercent: rs?.mean ?? null,
          sdRetentionPercent: rs?.sd ?? null,
        });
      }
    // ratios and Welch tests per time point
    for (const t of times) {
      // Efflux t = 0 is the washout reference itself (retention ≡ 100 %): nothing to compare.
      if (phase === "efflux" && t === 0) continue;
      const ref = values(
        pw.filter((w) => w.condition === reference && w.timeMin === t),
        resp,
      );
      if (!ref || ref.length === 0) continue;
      for (const c of conditions) {
        if (c === reference) continue;
        const num = values(
          pw.filter((w) => w.condition === c && w.timeMin === t),
          resp,
        );
        if (!num || num.length === 0) continue;
        const rc = ratioOfMeansCi(num, ref, level);
        ratios.push({ phase, timeMin: t, numerator: c, denominator: reference, response: resp, ...rc });
        if (num.length >= 2 && ref.length >= 2) {
          const tt = welchTTest(num, ref, level);
          tests.push({
            kind: "welch-t",
            phase,
            timeMin: t,
            conditions: [c, reference],
            response: resp,
            t: tt.t,
            df: tt.df,
            p: tt.p,
            meanDifference: tt.meanDifference,
            ciLow: tt.ciLow,
            ciHigh: tt.ciHigh,
          });
        } else {
          warnings.push({
            code: "TEST_SKIPPED",
            message: `${phase} t = ${t} min: Welch t-test ${c} vs ${reference} needs n ≥ 2 in both groups`,
          });
        }
      }
    }
    // two-way ANOVA condition × time
    const aw = pw.filter((w) => pick(w, resp) !== null);
    if (conditions.length >= 2 && times.length >= 2 && aw.length > 0) {
      try {
        const an = twoWayAnova(
          aw.map((w) => pick(w, resp)!),
          aw.map((w) => w.condition),
          aw.map((w) => String(w.timeMin)),
          { ssType: "III", nameA: "condition", nameB: "time" },
        );
        tests.push({
          kind: "two-way-anova",
          phase,
          response: resp,
          ssType: "III",
          balanced: an.balanced,
          rows: an.rows,
        });
      } catch (e) {
        if (!(e instanceof AnovaNotEstimable)) throw e;
        warnings.push({
          code: "ANOVA_SKIPPED",
          message: `${phase}: two-way ANOVA not computed: ${e.message}`,
        });
      }
    }
    // time-course fits
    for (const c of conditions) {
      const cw = pw.filter((w) => w.condition === c && pick(w, resp) !== null);
      const distinct = new Set(cw.map((w) => w.timeMin)).size;
      const need = phase === "uptake" ? 2 : 3;
      if (distinct < need + (phase === "uptake" ? 0 : 0) || cw.length <= need) {
        if (cw.length > 0)
          warnings.push({
            code: "FIT_SKIPPED",
            message: `${phase} fit for ${c}: needs ≥ ${need} time points and more than ${need} wells (has ${distinct} and ${cw.length})`,
          });
        continue;
      }
      const x = cw.map((w) => w.timeMin);
      const y = cw.map((w) => pick(w, resp)!);
      const fit =
        phase === "uptake" ? fitOnePhaseAssociation(x, y, { fixY0: 0 }) : fitOnePhaseDecay(x, y, { x0: 0 });
      const bad =
        !fit.converged || fit.K.se === null || !Number.isFinite(fit.halfTime.value) || fit.K.value < 1e-9;
      if (bad) {
        warnings.push({
          code: "FIT_UNSTABLE",
          message: `${phase} fit for ${c} did not converge to a well-determined K (the curve may not have reached its plateau); report with caution`,
        });
      }
      fits.push({ phase, condition: c, response: resp, fit });
    }
  }
  return { response: opts.response, referenceCondition: reference, groups, ratios, tests, fits };
}
