/**
 * Two-way ANOVA with interaction (factor A × factor B) by least-squares model comparison, for
 * balanced and unbalanced designs.
 *
 * Design: intercept + effect-coded (sum-to-zero) columns for A (a−1), B (b−1) and their products
 * (a−1)(b−1). Sums of squares:
 * - Type III (default; GraphPad Prism's choice for unequal n from memory, not verified here; statsmodels `anova_lm(typ=3)`
 *   with Sum contrasts): SS(term) = RSS(full model without that term's columns) − RSS(full).
 * - Type II: SS(A) = RSS(B) − RSS(A+B), SS(B) = RSS(A) − RSS(A+B), SS(A×B) = RSS(A+B) − RSS(full).
 * For a balanced design both equal the classical Type I decomposition. F = MS(term)/MS(residual),
 * p = P(F > f). Checked against an explicit numpy OLS computation in test/stats/tests.test.ts.
 */
import { fSf } from "./distributions.js";
import { lstsq } from "./linalg.js";

export type SumOfSquaresType = "II" | "III";

export interface AnovaRow {
  readonly source: string;
  readonly ss: number;
  readonly df: number;
  readonly ms: number;
  /** null for the residual row. */
  readonly f: number | null;
  readonly p: number | null;
}

export interface TwoWayAnovaResult {
  readonly ssType: SumOfSquaresType;
  readonly balanced: boolean;
  readonly rows: readonly AnovaRow[];
  readonly levelsA: readonly string[];
  readonly levelsB: readonly string[];
  readonly n: number;
}

/** Why a two-way ANOVA cannot be computed on the given data (empty cell, no residual df, …). */
export class AnovaNotEstimable extends Error {}

/**
 * Two-way ANOVA of `y` on factors `a` and `b` (labels, same length as y).
 * Throws AnovaNotEstimable when a cell is empty, a factor has < 2 levels, or there are no
 * residual degrees of freedom.
 */
export function twoWayAnova(
  y: ArrayLike<number>,
  a: readonly string[],
  b: readonly string[],
  options: { ssType?: SumOfSquaresType; nameA?: string; nameB?: string } = {},
): TwoWayAnovaResult {
  const n = y.length;
  if (a.length !== n || b.length !== n) throw new RangeError("factor labels must match y in length");
  const ssType = options.ssType ?? "III";
  const nameA = options.nameA ?? "A";
  const nameB = options.nameB ?? "B";
  const levelsA = [...new Set(a)];
  const levelsB = [...new Set(b)];
  const la = levelsA.length;
  const lb = levelsB.length;
  if (la < 2) throw new AnovaNotEstimable(`${nameA} has ${la} level(s); two-way ANOVA needs ≥ 2`);
  if (lb < 2) throw new AnovaNotEstimable(`${nameB} has ${lb} level(s); two-way ANOVA needs ≥ 2`);
  const cell = new Map<string, number>();
  for (let i = 0; i < n; i++) {
    const k = `${a[i]}\u0000${b[i]}`;
    cell.set(k, (cell.get(k) ?? 0) + 1);
  }
  for (const ea of levelsA)
    for (const eb of levelsB)
      if (!cell.has(`${ea}\u0000${eb}`))
        throw new AnovaNotEstimable(`cell ${nameA}=${ea}, ${nameB}=${eb} has no observations`);
  const counts = [...cell.values()];
  const balanced = counts.every((c) => c === counts[0]);
  const dfRes = n - la * lb;
  if (dfRes <= 0)
    throw new AnovaNotEstimable(`no residual degrees of freedom (n = ${n}, cells = ${la * lb})`);

  const ia = a.map((v) => levelsA.indexOf(v));
  const ib = b.map((v) => levelsB.indexOf(v));
  const effect = (level: number, j: number, last: number): number =>
    level === j ? 1 : level === last ? -1 : 0;
  // Column builders: A (la-1), B (lb-1), AB ((la-1)(lb-1)).
  const build = (useA: boolean, useB: boolean, useAB: boolean): { x: Float64Array; p: number } => {
    const p = 1 + (useA ? la - 1 : 0) + (useB ? lb - 1 : 0) + (useAB ? (la - 1) * (lb - 1) : 0);
    const x = new Float64Array(n * p);
    for (let i = 0; i < n; i++) {
      let c = 0;
      x[i * p + c++] = 1;
      if (useA) for (let j = 0; j < la - 1; j++) x[i * p + c++] = effect(ia[i]!, j, la - 1);
      if (useB) for (let j = 0; j < lb - 1; j++) x[i * p + c++] = effect(ib[i]!, j, lb - 1);
      if (useAB)
        for (let j = 0; j < la - 1; j++)
          for (let k = 0; k < lb - 1; k++)
            x[i * p + c++] = effect(ia[i]!, j, la - 1) * effect(ib[i]!, k, lb - 1);
    }
    return { x, p };
  };
  const rss = (useA: boolean, useB: boolean, useAB: boolean): number => {
    const { x, p } = build(useA, useB, useAB);
    return lstsq(x, n, p, y).rss;
  };
  const rFull = rss(true, true, true);
  let ssA: number;
  let ssB: number;
  let ssAB: number;
  if (ssType === "III") {
    ssA = rss(false, true, true) - rFull;
    ssB = rss(true, false, true) - rFull;
    ssAB = rss(true, true, false) - rFull;
  } else {
    const rAB = rss(true, true, false);
    ssA = rss(false, true, false) - rAB;
    ssB = rss(true, false, false) - rAB;
    ssAB = rAB - rFull;
  }
  const msRes = rFull / dfRes;
  const row = (source: string, ss: number, df: number): AnovaRow => {
    const ms = ss / df;
    const f = msRes > 0 ? ms / msRes : ms > 0 ? Number.POSITIVE_INFINITY : 0;
    return { source, ss, df, ms, f, p: fSf(f, df, dfRes) };
  };
  return {
    ssType,
    balanced,
    levelsA,
    levelsB,
    n,
    rows: [
      row(nameA, ssA, la - 1),
      row(nameB, ssB, lb - 1),
      row(`${nameA} × ${nameB}`, ssAB, (la - 1) * (lb - 1)),
      { source: "Residual", ss: rFull, df: dfRes, ms: msRes, f: null, p: null },
    ],
  };
}
