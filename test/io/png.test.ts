import { inflateSync } from "node:zlib";
import { describe, expect, it } from "vitest";
import { createRgba, setPixel } from "../../src/image/render/rgba.js";
import { crc32, decodePng, encodePng } from "../../src/io/png.js";

describe("PNG encoder", () => {
  it("CRC-32 of '123456789' is 0xCBF43926 (ISO 3309 check value)", () => {
    expect(crc32(new TextEncoder().encode("123456789"))).toBe(0xcbf43926);
  });

  it("round-trips an RGBA image through encode/decode", () => {
    const img = createRgba(7, 5, [10, 20, 30]);
    setPixel(img, 0, 0, [255, 0, 0]);
    setPixel(img, 6, 4, [0, 255, 0]);
    setPixel(img, 3, 2, [1, 2, 3]);
    const png = encodePng(img);
    const back = decodePng(png);
    expect(back.width).toBe(7);
    expect(back.height).toBe(5);
    expect(Array.from(back.data)).toEqual(Array.from(img.data));
  });

  it("writes a valid IHDR and an IDAT that node:zlib inflates to filter-0 rows", () => {
    const img = createRgba(3, 2, [9, 8, 7]);
    const png = encodePng(img);
    expect(Array.from(png.subarray(0, 8))).toEqual([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
    const dv = new DataView(png.buffer, png.byteOffset);
    expect(String.fromCharCode(...png.subarray(12, 16))).toBe("IHDR");
    expect(dv.getUint32(16)).toBe(3);
    expect(dv.getUint32(20)).toBe(2);
    expect(png[24]).toBe(8);
    expect(png[25]).toBe(6);
    const idatLen = dv.getUint32(33);
    expect(String.fromCharCode(...png.subarray(37, 41))).toBe("IDAT");
    const raw = inflateSync(png.subarray(41, 41 + idatLen));
    expect(raw.length).toBe(2 * (1 + 3 * 4));
    expect(raw[0]).toBe(0);
    expect(Array.from(raw.subarray(1, 5))).toEqual([9, 8, 7, 255]);
  });

  it("rejects a data length that does not match the size", () => {
    expect(() => encodePng({ width: 2, height: 2, data: new Uint8Array(3) })).toThrow(/data length/);
  });
});
