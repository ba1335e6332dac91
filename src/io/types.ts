/**
 * What every study reader returns: one record per image series found.
 */
import type { DynamicVolume, Volume } from "../core/types.js";
import type { PetInstanceMetadata } from "../quant/suv/metadata.js";

export type StudyFormat = "dicom" | "nifti" | "inveon" | "interfile";
export type SeriesModality = "PT" | "CT" | "MR" | "SEG" | "NM" | "OT";

export interface LoadedSeries {
  /** File or folder the series was read from. */
  readonly source: string;
  readonly format: StudyFormat;
  readonly modality: SeriesModality;
  readonly seriesInstanceUid: string | null;
  readonly seriesDescription: string;
  /**
   * The image. For a dynamic series this is the frame-summed (time-averaged) image only when the
   * reader says so in `warnings`; readers of dynamic data fill `dynamic` and put frame 0 here.
   */
  readonly volume: Volume;
  /** Frames of a dynamic series; null for a static one. */
  readonly dynamic: DynamicVolume | null;
  /**
   * PET header fields per instance (DICOM: one per slice file or per frame; other formats: one
   * synthesised record). Empty for non-PET series.
   */
  readonly petInstances: readonly PetInstanceMetadata[];
  /** Frame start times in epoch ms when known (for decay work across series). */
  readonly frameStartEpochMs: readonly number[] | null;
  /** Non-fatal findings: "slice spacing varies by 0.02 mm", "no weight in header", ... */
  readonly warnings: readonly string[];
}
