/**
 * Retrieve a whole study (or one series of it) from a PACS into a folder, one sub-folder per
 * series: `<destDir>/<SeriesInstanceUID>/<n>.dcm`. The files are what the library import reads.
 */
import { join } from "node:path";
import { AtsmError } from "../../core/errors.js";
import type { DicomwebClient, RetrieveProgress } from "./client.js";
import { checkUid } from "./json-model.js";

export interface RetrievedSeries {
  readonly seriesInstanceUid: string;
  readonly modality: string | null;
  readonly files: readonly string[];
}

export interface RetrieveStudyOptions {
  /** Called after each series with the series done so far and the total. */
  readonly onSeries?: (done: number, total: number) => void;
  readonly onProgress?: (p: RetrieveProgress & { readonly seriesInstanceUid: string }) => void;
}

/**
 * QIDO-search the study's series (or take `seriesUid`), then WADO-retrieve each into
 * `<destDir>/<SeriesInstanceUID>/`. Throws NOT_FOUND when the study has no series (or the named
 * series is not in it). Files of series retrieved before a failure are left for the caller to
 * delete with `destDir`.
 */
export async function retrieveStudyToDir(
  client: DicomwebClient,
  studyUid: string,
  seriesUid: string | undefined,
  destDir: string,
  opts: RetrieveStudyOptions = {},
): Promise<RetrievedSeries[]> {
  const study = checkUid(studyUid, "studyInstanceUid");
  if (seriesUid !== undefined) checkUid(seriesUid, "seriesInstanceUid");
  const listed = await client.searchSeries(study);
  const wanted = seriesUid === undefined ? listed : listed.filter((s) => s.SeriesInstanceUID === seriesUid);
  if (wanted.length === 0) {
    throw new AtsmError({
      code: "NOT_FOUND",
      message:
        seriesUid === undefined
          ? "the study has no series on the PACS"
          : "the series is not in this study on the PACS",
      value: seriesUid ?? study,
      field: seriesUid === undefined ? "studyInstanceUid" : "seriesInstanceUid",
      hint: "search the PACS again (GET /api/pacs/studies) and pick a listed study/series",
    });
  }
  const out: RetrievedSeries[] = [];
  for (const s of wanted) {
    const uid = s.SeriesInstanceUID;
    const files = await client.retrieveSeries(study, uid, join(destDir, uid), {
      ...(opts.onProgress ? { onProgress: (p) => opts.onProgress?.({ ...p, seriesInstanceUid: uid }) } : {}),
    });
    out.push({ seriesInstanceUid: uid, modality: s.Modality, files });
    opts.onSeries?.(out.length, wanted.length);
  }
  return out;
}
