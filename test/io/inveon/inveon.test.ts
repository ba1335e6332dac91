/**
 * Inveon / microPET reader against fixtures whose expected values numpy computed
 * (test/fixtures/make/preclinical_fixtures.py), plus bad input and fuzzing.
 */
import { copyFileSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { isAtsmError } from "../../../src/core/errors.js";
import {
  decodeInveon,
  parseInveonTimeMs,
  readInveon,
  readInveonDetailed,
} from "../../../src/io/inveon/index.js";
import { expectClose } from "../../helpers/close.js";
import { expectAtsmError, expectAtsmErrorAsync } from "../../helpers/errors.js";

const DIR = join(__dirname, "../../fixtures/data/inveon");
const EXPECTED = JSON.parse(readFileSync(join(DIR, "expected.json"), "utf8")) as Record<
  string,
  {
    dims: number[];
    frames: number;
    spacingMm: number[];
    unit: string;
    values: number[];
    frameStartS?: number[];
    frameDurationS?: number[];
    decayCorrectionFactors?: number[];
    doseBq?: number;
    weightKg?: number;
    scanStart?: string;
    injection?: string;
  }
>;

describe("Inveon reader vs numpy-computed fixtures", () => {
  for (const [name, exp] of Object.entries(EXPECTED)) {
    it(`${name}: dims, spacing, unit and every voxel (1e-6 relative)`, async () => {
      const [s] = await readInveon(join(DIR, name));
      const v = s!.volume;
      expect([...v.dims]).toEqual(exp.dims);
      for (let c = 0; c < 3; c++)
        expectClose(v.spacingMm[c]!, exp.spacingMm[c]!, { rel: 1e-12 }, `spacing ${c}`);
      expect(v.unit).toBe(exp.unit);
      const data = s!.dynamic ? s!.dynamic.data : v.data;
      expect(data.length).toBe(exp.values.length);
      // float32 storage of a float64 product: 1e-6 relative is a few float32 ulps.
      for (let i = 0; i < data.length; i++)
        expectClose(data[i]!, exp.values[i]!, { rel: 1e-6, abs: 1e-6 }, `voxel ${i}`);
      // Centred field of view: voxel (n-1)/2 at 0.
      for (let c = 0; c < 3; c++)
        expectClose(v.originMm[c]! + ((exp.dims[c]! - 1) / 2) * v.spacingMm[c]!, 0, { abs: 1e-9 }, "centre");
    });
  }

  it("dyn_int16: frame timing, decay factors and PET metadata for SUV", async () => {
    const exp = EXPECTED["dyn_int16.img"]!;
    // Reading through the header path works too.
    const d = await readInveonDetailed(join(DIR, "dyn_int16.img.hdr"));
    const s = d.series;
    expect(Array.from(s.dynamic!.frameStartS)).toEqual(exp.frameStartS);
    expect(Array.from(s.dynamic!.frameDurationS)).toEqual(exp.frameDurationS);
    expect(s.dynamic!.decayCorrectedToS).toBe(0);
    expect(d.decayCorrectionFactors).toEqual(exp.decayCorrectionFactors);
    expect(d.scaleFactors).toEqual([0.01, 0.02]);
    expect(d.calibrationFactor).toBe(2.5);
    const p = s.petInstances[0]!;
    expect(p.Units).toBe("BQML");
    expect(p.DecayCorrection).toBe("START");
    expect([...p.CorrectedImage].sort()).toEqual(["ATTN", "DECY"]);
    expect(p.RadionuclideTotalDose).toBe(exp.doseBq); // 10.5 MBq (dose_units 2)
    expectClose(p.PatientWeight!, exp.weightKg!, { rel: 1e-12 }, "weight (25.2 g)");
    expect(p.RadionuclideHalfLife).toBe(45720);
    expect(p.SeriesDateTimeMs).toBe(Date.parse(exp.scanStart!));
    expect(p.RadiopharmaceuticalStartDateTimeMs).toBe(Date.parse(exp.injection!));
    expect(s.petInstances[1]!.AcquisitionDateTimeMs).toBe(Date.parse(exp.scanStart!) + 60_000);
    expect(s.modality).toBe("PT");
  });

  it("parses ctime dates with a space-padded day", () => {
    expect(parseInveonTimeMs("Mon Jan  5 08:07:06 2009")).toBe(Date.UTC(2009, 0, 5, 8, 7, 6));
    expect(parseInveonTimeMs("yesterday")).toBeNull();
  });
});

describe("Inveon bad input", () => {
  const hdr = readFileSync(join(DIR, "dyn_int16.img.hdr"), "utf8");
  const img = new Uint8Array(readFileSync(join(DIR, "dyn_int16.img")));
  const names = { hdr: "x.img.hdr", img: "x.img" };

  it("truncated image: TRUNCATED naming the frame pointer and byte offset", () => {
    const e = expectAtsmError(() => decodeInveon(hdr, img.subarray(0, 300), names), {
      code: "TRUNCATED",
      message: /frame 1 needs 240 bytes .* truncated at byte 300 of 480/,
    });
    expect(e.field).toBe("data_file_pointer");
    expect(e.byteOffset).toBe(240);
    expect(e.file).toBe("x.img");
  });

  it("zero voxel size, bad data_type, 10^9 voxels, non-numeric values", () => {
    expectAtsmError(() => decodeInveon(hdr.replace("pixel_size_y 0.776", "pixel_size_y 0"), img, names), {
      code: "PARSE_ERROR",
      message: /voxel size along y must be > 0/,
    });
    const e = expectAtsmError(() => decodeInveon(hdr.replace("data_type 2", "data_type 9"), img, names), {
      code: "PARSE_ERROR",
    });
    expect(e.field).toBe("data_type");
    expect(e.row).toBeGreaterThan(0);
    expectAtsmError(
      () =>
        decodeInveon(
          hdr
            .replace("x_dimension 6", "x_dimension 1000")
            .replace("y_dimension 5", "y_dimension 1000")
            .replace("z_dimension 4", "z_dimension 1000"),
          img,
          names,
        ),
      { code: "LIMIT_EXCEEDED", message: /2000000000 voxels/ },
    );
    expectAtsmError(
      () => decodeInveon(hdr.replace("calibration_factor 2.5", "calibration_factor abc"), img, names),
      {
        code: "PARSE_ERROR",
        message: /calibration_factor is not a number/,
      },
    );
  });

  it("NaN voxels are rejected with the byte offset", () => {
    const f = readFileSync(join(DIR, "legacy_f32be.img"));
    const b = new Uint8Array(f);
    new DataView(b.buffer).setFloat32(4 * 3, Number.NaN, false);
    const h = readFileSync(join(DIR, "legacy_f32be.img.hdr"), "utf8");
    const e = expectAtsmError(() => decodeInveon(h, b, names), { code: "NUMERIC" });
    expect(e.byteOffset).toBe(12);
  });

  it("binary data as header, and a missing header file", async () => {
    expectAtsmError(() => decodeInveon("\u0000\u0001garbage", img, names), { code: "PARSE_ERROR" });
    const tmp = mkdtempSync(join(tmpdir(), "atsm-inveon-"));
    copyFileSync(join(DIR, "dyn_int16.img"), join(tmp, "lonely.img"));
    await expectAtsmErrorAsync(() => readInveon(join(tmp, "lonely.img")), { code: "NOT_FOUND" });
    writeFileSync(join(tmp, "lonely.img.hdr"), hdr);
    const [s] = await readInveon(join(tmp, "lonely.img"));
    expect(s!.dynamic!.data.length).toBe(240);
  });

  it("fuzz: header mutations and image truncations give a result or an AtsmError", () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.nat(), fc.integer({ min: 32, max: 126 })), { maxLength: 8 }),
        fc.nat({ max: img.length }),
        (muts, cut) => {
          const chars = hdr.split("");
          for (const [pos, c] of muts) chars[pos % chars.length] = String.fromCharCode(c);
          try {
            decodeInveon(chars.join(""), img.subarray(0, cut), names, { nonFinite: "zero" });
          } catch (e) {
            if (!isAtsmError(e)) throw e;
          }
        },
      ),
      { numRuns: 300, seed: 11 },
    );
  });

  it("fuzz: random text headers give a result or an AtsmError", () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 400 }), (text) => {
        try {
          decodeInveon(`x_dimension 2\ny_dimension 2\n${text}`, img, names);
        } catch (e) {
          if (!isAtsmError(e)) throw e;
        }
      }),
      { numRuns: 200, seed: 12 },
    );
  });
});

describe("SUV from an Inveon header", () => {
  it("dyn_int16: SUVbw scale factor equals the hand-derived value", async () => {
    const { computeSuvScaleFactors } = await import("../../../src/quant/suv/compute.js");
    const [s] = await readInveon(join(DIR, "dyn_int16.img"));
    const r = computeSuvScaleFactors(s!.petInstances);
    // Hand derivation (decay correction START): 10.5 MBq injected 09:50:19, scan start 10:05:19
    // (900 s later), isotope_half_life 45 720 s, subject_weight 25.2 g.
    //   SUVbw factor = 25.2 g / (10.5e6 · 2^(−900/45720)) Bq
    const expected = 25.2 / (10.5e6 * 2 ** (-900 / 45_720));
    expectClose(r.suvBwScaleFactor, expected, { rel: 1e-9 }, "SUVbw scale factor (g/Bq)");
  });
});
