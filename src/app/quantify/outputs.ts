/**
 * Write the outputs of one quantification into a folder: report.html, report.pdf, metrics.csv,
 * metrics.json, vois.nii.gz (label map: 1 tumour, 2 reference) and vois-seg.dcm (DICOM SEG).
 */
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { AtsmError } from "../../core/errors.js";
import { SEG_CODES, segSourceFromDicom, writeDicomSeg } from "../../io/dicom/seg.js";
import { writeNiftiLabelMap } from "../../io/nifti/index.js";
import { encodePng } from "../../io/png.js";
import { type ReportFigures, renderReportFigures } from "../report/figures.js";
import { buildReportHtml, type FigurePngs } from "../report/html.js";
import { buildReportPdf } from "../report/pdf.js";
import { flattenResult, jsonSafe, toCsv } from "./flatten.js";
import { REFERENCE_LABEL, TUMOR_LABEL } from "./run.js";
import type { QuantifyImages, QuantifyResult } from "./types.js";

export const VERSION = "0.1.0";

/** The DICOM SEG segments of a result's VOI label map (1 tumour, 2 reference), with the VOI specs. */
export function voiSegSegments(result: QuantifyResult) {
  return [
    {
      label: TUMOR_LABEL,
      name: "tumour",
      category: SEG_CODES.morphologicallyAltered,
      type: SEG_CODES.neoplasm,
      algorithmName: result.tumor.spec,
    },
    {
      label: REFERENCE_LABEL,
      name: "reference muscle",
      category: SEG_CODES.tissue,
      type: SEG_CODES.muscle,
      algorithmName: result.reference.spec,
    },
  ];
}

export interface WrittenOutputs {
  readonly dir: string;
  readonly files: readonly string[];
}

function ensureDir(dir: string): void {
  try {
    mkdirSync(dir, { recursive: true });
  } catch (e) {
    throw new AtsmError({
      code: "IO_ERROR",
      message: `cannot create the output folder: ${(e as Error).message}`,
      file: dir,
      hint: "choose a writable folder with --out",
    });
  }
}

/** The report figures as PNG bytes. */
export function reportPngs(f: ReportFigures): FigurePngs {
  const png = (img: Parameters<typeof encodePng>[0]) => encodePng(img, { alpha: false }); // opaque figures
  return {
    axial: png(f.axial),
    referenceAxial: png(f.referenceAxial),
    coronal: png(f.coronal),
    sagittal: png(f.sagittal),
    mip: png(f.mip),
    histogram: png(f.histogram),
  };
}

/** Write every output file into `dir` (created if needed). */
export async function writeQuantifyOutputs(
  dir: string,
  result: QuantifyResult,
  images: QuantifyImages,
  opts: { now?: Date } = {},
): Promise<WrittenOutputs> {
  ensureDir(dir);
  const now = opts.now ?? new Date();
  const meta = { generated: now.toISOString().replace(/\.\d+Z$/, "Z"), version: VERSION };
  const figures = renderReportFigures(result, images);
  const pngs = reportPngs(figures);
  const files: string[] = [];
  const put = (name: string, bytes: Uint8Array | string) => {
    const p = join(dir, name);
    writeFileSync(p, bytes);
    files.push(p);
  };
  put("report.html", buildReportHtml(result, pngs, meta));
  put("report.pdf", await buildReportPdf(result, figures, meta));
  const flat = flattenResult(result);
  put("metrics.csv", toCsv(Object.keys(flat), [flat]));
  put("metrics.json", `${JSON.stringify(result, jsonSafe, 2)}\n`);
  const nii = join(dir, "vois.nii.gz");
  await writeNiftiLabelMap(nii, images.mask, "ATSM VOIs: 1 tumour, 2 reference");
  files.push(nii);
  const source =
    images.petSource !== null ? segSourceFromDicom(images.petSource, images.petSeriesUid, images.mask) : {};
  put(
    "vois-seg.dcm",
    writeDicomSeg(images.mask, {
      segments: voiSegSegments(result),
      source,
      seriesDescription: "ATSM Workbench VOIs",
      date: now,
      softwareVersion: VERSION,
    }),
  );
  return { dir, files };
}
