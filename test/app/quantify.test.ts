import { existsSync, mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { writeQuantifyOutputs } from "../../src/app/quantify/outputs.js";
import { quantifyStudy } from "../../src/app/quantify/run.js";
import type { QuantifyImages, QuantifyResult } from "../../src/app/quantify/types.js";
import { identityDirection } from "../../src/core/types.js";
import { parseCsv } from "../../src/io/csv.js";
import { readNifti, writeNiftiLabelMap } from "../../src/io/nifti/index.js";
import { expectClose } from "../helpers/close.js";
import { expectAtsmErrorAsync } from "../helpers/errors.js";
import {
  CORE_BQML,
  MUSCLE_BQML,
  REFERENCE_SPEC,
  SHELL_BQML,
  SUV_PER_BQML,
  TUMOR_SPEC,
  writeAnalyticStudy,
} from "./study-fixture.js";

let dir: string;
let petPath: string;
let coreVoxels: number;
let result: QuantifyResult;
let images: QuantifyImages;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), "atsm-quant-"));
  ({ petPath, coreVoxels } = await writeAnalyticStudy(join(dir, "study")));
  ({ result, images } = await quantifyStudy({
    study: petPath,
    tumor: TUMOR_SPEC,
    reference: REFERENCE_SPEC,
    cutoff: "3",
  }));
});

describe("quantifyStudy on the analytic phantom (test/app/study-fixture.ts)", () => {
  it("T/Mmax = core / muscle = 8000/2000 = 4 exactly (no blur; reference box inside the uniform block)", () => {
    expectClose(result.reference.nativeMean, MUSCLE_BQML, { rel: 1e-6 }, "reference mean Bq/mL");
    expectClose(result.tmrMax, CORE_BQML / MUSCLE_BQML, { rel: 1e-6 }, "T/Mmax");
  });

  it("SUV = Bq/mL × W/(D·2^(−t/T½)) from the sidecar (calculate-suv formula)", () => {
    expectClose(result.study.suvPerNativeUnit!, SUV_PER_BQML, { rel: 1e-9 }, "SUV factor");
    expectClose(result.tumor.suvMax!, CORE_BQML * SUV_PER_BQML, { rel: 1e-6 }, "SUVmax");
    expectClose(result.reference.suvMean!, MUSCLE_BQML * SUV_PER_BQML, { rel: 1e-6 }, "reference SUVmean");
  });

  it("volume = 4/3·π·12³ mm³ = 7.238 mL within the 5×5×5 supersampling error (1 %)", () => {
    expectClose(result.tumor.volumeMl, ((4 / 3) * Math.PI * 12 ** 3) / 1000, { rel: 0.01 }, "tumour volume");
  });

  it("hypoxic volume at T/M > 3 = the 8000 Bq/mL core voxels (weight 1, 0.008 mL each); T/Mmean analytic", () => {
    const coreMl = coreVoxels * 0.008;
    expectClose(result.hypoxicVolumeMl, coreMl, { rel: 1e-6 }, "hypoxic volume");
    expectClose(result.hypoxicFraction, coreMl / result.tumor.volumeMl, { rel: 1e-6 }, "hypoxic fraction");
    // every VOI voxel is shell (T/M 2) or core (T/M 4): T/Mmean = 2 + 2·V_core/V_voi
    expectClose(
      result.tmrMean,
      SHELL_BQML / MUSCLE_BQML + (2 * coreMl) / result.tumor.volumeMl,
      { rel: 1e-5 },
      "T/Mmean",
    );
  });

  it("T/Mpeak lies between shell and core T/M and equals SUVpeak / reference SUVmean", () => {
    expect(result.tmrPeak).toBeGreaterThan(2);
    expect(result.tmrPeak).toBeLessThan(4);
    expectClose(result.tmrPeak, result.tumor.suvPeak! / result.reference.suvMean!, { rel: 1e-9 }, "T/Mpeak");
  });

  it("classifies with the custom cutoff and stores the reference convention", () => {
    expect(result.prognosis?.preset).toBe("custom");
    // presets classify T/Mpeak (quant/prognosis.ts); strict ">" as published
    expect(result.prognosis?.statistic).toBe("peak");
    expect(result.prognosis?.value).toBe(result.tmrPeak);
    expect(result.prognosis?.class).toBe(result.tmrPeak > 3 ? "hypoxic" : "non-hypoxic");
    expect(result.referenceStatistic).toBe("mean");
    expect(result.hypoxicCutoffTm).toBe(3);
    // histogram: all volume at T/M ≥ 2, cumulative starts at 1
    expectClose(result.histogram.fractionAtLeast[0]!, 1, { abs: 1e-12 }, "cumulative[0]");
  });

  it("writes report.html, report.pdf, metrics.csv/json, vois.nii.gz and vois-seg.dcm", async () => {
    const out = join(dir, "out");
    const w = await writeQuantifyOutputs(out, result, images, { now: new Date(Date.UTC(2024, 0, 1)) });
    for (const f of [
      "report.html",
      "report.pdf",
      "metrics.csv",
      "metrics.json",
      "vois.nii.gz",
      "vois-seg.dcm",
    ])
      expect(existsSync(join(out, f)), f).toBe(true);
    expect(w.files.length).toBe(6);
    const html = readFileSync(join(out, "report.html"), "utf8");
    expect(html.match(/data:image\/png;base64,/g)?.length).toBe(6);
    expect(html).not.toMatch(/(src|href)="https?:/);
    expect(readFileSync(join(out, "report.pdf")).subarray(0, 5).toString()).toBe("%PDF-");
    const json = JSON.parse(readFileSync(join(out, "metrics.json"), "utf8"));
    expectClose(json.tmrMax, 4, { rel: 1e-6 }, "metrics.json tmrMax");
    const csv = parseCsv(readFileSync(join(out, "metrics.csv"), "utf8"));
    expect(csv.rows.length).toBe(1);
    expectClose(Number(csv.text(csv.rows[0]!, csv.column("tmrMax"))), 4, { rel: 1e-5 }, "metrics.csv tmrMax");
    expect(csv.text(csv.rows[0]!, csv.column("tumorSpec"))).toBe(TUMOR_SPEC);
    const [labels] = await readNifti(join(out, "vois.nii.gz"));
    let n1 = 0;
    let n2 = 0;
    for (const v of labels!.volume.data) {
      if (v === 1) n1++;
      else if (v === 2) n2++;
    }
    expect(n1).toBe(result.tumor.voxelCount);
    expect(n2).toBe(result.reference.voxelCount);
  });

  it("mask: specs read the written label map back (same VOIs, same T/M)", async () => {
    const out = join(dir, "out2");
    await writeQuantifyOutputs(out, result, images);
    const r2 = await quantifyStudy({
      study: petPath,
      tumor: "mask:out2/vois.nii.gz:1",
      reference: "mask:out2/vois.nii.gz:2",
      baseDir: dir,
    });
    expect(r2.result.tumor.voxelCount).toBe(result.tumor.voxelCount);
    expectClose(r2.result.tmrMax, 4, { rel: 1e-6 }, "T/Mmax from masks");
  });

  it("mask: specs also read the DICOM SEG written by the outputs", async () => {
    const r3 = await quantifyStudy({
      study: petPath,
      tumor: "mask:out2/vois-seg.dcm:1",
      reference: "mask:out2/vois-seg.dcm:2",
      baseDir: dir,
    });
    expect(r3.result.tumor.voxelCount).toBe(result.tumor.voxelCount);
    expect(r3.result.reference.voxelCount).toBe(result.reference.voxelCount);
    expectClose(r3.result.tmrMax, 4, { rel: 1e-6 }, "T/Mmax from SEG");
  });

  it("a mask on a finer (CT-like) grid is resampled to the PET grid", async () => {
    // 1 mm grid, 64³, same field of view; label 1 = centres within 12 mm of (10,0,0)
    const n = 64;
    const data = new Uint8Array(n * n * n);
    const o = -31.5;
    for (let k = 0; k < n; k++)
      for (let j = 0; j < n; j++)
        for (let i = 0; i < n; i++)
          if (Math.hypot(o + i - 10, o + j, o + k) <= 12) data[i + n * (j + n * k)] = 1;
    await writeNiftiLabelMap(join(dir, "ct-mask.nii.gz"), {
      data,
      dims: [n, n, n],
      spacingMm: [1, 1, 1],
      originMm: [o, o, o],
      direction: identityDirection(),
      labels: new Map([[1, "tumour"]]),
    });
    const r = await quantifyStudy({
      study: petPath,
      tumor: "mask:ct-mask.nii.gz:1",
      reference: REFERENCE_SPEC,
      baseDir: dir,
    });
    // partial-voxel coverage of the 2 mm PET voxels by the 1 mm mask: volume within 2 % of 4/3·π·12³
    expectClose(r.result.tumor.volumeMl, ((4 / 3) * Math.PI * 12 ** 3) / 1000, { rel: 0.02 }, "volume");
    expectClose(r.result.tmrMax, 4, { rel: 1e-6 }, "T/Mmax");
  });

  it("fails clearly: VOI outside the image, missing study, dynamic without window", async () => {
    await expectAtsmErrorAsync(
      () => quantifyStudy({ study: petPath, tumor: "sphere:500,0,0,5", reference: REFERENCE_SPEC }),
      { code: "EMPTY_VOI" },
    );
    await expectAtsmErrorAsync(
      () => quantifyStudy({ study: join(dir, "nope.nii.gz"), tumor: TUMOR_SPEC, reference: REFERENCE_SPEC }),
      { code: "NOT_FOUND", hint: /NIfTI|DICOM/ },
    );
    await expectAtsmErrorAsync(
      () => quantifyStudy({ study: petPath, tumor: "sphere:1,2", reference: REFERENCE_SPEC }),
      {
        code: "INVALID_ARGUMENT",
      },
    );
  });
});
