/**
 * io/dicom: read DICOM PET/CT series (folders, files, file lists) into `LoadedSeries`, and write
 * PET (Bq/mL or SUVbw) and CT (HU) series. Formats, checks and validation: docs/formats.md.
 *
 * ```ts
 * import { readDicom, writeDicomSeries } from "../io/dicom/index.js";
 * const [pet] = await readDicom("study/PET");
 * await writeDicomSeries("out/PET", pet.volume, { modality: "PT", pet: { nuclide: "Cu-64", ... } });
 * ```
 */
export {
  IN_PLANE_TOL_MM,
  MAX_SERIES_VOXELS,
  ORIENTATION_MATCH_TOL,
  POSITION_MATCH_TOL_MM,
  SLICE_SPACING_TOL_MM,
} from "./assemble.js";
export { CODED_NUCLIDES, type NuclideCode, nuclideCode } from "./nuclide-codes.js";
export { hasDicomMagic, MAX_INFLATED_BYTES, MAX_SLICE_PIXELS, parseDicomFile } from "./parse.js";
export { MAX_DICOM_FILES, type ReadDicomOptions, readDicom } from "./read.js";
export type { DicomSlice } from "./slice.js";
export { isSupportedTransferSyntax, transferSyntaxName } from "./transfer-syntax.js";
export { isValidUid, newUid, uidFromSeed } from "./uid.js";
export {
  CT_IMAGE_STORAGE,
  type DicomPatient,
  type DicomPetInfo,
  PET_IMAGE_STORAGE,
  type WriteDicomOptions,
  type WrittenSeries,
  writeDicomSeries,
} from "./write.js";
