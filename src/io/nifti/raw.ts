/**
 * Raw voxel decoding shared by the NIfTI, Inveon and Interfile readers: typed values of any byte
 * order to float32 with a linear scaling.
 */

/** NIfTI datatype codes (nifti1.h) we read, with bytes per voxel. */
export const DATATYPES: Readonly<Record<number, { name: string; bytes: number }>> = {
  2: { name: "uint8", bytes: 1 },
  4: { name: "int16", bytes: 2 },
  8: { name: "int32", bytes: 4 },
  16: { name: "float32", bytes: 4 },
  64: { name: "float64", bytes: 8 },
  256: { name: "int8", bytes: 1 },
  512: { name: "uint16", bytes: 2 },
  768: { name: "uint32", bytes: 4 },
  1024: { name: "int64", bytes: 8 },
  1280: { name: "uint64", bytes: 8 },
};

/**
 * Stored values → float32 with value·slope + inter computed in float64. `datatype` is a NIfTI
 * code from DATATYPES; the caller has checked that `offset + out.length·bytes` fits in `bytes`.
 */
export function convertVoxels(
  bytes: Uint8Array,
  offset: number,
  datatype: number,
  le: boolean,
  slope: number,
  inter: number,
  out: Float32Array,
): boolean {
  const n = out.length;
  const isFloat = datatype === 16 || datatype === 64;
  // Integer values scaled by finite factors stay finite unless they overflow float32.
  const maxAbs = 2 ** (8 * DATATYPES[datatype]!.bytes);
  const mayBeNonFinite = isFloat || Math.abs(slope) * maxAbs + Math.abs(inter) > 3.4e38;
  const scaled = slope !== 1 || inter !== 0;
  const hostLe = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;
  const bpv = DATATYPES[datatype]!.bytes;
  const abs = bytes.byteOffset + offset;
  if (le === hostLe && datatype !== 1024 && datatype !== 1280) {
    let buf = bytes.buffer;
    let start = abs;
    if (abs % bpv !== 0) {
      buf = bytes.slice(offset, offset + n * bpv).buffer;
      start = 0;
    }
    let src: ArrayLike<number>;
    switch (datatype) {
      case 2:
        src = new Uint8Array(buf, start, n);
        break;
      case 4:
        src = new Int16Array(buf, start, n);
        break;
      case 8:
        src = new Int32Array(buf, start, n);
        break;
      case 16:
        src = new Float32Array(buf, start, n);
        break;
      case 64:
        src = new Float64Array(buf, start, n);
        break;
      case 256:
        src = new Int8Array(buf, start, n);
        break;
      case 512:
        src = new Uint16Array(buf, start, n);
        break;
      default:
        src = new Uint32Array(buf, start, n);
    }
    const exactInF32 = datatype === 2 || datatype === 4 || datatype === 256 || datatype === 512;
    if (!scaled || exactInF32) {
      // Native conversion; 8/16-bit integers are exact in float32, so scaling the float32 copy
      // in float64 arithmetic gives the same result as scaling the stored value.
      out.set(src as unknown as ArrayLike<number>);
      if (scaled) for (let i = 0; i < n; i++) out[i] = out[i]! * slope + inter;
    } else {
      for (let i = 0; i < n; i++) out[i] = src[i]! * slope + inter;
    }
    return mayBeNonFinite;
  }
  const v = new DataView(bytes.buffer, abs, n * bpv);
  for (let i = 0; i < n; i++) {
    const p = i * bpv;
    let x: number;
    switch (datatype) {
      case 2:
        x = v.getUint8(p);
        break;
      case 4:
        x = v.getInt16(p, le);
        break;
      case 8:
        x = v.getInt32(p, le);
        break;
      case 16:
        x = v.getFloat32(p, le);
        break;
      case 64:
        x = v.getFloat64(p, le);
        break;
      case 256:
        x = v.getInt8(p);
        break;
      case 512:
        x = v.getUint16(p, le);
        break;
      case 768:
        x = v.getUint32(p, le);
        break;
      case 1024:
        x = Number(v.getBigInt64(p, le));
        break;
      default:
        x = Number(v.getBigUint64(p, le));
    }
    out[i] = x * slope + inter;
  }
  return mayBeNonFinite;
}

/**
 * Count NaN/±Inf values; with `zero` they are replaced by 0 in place. Returns the count and the
 * index of the first one (−1 when none).
 */
export function scanNonFinite(data: Float32Array, zero: boolean): { count: number; first: number } {
  let count = 0;
  let first = -1;
  for (let i = 0; i < data.length; i++) {
    const v = data[i]!;
    if (v - v !== 0) {
      if (first < 0) first = i;
      count++;
      if (zero) data[i] = 0;
    }
  }
  return { count, first };
}
