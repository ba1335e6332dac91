/**
 * Independent-reader check (STYLE.md §9d): fixtures written by nibabel
 * (test/fixtures/make/nifti_fixtures.py) and the affine/voxels nibabel itself reads back
 * (expected.json, nibabel version recorded there). Tolerances from issue 2: affine 1e-4 mm,
 * voxels 1e-5 relative.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { gridToAffineLps } from "../../../src/core/geometry.js";
import { readNifti } from "../../../src/io/nifti/index.js";
import { expectClose } from "../../helpers/close.js";

const DIR = join(__dirname, "../../fixtures/data/nifti");
interface Expected {
  nibabel: string;
  files: Record<
    string,
    {
      affineRas: number[][];
      source: string;
      shape: number[];
      values: number[];
      sidecar?: Record<string, unknown>;
    }
  >;
}
const EXPECTED = JSON.parse(readFileSync(join(DIR, "expected.json"), "utf8")) as Expected;

/** Our LPS grid as a RAS 4×4 (negate x and y rows), for comparison with nibabel's img.affine. */
function rasOf(grid: Parameters<typeof gridToAffineLps>[0]): number[][] {
  const a = gridToAffineLps(grid);
  return [0, 1, 2, 3].map((r) => [0, 1, 2, 3].map((c) => (r < 2 ? -1 : 1) * a[4 * r + c]! + 0));
}

describe(`NIfTI fixtures vs nibabel ${EXPECTED.nibabel}`, () => {
  for (const [name, exp] of Object.entries(EXPECTED.files)) {
    it(`${name}: affine (${exp.source}) to 1e-4 mm and voxels to 1e-5 relative`, async () => {
      const [s] = await readNifti(join(DIR, name));
      expect(s).toBeDefined();
      const series = s!;
      const ras = rasOf(series.volume);
      for (let r = 0; r < 4; r++) {
        for (let c = 0; c < 4; c++) {
          expectClose(ras[r]![c]!, exp.affineRas[r]![c]!, { abs: 1e-4 }, `${name} affine[${r}][${c}]`);
        }
      }
      expect([...series.volume.dims]).toEqual(exp.shape.slice(0, 3));
      const data = series.dynamic ? series.dynamic.data : series.volume.data;
      expect(data.length).toBe(exp.values.length);
      // The sidecar of dyn4d says Units kBq/mL: we convert to Bq/mL (× 1000).
      const factor = exp.sidecar?.Units === "kBq/mL" ? 1000 : 1;
      for (let i = 0; i < data.length; i++) {
        expectClose(data[i]!, exp.values[i]! * factor, { rel: 1e-5, abs: 1e-6 }, `${name} voxel ${i}`);
      }
      // Spacing is positive and the direction columns are unit vectors.
      for (let c = 0; c < 3; c++) {
        expect(series.volume.spacingMm[c]).toBeGreaterThan(0);
        const d = series.volume.direction;
        expectClose(Math.hypot(d[c]!, d[3 + c]!, d[6 + c]!), 1, { abs: 1e-12 }, `${name} |dir col ${c}|`);
      }
    });
  }

  it("dyn4d: BIDS-PET sidecar gives frame timing, decay state and SUV metadata", async () => {
    const [s] = await readNifti(join(DIR, "dyn4d.nii.gz"));
    const d = s!.dynamic!;
    // Sidecar values written by nifti_fixtures.py.
    expect(Array.from(d.frameStartS)).toEqual([0, 60, 180]);
    expect(Array.from(d.frameDurationS)).toEqual([60, 120, 300]);
    expect(d.decayCorrectedToS).toBe(0);
    expect(d.unit).toBe("Bq/mL");
    expect(s!.modality).toBe("PT");
    expect(s!.petInstances).toHaveLength(3);
    const p = s!.petInstances[0]!;
    expect(p.Units).toBe("BQML");
    expect(p.DecayCorrection).toBe("START");
    expect([...p.CorrectedImage].sort()).toEqual(["ATTN", "DECY"]);
    expect(p.RadionuclideTotalDose).toBe(370e6); // 370 MBq
    expect(p.RadionuclideHalfLife).toBe(12.7 * 3600); // Cu-64, physics table (12.70 h)
    expect(p.PatientWeight).toBe(72.5);
    // 2025-03-01 10:15:00 UTC (TimeZero) + ScanStart 0 s; injection 60 s earlier.
    expect(p.SeriesDateTimeMs).toBe(Date.UTC(2025, 2, 1, 10, 15, 0));
    expect(p.RadiopharmaceuticalStartDateTimeMs).toBe(Date.UTC(2025, 2, 1, 10, 14, 0));
    expect(s!.petInstances[2]!.FrameReferenceTime).toBe(180_000);
    expect(s!.petInstances[2]!.ActualFrameDuration).toBe(300_000);
    expect(s!.frameStartEpochMs).toEqual([0, 60, 180].map((t) => Date.UTC(2025, 2, 1, 10, 15, t)));
  });
});

describe("SUV from NIfTI + BIDS-PET sidecar (issue 2: SUV works on NIfTI too)", () => {
  it("dyn4d: SUVbw scale factor from the sidecar equals the hand-derived value", async () => {
    const { computeSuvScaleFactors } = await import("../../../src/quant/suv/compute.js");
    const [s] = await readNifti(join(DIR, "dyn4d.nii.gz"));
    const r = computeSuvScaleFactors(s!.petInstances);
    // Hand derivation (QIBA, decay correction START): injected 370 MBq at 10:14:00, scan start
    // 10:15:00 (TimeZero 10:15:00 + ScanStart 0 s), Cu-64 T½ = 12.70 h = 45 720 s (physics
    // table), weight 72.5 kg = 72 500 g.
    //   dose at scan start = 370e6 · 2^(−60/45720) Bq;  SUVbw factor = 72 500 g / that.
    const expected = 72_500 / (370e6 * 2 ** (-60 / 45_720));
    expect(r.decayCorrection).toBe("START");
    expectClose(r.suvBwScaleFactor, expected, { rel: 1e-9 }, "SUVbw scale factor (g/Bq)");
  });
});
