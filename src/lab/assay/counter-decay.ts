/**
 * Did the gamma counter already decay-correct its CPM? (lab-formats.md §1.1: Wizard2 CPM may be
 * decay-corrected to a reference the file does not state; BioDist infers it from the CPM/counts
 * ratio.) With raw counts C over live time T and a reported rate R (CPM/60), the ratio
 * q = R / (C/T) is constant per detector (normalisation) when uncorrected, and grows as
 * e^(λ·(t − tref)) when the counter corrected to tref. We regress ln q on count start time with a
 * separate intercept per detector; slope ≈ λ ⇒ corrected, slope ≈ 0 ⇒ not corrected.
 */
import type { CountRecord } from "./types.js";

export type CounterDecayVerdict = "corrected" | "not-corrected" | "unknown";

export interface CounterDecayCheck {
  readonly verdict: CounterDecayVerdict;
  /** Fitted slope of ln(rate/(counts/T)) against time, per second; null when not estimable. */
  readonly slopePerS: number | null;
  readonly slopeSePerS: number | null;
  /** Decay constant λ = ln2/T½, per second. */
  readonly lambdaPerS: number;
  /** Time span of the hot records used, s. */
  readonly spanS: number;
  readonly recordsUsed: number;
  /** Counter's implied reference time (epoch ms) when corrected. */
  readonly impliedReferenceMs: number | null;
  readonly reason: string;
}

/** Records with at least `minCounts` raw counts are used (default 1000: ≤ ~3 % Poisson noise). */
export function checkCounterDecayCorrection(
  records: readonly CountRecord[],
  halfLifeS: number,
  minCounts = 1000,
): CounterDecayCheck {
  const lambda = Math.LN2 / halfLifeS;
  const hot = records.filter((r) => r.rawCounts !== null && r.rawCounts >= minCounts && r.grossRatePerS > 0);
  const base = { lambdaPerS: lambda, recordsUsed: hot.length };
  if (hot.length < 3) {
    return {
      ...base,
      verdict: "unknown",
      slopePerS: null,
      slopeSePerS: null,
      spanS: 0,
      impliedReferenceMs: null,
      reason: "fewer than 3 records with raw counts ≥ " + minCounts,
    };
  }
  const t = hot.map((r) => (r.countEndMs - r.countTimeS * 1000) / 1000);
  const t0 = Math.min(...t);
  const ts = t.map((v) => v - t0);
  const lq = hot.map((r) => Math.log(r.grossRatePerS / (r.rawCounts! / r.countTimeS)));
  const det = hot.map((r) => String(r.detector ?? 0));
  const groups = new Map<string, number[]>();
  det.forEach((d, i) => {
    const g = groups.get(d);
    if (g) g.push(i);
    else groups.set(d, [i]);
  });
  let sxx = 0;
  let sxy = 0;
  for (const idx of groups.values()) {
    const mt = idx.reduce((a, i) => a + ts[i]!, 0) / idx.length;
    const mq = idx.reduce((a, i) => a + lq[i]!, 0) / idx.length;
    for (const i of idx) {
      sxx += (ts[i]! - mt) ** 2;
      sxy += (ts[i]! - mt) * (lq[i]! - mq);
    }
  }
  const spanS = Math.max(...ts);
  if (sxx <= 0) {
    return {
      ...base,
      verdict: "unknown",
      slopePerS: null,
      slopeSePerS: null,
      spanS,
      impliedReferenceMs: null,
      reason: "all hot records were counted at the same time",
    };
  }
  const slope = sxy / sxx;
  let ssr = 0;
  for (const idx of groups.values()) {
    const mt = idx.reduce((a, i) => a + ts[i]!, 0) / idx.length;
    const mq = idx.reduce((a, i) => a + lq[i]!, 0) / idx.length;
    for (const i of idx) ssr += (lq[i]! - mq - slope * (ts[i]! - mt)) ** 2;
  }
  const dof = hot.length - groups.size - 1;
  const se = dof > 0 ? Math.sqrt(ssr / dof / sxx) : null;
  const seUse = se ?? Number.POSITIVE_INFINITY;
  let verdict: CounterDecayVerdict = "unknown";
  let reason: string;
  const dCorr = Math.abs(slope - lambda);
  const dNone = Math.abs(slope);
  if (dCorr < dNone && dNone > 3 * seUse) {
    verdict = "corrected";
    reason = `CPM/counts ratio grows with time at ${(slope / lambda).toFixed(2)}×λ`;
  } else if (dNone < dCorr && dCorr > 3 * seUse) {
    verdict = "not-corrected";
    reason = `CPM/counts ratio is constant in time (slope ${(slope / lambda).toFixed(2)}×λ)`;
  } else {
    reason = `time span ${(spanS / 60).toFixed(1)} min is too short or too noisy to tell (slope ${(slope / lambda).toFixed(2)}×λ ± ${(seUse / lambda).toFixed(2)})`;
  }
  let impliedReferenceMs: number | null = null;
  if (verdict === "corrected") {
    // ln q = λ(t − tref) + detector offset; average over records assuming offsets ≈ 0
    const tref = t.reduce((a, v, i) => a + (v - lq[i]! / lambda), 0) / t.length;
    impliedReferenceMs = tref * 1000;
  }
  return { ...base, verdict, slopePerS: slope, slopeSePerS: se, spanS, impliedReferenceMs, reason };
}
