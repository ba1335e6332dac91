/**
 * Bad DICOM input: every failure is an AtsmError naming file, field and (where known) byte offset;
 * nothing crashes or hangs. Includes a bounded fast-check fuzz of the parser.
 */
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import fc from "fast-check";
import { afterAll, describe, expect, it } from "vitest";
import { AtsmError } from "../../../src/core/errors.js";
import { assembleSeries } from "../../../src/io/dicom/assemble.js";
import { type DicomElement, el, encodePart10 } from "../../../src/io/dicom/encode.js";
import { parseDicomFile } from "../../../src/io/dicom/parse.js";
import { readDicom } from "../../../src/io/dicom/read.js";
import { expectAtsmError, expectAtsmErrorAsync } from "../../helpers/errors.js";

const FIX = resolve(import.meta.dirname, "../../fixtures/data/dicom");
const TMP = mkdtempSync(join(tmpdir(), "atsm-dicom-bad-"));
afterAll(() => rmSync(TMP, { recursive: true, force: true }));

interface SliceSpec {
  readonly sop: string;
  readonly ipp?: readonly (number | string)[];
  readonly iop?: readonly (number | string)[];
  readonly rows?: number;
  readonly columns?: number;
  readonly spacing?: readonly (number | string)[];
  readonly pixelBytes?: number;
  readonly extra?: readonly DicomElement[];
}

/** A minimal CT slice written with our encoder. */
function slice(spec: SliceSpec): Uint8Array {
  const rows = spec.rows ?? 2;
  const columns = spec.columns ?? 2;
  const bytes = spec.pixelBytes ?? rows * columns * 2;
  return encodePart10("1.2.840.10008.5.1.4.1.1.2", spec.sop, [
    el(0x0008, 0x0016, "UI", "1.2.840.10008.5.1.4.1.1.2"),
    el(0x0008, 0x0018, "UI", spec.sop),
    el(0x0008, 0x0060, "CS", "CT"),
    el(0x0020, 0x000e, "UI", "1.2.3.4"),
    el(0x0020, 0x0032, "DS", (spec.ipp ?? [0, 0, 0]).map(String)),
    el(0x0020, 0x0037, "DS", (spec.iop ?? [1, 0, 0, 0, 1, 0]).map(String)),
    el(0x0028, 0x0010, "US", rows),
    el(0x0028, 0x0011, "US", columns),
    el(0x0028, 0x0030, "DS", (spec.spacing ?? [1, 1]).map(String)),
    el(0x0028, 0x0100, "US", 16),
    el(0x0028, 0x0101, "US", 16),
    el(0x0028, 0x0103, "US", 1),
    el(0x7fe0, 0x0010, "OW", new Uint8Array(bytes)),
    ...(spec.extra ?? []),
  ]);
}

function folder(name: string, files: Record<string, Uint8Array>): string {
  const dir = join(TMP, name);
  mkdirSync(dir, { recursive: true });
  for (const [f, b] of Object.entries(files)) writeFileSync(join(dir, f), b);
  return dir;
}

const parse = (b: Uint8Array) => parseDicomFile(b, "test.dcm");

describe("bad DICOM files", () => {
  it("wrong magic (explicit file) names the preamble and byte 128", () => {
    const e = expectAtsmError(() => parse(new Uint8Array(300)), { code: "PARSE_ERROR", message: /DICM/ });
    expect(e.byteOffset).toBe(128);
    expect(e.file).toBe("test.dcm");
  });

  it("pixel data shorter than Rows×Columns×2 is TRUNCATED with the pixel data offset", () => {
    const e = expectAtsmError(() => parse(slice({ sop: "1.1", rows: 4, columns: 4, pixelBytes: 10 })), {
      code: "TRUNCATED",
      message: /pixel data holds 10 bytes but .* = 32/,
    });
    expect(e.field).toMatch(/PixelData/);
    expect(e.byteOffset).toBeGreaterThan(132);
  });

  it("a file cut in its pixel data is TRUNCATED; cut in its header is a PARSE_ERROR or TRUNCATED", () => {
    const good = readFileSync(join(FIX, "pet_axial", "img000.dcm"));
    expectAtsmError(() => parse(good.subarray(0, good.length - 10)), { code: "TRUNCATED" });
    for (const cut of [140, 300, 700]) {
      const e = expectAtsmError(() => parse(good.subarray(0, cut)));
      expect(["PARSE_ERROR", "TRUNCATED", "MISSING_INPUT"]).toContain(e.code);
      expect(e.file).toBe("test.dcm");
    }
  });

  it("a compressed transfer syntax is UNSUPPORTED, naming its UID and name", () => {
    const b = slice({ sop: "1.2" });
    // swap the transfer syntax UID in the meta header for RLE Lossless (same length, PS3.6 Table A-1)
    const text = Buffer.from(b).toString("latin1").replace("1.2.840.10008.1.2.1\0", "1.2.840.10008.1.2.5\0");
    expectAtsmError(() => parse(Buffer.from(text, "latin1")), {
      code: "UNSUPPORTED",
      message: /1\.2\.840\.10008\.1\.2\.5 \(RLE Lossless\)/,
      hint: /dcmdjpeg|gdcmconv/,
    });
  });

  it("NaN / non-numeric ImagePositionPatient names the field and byte offset", () => {
    const e = expectAtsmError(() => parse(slice({ sop: "1.3", ipp: ["0", "NaN", "0"] })), {
      code: "PARSE_ERROR",
      message: /ImagePositionPatient/,
    });
    expect(e.byteOffset).toBeGreaterThan(132);
  });

  it("zero or negative PixelSpacing is rejected", () => {
    expectAtsmError(() => parse(slice({ sop: "1.4", spacing: [0, 1] })), {
      message: /PixelSpacing must be > 0/,
    });
    expectAtsmError(() => parse(slice({ sop: "1.5", spacing: [1, -2] })), { message: /PixelSpacing/ });
  });

  it("a 10^9-voxel header hits the stated limit, not the allocator", () => {
    // 40000 × 40000 = 1.6e9 pixels > MAX_SLICE_PIXELS = 8192² (parse.ts)
    expectAtsmError(() => parse(slice({ sop: "1.6", rows: 40000, columns: 40000, pixelBytes: 8 })), {
      code: "LIMIT_EXCEEDED",
    });
  });

  it("a huge RescaleSlope overflowing float32 is NUMERIC", () => {
    const s = parse(slice({ sop: "1.7", extra: [el(0x0028, 0x1053, "DS", "1e300")] }))!;
    expectAtsmError(() => assembleSeries(s, "x"), { code: "NUMERIC", message: /float32/ });
  });

  it("non-orthogonal ImageOrientationPatient is rejected", () => {
    expectAtsmError(() => parse(slice({ sop: "1.8", iop: [1, 0, 0, 1, 0, 0] })), {
      message: /ImageOrientationPatient is not two orthogonal unit vectors/,
    });
  });
});

describe("bad series", () => {
  const stack = (n: number, gap = 2, skip = -1) => {
    const files: Record<string, Uint8Array> = {};
    for (let k = 0; k < n; k++)
      if (k !== skip) files[`s${k}.dcm`] = slice({ sop: `2.${k + 1}`, ipp: [0, 0, k * gap] });
    return files;
  };

  it("skips non-DICOM files in a folder but reads the series", async () => {
    const dir = folder("withreadme", { ...stack(3), "README.txt": new TextEncoder().encode("hello") });
    const [s] = await readDicom(dir);
    expect(s!.volume.dims).toEqual([2, 2, 3]);
  });

  it("missing slice names the gap and the files on both sides", async () => {
    const dir = folder("missing", stack(6, 2, 3));
    await expectAtsmErrorAsync(() => readDicom(dir), {
      code: "INCONSISTENT",
      message: /missing slice\(s\).*gap of 4\.000 mm.*s2\.dcm.*s4\.dcm/,
    });
  });

  it("unequal spacing beyond 0.01 mm is INCONSISTENT", async () => {
    const files = stack(4);
    files["s3.dcm"] = slice({ sop: "2.4", ipp: [0, 0, 6.05] });
    await expectAtsmErrorAsync(() => readDicom(folder("uneven", files)), {
      message: /unequal slice spacing/,
    });
  });

  it("two different images at one position in a static series are duplicates", async () => {
    const files = stack(3);
    files["dup.dcm"] = slice({ sop: "2.99", ipp: [0, 0, 2] });
    await expectAtsmErrorAsync(() => readDicom(folder("dup", files)), { message: /duplicate/ });
  });

  it("a whole series exported twice (new SOPInstanceUIDs, no frame times) is not taken for a dynamic", async () => {
    const files = stack(3);
    for (let k = 0; k < 3; k++) files[`t${k}.dcm`] = slice({ sop: `3.${k + 1}`, ipp: [0, 0, k * 2] });
    await expectAtsmErrorAsync(() => readDicom(folder("twice", files)), {
      code: "INCONSISTENT",
      message: /duplicate slices .* no distinct frame time/,
    });
  });

  it("the same SOPInstanceUID twice is dropped with a warning", async () => {
    const files = stack(3);
    files["copy.dcm"] = files["s1.dcm"]!;
    const [s] = await readDicom(folder("samesop", files));
    expect(s!.warnings.join("\n")).toMatch(/same SOPInstanceUID/);
  });

  it("mixed orientations name both files", async () => {
    const files = stack(3);
    files["loc.dcm"] = slice({ sop: "2.50", iop: [1, 0, 0, 0, 0, -1], ipp: [0, 0, 9] });
    await expectAtsmErrorAsync(() => readDicom(folder("mixed", files)), {
      message: /mixed orientations.*(s0|loc)\.dcm.*(s0|loc)\.dcm/,
    });
  });

  it("mixed sizes are INCONSISTENT", async () => {
    const files = stack(3);
    files["big.dcm"] = slice({ sop: "2.51", rows: 4, columns: 4, ipp: [0, 0, 6] });
    await expectAtsmErrorAsync(() => readDicom(folder("sizes", files)), { message: /differ in size/ });
  });

  it("a missing path is NOT_FOUND; a folder without DICOM is NOT_FOUND", async () => {
    await expectAtsmErrorAsync(() => readDicom(join(TMP, "nope")), { code: "NOT_FOUND" });
    const dir = folder("empty", { "a.txt": new Uint8Array(10) });
    await expectAtsmErrorAsync(() => readDicom(dir), { code: "NOT_FOUND", message: /no DICOM images/ });
  });
});

describe("fuzz (fast-check, bounded)", () => {
  const seeds = [
    "pet_axial",
    "pet_deflated",
    "pet_philips_implicit",
    "ct_enhanced_oblique",
    "pet_bigendian",
  ].map((n) => {
    const dir = join(FIX, n);
    return readFileSync(join(dir, readdirSync(dir).sort()[0]!));
  });

  it("byte mutations and truncations: only AtsmError escapes (200 runs)", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: seeds.length - 1 }),
        fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 255 })), { maxLength: 8 }),
        fc.option(fc.nat(), { nil: undefined }),
        (which, edits, cut) => {
          const src = seeds[which]!;
          let b = new Uint8Array(src);
          for (const [pos, v] of edits) b[132 + (pos % (b.length - 132))] = v;
          if (cut !== undefined) b = b.subarray(0, cut % (b.length + 1));
          try {
            const slices = parseDicomFile(b, "fuzz.dcm");
            if (slices !== null) assembleSeries(slices, "fuzz");
          } catch (e) {
            if (!(e instanceof AtsmError)) throw e;
          }
        },
      ),
      { numRuns: 200, seed: 20251124 },
    );
  });
});
