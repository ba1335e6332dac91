/**
 * Results: the inputs recorded with a stored result (so it can be reproduced), and exports of a
 * stored result as CSV, JSON, DICOM SEG (DICOM PET only), HTML or PDF report — the same bytes the
 * CLI's writeQuantifyOutputs writes for those outputs. SEG and reports need the VOI label map and
 * images, which are recomputed from the recorded inputs on the loaded study; the numbers shown
 * are the stored result's.
 */
import { AtsmError } from "../../core/errors.js";
import { segSourceFromDicom, writeDicomSeg } from "../../io/dicom/seg.js";
import type { SuvOverrides } from "../../quant/suv/types.js";
import { flattenResult, jsonSafe, toCsv } from "../quantify/flatten.js";
import { reportPngs, VERSION, voiSegSegments } from "../quantify/outputs.js";
import type { QuantifyResult } from "../quantify/types.js";
import { renderReportFigures } from "../report/figures.js";
import { buildReportHtml } from "../report/html.js";
import { buildReportPdf } from "../report/pdf.js";
import { quantifyLoadedWithImages } from "./quantify.js";
import type { ExportedFile, ExportFormat, LoadedStudy, QuantifyLoadedRequest } from "./types.js";

/** The quantify request part of a result's recorded inputs. */
export interface ResultInputs extends QuantifyLoadedRequest {}

export const EXPORT_FORMATS: readonly ExportFormat[] = [
  "csv",
  "json",
  "seg.dcm",
  "report.html",
  "report.pdf",
];

function text(v: unknown): string | undefined {
  return typeof v === "string" && v.trim() !== "" ? v : undefined;
}

/**
 * What a stored result must record to be reproduced: the VOI specs, cutoff, window and overrides,
 * the series used (ids, UIDs, file names and sha256) and the software version.
 */
export function recordResultInputs(study: LoadedStudy, req: QuantifyLoadedRequest): Record<string, unknown> {
  const used = [study.pet, ...(study.ct === null ? [] : [study.ct])];
  return {
    tumour: req.tumour,
    reference: req.reference,
    cutoff: req.cutoff ?? null,
    window: req.window ?? null,
    overrides: req.overrides ?? null,
    series: used.map((s) => ({
      id: s.row.id,
      modality: s.row.modality,
      seriesInstanceUid: s.row.seriesInstanceUid,
      files: s.row.files.map((f) => ({ name: f.name, sha256: f.sha256, sizeBytes: f.sizeBytes })),
    })),
    softwareVersion: VERSION,
  };
}

/** The quantify request inside recorded inputs (also accepts `tumourSpec`/`referenceSpec`, `tumor`). */
export function parseResultInputs(inputs: Readonly<Record<string, unknown>>): ResultInputs {
  const tumour = text(inputs.tumour) ?? text(inputs.tumourSpec) ?? text(inputs.tumor);
  const reference = text(inputs.reference) ?? text(inputs.referenceSpec);
  if (tumour === undefined || reference === undefined) {
    throw new AtsmError({
      code: "INCONSISTENT",
      message: "the stored result does not record its VOI specs",
      field: tumour === undefined ? "tumour" : "reference",
      hint: "compute the result again",
    });
  }
  const cutoff = text(inputs.cutoff);
  const window = text(inputs.window);
  const o = inputs.overrides;
  return {
    tumour,
    reference,
    ...(cutoff !== undefined ? { cutoff } : {}),
    ...(window !== undefined ? { window } : {}),
    ...(o !== null && typeof o === "object" ? { overrides: o as SuvOverrides } : {}),
  };
}

function baseName(study: LoadedStudy): string {
  const s = (study.row.description || "result").replace(/[^A-Za-z0-9._-]+/g, "-").replace(/^-+|-+$/g, "");
  return (s || "result").slice(0, 60);
}

/** One export of a stored result (see file comment). `now` sets the report/SEG date (tests). */
export async function exportResult(
  study: LoadedStudy,
  inputs: Readonly<Record<string, unknown>>,
  storedResult: QuantifyResult | Readonly<Record<string, unknown>>,
  format: ExportFormat,
  opts: { now?: Date } = {},
): Promise<ExportedFile> {
  const result = storedResult as QuantifyResult;
  const stem = baseName(study);
  const now = opts.now ?? new Date();
  const meta = { generated: now.toISOString().replace(/\.\d+Z$/, "Z"), version: VERSION };
  const te = new TextEncoder();
  switch (format) {
    case "csv": {
      const flat = flattenResult(result);
      return {
        bytes: te.encode(toCsv(Object.keys(flat), [flat])),
        contentType: "text/csv; charset=utf-8",
        fileName: `${stem}-metrics.csv`,
      };
    }
    case "json":
      return {
        bytes: te.encode(`${JSON.stringify(result, jsonSafe, 2)}\n`),
        contentType: "application/json",
        fileName: `${stem}-metrics.json`,
      };
    case "seg.dcm":
    case "report.html":
    case "report.pdf":
      break;
    default:
      throw new AtsmError({
        code: "INVALID_ARGUMENT",
        message: "unknown export format",
        value: format,
        field: "format",
        hint: `one of ${EXPORT_FORMATS.join(", ")}`,
      });
  }
  const { images } = quantifyLoadedWithImages(study, parseResultInputs(inputs));
  if (format === "seg.dcm") {
    if (study.pet.row.format !== "dicom" || images.petSource === null) {
      throw new AtsmError({
        code: "UNSUPPORTED",
        message: "DICOM SEG export needs a DICOM PET series",
        value: study.pet.row.format,
        hint: "export the VOIs as JSON/CSV, or import the study as DICOM",
      });
    }
    const bytes = writeDicomSeg(images.mask, {
      segments: voiSegSegments(result),
      source: segSourceFromDicom(images.petSource, images.petSeriesUid, images.mask),
      seriesDescription: "ATSM Workbench VOIs",
      date: now,
      softwareVersion: VERSION,
    });
    return { bytes, contentType: "application/dicom", fileName: `${stem}-vois-seg.dcm` };
  }
  const figures = renderReportFigures(result, images);
  if (format === "report.html") {
    return {
      bytes: te.encode(buildReportHtml(result, reportPngs(figures), meta)),
      contentType: "text/html; charset=utf-8",
      fileName: `${stem}-report.html`,
    };
  }
  return {
    bytes: await buildReportPdf(result, figures, meta),
    contentType: "application/pdf",
    fileName: `${stem}-report.pdf`,
  };
}
