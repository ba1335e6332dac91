/**
 * Our NIfTI writer checked by an independent reader: test/fixtures/make/nifti_fixtures.py wrote
 * volumes with `writeNifti` (grids stated in written.json) and recorded what nibabel reads back:
 * sform (img.affine), qform (header.get_qform(), i.e. our quaternion + qfac), codes, units and
 * voxels. Tolerance: affine 1e-4 mm (issue 2), voxels exact (float32 written, float64 read).
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { gridToAffineLps } from "../../../src/core/geometry.js";
import { readNifti } from "../../../src/io/nifti/index.js";
import { expectClose } from "../../helpers/close.js";

const DIR = join(__dirname, "../../fixtures/data/nifti");
interface Written {
  dims: [number, number, number];
  spacingMm: [number, number, number];
  originMm: [number, number, number];
  direction: number[];
  sformCode: number;
  qformCode: number;
  sformRas: number[][];
  qformRas: number[][];
  shape: number[];
  values: number[];
  xyztUnits: string[];
  description: string;
}
const W = JSON.parse(readFileSync(join(DIR, "written.json"), "utf8")) as {
  nibabel: string;
  files: Record<string, Written>;
};

describe(`NIfTI files written by us, read by nibabel ${W.nibabel}`, () => {
  for (const [name, w] of Object.entries(W.files)) {
    it(`${name}: nibabel's sform and qform match the grid to 1e-4 mm; voxels exact`, async () => {
      const grid = {
        dims: w.dims,
        spacingMm: w.spacingMm,
        originMm: w.originMm,
        direction: Float64Array.from(w.direction),
      };
      const lps = gridToAffineLps(grid);
      for (let r = 0; r < 3; r++) {
        for (let c = 0; c < 4; c++) {
          const ras = (r < 2 ? -1 : 1) * lps[4 * r + c]!; // LPS → RAS: negate x and y rows
          expectClose(w.sformRas[r]![c]!, ras, { abs: 1e-4 }, `${name} sform[${r}][${c}]`);
          expectClose(w.qformRas[r]![c]!, ras, { abs: 1e-4 }, `${name} qform[${r}][${c}]`);
        }
      }
      expect(w.sformCode).toBe(1);
      expect(w.qformCode).toBe(1);
      expect(w.xyztUnits).toEqual(["mm", "sec"]);
      expect(w.description).toBe("atsm writer check");
      expect(w.shape).toEqual(w.dims);
      // Values written: i * 1.25 - 7 (float32), in our voxel order = nibabel's Fortran order.
      expect(w.values).toEqual(w.values.map((_, i) => Math.fround(i * 1.25 - 7)));
      // And our reader gets the exact grid back (float64 extension), 1e-9 mm.
      const [s] = await readNifti(join(DIR, "written", name));
      for (let c = 0; c < 3; c++) {
        expectClose(s!.volume.originMm[c]!, w.originMm[c]!, { abs: 1e-9 }, "origin");
        expectClose(s!.volume.spacingMm[c]!, w.spacingMm[c]!, { abs: 1e-9 }, "spacing");
      }
    });
  }
});
