/**
 * Bounded binary reading (STYLE.md §8): every read checks the remaining length first and a short
 * file gives one `AtsmError` "truncated at byte N of M" naming the file and the field being read,
 * never a `RangeError` from a `DataView`.
 */
import { AtsmError } from "../core/errors.js";

/** A little/big-endian reader over a byte buffer that never reads past its end. */
export class BoundedReader {
  readonly bytes: Uint8Array;
  readonly file: string;
  littleEndian: boolean;
  private readonly view: DataView;

  constructor(bytes: Uint8Array, file: string, littleEndian = true) {
    this.bytes = bytes;
    this.file = file;
    this.littleEndian = littleEndian;
    this.view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  }

  /** Total length in bytes. */
  get length(): number {
    return this.bytes.byteLength;
  }

  /** Throw TRUNCATED unless `n` bytes starting at `offset` exist. */
  need(offset: number, n: number, field: string): void {
    if (!Number.isSafeInteger(offset) || offset < 0 || offset + n > this.bytes.byteLength) {
      throw truncated(this.file, field, offset, n, this.bytes.byteLength);
    }
  }

  u8(offset: number, field: string): number {
    this.need(offset, 1, field);
    return this.view.getUint8(offset);
  }
  i16(offset: number, field: string): number {
    this.need(offset, 2, field);
    return this.view.getInt16(offset, this.littleEndian);
  }
  i32(offset: number, field: string): number {
    this.need(offset, 4, field);
    return this.view.getInt32(offset, this.littleEndian);
  }
  /** Signed 64-bit integer as a Number (exact up to 2^53; larger values lose precision). */
  i64(offset: number, field: string): number {
    this.need(offset, 8, field);
    return Number(this.view.getBigInt64(offset, this.littleEndian));
  }
  f32(offset: number, field: string): number {
    this.need(offset, 4, field);
    return this.view.getFloat32(offset, this.littleEndian);
  }
  f64(offset: number, field: string): number {
    this.need(offset, 8, field);
    return this.view.getFloat64(offset, this.littleEndian);
  }
  /** Latin-1 text of `len` bytes, cut at the first NUL. */
  ascii(offset: number, len: number, field: string): string {
    this.need(offset, len, field);
    let s = "";
    for (let i = 0; i < len; i++) {
      const c = this.bytes[offset + i]!;
      if (c === 0) break;
      s += String.fromCharCode(c);
    }
    return s;
  }
}

/** The one "truncated at byte N of M" error. */
export function truncated(file: string, field: string, offset: number, n: number, total: number): AtsmError {
  return new AtsmError({
    code: "TRUNCATED",
    message: `file truncated at byte ${total} of ${offset + n} needed to read ${field} (${n} bytes at offset ${offset})`,
    file,
    field,
    byteOffset: offset,
    hint: "the file is incomplete (interrupted copy or download?); copy or export it again",
  });
}
