/**
 * app/documents: lab documents the server stores (radiolabelling batches, assays), computed from
 * request JSON with the same code and numbers as `atsm radiolabel record` and `atsm assay analyze`.
 */
export { type AssayDocumentInput, type AssayDocumentOptions, computeAssay } from "./assay.js";
export {
  type ComputedDocument,
  computeRadiolabelBatch,
  type RadiolabelDocumentOptions,
} from "./radiolabel.js";
export { MAX_DOCUMENT_TEXT_BYTES } from "./temp.js";
