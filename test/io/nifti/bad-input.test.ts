/**
 * Bad NIfTI input (issue 2 "Bad input"): each case gives an AtsmError naming file, field and byte
 * offset, never a crash or hang.
 */
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import zlib from "node:zlib";
import { describe, expect, it } from "vitest";
import type { Volume } from "../../../src/core/types.js";
import { decodeNifti, encodeNifti, MAX_VOXELS, readNifti, writeNifti } from "../../../src/io/nifti/index.js";
import { expectAtsmError, expectAtsmErrorAsync } from "../../helpers/errors.js";

const TMP = mkdtempSync(join(tmpdir(), "atsm-nifti-bad-"));

function small(): Volume {
  const data = new Float32Array(5 * 4 * 3).map((_, i) => i + 0.5);
  return {
    data,
    dims: [5, 4, 3],
    spacingMm: [1, 2, 3],
    originMm: [0, 0, 0],
    direction: new Float64Array([1, 0, 0, 0, 1, 0, 0, 0, 1]),
    unit: "Bq/mL",
  };
}

/** A fresh uncompressed single-file NIfTI-1 and a DataView on it. */
function bytes(): { b: Uint8Array; v: DataView; voxOffset: number } {
  const b = encodeNifti(small());
  const v = new DataView(b.buffer, b.byteOffset, b.byteLength);
  return { b, v, voxOffset: v.getFloat32(108, true) };
}

describe("NIfTI bad input", () => {
  it("truncated image data: TRUNCATED with the promised and actual sizes", () => {
    const { b, voxOffset } = bytes();
    const e = expectAtsmError(() => decodeNifti(b.subarray(0, b.length - 7), "cut.nii"), {
      code: "TRUNCATED",
      message: /promises 240 bytes .*truncated at byte \d+ of \d+/,
    });
    expect(e.file).toBe("cut.nii");
    expect(e.field).toBe("image data");
    expect(e.byteOffset).toBe(voxOffset + 240 - 7);
  });

  it("truncated header", () => {
    const { b } = bytes();
    const e = expectAtsmError(() => decodeNifti(b.subarray(0, 200), "hdr.nii"), { code: "TRUNCATED" });
    expect(e.message).toMatch(/truncated at byte 200 of 348/);
  });

  it("header promising more bytes than the file has (dims × 10)", () => {
    const { b, v } = bytes();
    v.setInt16(42, 50, true); // dim[1] = 50 instead of 5
    expectAtsmError(() => decodeNifti(b, "big.nii"), { code: "TRUNCATED", message: /promises 2400 bytes/ });
  });

  it("bad magic and bad sizeof_hdr", () => {
    const { b } = bytes();
    b.set([0x78, 0x79, 0x7a, 0], 344);
    const e = expectAtsmError(() => decodeNifti(b, "magic.nii"), { code: "PARSE_ERROR", message: /magic/ });
    expect(e.byteOffset).toBe(344);
    const e2 = expectAtsmError(() => decodeNifti(new Uint8Array(600).fill(7), "junk.nii"), {
      code: "PARSE_ERROR",
      message: /sizeof_hdr/,
    });
    expect(e2.byteOffset).toBe(0);
  });

  it("NaN/Inf voxels: rejected with count and offset, or zeroed with a warning", () => {
    const { b, v, voxOffset } = bytes();
    v.setFloat32(voxOffset + 4 * 7, Number.NaN, true);
    v.setFloat32(voxOffset + 4 * 9, Number.POSITIVE_INFINITY, true);
    const e = expectAtsmError(() => decodeNifti(b, "nan.nii"), {
      code: "NUMERIC",
      message: /2 of 60 voxels are NaN or ±Inf .*\(2,1,0\)/,
      hint: /nonFinite/,
    });
    expect(e.byteOffset).toBe(voxOffset + 4 * 7);
    const d = decodeNifti(b, "nan.nii", { nonFinite: "zero" });
    expect(d.volume.data[7]).toBe(0);
    expect(d.volume.data[9]).toBe(0);
    expect(d.warnings.join()).toMatch(/2 of 60 voxels were NaN or ±Inf and were set to 0/);
  });

  it("scaling that overflows float32 counts as Inf", () => {
    const { b, v } = bytes();
    v.setFloat32(112, 1e38, true); // scl_slope; voxel values up to 59.5
    expectAtsmError(() => decodeNifti(b, "ovf.nii"), { code: "NUMERIC" });
  });

  it("valid scl_slope with NaN scl_inter is rejected as nibabel does", () => {
    const { b, v } = bytes();
    v.setFloat32(112, 2, true);
    v.setFloat32(116, Number.NaN, true);
    const e = expectAtsmError(() => decodeNifti(b, "inter.nii"), { code: "PARSE_ERROR" });
    expect(e.field).toBe("scl_inter");
    expect(e.byteOffset).toBe(116);
  });

  it("zero spacing in the sform (zero column) and in pixdim (qform/base)", () => {
    const { b, v } = bytes();
    for (const r of [0, 1, 2]) v.setFloat32(280 + 16 * r, 0, true); // srow_*[0] = 0 → column 0 zero
    const e = expectAtsmError(() => decodeNifti(b, "zero.nii"), {
      code: "PARSE_ERROR",
      message: /spacing .* zero/,
    });
    expect(e.field).toBe("srow_x");
    const q = bytes();
    q.v.setInt16(254, 0, true); // sform_code 0 → qform
    q.v.setFloat32(80, 0, true); // pixdim[1] = 0
    expectAtsmError(() => decodeNifti(q.b, "zeroq.nii"), { code: "PARSE_ERROR", message: /pixdim/ });
    const n = bytes();
    n.v.setInt16(254, 0, true);
    n.v.setFloat32(84, -2, true); // pixdim[2] < 0
    expectAtsmError(() => decodeNifti(n.b, "negq.nii"), {
      code: "PARSE_ERROR",
      message: /pixdim\[1\.\.3\] must be > 0/,
    });
  });

  it(`10^9-voxel header: LIMIT_EXCEEDED (cap ${MAX_VOXELS} voxels) before any allocation`, () => {
    const { b, v } = bytes();
    v.setInt16(42, 1000, true);
    v.setInt16(44, 1000, true);
    v.setInt16(46, 1000, true);
    const e = expectAtsmError(() => decodeNifti(b, "huge.nii"), {
      code: "LIMIT_EXCEEDED",
      message: /1000000000 voxels/,
    });
    expect(e.field).toBe("dim");
    expect(e.byteOffset).toBe(40);
  });

  it("gzip bomb: stream inflating far past the header's size is stopped", () => {
    const { b } = bytes();
    const bomb = new Uint8Array(b.length + 64 * 1024 * 1024); // 64 MiB of zeros after the image
    bomb.set(b, 0);
    const gz = zlib.gzipSync(bomb, { level: 9 });
    expect(gz.length).toBeLessThan(200_000);
    expectAtsmError(() => decodeNifti(gz, "bomb.nii.gz"), {
      code: "LIMIT_EXCEEDED",
      message: /inflates to more than/,
    });
  });

  it("truncated and corrupt gzip", () => {
    const { b } = bytes();
    const gz = zlib.gzipSync(b);
    expectAtsmError(() => decodeNifti(gz.subarray(0, gz.length - 12), "cut.nii.gz"), { code: "TRUNCATED" });
    const bad = new Uint8Array(gz);
    for (let i = 20; i < bad.length - 8; i += 3) bad[i] = bad[i]! ^ 0x5a;
    expectAtsmError(() => decodeNifti(bad, "bad.nii.gz"));
  });

  it("unknown and unsupported datatypes, 5-D images, bad dims", () => {
    const a = bytes();
    a.v.setInt16(70, 99, true);
    expect(expectAtsmError(() => decodeNifti(a.b, "t.nii"), { code: "PARSE_ERROR" }).field).toBe("datatype");
    const c = bytes();
    c.v.setInt16(70, 32, true);
    expectAtsmError(() => decodeNifti(c.b, "c.nii"), { code: "UNSUPPORTED", message: /complex64/ });
    const f = bytes();
    f.v.setInt16(40, 5, true);
    f.v.setInt16(48, 1, true);
    f.v.setInt16(50, 2, true);
    expectAtsmError(() => decodeNifti(f.b, "5d.nii"), { code: "UNSUPPORTED", message: /5-D/ });
    const z = bytes();
    z.v.setInt16(44, 0, true);
    expect(expectAtsmError(() => decodeNifti(z.b, "z.nii"), { code: "PARSE_ERROR" }).field).toBe("dim[2]");
  });

  it("a sheared sform is orthonormalised with a warning giving the displacement", () => {
    const { b, v } = bytes();
    v.setFloat32(284, 0.2, true); // srow_x[1]: j axis gains an x component
    const d = decodeNifti(b, "shear.nii");
    expect(d.warnings.join()).toMatch(/sheared: .* moving voxel centres by up to [\d.]+ mm/);
    const m = d.volume.direction;
    expect(Math.abs(m[0]! * m[1]! + m[3]! * m[4]! + m[6]! * m[7]!)).toBeLessThan(1e-12);
  });

  it("file not found, sidecar with wrong frame count, sidecar with bad JSON", async () => {
    await expectAtsmErrorAsync(() => readNifti(join(TMP, "missing.nii")), { code: "NOT_FOUND" });
    const v = small();
    const dyn = {
      ...v,
      data: new Float32Array(120),
      frameStartS: new Float64Array([0, 10]),
      frameDurationS: new Float64Array([10, 10]),
      decayCorrectedToS: null,
    };
    const p = join(TMP, "d.nii");
    await writeNifti(p, dyn);
    writeFileSync(
      join(TMP, "d.json"),
      JSON.stringify({ FrameTimesStart: [0, 10, 20], FrameDuration: [10, 10, 10] }),
    );
    const e = await expectAtsmErrorAsync(() => readNifti(p), {
      code: "INCONSISTENT",
      message: /3 entries .* 2 frame/,
    });
    expect(e.field).toBe("FrameTimesStart");
    writeFileSync(join(TMP, "d.json"), "{ not json");
    await expectAtsmErrorAsync(() => readNifti(p), { code: "PARSE_ERROR", message: /not valid JSON/ });
  });
});
