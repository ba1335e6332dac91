/**
 * io/: bytes ↔ core types (Node only: uses node:fs, node:zlib). Readers return `LoadedSeries`
 * (volume in LPS mm, PET metadata as DICOM keywords with times in epoch ms); writers take core
 * `Volume`s. Formats and validation: docs/formats.md.
 *
 * ```ts
 * import { loadStudy, pickPetSeries, writeNifti } from "atsm-workbench/io";
 * const series = await loadStudy("study/");      // DICOM folder, .nii(.gz), Inveon, Interfile
 * const pet = pickPetSeries(series);
 * await writeNifti("pet.nii.gz", pet.volume);
 * ```
 */
export * from "./dicom/index.js";
export { readPetMetadata } from "./dicom/pet-metadata.js";
export {
  type CodedConcept,
  readDicomSeg,
  SEG_CODES,
  SEG_SOP_CLASS_UID,
  type SegSegmentSpec,
  type SegSourceInfo,
  segSourceFromDicom,
  type WriteSegOptions,
  writeDicomSeg,
} from "./dicom/seg.js";
export * from "./interfile/index.js";
export * from "./inveon/index.js";
export * from "./lab/assay-counts.js";
export * from "./lab/assay-layout.js";
export * from "./lab/chromatogram.js";
export * from "./lab/platereader.js";
export * from "./lab/wizard2.js";
export * from "./nifti/index.js";
export * from "./study.js";
export type * from "./types.js";
