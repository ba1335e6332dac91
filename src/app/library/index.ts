/**
 * The study library the server uses (no HTTP, no database): content-addressed blob store, import
 * of uploaded files and zips, loading stored studies back (cached), live quantification on loaded
 * series, viewer NIfTI volumes, brush masks and result exports. See docs/library.md.
 */
export { BlobStore, checkSha256 } from "./blobs.js";
export { StudyCache } from "./cache.js";
export {
  EXPORT_FORMATS,
  exportResult,
  parseResultInputs,
  type ResultInputs,
  recordResultInputs,
} from "./export.js";
export { IMPORT_LIMITS, importFiles } from "./import.js";
export { MAX_RLE_RUNS, maskFromRle } from "./mask.js";
export { IMPORT_WORKERS_MAX, importFilesOffThread, readSeriesOffThread } from "./offload.js";
export { quantifyLoaded, quantifyLoadedWithImages } from "./quantify.js";
export type * from "./types.js";
export { viewerInfo, viewerNifti, viewerNiftiAsync } from "./viewer.js";
