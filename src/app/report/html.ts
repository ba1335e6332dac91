/**
 * Self-contained HTML report (no external resources; pictures embedded as PNG data URIs).
 */
import type { QuantifyResult } from "../quantify/types.js";
import { metricRows, readoutRows, studyRows } from "./tables.js";

/** PNG bytes of each figure, keyed as in `ReportFigures`. */
export interface FigurePngs {
  readonly axial: Uint8Array;
  readonly referenceAxial: Uint8Array;
  readonly coronal: Uint8Array;
  readonly sagittal: Uint8Array;
  readonly mip: Uint8Array;
  readonly histogram: Uint8Array;
}

/** Escape text for HTML element content and attribute values. */
export function escapeHtml(s: string): string {
  return s.replace(
    /[&<>"']/g,
    (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c]!,
  );
}

function dataUri(png: Uint8Array): string {
  return `data:image/png;base64,${Buffer.from(png).toString("base64")}`;
}

function table2(rows: readonly (readonly [string, string])[]): string {
  return `<table>${rows.map(([k, v]) => `<tr><th>${escapeHtml(k)}</th><td>${escapeHtml(v)}</td></tr>`).join("")}</table>`;
}

const CSS = `
body{font:14px/1.45 system-ui,-apple-system,Segoe UI,Helvetica,Arial,sans-serif;margin:24px auto;max-width:1100px;color:#1d1d1f;padding:0 16px}
h1{font-size:22px;margin:0 0 4px}h2{font-size:17px;margin:28px 0 8px;border-bottom:1px solid #ddd;padding-bottom:4px}
.sub{color:#666}table{border-collapse:collapse;margin:6px 0}th,td{padding:3px 10px;border-bottom:1px solid #eee;text-align:left;vertical-align:top}
th{font-weight:600;color:#333;min-width:180px}td.num{text-align:right;font-variant-numeric:tabular-nums}
.class{display:inline-block;padding:6px 14px;border-radius:6px;font-weight:700;font-size:18px;margin:6px 0}
.hypoxic{background:#fde2e1;color:#a11}.non-hypoxic{background:#e1f5e4;color:#176a2a}.none{background:#eee;color:#555}
.figs{display:flex;flex-wrap:wrap;gap:12px}.figs figure{margin:0}.figs img{display:block;border:1px solid #ccc;image-rendering:auto}
figcaption{font-size:12px;color:#555;margin-top:3px}.warn{color:#8a5300}.legend span{display:inline-block;width:12px;height:12px;margin:0 4px 0 10px;vertical-align:-1px}
`;

/** The report as one HTML string. */
export function buildReportHtml(
  r: QuantifyResult,
  pngs: FigurePngs,
  meta: { generated: string; version: string },
): string {
  const p = r.prognosis;
  const cls = p ? p.class : "none";
  const clsText = p
    ? `${p.class.toUpperCase()} — T/M${p.statistic} ${p.value.toFixed(2)} vs cutoff ${p.cutoff} (${p.label})`
    : "no prognosis preset";
  const metrics = metricRows(r);
  const fig = (png: Uint8Array, alt: string, caption: string) =>
    `<figure><img src="${dataUri(png)}" alt="${escapeHtml(alt)}"><figcaption>${escapeHtml(caption)}</figcaption></figure>`;
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Cu-ATSM hypoxia report</title>
<meta name="viewport" content="width=device-width,initial-scale=1"><style>${CSS}</style></head>
<body>
<h1>Cu-ATSM hypoxia report</h1>
<div class="sub">ATSM Workbench ${escapeHtml(meta.version)} · generated ${escapeHtml(meta.generated)} · research use only, not for diagnosis</div>
<h2>Read-out</h2>
<div class="class ${cls}">${escapeHtml(clsText)}</div>
${table2(readoutRows(r))}
<h2>Study and injection</h2>
${table2(studyRows(r))}
<h2>Metrics</h2>
<table><tr><th>Metric</th><th>Tumour</th><th>Reference</th></tr>
${metrics.map(([k, a, b]) => `<tr><th>${escapeHtml(k)}</th><td class="num">${escapeHtml(a)}</td><td class="num">${escapeHtml(b)}</td></tr>`).join("\n")}
</table>
<h2>Images</h2>
<div class="legend">Fused PET/CT through the hottest tumour voxel; PET in the hot colour map from 0 to the tumour maximum.
VOI outlines:<span style="background:#0ff"></span>tumour<span style="background:#3cdc3c"></span>reference</div>
<div class="figs">
${fig(pngs.axial, "axial fused PET/CT", "Axial (seen from the feet: patient left on image right, anterior up)")}
${fig(pngs.coronal, "coronal fused PET/CT", "Coronal (head up, patient left on image right)")}
${fig(pngs.sagittal, "sagittal fused PET/CT", "Sagittal (head up, anterior on image left)")}
${fig(pngs.mip, "PET maximum-intensity projection", "Coronal MIP of the PET")}
${fig(pngs.referenceAxial, "axial fused PET/CT through the reference VOI", "Axial through the reference (muscle) VOI")}
</div>
<h2>T/M histogram</h2>
${fig(pngs.histogram, "T/M histogram", `Tumour volume per T/M bin (bars) and % of tumour volume with T/M ≥ x (red); dashed line: hypoxic cutoff ${r.hypoxicCutoffTm}`)}
<h2>Warnings</h2>
${r.warnings.length === 0 ? "<p>none</p>" : `<ul>${r.warnings.map((w) => `<li class="warn">${escapeHtml(w)}</li>`).join("")}</ul>`}
<h2>Definitions</h2>
<ul>
<li>T/M = tumour statistic ÷ mean of the reference (muscle) VOI, in the same image unit; the reference statistic is always the mean.</li>
<li>SUVpeak: highest mean over a 1 cm³ sphere centred in the tumour VOI (QIBA/PERCIST).</li>
<li>Partial voxels: volume, mean, SD and hypoxic volume weight boundary voxels by their fractional coverage; max, min and voxel counts use voxels whose centre is inside.</li>
<li>Hypoxic volume: tumour volume whose voxel T/M exceeds the cutoff (strict &gt;).</li>
<li>Prognosis cutoffs were derived with 60Cu-ATSM and summed 30–60 min frames; they may not transfer to other nuclides or uptake times.</li>
</ul>
</body></html>
`;
}
