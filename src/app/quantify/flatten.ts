/**
 * One flat record per result: the columns of `metrics.csv` and of the batch `batch-results.csv`.
 */
import type { QuantifyResult, VoiSummary } from "./types.js";

export type Cell = string | number | null;

function voiColumns(prefix: string, v: VoiSummary): Record<string, Cell> {
  return {
    [`${prefix}Spec`]: v.spec,
    [`${prefix}VolumeMl`]: v.volumeMl,
    [`${prefix}VoxelCount`]: v.voxelCount,
    [`${prefix}SuvMax`]: v.suvMax,
    [`${prefix}SuvMean`]: v.suvMean,
    [`${prefix}SuvPeak`]: v.suvPeak,
    [`${prefix}SuvMin`]: v.suvMin,
    [`${prefix}SuvSd`]: v.suvSd,
    [`${prefix}TotalUptakeSuvMl`]: v.totalUptakeSuvMl,
    [`${prefix}BqPerMlMax`]: v.bqPerMlMax,
    [`${prefix}BqPerMlMean`]: v.bqPerMlMean,
    [`${prefix}BqPerMlPeak`]: v.bqPerMlPeak,
  };
}

/** Flat columns of a result (SUV/Bq/mL columns empty when unknown). */
export function flattenResult(r: QuantifyResult): Record<string, Cell> {
  const p = r.prognosis;
  return {
    petSeries: r.study.petSeries,
    nuclide: r.study.nuclide,
    injectedActivityMBq: r.study.injectedActivityBq === null ? null : r.study.injectedActivityBq / 1e6,
    weightKg: r.study.weightKg,
    uptakeStartMin: r.study.uptakeStartMin,
    uptakeEndMin: r.study.uptakeEndMin,
    ...voiColumns("tumor", r.tumor),
    ...voiColumns("reference", r.reference),
    tmrMax: r.tmrMax,
    tmrMean: r.tmrMean,
    tmrPeak: r.tmrPeak,
    referenceStatistic: r.referenceStatistic,
    hypoxicCutoffTm: r.hypoxicCutoffTm,
    hypoxicVolumeMl: r.hypoxicVolumeMl,
    hypoxicFraction: r.hypoxicFraction,
    prognosisPreset: p?.preset ?? null,
    prognosisCutoff: p?.cutoff ?? null,
    prognosisStatistic: p?.statistic ?? null,
    prognosisValue: p?.value ?? null,
    prognosisClass: p?.class ?? null,
    prognosisMargin: p?.margin ?? null,
    warnings: r.warnings.join(" | "),
  };
}

/** Cell text: numbers to 6 significant digits, null/NaN empty. */
export function formatCell(v: Cell): string {
  if (v === null) return "";
  if (typeof v === "number") return Number.isFinite(v) ? String(Number(v.toPrecision(6))) : "";
  return v;
}

function quote(s: string): string {
  return /[",\n\r]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

/** RFC 4180 CSV text (comma, CRLF-free "\n" line ends) with the given column order. */
export function toCsv(columns: readonly string[], rows: readonly Record<string, Cell>[]): string {
  const lines = [columns.map(quote).join(",")];
  for (const r of rows) lines.push(columns.map((c) => quote(formatCell(r[c] ?? null))).join(","));
  return `${lines.join("\n")}\n`;
}

/** JSON replacer: NaN/Infinity → null (JSON has no NaN). */
export function jsonSafe(_key: string, value: unknown): unknown {
  return typeof value === "number" && !Number.isFinite(value) ? null : value;
}
