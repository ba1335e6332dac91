/** Text tables shared by the HTML and PDF reports. */
import type { QuantifyResult, VoiSummary } from "../quantify/types.js";

/** Number to `digits` significant digits, "–" when absent. */
export function fmt(v: number | null | undefined, digits = 3): string {
  if (v === null || v === undefined || !Number.isFinite(v)) return "–";
  if (v !== 0 && Math.abs(v) >= 10 ** digits) return v.toFixed(0);
  return String(Number(v.toPrecision(digits)));
}

const mm = (p: readonly number[]) => p.map((x) => x.toFixed(1)).join(", ");

/** [label, value] rows describing the study and the injection. */
export function studyRows(r: QuantifyResult): [string, string][] {
  const s = r.study;
  return [
    ["Source", s.source],
    [
      "PET series",
      `${s.petSeries} (${s.format}; ${s.dims.join("×")} voxels of ${s.spacingMm.map((x) => fmt(x)).join("×")} mm)`,
    ],
    ["CT series", s.ctSeries ?? "none"],
    ["Radiopharmaceutical", s.radiopharmaceutical ?? "–"],
    ["Nuclide", s.nuclide ?? "–"],
    ["Injected activity", s.injectedActivityBq === null ? "–" : `${fmt(s.injectedActivityBq / 1e6, 4)} MBq`],
    ["Injection time", s.injectionTime ?? "–"],
    ["Scan time", s.scanTime ?? "–"],
    [
      "Uptake window",
      s.uptakeStartMin === null ? "–" : `${fmt(s.uptakeStartMin)}–${fmt(s.uptakeEndMin)} min after injection`,
    ],
    ["Frames", s.frames],
    ["Body weight", s.weightKg === null ? "–" : `${fmt(s.weightKg)} kg`],
    [
      "Image unit",
      `${s.unit}${s.suvPerNativeUnit !== null ? ` (SUVbw = value × ${fmt(s.suvPerNativeUnit, 4)})` : " (SUV unknown)"}`,
    ],
  ];
}

/** [metric, tumour, reference] rows. */
export function metricRows(r: QuantifyResult): [string, string, string][] {
  const t = r.tumor;
  const m = r.reference;
  const row = (label: string, f: (v: VoiSummary) => string): [string, string, string] => [label, f(t), f(m)];
  const bq = (v: number | null) => (v === null ? "–" : `${fmt(v / 1000, 4)} kBq/mL`);
  return [
    row("VOI", (v) => v.spec),
    row("Volume (mL)", (v) => fmt(v.volumeMl, 4)),
    row("Voxels (centre inside)", (v) => String(v.voxelCount)),
    row("SUVmax", (v) => fmt(v.suvMax)),
    row("SUVmean ± SD", (v) => `${fmt(v.suvMean)} ± ${fmt(v.suvSd, 2)}`),
    row("SUVpeak (1 cm³)", (v) => fmt(v.suvPeak)),
    row("SUVmin", (v) => fmt(v.suvMin)),
    row("Total uptake (SUV·mL)", (v) => fmt(v.totalUptakeSuvMl, 4)),
    row("Activity max", (v) => bq(v.bqPerMlMax)),
    row("Activity mean", (v) => bq(v.bqPerMlMean)),
    row(`Max in image unit (${t.unit})`, (v) => fmt(v.nativeMax, 4)),
    row("Hottest voxel (LPS mm)", (v) => mm(v.maxVoxelMm)),
  ];
}

/** [label, value] rows of the hypoxia read-out. */
export function readoutRows(r: QuantifyResult): [string, string][] {
  const p = r.prognosis;
  const rows: [string, string][] = [
    ["T/Mmax (tumour max ÷ reference mean)", fmt(r.tmrMax)],
    ["T/Mmean (tumour mean ÷ reference mean)", fmt(r.tmrMean)],
    ["T/Mpeak (tumour SUVpeak ÷ reference mean)", fmt(r.tmrPeak)],
    [`Hypoxic volume (T/M > ${fmt(r.hypoxicCutoffTm)})`, `${fmt(r.hypoxicVolumeMl)} mL`],
    ["Hypoxic fraction", `${fmt(r.hypoxicFraction * 100)} % of tumour volume`],
  ];
  if (p) {
    rows.push(
      ["Prognosis preset", `${p.label} (${p.preset}): T/M${p.statistic} > ${p.cutoff}`],
      [
        "Class",
        `${p.class.toUpperCase()} (T/M${p.statistic} ${fmt(p.value)}, margin ${p.margin >= 0 ? "+" : ""}${fmt(p.margin)})`,
      ],
    );
    if (p.citation) rows.push(["Source of the cutoff", p.citation]);
  } else {
    rows.push(["Prognosis", "no preset chosen (pass --cutoff cervix|rectum|nsclc|VALUE)"]);
  }
  return rows;
}
