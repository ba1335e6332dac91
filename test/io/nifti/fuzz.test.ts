/**
 * Fuzzing the NIfTI decoder (STYLE.md §8): truncations and byte mutations of the nibabel fixtures
 * and random headers. Only AtsmError may escape; bounded runs, no hang.
 */
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { isAtsmError } from "../../../src/core/errors.js";
import { decodeNifti } from "../../../src/io/nifti/index.js";

const DIR = join(__dirname, "../../fixtures/data/nifti");
const FIXTURES = readdirSync(DIR)
  .filter((f) => /\.nii(\.gz)?$/.test(f))
  .map((f) => ({ name: f, bytes: new Uint8Array(readFileSync(join(DIR, f))) }));

/** Decode and accept success or an AtsmError; anything else fails the property. */
function decodeOrAtsmError(bytes: Uint8Array, name: string): void {
  try {
    const d = decodeNifti(bytes, name, { nonFinite: "zero" });
    const n = d.volume.dims[0] * d.volume.dims[1] * d.volume.dims[2];
    expect(d.volume.data.length).toBe(n);
    for (const s of d.volume.spacingMm) expect(s).toBeGreaterThan(0);
  } catch (e) {
    if (!isAtsmError(e)) throw e;
  }
}

const fixture = fc.constantFrom(...FIXTURES);

describe("NIfTI decoder fuzz", () => {
  it("truncations of every fixture give a result or an AtsmError", () => {
    fc.assert(
      fc.property(fixture, fc.double({ min: 0, max: 1, noNaN: true }), (f, frac) => {
        decodeOrAtsmError(f.bytes.subarray(0, Math.floor(f.bytes.length * frac)), f.name);
      }),
      { numRuns: 200, seed: 2 },
    );
  });

  it("byte mutations (header and data) give a result or an AtsmError", () => {
    fc.assert(
      fc.property(
        fixture,
        fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 255 })), { minLength: 1, maxLength: 12 }),
        fc.boolean(),
        (f, muts, headerOnly) => {
          const b = new Uint8Array(f.bytes);
          for (const [pos, val] of muts) b[headerOnly ? pos % Math.min(560, b.length) : pos % b.length] = val;
          decodeOrAtsmError(b, f.name);
        },
      ),
      { numRuns: 300, seed: 3 },
    );
  });

  it("random NIfTI-1 headers with a valid magic give a result or an AtsmError", () => {
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 348, maxLength: 2000 }), fc.boolean(), (raw, be) => {
        const b = new Uint8Array(raw);
        const v = new DataView(b.buffer);
        v.setInt32(0, 348, !be);
        b.set([0x6e, 0x2b, 0x31, 0], 344); // "n+1"
        decodeOrAtsmError(b, "random.nii");
      }),
      { numRuns: 300, seed: 4 },
    );
  });

  it("random NIfTI-2 headers with a valid magic give a result or an AtsmError", () => {
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 540, maxLength: 2000 }), (raw) => {
        const b = new Uint8Array(raw);
        new DataView(b.buffer).setInt32(0, 540, true);
        b.set([0x6e, 0x2b, 0x32, 0, 0x0d, 0x0a, 0x1a, 0x0a], 4);
        decodeOrAtsmError(b, "random2.nii");
      }),
      { numRuns: 200, seed: 5 },
    );
  });
});
