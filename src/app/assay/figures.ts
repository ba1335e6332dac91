/** The assay report's figures, built from an analysis result. */

import type { AssayResult } from "../../lab/assay/analyze.js";
import { curveValue } from "../../stats/curves.js";
import { expFitValue } from "../../stats/exponential.js";
import { barChart, type Figure, type LineSeries, timeCourse } from "./chart.js";

function conditionsInOrder(r: AssayResult): string[] {
  const conds = [...new Set(r.groups.map((g) => g.condition))];
  // reference condition first (as in the brief's Table 1: normoxic, hypoxic)
  return [r.referenceCondition, ...conds.filter((c) => c !== r.referenceCondition)].filter((c) =>
    conds.includes(c),
  );
}

export function assayFigures(r: AssayResult): Figure[] {
  const figs: Figure[] = [];
  const conds = conditionsInOrder(r);
  const perUg = r.response === "uptakePercentPerUgProtein";
  const up = r.groups.filter((g) => g.phase === "uptake");
  const times = [...new Set(up.map((g) => g.timeMin))].sort((a, b) => a - b);
  if (up.length > 0) {
    const pFor = (t: number): string | null => {
      const test = r.tests.find((x) => x.kind === "welch-t" && x.phase === "uptake" && x.timeMin === t);
      if (test?.kind !== "welch-t") return null;
      return test.p < 0.001 ? "***" : test.p < 0.01 ? "**" : test.p < 0.05 ? "*" : "ns";
    };
    const g = (c: string, t: number) => up.find((x) => x.condition === c && x.timeMin === t);
    figs.push(
      barChart({
        title: perUg
          ? "Uptake (% of added activity)"
          : "Uptake (% of added activity; Welch t: * p<0.05, ** p<0.01, *** p<0.001)",
        categories: times.map((t) => `${t} min`),
        xLabel: "incubation time",
        yLabel: "uptake, % of added activity",
        series: conds.map((c) => ({
          name: c,
          mean: times.map((t) => g(c, t)?.uptakePercent ?? null),
          sd: times.map((t) => g(c, t)?.sd ?? null),
          n: times.map((t) => g(c, t)?.n ?? 0),
        })),
        ...(perUg ? {} : { annotations: times.map(pFor) }),
      }),
    );
    if (perUg) {
      figs.push(
        barChart({
          title: "Uptake per µg protein (Welch t: * p<0.05, ** p<0.01, *** p<0.001)",
          categories: times.map((t) => `${t} min`),
          xLabel: "incubation time",
          yLabel: "% of added activity per µg protein",
          series: conds.map((c) => ({
            name: c,
            mean: times.map((t) => g(c, t)?.uptakePercentPerUgProtein ?? null),
            sd: times.map((t) => g(c, t)?.sdPerUgProtein ?? null),
            n: times.map((t) => g(c, t)?.n ?? 0),
          })),
          annotations: times.map(pFor),
        }),
      );
    }
    const respOf = (w: AssayResult["wells"][number]) =>
      perUg ? w.uptakePercentPerUgProtein : w.uptakePercent;
    figs.push(
      timeCourse({
        title: r.fits.some((f) => f.phase === "uptake")
          ? "Uptake time course, one-phase association fit"
          : "Uptake time course",
        xLabel: "incubation time (min)",
        yLabel: perUg ? "% added activity per µg protein" : "% of added activity",
        series: conds.map((c): LineSeries => {
          const fit = r.fits.find((f) => f.phase === "uptake" && f.condition === c);
          return {
            name: c,
            points: r.wells
              .filter((w) => w.phase === "uptake" && w.condition === c && respOf(w) !== null)
              .map((w) => [w.timeMin, respOf(w)!] as const),
            means: up
              .filter((x) => x.condition === c)
              .map((x) => ({
                x: x.timeMin,
                mean: perUg ? x.uptakePercentPerUgProtein! : x.uptakePercent,
                sd: perUg ? x.sdPerUgProtein : x.sd,
              })),
            ...(fit ? { curve: (x: number) => expFitValue(fit.fit, x) } : {}),
          };
        }),
      }),
    );
  }
  const ef = r.groups.filter((g) => g.phase === "efflux" && g.retentionPercent !== null);
  if (ef.length > 0) {
    figs.push(
      timeCourse({
        title: r.fits.some((f) => f.phase === "efflux")
          ? "Retention after medium replacement, one-phase decay fit"
          : "Retention after medium replacement",
        xLabel: "time after medium replacement (min)",
        yLabel: "% of activity at washout",
        series: conds.map((c): LineSeries => {
          const fit = r.fits.find((f) => f.phase === "efflux" && f.condition === c);
          return {
            name: c,
            points: r.wells
              .filter((w) => w.phase === "efflux" && w.condition === c && w.retentionPercent !== null)
              .map((w) => [w.timeMin, w.retentionPercent!] as const),
            means: ef
              .filter((x) => x.condition === c)
              .map((x) => ({ x: x.timeMin, mean: x.retentionPercent!, sd: x.sdRetentionPercent })),
            ...(fit ? { curve: (x: number) => expFitValue(fit.fit, x) } : {}),
          };
        }),
      }),
    );
  }
  if (r.protein) {
    const p = r.protein;
    const fit = p.curve.fit;
    figs.push(
      timeCourse({
        title: `Protein standard curve (${fit.model}, R² = ${fit.r2.toFixed(4)})`,
        xLabel: "protein (µg/mL)",
        yLabel: "absorbance",
        series: [
          {
            name: "standards",
            points: p.standards.map((s) => [s.concentrationUgPerMl, s.absorbance] as const),
            curve: (x: number) => curveValue(fit, x),
          },
          {
            name: "samples (read back)",
            points: [...p.concentrationUgPerMl.entries()]
              .filter(([, c]) => c !== null)
              .map(([, c]) => [c!, curveValue(fit, c!)] as const)
              .filter(([, a]) => Number.isFinite(a)),
          },
        ],
      }),
    );
  }
  return figs;
}
