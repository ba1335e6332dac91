import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { quantifyStudy } from "../../src/app/quantify/run.js";
import type { DynamicVolume } from "../../src/core/types.js";
import { writeNifti } from "../../src/io/nifti/index.js";
import { expectClose } from "../helpers/close.js";
import { expectAtsmErrorAsync } from "../helpers/errors.js";
import { analyticPet, CORE_BQML, REFERENCE_SPEC, TUMOR_SPEC } from "./study-fixture.js";

let petPath: string;

/** Three frames 0–30, 30–45, 45–60 min; frame f = (f+1) × the analytic phantom, decay-corrected to injection. */
beforeAll(async () => {
  const dir = mkdtempSync(join(tmpdir(), "atsm-dyn-"));
  const { volume } = analyticPet();
  const n = volume.data.length;
  const data = new Float32Array(3 * n);
  for (let f = 0; f < 3; f++) for (let p = 0; p < n; p++) data[f * n + p] = volume.data[p]! * (f + 1);
  const dyn: DynamicVolume = {
    ...volume,
    data,
    frameStartS: new Float64Array([0, 1800, 2700]),
    frameDurationS: new Float64Array([1800, 900, 900]),
    decayCorrectedToS: 0,
  };
  petPath = join(dir, "dyn.nii.gz");
  await writeNifti(petPath, dyn, {
    bidsSidecar: {
      Modality: "PT",
      TracerName: "Cu-64 ATSM",
      TracerRadionuclide: "Cu64",
      InjectedRadioactivity: 350,
      InjectedRadioactivityUnits: "MBq",
      BodyWeight: 70,
      TimeZero: "10:00:00",
      ScanDate: "2024-05-14",
      InjectionStart: 0,
      ScanStart: 0,
      AttenuationCorrection: "CT-based",
    },
  });
});

describe("dynamic PET: --window sums the uptake window", () => {
  it("30m-60m averages frames 2 and 3 by duration: (2·900 + 3·900)/1800 = 2.5 × the phantom", async () => {
    const { result } = await quantifyStudy({
      study: petPath,
      tumor: TUMOR_SPEC,
      reference: REFERENCE_SPEC,
      window: "30m-60m",
      cutoff: "cervix",
    });
    expectClose(result.tmrMax, 4, { rel: 1e-6 }, "T/Mmax (unit-free, frame scaling cancels)");
    expectClose(result.tumor.nativeMax, 2.5 * CORE_BQML, { rel: 1e-6 }, "summed core Bq/mL");
    expect(result.study.uptakeStartMin).toBe(30);
    expect(result.study.uptakeEndMin).toBe(60);
    expect(result.study.frames).toMatch(/frames 2-3/);
    // window matches the WashU 30–60 min convention: no window warning, only the nuclide one
    expect(result.prognosis?.warnings.some((w) => /window/.test(w))).toBe(false);
  });

  it("without --window a dynamic PET is a clear error", async () => {
    await expectAtsmErrorAsync(
      () => quantifyStudy({ study: petPath, tumor: TUMOR_SPEC, reference: REFERENCE_SPEC }),
      {
        code: "MISSING_INPUT",
        hint: /--window/,
      },
    );
  });
});
