import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { quantifyStudy } from "../../src/app/quantify/run.js";
import { expectClose } from "../helpers/close.js";
import { expectAtsmErrorAsync } from "../helpers/errors.js";
import { CORE_BQML, REFERENCE_SPEC, TUMOR_SPEC, writeDynamicAnalyticPet } from "./study-fixture.js";

let petPath: string;

/** Three frames 0–30, 30–45, 45–60 min; frame f = (f+1) × the analytic phantom, decay-corrected to injection. */
beforeAll(async () => {
  const dir = mkdtempSync(join(tmpdir(), "atsm-dyn-"));
  ({ petPath } = await writeDynamicAnalyticPet(dir));
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
