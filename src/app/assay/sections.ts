/** Report content as plain tables and text, shared by the HTML and PDF renderers. */

import { pText, sig } from "./format.js";
import type { AssayJobResult } from "./run.js";

export type Section =
  | { kind: "table"; title: string; header: string[]; rows: string[][]; note?: string }
  | { kind: "text"; title: string; lines: string[] };

const pm = (m: number | null, s: number | null, n: number, d = 3) => `${sig(m, d)} ± ${sig(s, 2)} (${n})`;

export function reportSections(job: AssayJobResult): Section[] {
  const r = job.result;
  const out: Section[] = [];
  const conds = [
    r.referenceCondition,
    ...[...new Set(r.groups.map((g) => g.condition))].filter((c) => c !== r.referenceCondition),
  ];
  const others = conds.slice(1);
  const perUg = r.response === "uptakePercentPerUgProtein";
  const respName = perUg ? "uptake per µg protein" : "uptake %";
  const phaseTable = (
    phase: "uptake" | "efflux",
    title: string,
    value: (g: (typeof r.groups)[number]) => [number | null, number | null],
    withTests: boolean,
  ): void => {
    const digits = 3;
    const gs = r.groups.filter((g) => g.phase === phase);
    if (gs.length === 0) return;
    const times = [...new Set(gs.map((g) => g.timeMin))].sort((a, b) => a - b);
    const testCols = withTests ? others : [];
    const header = [
      "time (min)",
      ...conds,
      ...testCols.flatMap((c) => [`${c}/${r.referenceCondition} (95 % CI)`, `Welch p`]),
    ];
    const rows = times.map((t) => [
      String(t),
      ...conds.map((c) => {
        const g = gs.find((x) => x.condition === c && x.timeMin === t);
        if (!g) return "—";
        const [m, s] = value(g);
        return pm(m, s, g.n, digits);
      }),
      ...testCols.flatMap((c) => {
        const q = r.ratios.find((x) => x.phase === phase && x.timeMin === t && x.numerator === c);
        const tt = r.tests.find(
          (x) => x.kind === "welch-t" && x.phase === phase && x.timeMin === t && x.conditions[0] === c,
        );
        return [
          q ? `${sig(q.ratio)} (${sig(q.ciLow)}–${sig(q.ciHigh)})` : "—",
          tt?.kind === "welch-t" ? pText(tt.p) : "—",
        ];
      }),
    ]);
    const note = withTests
      ? `mean ± SD (n wells). Ratio of means and Welch t-test of ${phase === "uptake" ? respName : "retention %"}; ratio 95 % CI by Fieller's theorem with Welch–Satterthwaite df.`
      : `mean ± SD (n wells). Ratios and tests use ${respName}: see the next table.`;
    out.push({ kind: "table", title, header, rows, note });
  };
  phaseTable("uptake", "Table 1 — uptake (% of added activity)", (g) => [g.uptakePercent, g.sd], !perUg);
  if (perUg)
    phaseTable(
      "uptake",
      "Uptake per µg protein (% of added activity / µg)",
      (g) => [g.uptakePercentPerUgProtein, g.sdPerUgProtein],
      true,
    );
  phaseTable(
    "efflux",
    "Retention after medium replacement (% of activity at washout)",
    (g) => [g.retentionPercent, g.sdRetentionPercent],
    true,
  );

  for (const t of r.tests) {
    if (t.kind !== "two-way-anova") continue;
    out.push({
      kind: "table",
      title: `Two-way ANOVA, ${t.phase} (${t.response}), condition × time`,
      header: ["source", "SS", "df", "MS", "F", "p"],
      rows: t.rows.map((w) => [
        w.source,
        sig(w.ss, 4),
        String(w.df),
        sig(w.ms, 4),
        w.f === null ? "" : sig(w.f, 4),
        w.p === null ? "" : pText(w.p),
      ]),
      note: `Type III sums of squares (effect coding), ${t.balanced ? "balanced design (Types I–III agree)" : "unbalanced design"}.`,
    });
  }
  if (r.fits.length > 0) {
    const pv = (x: { value: number; se: number | null; fixed: boolean }) =>
      x.fixed ? `${sig(x.value)} (fixed)` : `${sig(x.value)} ± ${sig(x.se, 2)}`;
    out.push({
      kind: "table",
      title: "Time-course fits (GraphPad model and parameter names)",
      header: ["phase", "condition", "model", "Y0", "Plateau", "K (1/min)", "half-time (min)", "R²", "n"],
      rows: r.fits.map((f) => [
        f.phase,
        f.condition,
        f.fit.model,
        pv(f.fit.Y0),
        pv(f.fit.Plateau),
        pv(f.fit.K),
        pv(f.fit.halfTime),
        sig(f.fit.r2, 4),
        String(f.fit.n),
      ]),
      note: "value ± SE (asymptotic, s²(JᵀJ)⁻¹ as curve_fit / Prism). Uptake: one-phase association with Y0 = 0 (background subtracted). Retention: plateau followed by one-phase decay, X0 = 0 (medium change); Plateau is the retained fraction.",
    });
  }
  if (r.protein) {
    const c = r.protein.curve;
    out.push({
      kind: "table",
      title: `Protein standard curve: ${c.fit.model} chosen`,
      header: ["model", "R²", "AICc", "parameters"],
      rows: c.candidates.map((k) => [
        k.model + (k.model === c.fit.model ? " ✓" : ""),
        sig(k.r2, 5),
        sig(k.aicc, 4),
        k.model === c.fit.model ? c.fit.params.map((p) => sig(p, 4)).join(", ") : "",
      ]),
      note: `${r.protein.standards.length} standard readings, absorbance ${sig(c.absorbanceMin)}–${sig(c.absorbanceMax)}. Lowest AICc wins when "auto". µg protein = interpolated µg/mL × lysate volume.`,
    });
  }
  const chk = job.counterDecayCheck;
  out.push({
    kind: "text",
    title: "Counting",
    lines: [
      `background: ${sig(r.background.ratePerS)} counts/s (mean of ${r.background.n} wells, not decay-corrected)`,
      `added activity per well: ${sig(r.added.ratePerS, 5)} counts/s at the reference time from ${r.added.n} standard wells (CV ${sig(r.added.cvPercent, 2)} %)${r.added.activityBq !== null ? ` = ${sig(r.added.activityBq, 4)} Bq` : ""}`,
      `decay correction: ${r.counterDecayCorrected ? "done by the counter (not repeated)" : `to ${new Date(r.referenceMs).toISOString()} with T½ = ${sig(r.halfLifeS / 3600, 5)} h, including decay during each count`}`,
      ...(chk
        ? [`counter-side decay correction check (CPM/counts vs time): ${chk.verdict} — ${chk.reason}`]
        : []),
    ],
  });
  out.push({
    kind: "table",
    title: "Wells",
    header: [
      "well",
      "phase",
      "condition",
      "time (min)",
      "net counts/s",
      "decay-corr. counts/s",
      "uptake %",
      "protein µg",
      "% per µg",
      "retention %",
    ],
    rows: r.wells.map((w) => [
      w.well,
      w.phase,
      w.condition,
      String(w.timeMin),
      sig(w.netRatePerS, 4),
      sig(w.correctedRatePerS, 4),
      sig(w.uptakePercent, 4),
      sig(w.proteinUg, 4),
      sig(w.uptakePercentPerUgProtein, 4),
      sig(w.retentionPercent, 4),
    ]),
  });
  out.push({
    kind: "text",
    title: "Warnings",
    lines:
      r.warnings.length === 0
        ? ["none"]
        : r.warnings.map(
            (w) =>
              `${w.message}${w.file ? ` [${w.file}${w.row !== undefined ? ` row ${w.row}` : ""}${w.field ? `, ${w.field}` : ""}]` : ""}`,
          ),
  });
  out.push({
    kind: "text",
    title: "Methods",
    lines: [
      "Net rate = dead-time-corrected gross rate − mean background rate; decay-corrected to the reference time (λT/(1 − e^−λT) for decay during counting, e^λ(ts − tref) to the reference).",
      "Uptake % = 100 × net decay-corrected rate ÷ mean added-activity rate (standard wells ÷ standardFraction). Per µg = uptake % ÷ µg protein in the well.",
      "Retention % = 100 × value ÷ mean of the same condition's efflux wells at 0 min (activity at washout).",
      "Statistics: mean ± SD (n − 1); Welch two-sided t-test per time point; two-way ANOVA condition × time with Type III sums of squares; ratio 95 % CI by Fieller's theorem.",
    ],
  });
  return out;
}
