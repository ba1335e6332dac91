/**
 * `atsm twin study`: the written DICOM/NIfTI study reads back with the right tags, SUV works on it
 * unchanged, quantify recovers the truth within partial-volume limits, truth files are complete.
 */
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { quantifyStudy } from "../../../src/app/quantify/run.js";
import { makeTwinStudy, type TwinStudyResult } from "../../../src/app/twin-study/index.js";
import { readDicom } from "../../../src/io/dicom/read.js";
import { readNifti } from "../../../src/io/nifti/index.js";
import { getNuclide } from "../../../src/physics/nuclides.js";
import { getStudyPreset, type StudyPreset } from "../../../src/sim/phantom/index.js";
import { cli } from "../../helpers/cli.js";
import { expectClose } from "../../helpers/close.js";

const SMALL_MOUSE: StudyPreset = {
  ...getStudyPreset("mouse-fadu"),
  dims: [32, 32, 64],
  spacingMm: [1.2, 1.2, 1.2],
};

let dir: string;
let r: TwinStudyResult;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), "atsm-twin-study-"));
  r = await makeTwinStudy({
    preset: SMALL_MOUSE,
    outDir: join(dir, "study"),
    injectedBq: 8e6,
    uptakeS: 7200,
    seed: 1,
    noiseFree: true,
  });
}, 60_000);

afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("makeTwinStudy", () => {
  it("writes a PET DICOM series in Bq/mL with injection, times, decay correction and weight", async () => {
    const series = await readDicom(r.petDicomDir!);
    const pet = series.find((s) => s.modality === "PT")!;
    expect(pet.volume.dims).toEqual([32, 32, 64]);
    const m = pet.petInstances[0]!;
    expect(m.Units).toBe("BQML");
    expect(m.DecayCorrection).toBe("START");
    expectClose(m.RadionuclideTotalDose!, 8e6, { rel: 1e-9 }, "dose Bq");
    expectClose(m.PatientWeight!, 0.025, { rel: 1e-9 }, "weight kg");
    expect((m.SeriesDateTimeMs ?? 0) - (m.RadiopharmaceuticalStartDateTimeMs ?? 0)).toBe(7_200_000);
    // Pixel values: the noise-free image to within int16 quantisation (slope/2 ≤ max/65534).
    let max = 0;
    for (const v of r.study.petBqPerMl) max = Math.max(max, v);
    for (let u = 0; u < pet.volume.data.length; u += 97) {
      expectClose(pet.volume.data[u]!, r.study.petBqPerMl[u]!, { abs: max / 32767 }, `voxel ${u}`);
    }
  });

  it("atsm suv reads the study unchanged (SUVbw factor = weight / decayed dose)", async () => {
    const out = await cli(["suv", r.petDicomDir!, "--json"]);
    expect(out.code).toBe(0);
    const j = JSON.parse(out.stdout) as { suvBwScaleFactor: number; units: string };
    expect(j.units).toBe("BQML");
    // QIBA SUVbw: 25 g / (8 MBq · 2^(−7200 s / T½)), T½(64Cu) from the physics table (ICRP-107).
    const expected = 25 / (8e6 * 2 ** (-7200 / getNuclide("Cu-64").halfLifeS));
    expectClose(j.suvBwScaleFactor, expected, { rel: 1e-6 }, "SUVbw factor, g/Bq");
  });

  it("quantify on the noise-free study returns the truth within partial-volume limits", async () => {
    const t = r.study.truth;
    const q = await quantifyStudy({
      study: r.petNifti!,
      tumor: t.tumour.voi.spec,
      reference: t.muscle.voi.spec,
    });
    const res = q.result as unknown as {
      tumor: { bqPerMlMean: number };
      reference: { bqPerMlMean: number };
    };
    // Muscle is surrounded by tissue of the same uptake: its mean is recovered to 3 %.
    expectClose(res.reference.bqPerMlMean, t.muscle.meanBqPerMl, { rel: 0.03 }, "muscle mean");
    // Tumour (9 mm sphere, 1.5 mm FWHM, 1.2 mm voxels): spill-out can only lower the mean;
    // recovery between 0.7 and 1.0 (partial-volume limit for a sphere ~5× FWHM).
    const rec = res.tumor.bqPerMlMean / t.tumour.meanBqPerMl;
    expect(rec).toBeGreaterThan(0.7);
    expect(rec).toBeLessThanOrEqual(1.0);
  });

  it("writes the truth: label maps, noise-free activity, pO2 map and truth.json", async () => {
    const truth = JSON.parse(readFileSync(r.truthJson, "utf8")) as {
      tmr: number;
      tumour: { voi: { spec: string }; hypoxicCoreVolumeMl: number };
      massBalance: { bodyBq: number; inFieldOfViewBq: number };
      files: Record<string, string>;
    };
    expect(truth.tumour.voi.spec).toBe("sphere:-12,0,-14,4.5");
    expectClose(truth.massBalance.inFieldOfViewBq, truth.massBalance.bodyBq, { rel: 1e-5 }, "mass balance");
    const voi = (await readNifti(join(r.outDir, truth.files.voiLabels!)))[0]!.volume;
    let tumour = 0;
    let muscle = 0;
    for (const v of voi.data) {
      if (v === 1) tumour++;
      if (v === 2) muscle++;
    }
    expect(tumour).toBeGreaterThan(100);
    expect(muscle).toBeGreaterThan(50);
    const po2 = (await readNifti(join(r.outDir, truth.files.po2!)))[0]!.volume;
    expect(po2.dims).toEqual([32, 32, 64]);
    const nf = (await readNifti(join(r.outDir, truth.files.activityNoiseFree!)))[0]!.volume;
    expectClose(nf.data[1000]!, r.study.petNoiseFreeBqPerMl[1000]!, { rel: 1e-6, abs: 1e-3 }, "noise-free");
  });

  it("CLI: --help, and an unknown preset names the accepted ones", async () => {
    const h = await cli(["twin", "study", "--help"]);
    expect(h.code).toBe(0);
    expect(h.stdout).toMatch(/--preset/);
    const bad = await cli(["twin", "study", "--preset", "mouse-nope", "--out", join(dir, "x")]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/mouse-fadu/);
  });
});
