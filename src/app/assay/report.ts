/**
 * Assay report: `report.html` (self-contained, SVG figures inline), `report.pdf` (pdf-lib, the same
 * figures drawn as vectors) and `result.json` (the --json object), in the style of the brief's
 * Table 1 (uptake, % of total activity: normoxic | hypoxic | time).
 */
import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import { toSvg } from "./chart.js";
import { assayFigures } from "./figures.js";
import { escapeHtml as e, pText, sig } from "./format.js";
import { makeOutputDir } from "./outdir.js";
import { renderAssayPdf } from "./pdf.js";
import { type AssayJobResult, assayJson } from "./run.js";
import { reportSections, type Section } from "./sections.js";

function tableHtml(s: Section): string {
  if (s.kind === "text") return s.lines.map((l) => `<p>${e(l)}</p>`).join("\n");
  const head = `<tr>${s.header.map((h) => `<th>${e(h)}</th>`).join("")}</tr>`;
  const body = s.rows
    .map((r) => `<tr>${r.map((c, i) => `<td${i > 0 ? ' class="num"' : ""}>${e(c)}</td>`).join("")}</tr>`)
    .join("\n");
  return `<table>${head}\n${body}</table>${s.note ? `<p class="note">${e(s.note)}</p>` : ""}`;
}

export function assayHtml(job: AssayJobResult): string {
  const r = job.result;
  const figs = assayFigures(r);
  const sections = reportSections(job);
  const parts: string[] = [];
  for (const s of sections) {
    parts.push(`<h2>${e(s.title)}</h2>`);
    parts.push(tableHtml(s));
    if (s.title.startsWith("Table 1"))
      parts.push(`<div class="figs">${figs.map((f) => `<figure>${toSvg(f)}</figure>`).join("\n")}</div>`);
  }
  void pText;
  void sig;
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>64Cu-ATSM in-vitro uptake and retention</title>
<style>
body{font-family:Helvetica,Arial,sans-serif;margin:24px auto;padding:0 16px;max-width:1100px;color:#111;font-size:13px}
h1{font-size:20px;margin-bottom:4px}h2{font-size:15px;margin-top:22px;border-bottom:1px solid #ccc;padding-bottom:3px}
table{border-collapse:collapse;margin:6px 0}th,td{border:1px solid #ccc;padding:3px 8px}th{background:#f2f2f2;text-align:left}
td.num{text-align:right;font-variant-numeric:tabular-nums}.note{color:#555;font-size:12px;max-width:900px}
.figs{display:flex;flex-wrap:wrap;gap:12px}figure{margin:0;border:1px solid #eee}
p{margin:3px 0}.warn{color:#8a4b00}
</style></head><body>
<h1>In-vitro <sup>64</sup>Cu-ATSM uptake and retention</h1>
<p>${e(`${job.nuclide}, decay-corrected to ${new Date(r.referenceMs).toISOString()}${r.counterDecayCorrected ? " (by the counter)" : ""} · files ${job.files.layout}, ${job.files.counts}${job.files.protein ? `, ${job.files.protein}` : ""} · ATSM Workbench`)}</p>
${parts.join("\n")}
</body></html>
`;
}

/** Write report.html, report.pdf and result.json into `dir`; returns the paths written. */
export async function writeAssayReport(job: AssayJobResult, dir: string): Promise<string[]> {
  await makeOutputDir(dir, "--out");
  const html = join(dir, "report.html");
  const pdf = join(dir, "report.pdf");
  const json = join(dir, "result.json");
  await writeFile(html, assayHtml(job));
  await writeFile(pdf, await renderAssayPdf(job));
  await writeFile(json, `${JSON.stringify(assayJson(job), null, 2)}\n`);
  return [html, pdf, json];
}
