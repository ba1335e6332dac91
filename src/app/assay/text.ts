/** Plain-text summary of an assay analysis for the terminal. */

import { pEq, sig } from "./format.js";
import type { AssayJobResult } from "./run.js";

/** What a ratio, test or fit was computed on, with its unit, for the terminal. */
const RESPONSE_LABEL: Readonly<Record<string, string>> = {
  uptakePercent: "uptake, % of added",
  uptakePercentPerUgProtein: "uptake, % of added per µg protein",
  retentionPercent: "retention, % of activity at washout",
};
const RESPONSE_UNIT: Readonly<Record<string, string>> = {
  uptakePercent: " %",
  uptakePercentPerUgProtein: " %/µg",
  retentionPercent: " %",
};

/** "95 % CI a–b", or why there is none (Fieller: the denominator mean is not clearly > 0). */
function ciText(level: number, lo: number | null, hi: number | null): string {
  const pct = Math.round(level * 100);
  if (lo === null || hi === null || !Number.isFinite(lo) || !Number.isFinite(hi))
    return `${pct} % CI unbounded: the reference mean is not significantly above 0 or n < 2`;
  return `${pct} % CI ${sig(lo)}–${sig(hi)}`;
}

export function assayText(job: AssayJobResult): string {
  const r = job.result;
  const perUg = r.response === "uptakePercentPerUgProtein";
  const lines: string[] = [];
  lines.push(
    `In-vitro uptake assay — ${job.nuclide}, decay-corrected to ${new Date(r.referenceMs).toISOString()}${r.counterDecayCorrected ? " (by the counter)" : ""}`,
  );
  lines.push(
    `added activity: ${sig(r.added.ratePerS, 5)} counts/s per well from ${r.added.n} standards (CV ${sig(r.added.cvPercent, 2)} %); background ${sig(r.background.ratePerS, 3)} counts/s (n = ${r.background.n})`,
  );
  if (r.protein)
    lines.push(`protein curve: ${r.protein.curve.fit.model}, R² = ${r.protein.curve.fit.r2.toFixed(4)}`);
  lines.push("");
  lines.push(
    `${"phase".padEnd(7)} ${"condition".padEnd(12)} ${"t (min)".padStart(7)}  ${"uptake % ± SD".padEnd(18)} ${perUg ? "%/µg protein ± SD".padEnd(22) : ""}${"retention %".padEnd(14)} n`,
  );
  for (const g of r.groups) {
    lines.push(
      `${g.phase.padEnd(7)} ${g.condition.padEnd(12)} ${String(g.timeMin).padStart(7)}  ${`${sig(g.uptakePercent)} ± ${sig(g.sd, 2)}`.padEnd(18)} ${perUg ? `${sig(g.uptakePercentPerUgProtein)} ± ${sig(g.sdPerUgProtein, 2)}`.padEnd(22) : ""}${(g.retentionPercent === null ? "" : `${sig(g.retentionPercent)} ± ${sig(g.sdRetentionPercent, 2)}`).padEnd(14)} ${g.n}`,
    );
  }
  if (r.ratios.length > 0) {
    lines.push("");
    for (const q of r.ratios)
      lines.push(
        `ratio ${q.numerator}/${q.denominator} of ${RESPONSE_LABEL[q.response] ?? q.response} (${q.phase}, ${q.timeMin} min): ${sig(q.ratio)} (${ciText(q.level, q.ciLow, q.ciHigh)}, Fieller)`,
      );
  }
  for (const t of r.tests) {
    if (t.kind === "welch-t")
      lines.push(
        `Welch t ${t.conditions[0]} vs ${t.conditions[1]} of ${RESPONSE_LABEL[t.response] ?? t.response} (${t.phase}, ${t.timeMin} min): t = ${sig(t.t)}, df = ${sig(t.df)}, ${pEq(t.p)}`,
      );
    else {
      const dfRes = t.rows.find((w) => w.f === null)?.df;
      lines.push(
        `two-way ANOVA of ${RESPONSE_LABEL[t.response] ?? t.response} (${t.phase}, Type III SS${t.balanced ? ", balanced" : ", unbalanced"}): ${t.rows
          .filter((w) => w.f !== null)
          .map(
            (w) =>
              `${w.source} F(${w.df}${dfRes !== undefined ? `, ${dfRes}` : ""}) = ${sig(w.f)}, ${pEq(w.p)}`,
          )
          .join("; ")}`,
      );
    }
  }
  for (const f of r.fits)
    lines.push(
      `fit ${f.fit.model} ${f.condition} of ${RESPONSE_LABEL[f.response] ?? f.response}: Plateau = ${sig(f.fit.Plateau.value)} ± ${sig(f.fit.Plateau.se, 2)}${RESPONSE_UNIT[f.response] ?? ""}, K = ${sig(f.fit.K.value)} ± ${sig(f.fit.K.se, 2)} /min, half-time = ${sig(f.fit.halfTime.value)} min, R² = ${sig(f.fit.r2, 4)}`,
    );
  if (r.warnings.length > 0) {
    lines.push("");
    for (const w of r.warnings)
      lines.push(
        `warning: ${w.message}${w.file ? ` (${w.file}${w.row !== undefined ? ` row ${w.row}` : ""}${w.field ? `, ${w.field}` : ""})` : ""}`,
      );
  }
  return `${lines.join("\n")}\n`;
}
