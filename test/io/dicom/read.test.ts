/**
 * Our DICOM reader against an independent reader: pydicom 2.3 + numpy values committed in
 * test/fixtures/data/dicom/reference.json by test/fixtures/make/dicom_make.py.
 * Tolerances (issue 2): affine 1e-4 mm, voxels 1e-5 relative.
 */
import { readdirSync, readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { describe, expect, it } from "vitest";
import { gridToAffineLps } from "../../../src/core/geometry.js";
import { readDicom } from "../../../src/io/dicom/read.js";
import { expectClose } from "../../helpers/close.js";

const DIR = resolve(import.meta.dirname, "../../fixtures/data/dicom");

interface Ref {
  dims: [number, number, number];
  frames: number;
  affineLps: number[];
  values: number[];
  transferSyntax: string;
}
const REF = JSON.parse(readFileSync(join(DIR, "reference.json"), "utf8")) as Record<string, Ref>;

describe("readDicom vs pydicom+numpy (reference.json)", () => {
  for (const [name, ref] of Object.entries(REF)) {
    it(`${name} (${ref.transferSyntax}): geometry to 1e-4 mm and voxels to 1e-5 relative`, async () => {
      const series = await readDicom(join(DIR, name));
      expect(series).toHaveLength(1);
      const s = series[0]!;
      expect(s.volume.dims).toEqual(ref.dims);
      const affine = gridToAffineLps(s.volume);
      for (let i = 0; i < 16; i++)
        expectClose(affine[i]!, ref.affineLps[i]!, { abs: 1e-4 }, `${name} affine[${i}]`);
      const data = s.dynamic?.data ?? s.volume.data;
      expect(data.length).toBe(ref.values.length);
      expect(s.dynamic === null ? 1 : s.dynamic.frameStartS.length).toBe(ref.frames);
      for (let i = 0; i < data.length; i++) {
        expectClose(data[i]!, ref.values[i]!, { rel: 1e-5, abs: 1e-6 }, `${name} voxel ${i}`);
      }
    });
  }

  it("fills PetInstanceMetadata per slice, incl. radiopharmaceutical and GE private time", async () => {
    const [s] = await readDicom(join(DIR, "pet_axial"));
    expect(s!.modality).toBe("PT");
    expect(s!.volume.unit).toBe("Bq/mL");
    expect(s!.petInstances).toHaveLength(5);
    const p = s!.petInstances[0]!;
    // values written by dicom_make.py
    expect(p.Units).toBe("BQML");
    expect(p.DecayCorrection).toBe("START");
    expect(p.CorrectedImage).toEqual(["DECY", "ATTN", "SCAT"]);
    expect(p.RadionuclideTotalDose).toBe(370e6);
    expect(p.RadionuclideHalfLife).toBe(45720);
    expect(p.PatientWeight).toBe(72.5);
    expect(p.PatientSize).toBe(1.68);
    expect(p.PatientSex).toBe("F");
    expect(p.Radiopharmaceutical).toBe("Cu-64 ATSM");
    expect(p.RadionuclideCodeMeaning).toBe("^64^Copper");
    expect(p.RadiopharmaceuticalStartDateTimeMs).toBe(Date.UTC(2025, 2, 1, 9, 15, 0));
    expect(p.SeriesDateTimeMs).toBe(Date.UTC(2025, 2, 1, 10, 0, 0));
    expect(p.GEPrivatePostInjectionDateTimeMs).toBe(Date.UTC(2025, 2, 1, 9, 55, 0));
    expect(p.PhilipsPETPrivateGroup_SUVScaleFactor).toBeNull();
  });

  it("reads Philips private SUV and activity-concentration scale factors (implicit VR)", async () => {
    const [s] = await readDicom(join(DIR, "pet_philips_implicit"));
    const p = s!.petInstances[0]!;
    expect(p.PhilipsPETPrivateGroup_SUVScaleFactor).toBe(0.000123);
    expect(p.PhilipsPETPrivateGroup_ActivityConcentrationScaleFactor).toBe(1.5);
  });

  it("groups a dynamic PET into frames with timing relative to injection", async () => {
    const [s] = await readDicom(join(DIR, "pet_dynamic"));
    const d = s!.dynamic!;
    expect(d.dims).toEqual([8, 6, 4]);
    // frames start 10:00, 10:01, 10:02; injection 09:15 -> 2700, 2760, 2820 s (dicom_make.py)
    expect([...d.frameStartS]).toEqual([2700, 2760, 2820]);
    expect([...d.frameDurationS]).toEqual([60, 60, 60]);
    // DecayCorrection START -> SeriesTime 10:00 = 2700 s after injection
    expect(d.decayCorrectedToS).toBe(2700);
    expect(s!.frameStartEpochMs).toEqual([0, 1, 2].map((f) => Date.UTC(2025, 2, 1, 10, f, 0)));
    // marker voxel (0,0,k) of frame f holds stored k*100+f (dicom_make.py), times the slope
    const n = 8 * 6 * 4;
    for (let f = 0; f < 3; f++) {
      for (let k = 0; k < 4; k++) {
        const slope = Number((1 + 0.37 * k + 0.11 * f).toPrecision(6));
        expectClose(d.data[f * n + k * 48]!, (k * 100 + f) * slope, { rel: 1e-6 }, `marker f${f} k${k}`);
      }
    }
    expect(s!.volume.data.length).toBe(n);
  });

  it("CT is in HU (RescaleIntercept -1024 applied)", async () => {
    const [s] = await readDicom(join(DIR, "ct_axial"));
    expect(s!.modality).toBe("CT");
    expect(s!.volume.unit).toBe("HU");
    expect(s!.volume.spacingMm).toEqual([2, 2.5, 1.25]);
    expect(s!.petInstances).toHaveLength(0);
  });

  it("reads a file list, reporting progress from 0 to 1", async () => {
    const dir = join(DIR, "pet_shuffled");
    const files = readdirSync(dir).map((f) => join(dir, f));
    const seen: number[] = [];
    const [s] = await readDicom(files, { onProgress: (f) => seen.push(f) });
    expect(s!.volume.dims).toEqual([8, 6, 5]);
    expect(seen[seen.length - 1]).toBe(1);
    expect(seen.every((f, i) => f >= 0 && f <= 1 && (i === 0 || f >= seen[i - 1]!))).toBe(true);
  });

  it("reads several series from one folder, ordered by SeriesNumber", async () => {
    const series = await readDicom(DIR);
    expect(series.map((s) => s.seriesDescription)).toEqual([
      "pet_axial",
      "pet_philips_implicit",
      "ct_oblique",
      "pet_sagittal",
      "pet_coronal",
      "pet_shuffled",
      "pet_dynamic",
      "pet_deflated",
      "ct_axial",
      "pet_bigendian",
      "ct_enhanced_oblique",
      "written_pet",
    ]);
  });
});
