import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { isAtsmError } from "../../src/core/errors.js";
import { identityDirection } from "../../src/core/types.js";
import { createRgba } from "../../src/image/render/rgba.js";
import { readDicomSeg, SEG_CODES, writeDicomSeg } from "../../src/io/dicom/seg.js";
import { decodePng, encodePng } from "../../src/io/png.js";

const data = new Uint8Array(6 * 5 * 4);
data[1 + 6 * (1 + 5 * 1)] = 1;
data[3 + 6 * (2 + 5 * 2)] = 2;
const SEG = writeDicomSeg(
  {
    data,
    dims: [6, 5, 4],
    spacingMm: [1, 1, 2],
    originMm: [0, 0, 0],
    direction: identityDirection(),
    labels: new Map(),
  },
  {
    segments: [
      { label: 1, name: "a", category: SEG_CODES.morphologicallyAltered, type: SEG_CODES.neoplasm },
      { label: 2, name: "b", category: SEG_CODES.tissue, type: SEG_CODES.muscle },
    ],
    date: new Date(0),
  },
);
const PNG = encodePng(createRgba(5, 4, [1, 2, 3]));

/** Flip up to 8 bytes and/or truncate: the reader returns or throws an AtsmError, nothing else. */
function mutations(base: Uint8Array) {
  return fc.record({
    flips: fc.array(fc.tuple(fc.nat(base.length - 1), fc.integer({ min: 0, max: 255 })), { maxLength: 8 }),
    cut: fc.integer({ min: 0, max: base.length }),
  });
}

function mutate(base: Uint8Array, m: { flips: [number, number][]; cut: number }): Uint8Array {
  const b = base.slice(0, m.cut);
  for (const [i, v] of m.flips) if (i < b.length) b[i] = v;
  return b;
}

describe("bounded readers under mutation (fast-check, 200 runs each)", () => {
  it("readDicomSeg: a Mask or an AtsmError", () => {
    fc.assert(
      fc.property(mutations(SEG), (m) => {
        try {
          const mask = readDicomSeg(mutate(SEG, m), "fuzz.dcm");
          expect(mask.data.length).toBe(mask.dims[0] * mask.dims[1] * mask.dims[2]);
        } catch (e) {
          if (!isAtsmError(e)) throw e;
        }
      }),
      { numRuns: 200, seed: 3 },
    );
  });

  it("decodePng: an image or an AtsmError / zlib error", () => {
    fc.assert(
      fc.property(mutations(PNG), (m) => {
        try {
          const img = decodePng(mutate(PNG, m));
          expect(img.data.length).toBe(img.width * img.height * 4);
        } catch (e) {
          // corrupt deflate streams surface as node:zlib errors (code Z_DATA_ERROR / Z_BUF_ERROR)
          if (!isAtsmError(e) && !/^Z_/.test(String((e as { code?: string }).code))) throw e;
        }
      }),
      { numRuns: 200, seed: 5 },
    );
  });
});
