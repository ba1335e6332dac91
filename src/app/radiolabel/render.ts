/**
 * Printable views of a batch record: self-contained HTML (with an SVG chromatogram) and a PDF
 * (pdf-lib, no browser needed). Numbers are rounded only here, for display.
 */
import { PDFDocument, rgb, StandardFonts } from "pdf-lib";
import type { ChromatogramResult, Trace } from "../../lab/chromatogram/analyze.js";
import type { BatchRecord } from "./record.js";

const esc = (s: string): string =>
  s.replace(/[&<>"]/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;" })[c]!);
const mbq = (bq: number): string => (bq / 1e6).toFixed(2);

/** SVG line plot of a trace with its baseline and shaded ROIs (product ROIs in green). */
export function chromatogramSvg(trace: Trace, qc: ChromatogramResult, width = 640, height = 260): string {
  const m = { l: 56, r: 12, t: 12, b: 40 };
  const x0 = trace.x[0]!;
  const x1 = trace.x[trace.x.length - 1]!;
  let yMax = 1;
  for (const v of trace.counts) yMax = Math.max(yMax, v);
  const px = (x: number) => m.l + ((x - x0) / (x1 - x0)) * (width - m.l - m.r);
  const py = (y: number) => height - m.b - (y / yMax) * (height - m.t - m.b);
  const path = (ys: ArrayLike<number>) =>
    Array.from(trace.x, (x, i) => `${i === 0 ? "M" : "L"}${px(x).toFixed(1)},${py(ys[i]!).toFixed(1)}`).join(
      "",
    );
  const rois = qc.peaks
    .map(
      (p) =>
        `<rect x="${px(p.start).toFixed(1)}" y="${m.t}" width="${Math.max(1, px(p.end) - px(p.start)).toFixed(1)}" height="${height - m.t - m.b}" fill="${p.isProduct ? "#2e7d32" : "#c62828"}" fill-opacity="0.15"/>` +
        `<text x="${px(p.centroid).toFixed(1)}" y="${m.t + 12}" font-size="11" text-anchor="middle">${p.percent.toFixed(1)} %</text>`,
    )
    .join("");
  const unit = trace.axis === "positionMm" ? "position (mm)" : "time (s)";
  const ticks = [0, 0.25, 0.5, 0.75, 1]
    .map((f) => {
      const xv = x0 + f * (x1 - x0);
      return `<text x="${px(xv).toFixed(1)}" y="${height - m.b + 16}" font-size="11" text-anchor="middle">${xv.toFixed(0)}</text>`;
    })
    .join("");
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" font-family="sans-serif">
<rect width="100%" height="100%" fill="white"/>${rois}
<path d="${path(qc.baseline)}" fill="none" stroke="#888" stroke-dasharray="4 3"/>
<path d="${path(trace.counts)}" fill="none" stroke="#1a237e" stroke-width="1.5"/>
<line x1="${m.l}" y1="${height - m.b}" x2="${width - m.r}" y2="${height - m.b}" stroke="black"/>
<line x1="${m.l}" y1="${m.t}" x2="${m.l}" y2="${height - m.b}" stroke="black"/>${ticks}
<text x="${(width + m.l) / 2}" y="${height - 6}" font-size="12" text-anchor="middle">${unit}</text>
<text x="14" y="${height / 2}" font-size="12" text-anchor="middle" transform="rotate(-90 14 ${height / 2})">counts</text>
<text x="${m.l + 4}" y="${height - m.b - 4}" font-size="10" fill="#555">max ${yMax.toFixed(0)}</text>
</svg>`;
}

function rows(r: BatchRecord): [string, string][] {
  return [
    ["Product", r.input.product],
    ["Batch", r.input.batchNumber],
    ["Specification", r.input.specificationVersion],
    ["Operator", r.input.operator],
    ["Nuclide", `${r.nuclide} (T½ ${(r.halfLifeS / 3600).toFixed(3)} h; ${r.halfLifeSource})`],
    ["Reference time", r.referenceTime],
    ["RCY (not decay-corrected)", `${r.rcyNonDecayCorrectedPercent.toFixed(2)} %`],
    ["RCY (decay-corrected)", `${r.rcyDecayCorrectedPercent.toFixed(2)} %`],
    ["Ligand", `${(r.ligandMol * 1e9).toFixed(2)} nmol (M = ${r.ligandMolarMassGPerMol.toFixed(3)} g/mol)`],
    ["Molar activity", `${r.molarActivityGBqPerUmol.toFixed(3)} GBq/µmol at ${r.molarActivityReferenceTime}`],
    [
      "RCP",
      r.rcpPercent === null
        ? "—"
        : `${r.rcpPercent.toFixed(2)} ± ${r.qc!.rcpSdPercent.toFixed(2)} % (limit > ${r.qc!.releaseLimitPercent} %)`,
    ],
    ["Decision", r.release.decision.toUpperCase()],
  ];
}

export function recordHtml(r: BatchRecord, trace: Trace | null): string {
  const summary = rows(r)
    .map(([k, v]) => `<tr><th>${esc(k)}</th><td>${esc(v)}</td></tr>`)
    .join("");
  const mats = r.input.materials
    .map((m) => `<tr><td>${esc(m.name)}</td><td>${esc(m.lot)}</td><td>${esc(m.amount ?? "")}</td></tr>`)
    .join("");
  const acts = r.activities
    .map(
      (a) =>
        `<tr><td>${esc(a.step)}</td><td>${esc(a.time)}</td><td>${mbq(a.activityBq)}</td><td>${mbq(a.activityAtReferenceBq)}</td><td>${a.volumeMl ?? ""}</td></tr>`,
    )
    .join("");
  const peaks = r.qc
    ? r.qc.peaks
        .map(
          (p) =>
            `<tr><td>${p.start.toFixed(1)}–${p.end.toFixed(1)}</td><td>${p.rf === null ? `${p.timeS!.toFixed(1)} s` : p.rf.toFixed(3)}</td><td>${p.area.toFixed(0)} ± ${p.areaSd.toFixed(0)}</td><td>${p.percent.toFixed(2)}</td><td>${p.isProduct ? "product" : "impurity"}</td></tr>`,
        )
        .join("")
    : "";
  const tests = (r.input.qc.otherTests ?? [])
    .map(
      (t) =>
        `<tr><td>${esc(t.test)}</td><td>${esc(t.method ?? "")}</td><td>${esc(t.result)}</td><td>${esc(t.acceptance)}</td><td>${t.stage ?? "pre-release"}</td><td>${t.pass ? "pass" : "FAIL"}</td></tr>`,
    )
    .join("");
  const rel = r.input.release;
  return `<!doctype html><html><head><meta charset="utf-8"><title>Batch record ${esc(r.input.batchNumber)}</title>
<style>body{font-family:sans-serif;max-width:900px;margin:24px auto;color:#222}table{border-collapse:collapse;margin:8px 0 20px}td,th{border:1px solid #bbb;padding:4px 8px;text-align:left;font-size:13px}
th{background:#f3f3f3}.released{color:#2e7d32}.rejected{color:#c62828}@media print{body{margin:0}}</style></head><body>
<h1>${esc(r.input.product)} — batch ${esc(r.input.batchNumber)}</h1>
<h2 class="${r.release.decision}">${r.release.decision === "released" ? "Released" : "Not released"}</h2>
${r.release.reasons.length ? `<ul>${r.release.reasons.map((x) => `<li>${esc(x)}</li>`).join("")}</ul>` : ""}
<table>${summary}</table>
<h3>Materials</h3><table><tr><th>material</th><th>lot</th><th>amount</th></tr>${mats}</table>
<h3>Activities (decay-linked)</h3><table><tr><th>step</th><th>measured at</th><th>MBq</th><th>MBq at ${esc(r.referenceTime)}</th><th>mL</th></tr>${acts}</table>
${r.qc && trace ? `<h3>Radiochemical purity</h3>${chromatogramSvg(trace, r.qc)}<table><tr><th>region</th><th>${r.qc.axis === "positionMm" ? "Rf" : "t<sub>R</sub>"}</th><th>net counts</th><th>%</th><th></th></tr>${peaks}</table>` : ""}
${tests ? `<h3>Other QC tests</h3><table><tr><th>test</th><th>method</th><th>result</th><th>acceptance</th><th>stage</th><th></th></tr>${tests}</table>` : ""}
<h3>Release</h3><p>${rel ? `${esc(rel.decidedBy)} at ${esc(rel.time)}${rel.comment ? ` — ${esc(rel.comment)}` : ""}` : "not signed"}</p>
${r.warnings.length ? `<h3>Warnings</h3><ul>${r.warnings.map((w) => `<li>${esc(w)}</li>`).join("")}</ul>` : ""}
<p style="font-size:11px;color:#666">ATSM Workbench batch record. Numbers are rounded for display; record.json holds the unrounded values.</p>
</body></html>`;
}

/** A plain A4 PDF of the record (text tables). */
export async function recordPdf(r: BatchRecord): Promise<Uint8Array> {
  const doc = await PDFDocument.create();
  const font = await doc.embedFont(StandardFonts.Helvetica);
  const bold = await doc.embedFont(StandardFonts.HelveticaBold);
  let page = doc.addPage([595, 842]);
  let y = 800;
  // Standard PDF fonts are WinAnsi: map the few non-Latin-1 characters we print.
  const safe = (s: string) =>
    s
      .replace(/½/g, "1/2")
      .replace(/[–—]/g, "-")
      .replace(/µ/g, "u")
      .replace(/[^\x20-\x7e\xa0-\xff]/g, "?");
  const line = (text: string, size = 10, f = font, color = rgb(0, 0, 0)) => {
    if (y < 50) {
      page = doc.addPage([595, 842]);
      y = 800;
    }
    page.drawText(safe(text).slice(0, 110), { x: 40, y, size, font: f, color });
    y -= size + 5;
  };
  line(`${r.input.product} - batch ${r.input.batchNumber}`, 16, bold);
  line(
    r.release.decision === "released" ? "RELEASED" : "NOT RELEASED",
    13,
    bold,
    r.release.decision === "released" ? rgb(0.18, 0.49, 0.2) : rgb(0.78, 0.16, 0.16),
  );
  for (const reason of r.release.reasons) line(`- ${reason}`);
  y -= 6;
  for (const [k, v] of rows(r)) line(`${k}: ${v}`);
  y -= 6;
  line("Materials", 12, bold);
  for (const m of r.input.materials) line(`${m.name}   lot ${m.lot}   ${m.amount ?? ""}`);
  y -= 6;
  line(`Activities (MBq; decay-corrected to ${r.referenceTime})`, 12, bold);
  for (const a of r.activities)
    line(
      `${a.step}: ${mbq(a.activityBq)} MBq at ${a.time}  ->  ${mbq(a.activityAtReferenceBq)} MBq at reference`,
    );
  if (r.qc) {
    y -= 6;
    line("Radiochemical purity", 12, bold);
    for (const p of r.qc.peaks) {
      const pos = p.rf === null ? `tR ${p.timeS!.toFixed(1)} s` : `Rf ${p.rf.toFixed(3)}`;
      line(
        `${p.start.toFixed(1)}-${p.end.toFixed(1)}  ${pos}  ${p.area.toFixed(0)} +/- ${p.areaSd.toFixed(0)} counts  ${p.percent.toFixed(2)} %  ${p.isProduct ? "product" : "impurity"}`,
      );
    }
  }
  for (const t of r.input.qc.otherTests ?? [])
    line(`${t.test}: ${t.result} (${t.acceptance}) ${t.pass ? "pass" : "FAIL"}`);
  y -= 6;
  const rel = r.input.release;
  line(`Release: ${rel ? `${rel.decidedBy} at ${rel.time}` : "not signed"}`, 11, bold);
  return doc.save();
}
