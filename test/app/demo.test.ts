import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { defaultCutoffFor, defaultNuclideFor, runDemo, smallPreset } from "../../src/app/demo/index.js";
import { getStudyPreset, STUDY_PRESETS } from "../../src/sim/phantom/index.js";
import { cli } from "../helpers/cli.js";
import { expectClose } from "../helpers/close.js";

describe("demo settings per twin preset", () => {
  it("patients get their site's cutoff and 60Cu (the WashU series' nuclide); mice T/M 2 and 64Cu", () => {
    expect(defaultCutoffFor(getStudyPreset("patient-cervix-hypoxic"))).toBe("cervix");
    expect(defaultCutoffFor(getStudyPreset("patient-rectum-normoxic"))).toBe("rectum");
    expect(defaultCutoffFor(getStudyPreset("patient-nsclc-hypoxic"))).toBe("nsclc");
    expect(defaultCutoffFor(getStudyPreset("mouse-fadu"))).toBe("2");
    expect(defaultNuclideFor(getStudyPreset("patient-cervix-hypoxic"))).toBe("Cu-60");
    expect(defaultNuclideFor(getStudyPreset("mouse-h727"))).toBe("Cu-64");
  });

  it("the small field of view keeps the voxels and holds the body, the tumour and muscle", () => {
    for (const p of Object.values(STUDY_PRESETS)) {
      const s = smallPreset(p);
      expect(s.spacingMm).toEqual(p.spacingMm);
      expect(s.truthFactor).toBe(p.truthFactor);
      // Half-extent of the (centred) field of view per axis, mm.
      const half = s.dims.map((n, a) => (n * s.spacingMm[a]!) / 2);
      for (let a = 0; a < 3; a++) {
        const c = p.tumourCentreMm[a]!;
        expect(Math.abs(c) + p.tumourRadiusMm, `${p.name} tumour axis ${a}`).toBeLessThanOrEqual(half[a]!);
        expect(Math.abs(p.muscle.centreMm[a]!), `${p.name} muscle centre axis ${a}`).toBeLessThan(half[a]!);
      }
      expect(p.body.semiAxesMm[0]).toBeLessThanOrEqual(half[0]!);
      expect(p.body.semiAxesMm[1]).toBeLessThanOrEqual(half[1]!);
    }
  });
});

describe("runDemo on the twin", () => {
  it("noise-free normoxic study: NON-hypoxic, and quantify from DICOM matches the in-memory noise-free read-out", async () => {
    const dir = mkdtempSync(join(tmpdir(), "atsm-demo-app-"));
    const d = await runDemo(dir, { preset: "patient-cervix-normoxic", small: true, noiseFree: true });
    expect(d.study.kind).toBe("twin");
    // docs/twin-oxygen.md §5: the normoxic cervix preset's true T/M 2.95 lies below the 3.5 cutoff.
    expect(d.result.prognosis?.class).toBe("non-hypoxic");
    const c = d.comparison;
    expect(c).not.toBeNull();
    if (c === null) return;
    expect(c.cutoffTm).toBe(3.5);
    // measured (DICOM, int16 with a per-slice rescale slope) vs the same image in memory: equal to
    // the quantisation, ≤ 1/32767 of the slice maximum (the tumour is ≤ ~3× the background).
    for (const row of c.rows) expectClose(row.measured, row.noiseFree, { rel: 5e-4, abs: 1e-6 }, row.key);
    expect(d.files[0]).toBe(join(dir, "report.html"));
    expect(d.files).toContain(join(dir, "truth-comparison.json"));
    // Patient presets carry a height (PatientSize 1.7 m), so SUL and SUVbsa are defined; the demo
    // used to warn that they were not.
    const suv = await cli(["suv", d.study.studyDir, "--json"]);
    expect(suv.code).toBe(0);
    const j = JSON.parse(suv.stdout) as {
      suvLbmJanmaScaleFactor: number | null;
      suvBsaScaleFactor: number | null;
    };
    expect(j.suvLbmJanmaScaleFactor).toBeGreaterThan(0);
    expect(j.suvBsaScaleFactor).toBeGreaterThan(0);
  });
});
