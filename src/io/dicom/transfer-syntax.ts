/**
 * DICOM transfer syntaxes: which we read, and the names used in error messages.
 * Source: DICOM PS3.6 2024b, Table A-1 "UID Values" (Transfer Syntax entries).
 */

/** Uncompressed / deflated syntaxes our reader decodes. */
export const IMPLICIT_VR_LITTLE_ENDIAN = "1.2.840.10008.1.2";
export const EXPLICIT_VR_LITTLE_ENDIAN = "1.2.840.10008.1.2.1";
export const DEFLATED_EXPLICIT_VR_LITTLE_ENDIAN = "1.2.840.10008.1.2.1.99";
export const EXPLICIT_VR_BIG_ENDIAN = "1.2.840.10008.1.2.2";

const SUPPORTED = new Set([
  IMPLICIT_VR_LITTLE_ENDIAN,
  EXPLICIT_VR_LITTLE_ENDIAN,
  DEFLATED_EXPLICIT_VR_LITTLE_ENDIAN,
  EXPLICIT_VR_BIG_ENDIAN,
]);

/** Names of the transfer syntaxes from PS3.6 Table A-1 (the compressed ones we reject by name). */
const NAMES: Readonly<Record<string, string>> = {
  [IMPLICIT_VR_LITTLE_ENDIAN]: "Implicit VR Little Endian",
  [EXPLICIT_VR_LITTLE_ENDIAN]: "Explicit VR Little Endian",
  [DEFLATED_EXPLICIT_VR_LITTLE_ENDIAN]: "Deflated Explicit VR Little Endian",
  [EXPLICIT_VR_BIG_ENDIAN]: "Explicit VR Big Endian (retired)",
  "1.2.840.10008.1.2.4.50": "JPEG Baseline (Process 1)",
  "1.2.840.10008.1.2.4.51": "JPEG Extended (Process 2 & 4)",
  "1.2.840.10008.1.2.4.57": "JPEG Lossless, Non-Hierarchical (Process 14)",
  "1.2.840.10008.1.2.4.70":
    "JPEG Lossless, Non-Hierarchical, First-Order Prediction (Process 14 [Selection Value 1])",
  "1.2.840.10008.1.2.4.80": "JPEG-LS Lossless Image Compression",
  "1.2.840.10008.1.2.4.81": "JPEG-LS Lossy (Near-Lossless) Image Compression",
  "1.2.840.10008.1.2.4.90": "JPEG 2000 Image Compression (Lossless Only)",
  "1.2.840.10008.1.2.4.91": "JPEG 2000 Image Compression",
  "1.2.840.10008.1.2.4.201": "High-Throughput JPEG 2000 Image Compression (Lossless Only)",
  "1.2.840.10008.1.2.4.202": "High-Throughput JPEG 2000 with RPCL Options Image Compression (Lossless Only)",
  "1.2.840.10008.1.2.4.203": "High-Throughput JPEG 2000 Image Compression",
  "1.2.840.10008.1.2.5": "RLE Lossless",
  "1.2.840.10008.1.2.4.100": "MPEG2 Main Profile / Main Level",
  "1.2.840.10008.1.2.4.102": "MPEG-4 AVC/H.264 High Profile / Level 4.1",
  "1.2.840.10008.1.2.8.1": "JPEG XL Lossless",
};

/** True when our reader decodes pixel data in this transfer syntax. */
export function isSupportedTransferSyntax(uid: string): boolean {
  return SUPPORTED.has(uid);
}

/** Human name of a transfer syntax UID ("unknown transfer syntax" when not in PS3.6 Table A-1 here). */
export function transferSyntaxName(uid: string): string {
  return NAMES[uid] ?? "unknown transfer syntax";
}
