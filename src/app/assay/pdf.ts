/** PDF version of the assay report with pdf-lib: the same sections and figures, drawn as vectors. */
import { degrees, PDFDocument, type PDFFont, type PDFPage, rgb, StandardFonts } from "pdf-lib";
import { A4_PT, winAnsi } from "../pdf/text.js";
import type { Figure, Prim } from "./chart.js";
import { assayFigures } from "./figures.js";
import type { AssayJobResult } from "./run.js";
import { reportSections } from "./sections.js";

const MARGIN = 40;

function color(hex: string) {
  const v = Number.parseInt(hex.replace("#", ""), 16);
  return rgb(((v >> 16) & 255) / 255, ((v >> 8) & 255) / 255, (v & 255) / 255);
}

function drawFigure(
  page: PDFPage,
  fig: Figure,
  x0: number,
  yTop: number,
  scale: number,
  font: PDFFont,
  bold: PDFFont,
): void {
  const toPdfX = (x: number) => x0 + x * scale;
  const toPdfY = (y: number) => yTop - y * scale;
  for (const p of fig.prims as Prim[]) {
    switch (p.t) {
      case "line":
        page.drawLine({
          start: { x: toPdfX(p.x1), y: toPdfY(p.y1) },
          end: { x: toPdfX(p.x2), y: toPdfY(p.y2) },
          thickness: p.width * scale,
          color: color(p.color),
        });
        break;
      case "rect":
        page.drawRectangle({
          x: toPdfX(p.x),
          y: toPdfY(p.y + p.h),
          width: p.w * scale,
          height: p.h * scale,
          color: color(p.fill),
        });
        break;
      case "circle":
        page.drawCircle({
          x: toPdfX(p.cx),
          y: toPdfY(p.cy),
          size: p.r * scale,
          color: color(p.fill),
          ...(p.stroke ? { borderColor: color(p.stroke), borderWidth: 0.8 * scale } : {}),
        });
        break;
      case "poly":
        for (let i = 1; i < p.points.length; i++) {
          const a = p.points[i - 1]!;
          const b = p.points[i]!;
          page.drawLine({
            start: { x: toPdfX(a[0]), y: toPdfY(a[1]) },
            end: { x: toPdfX(b[0]), y: toPdfY(b[1]) },
            thickness: p.width * scale,
            color: color(p.color),
          });
        }
        break;
      case "text": {
        const f = p.bold ? bold : font;
        const text = winAnsi(p.text);
        const size = p.size * scale;
        const w = f.widthOfTextAtSize(text, size);
        const shift = p.anchor === "middle" ? w / 2 : p.anchor === "end" ? w : 0;
        if (p.rotate)
          page.drawText(text, {
            x: toPdfX(p.x) + size / 3,
            y: toPdfY(p.y) - shift,
            size,
            font: f,
            rotate: degrees(90),
            color: color(p.color ?? "#111111"),
          });
        else
          page.drawText(text, {
            x: toPdfX(p.x) - shift,
            y: toPdfY(p.y),
            size,
            font: f,
            color: color(p.color ?? "#111111"),
          });
        break;
      }
    }
  }
}

export async function renderAssayPdf(job: AssayJobResult): Promise<Uint8Array> {
  const doc = await PDFDocument.create();
  doc.setTitle("64Cu-ATSM in-vitro uptake and retention");
  doc.setProducer("ATSM Workbench");
  const font = await doc.embedFont(StandardFonts.Helvetica);
  const bold = await doc.embedFont(StandardFonts.HelveticaBold);
  let page = doc.addPage(A4_PT);
  let y = A4_PT[1] - MARGIN;
  const need = (h: number): void => {
    if (y - h < MARGIN) {
      page = doc.addPage(A4_PT);
      y = A4_PT[1] - MARGIN;
    }
  };
  const line = (text: string, size = 8.5, f = font): void => {
    const maxW = A4_PT[0] - 2 * MARGIN;
    let rest = winAnsi(text);
    while (rest.length > 0) {
      let cut = rest.length;
      while (f.widthOfTextAtSize(rest.slice(0, cut), size) > maxW && cut > 10)
        cut = rest.lastIndexOf(" ", cut - 1) > 0 ? rest.lastIndexOf(" ", cut - 1) : cut - 1;
      need(size + 3);
      page.drawText(rest.slice(0, cut), { x: MARGIN, y: y - size, size, font: f });
      y -= size + 3;
      rest = rest.slice(cut).trimStart();
    }
  };
  line("In-vitro 64Cu-ATSM uptake and retention", 15, bold);
  y -= 4;
  const r = job.result;
  line(
    `${job.nuclide}, decay-corrected to ${new Date(r.referenceMs).toISOString()} - ${job.files.layout}, ${job.files.counts}${job.files.protein ? `, ${job.files.protein}` : ""}`,
  );
  const figs = assayFigures(r);
  for (const s of reportSections(job)) {
    y -= 8;
    need(40);
    line(s.title, 11, bold);
    if (s.kind === "text") {
      for (const l of s.lines) line(l);
    } else {
      const cols = s.header.length;
      const maxW = A4_PT[0] - 2 * MARGIN;
      const size = cols > 8 ? 6.5 : 7.5;
      const widths = s.header.map(
        (h, i) =>
          Math.max(
            bold.widthOfTextAtSize(winAnsi(h), size), // headers are drawn bold: measure them bold
            ...s.rows.map((row) => font.widthOfTextAtSize(winAnsi(row[i] ?? ""), size)),
          ) + 8,
      );
      const total = widths.reduce((a, b) => a + b, 0);
      const k = total > maxW ? maxW / total : 1;
      const drawRow = (cells: string[], f: PDFFont): void => {
        need(size + 4);
        let x = MARGIN;
        cells.forEach((c, i) => {
          page.drawText(winAnsi(c), { x, y: y - size, size: size * Math.min(1, k * 1.05), font: f });
          x += widths[i]! * k;
        });
        y -= size + 4;
      };
      drawRow(s.header, bold);
      for (const row of s.rows) drawRow(row, font);
      if (s.note) line(s.note, 7);
    }
    if (s.title.startsWith("Table 1")) {
      const scale = (A4_PT[0] - 2 * MARGIN - 10) / 2 / 520;
      for (let i = 0; i < figs.length; i += 2) {
        const h = 300 * scale;
        need(h + 6);
        drawFigure(page, figs[i]!, MARGIN, y, scale, font, bold);
        if (figs[i + 1]) drawFigure(page, figs[i + 1]!, MARGIN + 520 * scale + 10, y, scale, font, bold);
        y -= h + 6;
      }
    }
  }
  return doc.save();
}
