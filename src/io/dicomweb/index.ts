/**
 * io/dicomweb: QIDO-RS search and WADO-RS retrieve from a PACS (docs/dicomweb.md).
 */
export {
  DEFAULT_MAX_BYTES,
  DEFAULT_TIMEOUT_MS,
  DicomwebClient,
  type DicomwebClientOptions,
  type RetrieveOptions,
  type RetrieveProgress,
} from "./client.js";
export { redactUrl } from "./http.js";
export {
  checkUid,
  dicomJsonToRecord,
  isUrlSafeUid,
  type QidoInstance,
  type QidoSeries,
  type QidoStudy,
} from "./json-model.js";
export {
  isValidBoundary,
  MAX_HEADER_BYTES,
  type MultipartEvent,
  MultipartParser,
  type MultipartPart,
  parseContentType,
  parseMultipart,
} from "./multipart.js";
export {
  type RetrievedSeries,
  type RetrieveStudyOptions,
  retrieveStudyToDir,
} from "./retrieve.js";
