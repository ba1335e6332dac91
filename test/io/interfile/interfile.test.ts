/**
 * Interfile 3.3 reader against fixtures whose expected values numpy computed
 * (test/fixtures/make/preclinical_fixtures.py), plus bad input and fuzzing.
 */
import { copyFileSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import zlib from "node:zlib";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { isAtsmError } from "../../../src/core/errors.js";
import { decodeInterfile, normaliseInterfileKey, readInterfile } from "../../../src/io/interfile/index.js";
import { expectClose } from "../../helpers/close.js";
import { expectAtsmError, expectAtsmErrorAsync } from "../../helpers/errors.js";

const DIR = join(__dirname, "../../fixtures/data/interfile");
const EXPECTED = JSON.parse(readFileSync(join(DIR, "expected.json"), "utf8")) as Record<
  string,
  {
    dims: number[];
    frames: number;
    spacingMm: number[];
    originMm: number[];
    unit: string;
    modality: string;
    values: number[];
    halfLifeS?: number;
    frameStartS?: number[];
    frameDurationS?: number[];
  }
>;

describe("Interfile reader vs numpy-computed fixtures", () => {
  for (const [name, exp] of Object.entries(EXPECTED)) {
    it(`${name}: geometry, unit, modality and every voxel`, async () => {
      const [s] = await readInterfile(join(DIR, name));
      const v = s!.volume;
      expect([...v.dims]).toEqual(exp.dims);
      for (let c = 0; c < 3; c++) {
        expectClose(v.spacingMm[c]!, exp.spacingMm[c]!, { rel: 1e-12 }, `spacing ${c}`);
        expectClose(v.originMm[c]!, exp.originMm[c]!, { abs: 1e-9 }, `origin ${c}`);
      }
      expect(v.unit).toBe(exp.unit);
      expect(s!.modality).toBe(exp.modality);
      const data = s!.dynamic ? s!.dynamic.data : v.data;
      expect(data.length).toBe(exp.values.length);
      for (let i = 0; i < data.length; i++)
        expectClose(data[i]!, exp.values[i]!, { rel: 1e-7, abs: 1e-6 }, `voxel ${i}`);
      if (exp.frameStartS) {
        expect(Array.from(s!.dynamic!.frameStartS)).toEqual(exp.frameStartS);
        expect(Array.from(s!.dynamic!.frameDurationS)).toEqual(exp.frameDurationS);
      }
      if (exp.halfLifeS) expect(s!.petInstances[0]!.RadionuclideHalfLife).toBe(exp.halfLifeS);
    });
  }

  it("normalises keys as Interfile allows", () => {
    expect(normaliseInterfileKey("!Matrix  Size [1] ")).toBe("matrix size[1]");
    expect(normaliseInterfileKey("scaling factor (mm/pixel)[3]")).toBe("scaling factor (mm/pixel)[3]");
  });

  it("reads a gzipped data file", async () => {
    const tmp = mkdtempSync(join(tmpdir(), "atsm-interfile-"));
    const hv = readFileSync(join(DIR, "pet_f32le.hv"), "utf8").replace("pet_f32le.v", "data.v.gz");
    writeFileSync(join(tmp, "gz.hv"), hv);
    writeFileSync(join(tmp, "data.v.gz"), zlib.gzipSync(readFileSync(join(DIR, "pet_f32le.v"))));
    const [s] = await readInterfile(join(tmp, "gz.hv"));
    expect(s!.volume.data.length).toBe(120);
  });
});

describe("Interfile bad input", () => {
  const hv = readFileSync(join(DIR, "dyn_i16be.h33"), "utf8");
  const data = new Uint8Array(readFileSync(join(DIR, "dyn_i16be.i33")));
  const names = { header: "x.h33", data: "x.i33" };

  it("header promising more bytes than the data file has", () => {
    const e = expectAtsmError(() => decodeInterfile(hv, data.subarray(0, 400), names), {
      code: "TRUNCATED",
      message: /promises 480 bytes .* at byte 128, .*truncated at byte 400 of 608/,
    });
    expect(e.byteOffset).toBe(400);
  });

  it("not Interfile, zero spacing, unsupported format, 10^9 voxels, missing data file", async () => {
    expectAtsmError(() => decodeInterfile("hello := 1\n", data, names), {
      code: "PARSE_ERROR",
      message: /INTERFILE/,
    });
    expectAtsmError(() => decodeInterfile(hv.replace("[2] := 4.0", "[2] := 0"), data, names), {
      code: "PARSE_ERROR",
      message: /must be > 0/,
    });
    expectAtsmError(() => decodeInterfile(hv.replace("signed integer", "ASCII"), data, names), {
      code: "UNSUPPORTED",
    });
    expectAtsmError(
      () =>
        decodeInterfile(
          hv
            .replace("[1] := 6", "[1] := 1000")
            .replace("[2] := 5", "[2] := 1000")
            .replace("[3] := 4", "[3] := 1000"),
          data,
          names,
        ),
      { code: "LIMIT_EXCEEDED" },
    );
    const tmp = mkdtempSync(join(tmpdir(), "atsm-interfile-"));
    copyFileSync(join(DIR, "dyn_i16be.h33"), join(tmp, "alone.h33"));
    const e = await expectAtsmErrorAsync(() => readInterfile(join(tmp, "alone.h33")), { code: "NOT_FOUND" });
    expect(e.field).toBe("name of data file");
  });

  it("gzip bomb in the data file is capped at the size the header promises", async () => {
    const tmp = mkdtempSync(join(tmpdir(), "atsm-interfile-"));
    writeFileSync(join(tmp, "bomb.h33"), hv.replace("dyn_i16be.i33", "bomb.i33.gz"));
    writeFileSync(join(tmp, "bomb.i33.gz"), zlib.gzipSync(new Uint8Array(32 * 1024 * 1024)));
    await expectAtsmErrorAsync(() => readInterfile(join(tmp, "bomb.h33")), { code: "LIMIT_EXCEEDED" });
  });

  it("fuzz: header mutations and data truncations give a result or an AtsmError", () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.nat(), fc.integer({ min: 32, max: 126 })), { maxLength: 8 }),
        fc.nat({ max: data.length }),
        (muts, cut) => {
          const chars = hv.split("");
          for (const [pos, c] of muts) chars[pos % chars.length] = String.fromCharCode(c);
          try {
            decodeInterfile(chars.join(""), data.subarray(0, cut), names, { nonFinite: "zero" });
          } catch (e) {
            if (!isAtsmError(e)) throw e;
          }
        },
      ),
      { numRuns: 300, seed: 21 },
    );
  });

  it("fuzz: random headers after the magic line give a result or an AtsmError", () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 400 }), (text) => {
        try {
          decodeInterfile(`!INTERFILE :=\n${text}`, data, names);
        } catch (e) {
          if (!isAtsmError(e)) throw e;
        }
      }),
      { numRuns: 200, seed: 22 },
    );
  });
});
