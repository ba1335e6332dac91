/**
 * PDF version of the report (pdf-lib, standard Helvetica fonts): the same text tables and PNG
 * figures as the HTML report, on A4 pages.
 */
import { deflateSync } from "node:zlib";
import {
  concatTransformationMatrix,
  drawObject,
  PDFDocument,
  type PDFFont,
  type PDFPage,
  PDFRawStream,
  popGraphicsState,
  pushGraphicsState,
  rgb,
  StandardFonts,
} from "pdf-lib";
import type { RgbaImage } from "../../image/render/rgba.js";
import { A4_PT, wrapWords } from "../pdf/text.js";
import type { QuantifyResult } from "../quantify/types.js";
import type { ReportFigures } from "./figures.js";
import { metricRows, readoutRows, studyRows } from "./tables.js";

const MARGIN = 42;

const EXTRA_WIN_ANSI = new Set([..."–—‘’“”•…€™"]);
/** Map text to what the WinAnsi-encoded standard fonts can draw. */
export function pdfSafe(s: string): string {
  return [...s]
    .map((c) => {
      if (c === "≥") return ">=";
      if (c === "≤") return "<=";
      if (c === "→") return "->";
      if (c === "\n" || c === "\t") return " ";
      const code = c.codePointAt(0)!;
      return (code >= 0x20 && code < 0x7f) || (code >= 0xa0 && code <= 0xff) || EXTRA_WIN_ANSI.has(c)
        ? c
        : "?";
    })
    .join("");
}

class Writer {
  page!: PDFPage;
  y = 0;
  constructor(
    readonly doc: PDFDocument,
    readonly font: PDFFont,
    readonly bold: PDFFont,
  ) {
    this.newPage();
  }
  newPage(): void {
    this.page = this.doc.addPage(A4_PT);
    this.y = A4_PT[1] - MARGIN;
  }
  ensure(h: number): void {
    if (this.y - h < MARGIN) this.newPage();
  }
  wrap(text: string, width: number, size: number, font = this.font): string[] {
    const lines = wrapWords(pdfSafe(text), font, size, width);
    if (lines[lines.length - 1] === "") lines.pop(); // only the last line can be empty
    // hard-split words longer than the width (paths)
    return lines.flatMap((l) => {
      if (font.widthOfTextAtSize(l, size) <= width) return [l];
      const parts: string[] = [];
      let p = "";
      for (const ch of l) {
        if (font.widthOfTextAtSize(p + ch, size) > width && p !== "") {
          parts.push(p);
          p = ch;
        } else p += ch;
      }
      if (p) parts.push(p);
      return parts;
    });
  }
  text(s: string, size = 10, font = this.font, color = rgb(0.1, 0.1, 0.1)): void {
    const lines = this.wrap(s, A4_PT[0] - 2 * MARGIN, size, font);
    for (const l of lines) {
      this.ensure(size * 1.35);
      this.page.drawText(l, { x: MARGIN, y: this.y - size, size, font, color });
      this.y -= size * 1.35;
    }
  }
  heading(s: string): void {
    this.ensure(40);
    this.y -= 10;
    this.text(s, 13, this.bold);
    this.page.drawLine({
      start: { x: MARGIN, y: this.y + 2 },
      end: { x: A4_PT[0] - MARGIN, y: this.y + 2 },
      thickness: 0.5,
      color: rgb(0.75, 0.75, 0.75),
    });
    this.y -= 4;
  }
  /** Table with column widths as fractions of the text width. */
  table(rows: readonly (readonly string[])[], widths: readonly number[], size = 9, headerRow = false): void {
    const total = A4_PT[0] - 2 * MARGIN;
    rows.forEach((row, ri) => {
      const cells = row.map((c, ci) =>
        this.wrap(
          c,
          widths[ci]! * total - 6,
          size,
          ci === 0 || (headerRow && ri === 0) ? this.bold : this.font,
        ),
      );
      const h = Math.max(...cells.map((c) => c.length)) * size * 1.3 + 3;
      this.ensure(h);
      let x = MARGIN;
      cells.forEach((lines, ci) => {
        lines.forEach((l, li) => {
          this.page.drawText(l, {
            x,
            y: this.y - size - li * size * 1.3,
            size,
            font: ci === 0 || (headerRow && ri === 0) ? this.bold : this.font,
            color: rgb(0.1, 0.1, 0.1),
          });
        });
        x += widths[ci]! * total;
      });
      this.y -= h;
      this.page.drawLine({
        start: { x: MARGIN, y: this.y + 1 },
        end: { x: A4_PT[0] - MARGIN, y: this.y + 1 },
        thickness: 0.3,
        color: rgb(0.88, 0.88, 0.88),
      });
    });
  }
  /**
   * Draw an opaque RGBA image as a DeviceRGB image XObject, deflated with node:zlib (pdf-lib's
   * own PNG path decodes and re-deflates in JS, about 10× slower).
   */
  image(img: RgbaImage, x: number, widthPt: number, caption: string): number {
    const n = img.width * img.height;
    const rgbBytes = new Uint8Array(n * 3);
    for (let p = 0; p < n; p++) {
      rgbBytes[3 * p] = img.data[4 * p]!;
      rgbBytes[3 * p + 1] = img.data[4 * p + 1]!;
      rgbBytes[3 * p + 2] = img.data[4 * p + 2]!;
    }
    const z = new Uint8Array(deflateSync(rgbBytes, { level: 6 }));
    const dict = this.doc.context.obj({
      Type: "XObject",
      Subtype: "Image",
      Width: img.width,
      Height: img.height,
      ColorSpace: "DeviceRGB",
      BitsPerComponent: 8,
      Filter: "FlateDecode",
      Length: z.length,
    });
    const ref = this.doc.context.register(PDFRawStream.of(dict, z));
    const name = this.page.node.newXObject("Im", ref);
    const h = (img.height / img.width) * widthPt;
    this.page.pushOperators(
      pushGraphicsState(),
      concatTransformationMatrix(widthPt, 0, 0, h, x, this.y - h),
      drawObject(name),
      popGraphicsState(),
    );
    const lines = this.wrap(caption, widthPt, 8);
    lines.forEach((l, i) => {
      this.page.drawText(l, {
        x,
        y: this.y - h - 10 - i * 10,
        size: 8,
        font: this.font,
        color: rgb(0.3, 0.3, 0.3),
      });
    });
    return h + 12 + lines.length * 10;
  }
}

/** The report as PDF bytes. */
export async function buildReportPdf(
  r: QuantifyResult,
  pngs: ReportFigures,
  meta: { generated: string; version: string },
): Promise<Uint8Array> {
  const doc = await PDFDocument.create();
  doc.setTitle("Cu-ATSM hypoxia report");
  doc.setProducer(`ATSM Workbench ${meta.version}`);
  doc.setCreator("ATSM Workbench");
  const w = new Writer(
    doc,
    await doc.embedFont(StandardFonts.Helvetica),
    await doc.embedFont(StandardFonts.HelveticaBold),
  );
  w.text("Cu-ATSM hypoxia report", 18, w.bold);
  w.text(
    `ATSM Workbench ${meta.version} · generated ${meta.generated} · research use only, not for diagnosis`,
    8,
  );
  const p = r.prognosis;
  w.y -= 6;
  const cls = p
    ? `${p.class.toUpperCase()}: T/M${p.statistic} ${p.value.toFixed(2)} vs cutoff ${p.cutoff} (${p.label})`
    : "No prognosis preset chosen";
  const color =
    p?.class === "hypoxic" ? rgb(0.65, 0.07, 0.07) : p ? rgb(0.09, 0.42, 0.16) : rgb(0.3, 0.3, 0.3);
  w.text(cls, 13, w.bold, color);
  w.heading("Read-out");
  w.table(readoutRows(r), [0.38, 0.62]);
  w.heading("Study and injection");
  w.table(studyRows(r), [0.25, 0.75]);
  w.heading("Metrics");
  w.table([["Metric", "Tumour", "Reference"], ...metricRows(r)], [0.3, 0.35, 0.35], 9, true);

  w.newPage();
  w.heading("Images");
  w.text(
    "Fused PET/CT through the hottest tumour voxel (PET: hot map, 0 to tumour max). Outlines: cyan tumour, green reference.",
    9,
  );
  w.y -= 4;
  const col = (A4_PT[0] - 2 * MARGIN - 12) / 2;
  const h1 = Math.max(
    w.image(pngs.axial, MARGIN, col, "Axial: patient left on image right, anterior up"),
    w.image(pngs.coronal, MARGIN + col + 12, col, "Coronal: head up, patient left on image right"),
  );
  w.y -= h1 + 8;
  const h2 = Math.max(
    w.image(pngs.sagittal, MARGIN, col, "Sagittal: head up, anterior on image left"),
    w.image(pngs.mip, MARGIN + col + 12, col, "Coronal maximum-intensity projection of the PET"),
  );
  w.y -= h2 + 8;
  w.ensure(0.7 * col + 30);
  const h3 = w.image(pngs.referenceAxial, MARGIN, 0.7 * col, "Axial through the reference (muscle) VOI");
  w.y -= h3 + 8;

  w.heading("T/M histogram");
  w.ensure(330);
  const hh = w.image(
    pngs.histogram,
    MARGIN,
    0.85 * (A4_PT[0] - 2 * MARGIN),
    `Tumour volume per T/M bin (bars) and % of tumour volume with T/M >= x (red); dashed: hypoxic cutoff ${r.hypoxicCutoffTm}`,
  );
  w.y -= hh + 8;
  w.heading("Warnings");
  if (r.warnings.length === 0) w.text("none", 9);
  for (const x of r.warnings) w.text(`• ${x}`, 9);
  w.heading("Definitions");
  for (const d of [
    "T/M = tumour statistic / mean of the reference (muscle) VOI, in the same image unit; the reference statistic is always the mean.",
    "SUVpeak: highest mean over a 1 cm³ sphere centred in the tumour VOI (QIBA/PERCIST).",
    "Partial voxels: volume, mean, SD and hypoxic volume weight boundary voxels by fractional coverage; max, min and voxel counts use voxels whose centre is inside.",
    "Hypoxic volume: tumour volume whose voxel T/M exceeds the cutoff (strict >).",
    "Prognosis cutoffs were derived with 60Cu-ATSM and summed 30-60 min frames; they may not transfer to other nuclides or uptake times.",
  ])
    w.text(`• ${d}`, 9);
  return doc.save();
}
