/** loadStudy format detection and the PET/CT pickers. */
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { detectFormat, loadStudy, pickCtSeries, pickPetSeries } from "../../../src/io/study.js";
import { expectAtsmError } from "../../helpers/errors.js";

const DIR = resolve(import.meta.dirname, "../../fixtures/data/dicom");
const TMP = mkdtempSync(join(tmpdir(), "atsm-study-"));
afterAll(() => rmSync(TMP, { recursive: true, force: true }));

describe("detectFormat", () => {
  it("folders and DICM files are DICOM; extensions pick the other readers", () => {
    expect(detectFormat(DIR)).toBe("dicom");
    expect(detectFormat(join(DIR, "pet_axial", "img000.dcm"))).toBe("dicom");
    for (const [name, fmt] of [
      ["a.nii", "nifti"],
      ["a.nii.gz", "nifti"],
      ["a.hv", "interfile"],
      ["a.h33", "interfile"],
      ["a.img.hdr", "inveon"],
    ] as const) {
      const p = join(TMP, name);
      writeFileSync(p, "x");
      expect(detectFormat(p)).toBe(fmt);
    }
    // text .hdr = Inveon header; binary .hdr = NIfTI/Analyze pair
    writeFileSync(join(TMP, "t.hdr"), "# Inveon header\nversion 001.910\n");
    expect(detectFormat(join(TMP, "t.hdr"))).toBe("inveon");
    const bin = new Uint8Array(348);
    bin[0] = 0x5c;
    bin[1] = 0x01;
    writeFileSync(join(TMP, "b.hdr"), bin);
    expect(detectFormat(join(TMP, "b.hdr"))).toBe("nifti");
  });

  it("unknown files and missing paths give AtsmError listing what is accepted", () => {
    writeFileSync(join(TMP, "notes.txt"), "hello");
    expectAtsmError(() => detectFormat(join(TMP, "notes.txt")), { code: "UNSUPPORTED", hint: /DICOM.*nii/ });
    expectAtsmError(() => detectFormat(join(TMP, "missing")), { code: "NOT_FOUND" });
  });
});

describe("loadStudy dispatch", () => {
  const FIXTURES = resolve(import.meta.dirname, "../../fixtures/data");
  it.each([
    ["inveon/dyn_int16.img", "inveon"],
    ["inveon/dyn_int16.img.hdr", "inveon"],
    ["interfile/pet_f32le.hv", "interfile"],
    ["interfile/dyn_i16be.h33", "interfile"],
    ["dicom/pet_axial/img000.dcm", "dicom"],
    ["nifti/bigendian_int32.nii", "nifti"],
  ])("%s is read by the %s reader", async (rel, fmt) => {
    const series = await loadStudy(join(FIXTURES, rel));
    expect(series.length).toBeGreaterThan(0);
    expect(series[0]!.format).toBe(fmt);
  });
});

describe("pickPetSeries / pickCtSeries", () => {
  it("picks the largest static Bq/mL PET and the largest HU CT", async () => {
    const all = await loadStudy(DIR);
    const pet = pickPetSeries(all);
    expect(pet.modality).toBe("PT");
    expect(pet.dynamic).toBeNull();
    expect(pet.volume.unit).toBe("Bq/mL");
    expect(pickCtSeries(all).modality).toBe("CT");
    const uid = all.find((s) => s.seriesDescription === "pet_dynamic")!.seriesInstanceUid!;
    expect(pickPetSeries(all, { seriesInstanceUid: uid }).seriesDescription).toBe("pet_dynamic");
  });

  it("no PET / unknown UID are NOT_FOUND naming the series present", async () => {
    const ct = await loadStudy(join(DIR, "ct_axial"));
    expectAtsmError(() => pickPetSeries(ct), { code: "NOT_FOUND", hint: /CT "ct_axial"/ });
    expectAtsmError(() => pickCtSeries(ct, { seriesInstanceUid: "1.2" }), { code: "NOT_FOUND" });
  });
});
