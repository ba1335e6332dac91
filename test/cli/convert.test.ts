/** `atsm convert` DICOM → NIfTI: geometry and values equal pydicom's (reference.json), PET header kept. */
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { gridToAffineLps } from "../../src/core/geometry.js";
import { readNifti } from "../../src/io/nifti/index.js";
import { cli } from "../helpers/cli.js";
import { expectClose } from "../helpers/close.js";

const DIR = resolve(import.meta.dirname, "../fixtures/data/dicom");
const REF = JSON.parse(readFileSync(join(DIR, "reference.json"), "utf8")) as Record<
  string,
  { affineLps: number[]; values: number[] }
>;
const TMP = mkdtempSync(join(tmpdir(), "atsm-convert-"));
afterAll(() => rmSync(TMP, { recursive: true, force: true }));

describe("atsm convert", () => {
  it.each(["ct_oblique", "pet_sagittal"])(
    "%s: NIfTI geometry to 1e-4 mm and voxels to 1e-5 of pydicom",
    async (name) => {
      const out = join(TMP, `${name}.nii.gz`);
      const r = await cli(["convert", join(DIR, name), out]);
      expect(r.code).toBe(0);
      const [s] = await readNifti(out);
      const a = gridToAffineLps(s!.volume);
      const ref = REF[name]!;
      for (let i = 0; i < 16; i++) expectClose(a[i]!, ref.affineLps[i]!, { abs: 1e-4 }, `affine[${i}]`);
      for (let i = 0; i < ref.values.length; i++) {
        expectClose(s!.volume.data[i]!, ref.values[i]!, { rel: 1e-5, abs: 1e-6 }, `voxel ${i}`);
      }
    },
  );

  it("dynamic PET becomes 4-D with a BIDS-PET sidecar; SUV factors survive", async () => {
    const out = join(TMP, "dyn.nii.gz");
    const r = await cli(["convert", join(DIR, "pet_dynamic"), out, "--json"]);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout).frames).toBe(3);
    const side = JSON.parse(readFileSync(join(TMP, "dyn.json"), "utf8"));
    expect(side.FrameTimesStart).toEqual([2700, 2760, 2820]);
    expect(side.TracerRadionuclide).toBe("Cu-64");
    expect(side.InjectedRadioactivity).toBe(370);
    const fromDicom = JSON.parse((await cli(["suv", join(DIR, "pet_dynamic"), "--json"])).stdout);
    const fromNifti = JSON.parse((await cli(["suv", out, "--json"])).stdout);
    expectClose(
      fromNifti.suvBwScaleFactor,
      fromDicom.suvBwScaleFactor,
      { rel: 1e-9 },
      "suvBw DICOM vs NIfTI",
    );
  });

  it("a study with several series needs --series or --modality", async () => {
    const r = await cli(["convert", DIR, join(TMP, "x.nii")]);
    // the fixture folder holds PET series, so the PET one is chosen
    expect(r.code).toBe(0);
    const ct = await cli(["convert", DIR, join(TMP, "ct.nii"), "--modality", "CT", "--json"]);
    expect(JSON.parse(ct.stdout).modality).toBe("CT");
    const bad = await cli(["convert", DIR, join(TMP, "y.txt"), "--modality", "CT"]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/\.nii/);
  });
});
