/**
 * Decode one slice's stored pixel values into Float32 physical values:
 *
 *     value = stored · RescaleSlope + RescaleIntercept        (DICOM PS3.3 C.11.1.1.2)
 *
 * computed in float64 and rounded once to float32. Stored values narrower than BitsAllocated are
 * masked to BitsStored and sign-extended when PixelRepresentation = 1 (PS3.5 §8.1.1), as pydicom's
 * `pixel_array` does. Writes `out[offset .. offset + rows*columns)`; allocates only when the pixel
 * bytes are not aligned for a typed-array view (or are big endian).
 */
import type { DicomSlice } from "./slice.js";

function view(
  slice: DicomSlice,
): Int8Array | Uint8Array | Int16Array | Uint16Array | Int32Array | Uint32Array {
  const b = slice.pixelBytes;
  const n = slice.rows * slice.columns;
  const signed = slice.pixelRepresentation === 1;
  if (slice.bitsAllocated === 8) {
    return signed ? new Int8Array(b.buffer, b.byteOffset, n) : b.subarray(0, n);
  }
  const width = slice.bitsAllocated / 8;
  let bytes = b;
  if (!slice.littleEndian || b.byteOffset % width !== 0) {
    // copy into an aligned buffer, swapping bytes for big endian
    const copy = new Uint8Array(n * width);
    if (slice.littleEndian) copy.set(b.subarray(0, n * width));
    else {
      for (let i = 0; i < n * width; i += width) {
        for (let k = 0; k < width; k++) copy[i + k] = b[i + width - 1 - k]!;
      }
    }
    bytes = copy;
  }
  if (width === 2) {
    return signed
      ? new Int16Array(bytes.buffer, bytes.byteOffset, n)
      : new Uint16Array(bytes.buffer, bytes.byteOffset, n);
  }
  return signed
    ? new Int32Array(bytes.buffer, bytes.byteOffset, n)
    : new Uint32Array(bytes.buffer, bytes.byteOffset, n);
}

/** Write the slice's physical values into `out` starting at `offset`. */
export function decodeSliceInto(slice: DicomSlice, out: Float32Array, offset: number): void {
  const src = view(slice);
  const n = slice.rows * slice.columns;
  const slope = slice.rescaleSlope;
  const intercept = slice.rescaleIntercept;
  const bits = slice.bitsStored;
  if (bits > 0 && bits < slice.bitsAllocated && bits < 32) {
    const mask = 2 ** bits - 1;
    const signBit = 2 ** (bits - 1);
    const signed = slice.pixelRepresentation === 1;
    for (let i = 0; i < n; i++) {
      let v = src[i]! & mask;
      if (v < 0) v += 2 ** 32; // & works on int32
      if (signed && v >= signBit) v -= 2 ** bits;
      out[offset + i] = v * slope + intercept;
    }
    return;
  }
  if (slope === 1 && intercept === 0) {
    out.set(src, offset);
    return;
  }
  for (let i = 0; i < n; i++) out[offset + i] = src[i]! * slope + intercept;
}
