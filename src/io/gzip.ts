/**
 * Capped gzip decompression for readers (NIfTI `.nii.gz`, gzipped Interfile/Inveon data).
 *
 * A gzip "bomb" (a few kB that inflate to many GB) must not exhaust memory: every call states the
 * most bytes it will produce, and node:zlib stops at that cap (`maxOutputLength`, Node ≥ 14.5) and
 * we turn its RangeError into an `AtsmError` LIMIT_EXCEEDED. A stream that ends early gives
 * TRUNCATED with the number of bytes that could be recovered.
 */
import zlib from "node:zlib";
import { Gunzip } from "fflate";
import { AtsmError } from "../core/errors.js";

/** Absolute ceiling on decompressed output of any one file: 2 GiB. */
export const MAX_DECOMPRESSED_BYTES = 2 * 1024 * 1024 * 1024;

/** True when `bytes` starts with the gzip magic 1f 8b (RFC 1952 §2.3.1). */
export function isGzip(bytes: Uint8Array): boolean {
  return bytes.length >= 2 && bytes[0] === 0x1f && bytes[1] === 0x8b;
}

export interface GunzipOptions {
  /** File name for error messages. */
  readonly file: string;
  /** Most decompressed bytes accepted (≤ MAX_DECOMPRESSED_BYTES). */
  readonly maxBytes: number;
  /** What the cap protects, for the message ("NIfTI image data"). */
  readonly what?: string;
}

function zlibCode(e: unknown): string {
  return typeof e === "object" && e !== null && "code" in e ? String((e as { code: unknown }).code) : "";
}

/**
 * Decompress a whole gzip member (or concatenated members) with a cap on the output size.
 * Throws LIMIT_EXCEEDED past `maxBytes`, TRUNCATED when the stream ends early, PARSE_ERROR on
 * corrupt data.
 */
export function gunzipCapped(bytes: Uint8Array, opts: GunzipOptions): Uint8Array {
  const cap = Math.min(Math.max(0, Math.floor(opts.maxBytes)), MAX_DECOMPRESSED_BYTES);
  try {
    const out = zlib.gunzipSync(bytes, { maxOutputLength: Math.max(cap, 1) });
    if (out.byteLength > cap) throw new RangeError("cap");
    return new Uint8Array(out.buffer, out.byteOffset, out.byteLength);
  } catch (e) {
    if (e instanceof RangeError || zlibCode(e) === "ERR_BUFFER_TOO_LARGE") {
      throw new AtsmError({
        code: "LIMIT_EXCEEDED",
        message: `gzip data inflates to more than ${cap} bytes${opts.what ? ` (${opts.what})` : ""}`,
        file: opts.file,
        field: "gzip stream",
        byteOffset: 0,
        value: cap,
        hint: "the compressed file is larger than its header allows or is a decompression bomb; decompress it yourself and check its size",
      });
    }
    if (zlibCode(e) === "Z_BUF_ERROR") {
      let got = 0;
      try {
        got = zlib.gunzipSync(bytes, {
          finishFlush: zlib.constants.Z_SYNC_FLUSH,
          maxOutputLength: Math.max(cap, 1),
        }).byteLength;
      } catch {
        got = 0;
      }
      throw new AtsmError({
        code: "TRUNCATED",
        message: `gzip stream ends early: ${bytes.byteLength} compressed bytes inflate to only ${got} bytes`,
        file: opts.file,
        field: "gzip stream",
        byteOffset: bytes.byteLength,
        hint: "the .gz file is incomplete (interrupted copy or download?); copy it again",
      });
    }
    throw new AtsmError({
      code: "PARSE_ERROR",
      message: `corrupt gzip data: ${e instanceof Error ? e.message : String(e)}`,
      file: opts.file,
      field: "gzip stream",
      hint: "check the file with `gzip -t`; re-export or copy it again",
      cause: e,
    });
  }
}

/**
 * Decompress at most `wantBytes` from the start of a (possibly truncated) gzip stream, e.g. to
 * read a header before deciding how much data to expect. Never throws for truncation; returns
 * what could be inflated (possibly fewer than `wantBytes`). Corrupt data gives PARSE_ERROR.
 * Uses fflate's streaming inflater fed 512-byte chunks, so the work is bounded by the prefix
 * needed (deflate expands at most ~1032:1, so one chunk yields at most ~0.5 MB).
 */
export function gunzipHead(bytes: Uint8Array, wantBytes: number, file: string): Uint8Array {
  const want = Math.min(Math.max(1, Math.floor(wantBytes)), MAX_DECOMPRESSED_BYTES);
  const out = new Uint8Array(want);
  let got = 0;
  const g = new Gunzip((chunk) => {
    const n = Math.min(chunk.length, want - got);
    if (n > 0) out.set(chunk.subarray(0, n), got);
    got += n;
  });
  const CHUNK = 512;
  try {
    for (let p = 0; p < bytes.byteLength && got < want; p += CHUNK) {
      const end = Math.min(bytes.byteLength, p + CHUNK);
      g.push(bytes.subarray(p, end), end === bytes.byteLength);
    }
  } catch (e) {
    // fflate error code 0 = unexpected EOF: a truncated stream, return what was inflated.
    if (got < want && zlibCode(e) !== "0") {
      throw new AtsmError({
        code: "PARSE_ERROR",
        message: `corrupt gzip data: ${e instanceof Error ? e.message : String(e)}`,
        file,
        field: "gzip stream",
        hint: "check the file with `gzip -t`; re-export or copy it again",
        cause: e,
      });
    }
  }
  return out.subarray(0, got);
}
