/**
 * Write → read round trips (STYLE.md §9c): geometry to 1e-9 mm and values bit-exact, for axial,
 * oblique, left-handed and dynamic volumes and for uint8 label maps.
 */
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import type { DynamicVolume, Grid, Mask, Volume } from "../../../src/core/types.js";
import {
  decodeNifti,
  encodeNifti,
  readNifti,
  writeNifti,
  writeNiftiLabelMap,
} from "../../../src/io/nifti/index.js";
import { expectClose } from "../../helpers/close.js";

const TMP = mkdtempSync(join(tmpdir(), "atsm-nifti-"));

function rotZX(az: number, ax: number): Float64Array {
  const cz = Math.cos(az),
    sz = Math.sin(az),
    cx = Math.cos(ax),
    sx = Math.sin(ax);
  // Rz · Rx (row-major); columns are unit, orthogonal.
  return new Float64Array([cz, -sz * cx, sz * sx, sz, cz * cx, -cz * sx, 0, sx, cx]);
}

function volume(direction: Float64Array, n = [5, 4, 3] as const): Volume {
  const data = new Float32Array(n[0] * n[1] * n[2]);
  for (let i = 0; i < data.length; i++) data[i] = Math.fround(Math.sin(i) * 1234.5678 + i / 7);
  return {
    data,
    dims: n,
    spacingMm: [0.976562, 1.3333333333, 3.27],
    originMm: [-123.456789012, 87.654321098, -45.678901234],
    direction,
    unit: "Bq/mL",
  };
}

/** Geometry equality to 1e-9 mm at every corner voxel centre, plus spacing and direction. */
function verifyGrid(a: Grid, b: Grid, what: string): void {
  expect([...b.dims]).toEqual([...a.dims]);
  for (let c = 0; c < 3; c++) {
    expectClose(b.spacingMm[c]!, a.spacingMm[c]!, { abs: 1e-9 }, `${what} spacing ${c}`);
    expectClose(b.originMm[c]!, a.originMm[c]!, { abs: 1e-9 }, `${what} origin ${c}`);
  }
  for (let i = 0; i < 9; i++)
    expectClose(b.direction[i]!, a.direction[i]!, { abs: 1e-12 }, `${what} dir ${i}`);
}

describe("NIfTI write → read round trip", () => {
  const cases: Array<[string, Float64Array]> = [
    ["axial", new Float64Array([1, 0, 0, 0, 1, 0, 0, 0, 1])],
    ["oblique", rotZX(0.3, -0.2)],
    ["left-handed (k flipped)", new Float64Array([1, 0, 0, 0, 1, 0, 0, 0, -1])],
    ["sagittal", new Float64Array([0, 0, 1, 1, 0, 0, 0, -1, 0])],
  ];
  for (const [name, dir] of cases) {
    for (const ext of [".nii", ".nii.gz"]) {
      it(`${name} ${ext}: geometry to 1e-9 mm, values exact`, async () => {
        const v = volume(dir);
        const path = join(TMP, `${name.replace(/\W+/g, "_")}${ext}`);
        await writeNifti(path, v, { description: `round trip ${name}` });
        const [s] = await readNifti(path);
        verifyGrid(v, s!.volume, name);
        expect(s!.volume.data).toEqual(v.data);
        expect(s!.volume.unit).toBe("Bq/mL");
        expect(s!.seriesDescription).toBe(`round trip ${name}`);
        expect(s!.warnings).toEqual([]);
      });
    }
  }

  it("without our float64 extension, the float32 sform alone keeps geometry to 1e-4 mm", () => {
    const v = volume(rotZX(0.7, 0.4));
    const bytes = encodeNifti(v);
    // Another tool rewriting the sform invalidates our extension: perturb srow_x[3] by one ulp
    // of float32 and check we fall back to the stored (float32) sform.
    const dv = new DataView(bytes.buffer);
    const x = dv.getFloat32(292, true);
    dv.setFloat32(292, x + 1e-3, true);
    const d = decodeNifti(bytes, "edited.nii");
    expectClose(d.volume.originMm[0], -(x + 1e-3), { abs: 1e-6 }, "origin x follows the edited sform");
    for (let c = 1; c < 3; c++)
      expectClose(d.volume.originMm[c]!, v.originMm[c]!, { abs: 1e-4 }, `origin ${c}`);
  });

  it("dynamic volume: 4-D data, frame timing and decay state via the BIDS sidecar", async () => {
    const v = volume(rotZX(0.1, 0.05));
    const n = v.data.length;
    const data = new Float32Array(3 * n);
    for (let i = 0; i < data.length; i++) data[i] = i * 0.5;
    const dyn: DynamicVolume = {
      ...v,
      data,
      frameStartS: new Float64Array([0, 30, 90]),
      frameDurationS: new Float64Array([30, 60, 120]),
      decayCorrectedToS: 0,
    };
    const path = join(TMP, "dyn.nii.gz");
    await writeNifti(path, dyn, {
      bidsSidecar: { TimeZero: "09:00:00", ScanStart: 0, InjectionStart: 0, TracerRadionuclide: "F18" },
    });
    const side = JSON.parse(readFileSync(join(TMP, "dyn.json"), "utf8")) as Record<string, unknown>;
    expect(side.FrameTimesStart).toEqual([0, 30, 90]);
    expect(side.ImageDecayCorrectionTime).toBe(0);
    const [s] = await readNifti(path);
    const d = s!.dynamic!;
    verifyGrid(v, d, "dynamic");
    expect(d.data).toEqual(data);
    expect(Array.from(d.frameStartS)).toEqual([0, 30, 90]);
    expect(Array.from(d.frameDurationS)).toEqual([30, 60, 120]);
    expect(d.decayCorrectedToS).toBe(0);
    expect(s!.volume.data).toEqual(data.subarray(0, n));
    expect(s!.petInstances[0]!.DecayCorrection).toBe("START");
    expect(s!.warnings.some((w) => /1970-01-01/.test(w))).toBe(true);
  });

  it("label map: uint8 values and grid kept", async () => {
    const v = volume(rotZX(-0.4, 0.2));
    const data = new Uint8Array(v.data.length);
    for (let i = 0; i < data.length; i++) data[i] = i % 3;
    const mask: Mask = {
      ...v,
      data,
      labels: new Map([
        [1, "tumour"],
        [2, "muscle"],
      ]),
    };
    const path = join(TMP, "labels.nii.gz");
    await writeNiftiLabelMap(path, mask);
    const [s] = await readNifti(path);
    verifyGrid(v, s!.volume, "labels");
    expect(Array.from(s!.volume.data)).toEqual(Array.from(data));
    expect(s!.modality).toBe("SEG");
  });

  it("reads a .hdr/.img pair (magic ni1) from either path", async () => {
    const v = volume(rotZX(0.2, 0.1));
    const b = encodeNifti(v);
    const dv = new DataView(b.buffer);
    const voxOffset = dv.getFloat32(108, true);
    const hdr = new Uint8Array(b.subarray(0, voxOffset));
    hdr.set([0x6e, 0x69, 0x31, 0], 344); // "ni1"
    new DataView(hdr.buffer).setFloat32(108, 0, true); // data at byte 0 of the .img
    writeFileSync(join(TMP, "pair.hdr"), hdr);
    writeFileSync(join(TMP, "pair.img"), b.subarray(voxOffset));
    for (const p of ["pair.hdr", "pair.img"]) {
      const [s] = await readNifti(join(TMP, p));
      verifyGrid(v, s!.volume, p);
      expect(s!.volume.data).toEqual(v.data);
    }
  });

  it("rejects output names without .nii / .nii.gz", async () => {
    await expect(writeNifti(join(TMP, "x.img"), volume(rotZX(0, 0)))).rejects.toThrow(/must end in \.nii/);
  });
});
