/**
 * Plain data types of the study library (src/app/library): what an import produces, what the
 * cache holds, and what the viewer endpoint describes. No HTTP, no database here.
 */
import type { Vec3, Vec3i } from "../../core/types.js";
import type { LoadedSeries } from "../../io/types.js";
import type { SuvOverrides } from "../../quant/suv/types.js";
import type { SeriesRow, StudyRow } from "../../store/types.js";
import type { BlobStore } from "./blobs.js";

export interface ImportedPatient {
  readonly name: string | null;
  readonly id: string | null;
  readonly sex: "F" | "M" | "O" | null;
  readonly weightKg: number | null;
  readonly heightM: number | null;
}

export interface ImportedInjection {
  readonly radiopharmaceutical: string | null;
  /** Canonical nuclide name ("Cu-64") when recognised, else the header text. */
  readonly nuclide: string | null;
  readonly activityBq: number | null;
  /** ISO-8601 (header date-times are read as UTC, see quant/suv/metadata.ts). */
  readonly injectionTime: string | null;
}

/** One series as imported: the SeriesRow fields (files already in the blob store) plus study context. */
export type ImportedSeries = Omit<SeriesRow, "id" | "studyId"> & {
  readonly studyInstanceUid: string | null;
  readonly studyDate: string | null;
  readonly studyDescription: string;
  readonly patient: ImportedPatient | null;
  readonly injection: ImportedInjection | null;
};

export interface ImportedStudy {
  readonly description: string;
  readonly studyInstanceUid: string | null;
  readonly studyDate: string | null;
  readonly patient: ImportedPatient | null;
  readonly injection: ImportedInjection | null;
  readonly series: ImportedSeries[];
}

export interface ImportResult {
  readonly studies: ImportedStudy[];
  readonly skipped: { name: string; reason: string }[];
}

export interface ImportOptions {
  /** fraction 0..1 and a label ("unzipping", "reading series 2/3", "storing files"). */
  readonly onProgress?: (fraction: number, label?: string) => void;
  /** Cap on the bytes inflated from all zips of one upload (default 4 GiB). */
  readonly maxInflatedBytes?: number;
  /** Cap on one zip entry's inflated size (default 2 GiB). */
  readonly maxEntryBytes?: number;
  /** Cap on the entries of one zip (default 20 000). */
  readonly maxEntries?: number;
}

/** A staged upload part: the client's file name and where its bytes are on disk. */
export interface StagedFile {
  readonly name: string;
  readonly path: string;
}

/** One stored series read back: its row and what the io readers made of it. */
export interface LoadedStudySeries {
  readonly row: SeriesRow;
  readonly loaded: LoadedSeries;
}

/** A stored study read back from the blob store (held by StudyCache). */
export interface LoadedStudy {
  readonly studyId: string;
  readonly row: StudyRow;
  readonly series: readonly LoadedStudySeries[];
  /** The PET quantify uses (same choice as `atsm quantify` on the study folder). */
  readonly pet: LoadedStudySeries;
  readonly ct: LoadedStudySeries | null;
  /** Warnings of the PET/CT choice ("2 PET series found; ..."). */
  readonly pickWarnings: readonly string[];
  /** Bytes of voxel data held (LRU accounting). */
  readonly sizeBytes: number;
  /** Where `mask:blob:<sha>` specs are resolved. */
  readonly blobs: BlobStore;
}

/** Live metrics request (VOI specs in the quant/voi grammar; `mask:blob:<sha>[:label]` allowed). */
export interface QuantifyLoadedRequest {
  readonly tumour: string;
  readonly reference: string;
  readonly cutoff?: string;
  readonly window?: string;
  readonly overrides?: SuvOverrides;
}

export interface VolumeInfo {
  readonly seriesId: string;
  readonly url: string;
  readonly unit: string;
  readonly dims: Vec3i;
  readonly spacingMm: Vec3;
  /** LPS mm of the centre of voxel (0,0,0). */
  readonly originMm: Vec3;
  /** Row-major 3×3 LPS direction cosines (columns = i, j, k axes). */
  readonly direction: number[];
}

export interface ViewerInfo {
  readonly studyId: string;
  readonly pet: VolumeInfo;
  readonly ct: VolumeInfo | null;
  readonly suvPerNativeUnit: number | null;
  readonly hasSuv: boolean;
  readonly defaultCutoff: string | null;
  readonly frames: { index: number; startS: number; durationS: number }[] | null;
}

export type ExportFormat = "csv" | "json" | "seg.dcm" | "report.html" | "report.pdf";

export interface ExportedFile {
  readonly bytes: Uint8Array;
  readonly contentType: string;
  readonly fileName: string;
}
