/**
 * Printable views of a batch record: self-contained HTML (with an SVG chromatogram) and a PDF
 * (pdf-lib, no browser needed). Numbers are rounded only here, for display.
 */
import { degrees, PDFDocument, type PDFFont, type PDFPage, rgb, StandardFonts } from "pdf-lib";
import type { ChromatogramResult, Trace } from "../../lab/chromatogram/analyze.js";
import { winAnsi, wrapWords } from "../pdf/text.js";
import type { BatchRecord } from "./record.js";

const esc = (s: string): string =>
  s.replace(/[&<>"]/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;" })[c]!);
const mbq = (bq: number): string => (bq / 1e6).toFixed(2);
/** "[64Cu]Cu-ATSM" → "[<sup>64</sup>Cu]Cu-ATSM" (IUPAC isotope notation), on already-escaped text. */
const isotopes = (html: string): string => html.replace(/\[(\d{1,3})([A-Z][a-z]?)\]/g, "[<sup>$1</sup>$2]");

/** TLC plate marks drawn on the chromatogram (mm on the trace axis). */
export interface PlateMarks {
  readonly originMm?: number;
  readonly frontMm?: number;
}

/** 1-2-5 tick step giving about `target` ticks over `span`. */
function niceStep(span: number, target = 5): number {
  const raw = span / target;
  const p = 10 ** Math.floor(Math.log10(raw));
  const m = raw / p;
  return (m < 1.5 ? 1 : m < 3.5 ? 2 : m < 7.5 ? 5 : 10) * p;
}

function ticks(lo: number, hi: number): number[] {
  const step = niceStep(hi - lo);
  const out: number[] = [];
  for (let v = Math.ceil(lo / step - 1e-9) * step; v <= hi + 1e-9 * step; v += step) out.push(v);
  return out;
}

/**
 * Axis ranges shared by the SVG and PDF chromatograms: x from the first to the last sample; y from
 * 0 to the tick above 1.05 × the highest count (at least 1).
 */
function traceAxes(trace: Trace): { x0: number; x1: number; yTicks: number[]; yTop: number } {
  let yMax = 1;
  for (const v of trace.counts) yMax = Math.max(yMax, v);
  const yTicks = ticks(0, yMax * 1.05);
  return {
    x0: trace.x[0]!,
    x1: trace.x[trace.x.length - 1]!,
    yTicks,
    yTop: Math.max(yMax * 1.05, yTicks[yTicks.length - 1]!),
  };
}

/**
 * Row (0 = lowest) for each label centred at `xs` with widths `ws`, so that labels of close
 * regions (a shoulder beside the product) never print over each other.
 */
export function labelRows(xs: readonly number[], ws: readonly number[], gap = 4): number[] {
  const order = xs.map((_, i) => i).sort((a, b) => xs[a]! - xs[b]!);
  const rightEdge: number[] = [];
  const rows = new Array<number>(xs.length).fill(0);
  for (const i of order) {
    const left = xs[i]! - ws[i]! / 2;
    let row = 0;
    while (row < rightEdge.length && left < rightEdge[row]! + gap) row++;
    rightEdge[row] = xs[i]! + ws[i]! / 2;
    rows[i] = row;
  }
  return rows;
}

const tickLabel = (v: number): string =>
  Math.abs(v) >= 1e5 ? v.toExponential(1) : Number(v.toPrecision(6)).toString();

/**
 * SVG line plot of a trace with its baseline, shaded ROIs (product green, impurities red) and
 * each ROI's percentage in a band above the plot (so labels never sit on a peak). For TLC the
 * origin (Rf 0) and solvent front (Rf 1) are drawn as dashed vertical lines.
 */
export function chromatogramSvg(
  trace: Trace,
  qc: ChromatogramResult,
  marks: PlateMarks = {},
  width = 640,
  height = 280,
): string {
  const pctText = qc.peaks.map((p) => `${p.percent.toFixed(1)} %`);
  const m = { l: 64, r: 16, t: 40, b: 42 };
  const { x0, x1, yTicks, yTop } = traceAxes(trace);
  const px = (x: number) => m.l + ((x - x0) / (x1 - x0)) * (width - m.l - m.r);
  const py = (y: number) => height - m.b - (y / yTop) * (height - m.t - m.b);
  const path = (ys: ArrayLike<number>) =>
    Array.from(trace.x, (x, i) => `${i === 0 ? "M" : "L"}${px(x).toFixed(1)},${py(ys[i]!).toFixed(1)}`).join(
      "",
    );
  // Percent labels sit above the plot; close regions stack (≈ 6.2 px per character at 11 px).
  const rowOf = labelRows(
    qc.peaks.map((p) => px(p.centroid)),
    pctText.map((t) => t.length * 6.2),
  );
  const nRows = Math.max(1, ...rowOf.map((r) => r + 1));
  m.t += 12 * (nRows - 1);
  const rois = qc.peaks
    .map(
      (p, i) =>
        `<rect x="${px(p.start).toFixed(1)}" y="${m.t}" width="${Math.max(1, px(p.end) - px(p.start)).toFixed(1)}" height="${height - m.t - m.b}" fill="${p.isProduct ? "#2e7d32" : "#c62828"}" fill-opacity="0.15"/>` +
        `<text x="${px(p.centroid).toFixed(1)}" y="${m.t - 5 - 12 * rowOf[i]!}" font-size="11" text-anchor="middle" fill="${p.isProduct ? "#1b5e20" : "#b71c1c"}">${pctText[i]}</text>`,
    )
    .join("");
  const plateMark = (xv: number | undefined, label: string): string =>
    xv === undefined || xv < x0 || xv > x1
      ? ""
      : `<line x1="${px(xv).toFixed(1)}" y1="${m.t}" x2="${px(xv).toFixed(1)}" y2="${height - m.b}" stroke="#444" stroke-dasharray="2 3"/>` +
        `<text x="${px(xv).toFixed(1)}" y="${m.t - 8 - 12 * nRows}" font-size="10" text-anchor="${px(xv) < m.l + 60 ? "start" : px(xv) > width - m.r - 60 ? "end" : "middle"}" fill="#444">${label}</text>`;
  const plate =
    trace.axis === "positionMm"
      ? plateMark(marks.originMm, `origin ${marks.originMm} mm (Rf 0)`) +
        plateMark(marks.frontMm, `front ${marks.frontMm} mm (Rf 1)`)
      : "";
  const unit = trace.axis === "positionMm" ? "position on the plate (mm)" : "retention time (s)";
  const xTickMarks = ticks(x0, x1)
    .map(
      (xv) =>
        `<line x1="${px(xv).toFixed(1)}" y1="${height - m.b}" x2="${px(xv).toFixed(1)}" y2="${height - m.b + 4}" stroke="black"/>` +
        `<text x="${px(xv).toFixed(1)}" y="${height - m.b + 16}" font-size="11" text-anchor="middle">${tickLabel(xv)}</text>`,
    )
    .join("");
  const yTickMarks = yTicks
    .map(
      (yv) =>
        `<line x1="${m.l - 4}" y1="${py(yv).toFixed(1)}" x2="${m.l}" y2="${py(yv).toFixed(1)}" stroke="black"/>` +
        `<text x="${m.l - 6}" y="${(py(yv) + 4).toFixed(1)}" font-size="10" text-anchor="end">${tickLabel(yv)}</text>`,
    )
    .join("");
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" font-family="sans-serif">
<rect width="100%" height="100%" fill="white"/>${rois}${plate}
<path d="${path(qc.baseline)}" fill="none" stroke="#888" stroke-dasharray="4 3"/>
<path d="${path(trace.counts)}" fill="none" stroke="#1a237e" stroke-width="1.5"/>
<line x1="${m.l}" y1="${height - m.b}" x2="${width - m.r}" y2="${height - m.b}" stroke="black"/>
<line x1="${m.l}" y1="${m.t}" x2="${m.l}" y2="${height - m.b}" stroke="black"/>${xTickMarks}${yTickMarks}
<text x="${(width + m.l) / 2}" y="${height - 6}" font-size="12" text-anchor="middle">${unit}</text>
<text x="14" y="${(m.t + height - m.b) / 2}" font-size="12" text-anchor="middle" transform="rotate(-90 14 ${(m.t + height - m.b) / 2})">counts per bin</text>
<text x="${m.l}" y="${height - 6}" font-size="10" fill="#666">— trace   - - - baseline</text>
</svg>`;
}

const DECISION_TEXT: Readonly<Record<BatchRecord["release"]["decision"], string>> = {
  released: "Released",
  pending: "Meets specification — awaiting release signature",
  rejected: "Not released",
};

function plateMarks(r: BatchRecord): PlateMarks {
  const q = r.input.qc;
  return {
    ...(q.originMm !== undefined ? { originMm: q.originMm } : {}),
    ...(q.frontMm !== undefined ? { frontMm: q.frontMm } : {}),
  };
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
th{background:#f3f3f3}.released{color:#2e7d32}.rejected{color:#c62828}.pending{color:#e65100}@media print{body{margin:0}}</style></head><body>
<h1>${isotopes(esc(r.input.product))} — batch ${esc(r.input.batchNumber)}</h1>
<h2 class="${r.release.decision}">${DECISION_TEXT[r.release.decision]}</h2>
${r.release.reasons.length ? `<ul>${r.release.reasons.map((x) => `<li>${esc(x)}</li>`).join("")}</ul>` : ""}
<table>${summary}</table>
<h3>Materials</h3><table><tr><th>material</th><th>lot</th><th>amount</th></tr>${mats}</table>
<h3>Activities (decay-linked)</h3><table><tr><th>step</th><th>measured at</th><th>MBq</th><th>MBq at ${esc(r.referenceTime)}</th><th>mL</th></tr>${acts}</table>
${r.qc && trace ? `<h3>Radiochemical purity</h3>${chromatogramSvg(trace, r.qc, plateMarks(r))}<table><tr><th>region (${r.qc.axis === "positionMm" ? "mm" : "s"})</th><th>${r.qc.axis === "positionMm" ? "Rf" : "t<sub>R</sub>"}</th><th>net counts</th><th>%</th><th></th></tr>${peaks}</table>` : ""}
${tests ? `<h3>Other QC tests</h3><table><tr><th>test</th><th>method</th><th>result</th><th>acceptance</th><th>stage</th><th></th></tr>${tests}</table>` : ""}
<h3>Release</h3><p>${rel ? `${esc(rel.decidedBy)} at ${esc(rel.time)}${rel.comment ? ` — ${esc(rel.comment)}` : ""}` : "not signed"}</p>
${r.warnings.length ? `<h3>Warnings</h3><ul>${r.warnings.map((w) => `<li>${esc(w)}</li>`).join("")}</ul>` : ""}
<p style="font-size:11px;color:#666">ATSM Workbench batch record. Numbers are rounded for display; record.json holds the unrounded values.</p>
</body></html>`;
}

/** An A4 PDF of the record: text tables, wrapped to the page, plus the chromatogram as vectors. */
export async function recordPdf(r: BatchRecord, trace: Trace | null = null): Promise<Uint8Array> {
  const doc = await PDFDocument.create();
  const font = await doc.embedFont(StandardFonts.Helvetica);
  const bold = await doc.embedFont(StandardFonts.HelveticaBold);
  const W = 595;
  const H = 842;
  const LEFT = 40;
  const MAX_W = W - 2 * LEFT;
  let page = doc.addPage([W, H]);
  let y = 800;
  const newPageIfBelow = (need: number) => {
    if (y < need) {
      page = doc.addPage([W, H]);
      y = 800;
    }
  };
  /** Draw one paragraph, wrapped at word boundaries to the text width (never cut off). */
  const line = (text: string, size = 10, f: PDFFont = font, color = rgb(0, 0, 0)) => {
    for (const l of wrapWords(winAnsi(text), f, size, MAX_W, "    ")) {
      newPageIfBelow(50);
      page.drawText(l, { x: LEFT, y, size, font: f, color });
      y -= size + 5;
    }
  };
  line(`${r.input.product} - batch ${r.input.batchNumber}`, 16, bold);
  const decisionColor =
    r.release.decision === "released"
      ? rgb(0.18, 0.49, 0.2)
      : r.release.decision === "pending"
        ? rgb(0.9, 0.32, 0)
        : rgb(0.78, 0.16, 0.16);
  line(DECISION_TEXT[r.release.decision].toUpperCase(), 13, bold, decisionColor);
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
      `${a.step}: ${mbq(a.activityBq)} MBq at ${a.time}  ->  ${mbq(a.activityAtReferenceBq)} MBq at reference${a.volumeMl !== null ? `  (${a.volumeMl} mL)` : ""}`,
    );
  if (r.qc) {
    y -= 6;
    line("Radiochemical purity", 12, bold);
    if (trace) {
      const h = 170;
      newPageIfBelow(h + 60);
      drawTracePdf(page, trace, r.qc, plateMarks(r), { x: LEFT, y: y - h, w: MAX_W, h }, font);
      y -= h + 12;
    }
    const u = r.qc.axis === "positionMm" ? "mm" : "s";
    for (const p of r.qc.peaks) {
      const pos = p.rf === null ? `tR ${p.timeS!.toFixed(1)} s` : `Rf ${p.rf.toFixed(3)}`;
      line(
        `${p.start.toFixed(1)}-${p.end.toFixed(1)} ${u}  ${pos}  ${p.area.toFixed(0)} +/- ${p.areaSd.toFixed(0)} net counts  ${p.percent.toFixed(2)} %  ${p.isProduct ? "product" : "impurity"}`,
      );
    }
  }
  const tests = r.input.qc.otherTests ?? [];
  if (tests.length > 0) {
    y -= 6;
    line("Other QC tests", 12, bold);
    for (const t of tests)
      line(
        `${t.test}${t.method ? ` (${t.method})` : ""}: ${t.result}; acceptance ${t.acceptance}; ${t.stage ?? "pre-release"}: ${t.pass ? "pass" : "FAIL"}`,
      );
  }
  y -= 6;
  const rel = r.input.release;
  line(
    `Release: ${rel ? `${rel.decidedBy} at ${rel.time}${rel.comment ? ` - ${rel.comment}` : ""}` : "not signed"}`,
    11,
    bold,
  );
  if (r.warnings.length > 0) {
    y -= 6;
    line("Warnings", 12, bold);
    for (const w of r.warnings) line(`- ${w}`);
  }
  y -= 6;
  line(
    "Numbers are rounded for display; record.json holds the unrounded values.",
    8,
    font,
    rgb(0.4, 0.4, 0.4),
  );
  return doc.save();
}

/** The chromatogram drawn with pdf-lib primitives in the box (PDF coordinates, y up). */
function drawTracePdf(
  page: PDFPage,
  trace: Trace,
  qc: ChromatogramResult,
  marks: PlateMarks,
  box: { x: number; y: number; w: number; h: number },
  font: PDFFont,
): void {
  const { x0, x1, yTicks, yTop } = traceAxes(trace);
  const m0 = { l: 46, r: 8 };
  const left = box.x + m0.l;
  const right = box.x + box.w - m0.r;
  const px = (x: number) => left + ((x - x0) / (x1 - x0)) * (right - left);
  const labels = qc.peaks.map((p) => `${p.percent.toFixed(1)} %`);
  const rowOf = labelRows(
    qc.peaks.map((p) => px(p.centroid)),
    labels.map((l) => font.widthOfTextAtSize(l, 8)),
  );
  const nRows = Math.max(1, ...rowOf.map((r) => r + 1));
  const m = { ...m0, t: 26 + 10 * (nRows - 1), b: 28 };
  const bottom = box.y + m.b;
  const top = box.y + box.h - m.t;
  const py = (v: number) => bottom + (v / yTop) * (top - bottom);
  const black = rgb(0, 0, 0);
  const grey = rgb(0.35, 0.35, 0.35);
  qc.peaks.forEach((p, i) => {
    const c = p.isProduct ? rgb(0.18, 0.49, 0.2) : rgb(0.78, 0.16, 0.16);
    page.drawRectangle({
      x: px(p.start),
      y: bottom,
      width: Math.max(0.5, px(p.end) - px(p.start)),
      height: top - bottom,
      color: c,
      opacity: 0.15,
    });
    const label = labels[i]!;
    page.drawText(label, {
      x: px(p.centroid) - font.widthOfTextAtSize(label, 8) / 2,
      y: top + 3 + 10 * rowOf[i]!,
      size: 8,
      font,
      color: c,
    });
  });
  if (trace.axis === "positionMm") {
    for (const [xv, label] of [
      [marks.originMm, `origin ${marks.originMm} mm (Rf 0)`],
      [marks.frontMm, `front ${marks.frontMm} mm (Rf 1)`],
    ] as const) {
      if (xv === undefined || xv < x0 || xv > x1) continue;
      page.drawLine({
        start: { x: px(xv), y: bottom },
        end: { x: px(xv), y: top },
        thickness: 0.6,
        color: grey,
        dashArray: [2, 2],
      });
      const w = font.widthOfTextAtSize(label, 7);
      const lx = Math.min(Math.max(px(xv) - w / 2, box.x), box.x + box.w - w);
      page.drawText(label, { x: lx, y: top + 3 + 10 * nRows, size: 7, font, color: grey });
    }
  }
  const poly = (ys: ArrayLike<number>, color: ReturnType<typeof rgb>, thickness: number, dash?: number[]) => {
    for (let i = 1; i < trace.x.length; i++) {
      page.drawLine({
        start: { x: px(trace.x[i - 1]!), y: py(ys[i - 1]!) },
        end: { x: px(trace.x[i]!), y: py(ys[i]!) },
        thickness,
        color,
        ...(dash ? { dashArray: dash } : {}),
      });
    }
  };
  poly(qc.baseline, rgb(0.55, 0.55, 0.55), 0.6, [3, 2]);
  poly(trace.counts, rgb(0.1, 0.14, 0.49), 0.9);
  page.drawLine({
    start: { x: left, y: bottom },
    end: { x: right, y: bottom },
    thickness: 0.7,
    color: black,
  });
  page.drawLine({ start: { x: left, y: bottom }, end: { x: left, y: top }, thickness: 0.7, color: black });
  for (const xv of ticks(x0, x1)) {
    const t = tickLabel(xv);
    page.drawLine({
      start: { x: px(xv), y: bottom },
      end: { x: px(xv), y: bottom - 3 },
      thickness: 0.6,
      color: black,
    });
    page.drawText(t, { x: px(xv) - font.widthOfTextAtSize(t, 7) / 2, y: bottom - 11, size: 7, font });
  }
  for (const yv of yTicks) {
    const t = tickLabel(yv);
    page.drawLine({
      start: { x: left - 3, y: py(yv) },
      end: { x: left, y: py(yv) },
      thickness: 0.6,
      color: black,
    });
    page.drawText(t, { x: left - 5 - font.widthOfTextAtSize(t, 7), y: py(yv) - 2.5, size: 7, font });
  }
  const xl = trace.axis === "positionMm" ? "position on the plate (mm)" : "retention time (s)";
  page.drawText(xl, {
    x: (left + right) / 2 - font.widthOfTextAtSize(xl, 8) / 2,
    y: box.y + 4,
    size: 8,
    font,
  });
  page.drawText("counts per bin", {
    x: box.x + 8,
    y: (bottom + top) / 2 - 25,
    size: 8,
    font,
    rotate: degrees(90),
  });
}
