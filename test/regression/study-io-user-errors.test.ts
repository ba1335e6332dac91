/**
 * Regressions from the `atsm decay / info / convert / suv` user test:
 * - `atsm decay --elapsed 1e9d` crashed with "RangeError: Invalid time value" (exit 70);
 * - a cut .nii.gz said "truncated at byte 0 of 4 needed to read sizeof_hdr" instead of naming the gzip stream;
 * - an Inveon .img without its .img.hdr got a NIfTI-only hint;
 * - `atsm convert` dropped PatientSex, so `atsm suv out.nii.gz` lost SUL (Janmahasatian/James).
 */
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { cli } from "../helpers/cli.js";
import { expectClose } from "../helpers/close.js";

const PET = "test/fixtures/data/dicom/pet_axial";

describe("decay: far targets", () => {
  it("an elapsed time beyond the Date range is exit 2 naming --elapsed", async () => {
    const r = await cli(
      ["decay", "--nuclide", "Cu-64", "--activity", "185MBq"].concat([
        "--at",
        "2025-03-01T08:00:00Z",
        "--elapsed",
        "1e9d",
        "--json",
      ]),
    );
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/target time is out of range.*--elapsed/);
  });
});

describe("study readers: clear messages", () => {
  it("a truncated .nii.gz names the gzip stream", async () => {
    const dir = mkdtempSync(join(tmpdir(), "atsm-trunc-"));
    const gz = readFileSync("test/fixtures/data/nifti/dyn4d.nii.gz");
    writeFileSync(join(dir, "cut.nii.gz"), gz.subarray(0, 100));
    const r = await cli(["info", join(dir, "cut.nii.gz")]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/gzip stream ends early/);
    expect(r.stderr).toMatch(/hint: .*incomplete/);
  });
  it("an .img without header mentions the Inveon .img.hdr", async () => {
    const dir = mkdtempSync(join(tmpdir(), "atsm-img-"));
    writeFileSync(join(dir, "x.img"), "junk");
    const r = await cli(["info", join(dir, "x.img")]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/Inveon.*x\.img\.hdr/);
  });
});

describe("convert keeps what SUL needs", () => {
  it("SUL factors from the NIfTI + sidecar equal the DICOM ones", async () => {
    const dir = mkdtempSync(join(tmpdir(), "atsm-conv-"));
    const out = join(dir, "pet.nii.gz");
    expect((await cli(["convert", PET, out])).code).toBe(0);
    const side = JSON.parse(readFileSync(join(dir, "pet.json"), "utf8"));
    expect(side.PatientSex).toBe("F");
    const a = JSON.parse((await cli(["suv", PET, "--json"])).stdout);
    const b = JSON.parse((await cli(["suv", out, "--json"])).stdout);
    // Same header values on both sides: factors agree to float rounding (1e-9 relative).
    expectClose(b.suvLbmJanmaScaleFactor, a.suvLbmJanmaScaleFactor, { rel: 1e-9 }, "SUL Janma");
    expectClose(b.suvLbmJamesScaleFactor, a.suvLbmJamesScaleFactor, { rel: 1e-9 }, "SUL James");
  });
});

describe("info: frame times say what they are relative to", () => {
  it("Inveon frames are given after injection (the header's scan starts 15 min after injection)", async () => {
    // dyn_int16.img.hdr: injection 09:50:19, scan start 10:05:19 → frames at 900 s and 960 s.
    const r = await cli(["info", "test/fixtures/data/inveon/dyn_int16.img"]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/frames {4}2: starts 900, 960 s after injection, durations 60, 120 s/);
    expect(r.stdout).toMatch(/height unknown, sex unknown/);
  });
});
