/**
 * Minimal PNG (ISO/IEC 15948, W3C PNG 2nd ed.) encoder for 8-bit RGBA images, and a decoder for
 * the same subset (used by tests and the PDF writer). Compression: node:zlib deflate.
 */
import { deflateSync, inflateSync } from "node:zlib";
import { AtsmError } from "../core/errors.js";
import type { RgbaImage } from "../image/render/rgba.js";

export type { RgbaImage };

const SIGNATURE = Uint8Array.of(0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a);

let crcTable: Uint32Array | null = null;
/** CRC-32 (ISO 3309 polynomial 0xEDB88320), as PNG chunks use. */
export function crc32(bytes: Uint8Array, start = 0, end = bytes.length): number {
  if (crcTable === null) {
    crcTable = new Uint32Array(256);
    for (let n = 0; n < 256; n++) {
      let c = n;
      for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
      crcTable[n] = c >>> 0;
    }
  }
  let c = 0xffffffff;
  for (let i = start; i < end; i++) c = crcTable[(c ^ bytes[i]!) & 0xff]! ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

function chunk(type: string, body: Uint8Array): Uint8Array {
  const out = new Uint8Array(12 + body.length);
  const dv = new DataView(out.buffer);
  dv.setUint32(0, body.length);
  for (let i = 0; i < 4; i++) out[4 + i] = type.charCodeAt(i);
  out.set(body, 8);
  dv.setUint32(8 + body.length, crc32(out, 4, 8 + body.length));
  return out;
}

/**
 * Encode an RGBA image as PNG bytes (8 bits, filter 0 "None" on every row): colour type 6 (RGBA),
 * or type 2 (RGB, alpha dropped) with `{ alpha: false }` for opaque images (smaller, and embedded
 * faster by PDF writers that would otherwise split out a soft mask).
 */
export function encodePng(img: RgbaImage, opts: { alpha?: boolean; level?: number } = {}): Uint8Array {
  const { width, height, data } = img;
  if (!(width > 0 && height > 0 && Number.isInteger(width) && Number.isInteger(height))) {
    throw new AtsmError({
      code: "INVALID_ARGUMENT",
      message: "PNG size must be positive integers",
      value: [width, height],
    });
  }
  if (data.length !== width * height * 4) {
    throw new AtsmError({
      code: "INCONSISTENT",
      message: `PNG data length ${data.length} != width*height*4 = ${width * height * 4}`,
    });
  }
  const alpha = opts.alpha ?? true;
  const bpp = alpha ? 4 : 3;
  const stride = width * bpp;
  const raw = new Uint8Array((stride + 1) * height);
  for (let y = 0; y < height; y++) {
    raw[y * (stride + 1)] = 0; // filter type None
    if (alpha) raw.set(data.subarray(y * width * 4, (y + 1) * width * 4), y * (stride + 1) + 1);
    else {
      let o = y * (stride + 1) + 1;
      for (let x = 0; x < width; x++, o += 3) {
        const q = 4 * (y * width + x);
        raw[o] = data[q]!;
        raw[o + 1] = data[q + 1]!;
        raw[o + 2] = data[q + 2]!;
      }
    }
  }
  const ihdr = new Uint8Array(13);
  const dv = new DataView(ihdr.buffer);
  dv.setUint32(0, width);
  dv.setUint32(4, height);
  ihdr[8] = 8; // bit depth
  ihdr[9] = alpha ? 6 : 2; // colour type RGBA / RGB
  const idat = new Uint8Array(deflateSync(raw, { level: opts.level ?? 6 }));
  const parts = [SIGNATURE, chunk("IHDR", ihdr), chunk("IDAT", idat), chunk("IEND", new Uint8Array(0))];
  const out = new Uint8Array(parts.reduce((s, p) => s + p.length, 0));
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
}

function paeth(a: number, b: number, c: number): number {
  const p = a + b - c;
  const pa = Math.abs(p - a);
  const pb = Math.abs(p - b);
  const pc = Math.abs(p - c);
  return pa <= pb && pa <= pc ? a : pb <= pc ? b : c;
}

/**
 * Decode a non-interlaced 8-bit RGBA (colour type 6) or RGB (type 2) PNG into RGBA. Other
 * variants throw UNSUPPORTED. Bounded: every read checks the remaining length.
 */
export function decodePng(bytes: Uint8Array): RgbaImage {
  const fail = (message: string, byteOffset: number): never => {
    throw new AtsmError({ code: "PARSE_ERROR", message: `PNG: ${message}`, byteOffset });
  };
  for (let i = 0; i < 8; i++) if (bytes[i] !== SIGNATURE[i]) fail("bad signature", i);
  const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let off = 8;
  let width = 0;
  let height = 0;
  let colourType = -1;
  const idat: Uint8Array[] = [];
  while (off + 12 <= bytes.length) {
    const len = dv.getUint32(off);
    const type = String.fromCharCode(...bytes.subarray(off + 4, off + 8));
    if (off + 12 + len > bytes.length) fail(`chunk ${type} truncated at byte ${bytes.length}`, off);
    const body = bytes.subarray(off + 8, off + 8 + len);
    if (type === "IHDR") {
      width = dv.getUint32(off + 8);
      height = dv.getUint32(off + 12);
      if (body[8] !== 8 || body[12] !== 0) {
        throw new AtsmError({ code: "UNSUPPORTED", message: "PNG: only 8-bit non-interlaced is supported" });
      }
      colourType = body[9]!;
    } else if (type === "IDAT") idat.push(body);
    else if (type === "IEND") break;
    off += 12 + len;
  }
  if (colourType !== 6 && colourType !== 2) {
    throw new AtsmError({
      code: "UNSUPPORTED",
      message: "PNG: only RGB/RGBA colour types are supported",
      value: colourType,
    });
  }
  const bpp = colourType === 6 ? 4 : 3;
  const raw = new Uint8Array(inflateSync(Buffer.concat(idat)));
  const stride = width * bpp;
  if (raw.length < (stride + 1) * height) fail("image data too short", off);
  const cur = new Uint8Array(stride);
  const prev = new Uint8Array(stride);
  const out = new Uint8Array(width * height * 4);
  for (let y = 0; y < height; y++) {
    const ft = raw[y * (stride + 1)]!;
    const row = raw.subarray(y * (stride + 1) + 1, (y + 1) * (stride + 1));
    for (let x = 0; x < stride; x++) {
      const a = x >= bpp ? cur[x - bpp]! : 0;
      const b = prev[x]!;
      const c = x >= bpp ? prev[x - bpp]! : 0;
      const v = row[x]!;
      cur[x] =
        ft === 0
          ? v
          : ft === 1
            ? v + a
            : ft === 2
              ? v + b
              : ft === 3
                ? v + ((a + b) >> 1)
                : v + paeth(a, b, c);
    }
    for (let x = 0; x < width; x++) {
      const o = (y * width + x) * 4;
      out[o] = cur[x * bpp]!;
      out[o + 1] = cur[x * bpp + 1]!;
      out[o + 2] = cur[x * bpp + 2]!;
      out[o + 3] = bpp === 4 ? cur[x * bpp + 3]! : 255;
    }
    prev.set(cur);
  }
  return { width, height, data: out };
}
