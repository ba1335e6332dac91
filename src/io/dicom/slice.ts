/**
 * One parsed DICOM image instance (one slice, or one frame of a multi-frame file), with the header
 * fields the series assembler needs and a view of its raw pixel bytes. Produced by `parseDicomFile`
 * and consumed by `assembleSeries`; plain data, no methods.
 */
import type { PetInstanceMetadata } from "../../quant/suv/metadata.js";

export interface DicomSlice {
  /** File the slice came from (for error messages). */
  readonly file: string;
  /** Frame number inside a multi-frame file (0 for single-frame files). */
  readonly frameInFile: number;
  readonly sopInstanceUid: string | null;
  readonly seriesInstanceUid: string;
  readonly seriesDescription: string;
  readonly seriesNumber: number | null;
  /** (0008,0060) Modality, e.g. "PT", "CT". */
  readonly modality: string;
  readonly rows: number;
  readonly columns: number;
  /** (0028,0030) PixelSpacing: [row spacing (between rows, along columns), column spacing], mm. */
  readonly pixelSpacingMm: readonly [number, number];
  /** (0020,0037) ImageOrientationPatient: row direction cosines (3) then column direction cosines (3). */
  readonly orientation: readonly [number, number, number, number, number, number];
  /** (0020,0032) ImagePositionPatient: LPS mm of the centre of the first transmitted pixel. */
  readonly positionMm: readonly [number, number, number];
  readonly instanceNumber: number | null;
  /** (0028,1053) RescaleSlope (1 when absent). */
  readonly rescaleSlope: number;
  /** (0028,1052) RescaleIntercept (0 when absent). */
  readonly rescaleIntercept: number;
  readonly bitsAllocated: 8 | 16 | 32;
  readonly bitsStored: number;
  /** 0 = unsigned, 1 = two's complement. */
  readonly pixelRepresentation: 0 | 1;
  /** Raw pixel bytes of this slice (rows*columns*bitsAllocated/8 bytes). */
  readonly pixelBytes: Uint8Array;
  readonly littleEndian: boolean;
  /** (0018,0088) SpacingBetweenSlices or (0018,0050) SliceThickness, mm, for single-slice series. */
  readonly sliceThicknessMm: number | null;
  /** (0054,1330) ImageIndex (PET). */
  readonly imageIndex: number | null;
  /** (0054,0081) NumberOfSlices (PET). */
  readonly numberOfSlices: number | null;
  /** (0054,0101) NumberOfTimeSlices (PET). */
  readonly numberOfTimeSlices: number | null;
  /** (0020,9128) TemporalPositionIndex or (0020,0100) TemporalPositionIdentifier. */
  readonly temporalPosition: number | null;
  /** AcquisitionDate+AcquisitionTime (or AcquisitionDateTime), epoch ms. */
  readonly acquisitionDateTimeMs: number | null;
  /** SeriesDate+SeriesTime, epoch ms. */
  readonly seriesDateTimeMs: number | null;
  /** (0054,1300) FrameReferenceTime, ms. */
  readonly frameReferenceTimeMs: number | null;
  /** (0018,1242) ActualFrameDuration, ms. */
  readonly frameDurationMs: number | null;
  /** (0028,1054) RescaleType, e.g. "HU". */
  readonly rescaleType: string | null;
  /** PET header fields; null for other modalities. */
  readonly pet: PetInstanceMetadata | null;
  /** Non-fatal header problems found while parsing. */
  readonly warnings: readonly string[];
}
