/**
 * DICOM writer: encoder vectors, round trips through our reader, and (when installed) pydicom
 * read-back and dciodvfy (dicom3tools) validation.
 */
import { execFileSync, spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { gridToAffineLps } from "../../../src/core/geometry.js";
import type { DynamicVolume, Volume } from "../../../src/core/types.js";
import { el, encodeElements, formatDS } from "../../../src/io/dicom/encode.js";
import { readDicom } from "../../../src/io/dicom/read.js";
import { isValidUid, newUid, uidFromSeed } from "../../../src/io/dicom/uid.js";
import { writeDicomSeries } from "../../../src/io/dicom/write.js";
import { writtenFixture } from "../../fixtures/make/dicom_written.js";
import { expectClose } from "../../helpers/close.js";
import { expectAtsmErrorAsync } from "../../helpers/errors.js";

const TMP = mkdtempSync(join(tmpdir(), "atsm-dicom-write-"));
afterAll(() => rmSync(TMP, { recursive: true, force: true }));

const PY = "/usr/bin/python3";
const MAKE = resolve(import.meta.dirname, "../../fixtures/make/dicom_make.py");
const hasPydicom = existsSync(PY) && spawnSync(PY, ["-c", "import pydicom, numpy"]).status === 0;
const hasDciodvfy = spawnSync("dciodvfy", ["-"], { stdio: "ignore" }).error === undefined;

/** An oblique grid: 0.3 rad about y, then the right-handed normal. */
function obliqueVolume(unit: string, fill: (i: number) => number): Volume {
  const [nx, ny, nz] = [8, 6, 5];
  const c = Math.cos(0.3);
  const s = Math.sin(0.3);
  const data = new Float32Array(nx * ny * nz);
  for (let i = 0; i < data.length; i++) data[i] = fill(i);
  return {
    data,
    dims: [nx, ny, nz],
    spacingMm: [2, 2.5, 3.25],
    originMm: [-10.5, 5.25, 20],
    direction: new Float64Array([c, 0, s, 0, 1, 0, -s, 0, c]),
    unit,
  };
}

const PET = {
  nuclide: "Cu-64",
  halfLifeS: 45720, // Cu-64 T½ 12.70 h (NNDC), s
  injectedActivityBq: 3.7e8,
  injectionDateTimeMs: Date.UTC(2025, 2, 1, 9, 0, 0),
  seriesDateTimeMs: Date.UTC(2025, 2, 1, 10, 0, 0),
  frameDurationS: 600,
} as const;

function maxAbsPerSlice(v: Volume, k: number): number {
  const n = v.dims[0] * v.dims[1];
  let m = 0;
  for (let i = k * n; i < (k + 1) * n; i++) m = Math.max(m, Math.abs(v.data[i]!));
  return m;
}

describe("encoder", () => {
  it("formats DS within 16 characters (PS3.5 Table 6.2-1)", () => {
    expect(formatDS(370000000)).toBe("370000000");
    expect(formatDS(0.1)).toBe("0.1");
    expect(formatDS(-0.955336489125606)).toBe("-0.9553364891256");
    expect(formatDS(1.234e-20)).toBe("1.234e-20");
    for (const x of [Math.PI, -1e-7 / 3, 123456789.12345679, 2 / 3]) {
      const s = formatDS(x);
      expect(s.length).toBeLessThanOrEqual(16);
      // 16 characters keep ≥ 11 significant digits even with sign and exponent ("-3.3333333333e-8")
      expectClose(Number(s), x, { rel: 1e-10 }, `DS(${x})`);
    }
  });

  it("encodes explicit VR LE headers: short and long forms, even padding", () => {
    // (0008,0060) CS "PT": 08 00 60 00 'C' 'S' 02 00 'P' 'T'
    expect([...encodeElements([el(0x0008, 0x0060, "CS", "PT")])]).toEqual([
      8, 0, 0x60, 0, 67, 83, 2, 0, 80, 84,
    ]);
    // UI padded with NUL to even length: "1.2.3" -> "1.2.3\0"
    const ui = encodeElements([el(0x0020, 0x000d, "UI", "1.2.3")]);
    expect(ui.length).toBe(8 + 6);
    expect(ui[13]).toBe(0);
    // OW: 2 reserved bytes + 4-byte length
    const ow = encodeElements([el(0x7fe0, 0x0010, "OW", new Uint8Array([1, 2]))]);
    expect([...ow.subarray(4, 12)]).toEqual([79, 87, 0, 0, 2, 0, 0, 0]);
  });

  it("makes valid 2.25 UIDs, stable from a seed", () => {
    expect(isValidUid(newUid())).toBe(true);
    expect(uidFromSeed("a")).toBe(uidFromSeed("a"));
    expect(uidFromSeed("a")).not.toBe(uidFromSeed("b"));
    expect(isValidUid("1.02.3")).toBe(false);
  });
});

describe("writeDicomSeries round trip through readDicom", () => {
  it("oblique PET in Bq/mL: geometry to 1e-9 mm, voxels within slope/2, PET header", async () => {
    const vol = obliqueVolume("Bq/mL", (i) => 1000 + 37.5 * i - (i % 7) * 11);
    const dir = join(TMP, "pet");
    const w = await writeDicomSeries(dir, vol, {
      modality: "PT",
      pet: PET,
      patient: { weightKg: 71.5, heightM: 1.72, sex: "M" },
      seriesDescription: "twin PET",
    });
    expect(w.files).toHaveLength(5);
    const [s] = await readDicom(dir);
    const back = s!.volume;
    expect(back.dims).toEqual(vol.dims);
    expect(back.unit).toBe("Bq/mL");
    const a = gridToAffineLps(back);
    const e = gridToAffineLps(vol);
    for (let i = 0; i < 16; i++) expectClose(a[i]!, e[i]!, { abs: 1e-9 }, `affine[${i}]`);
    for (let k = 0; k < 5; k++) {
      const halfSlope = maxAbsPerSlice(vol, k) / 32767 / 2;
      for (let i = k * 48; i < (k + 1) * 48; i++) {
        expectClose(back.data[i]!, vol.data[i]!, { abs: halfSlope * 1.001 }, `voxel ${i}`);
      }
    }
    const p = s!.petInstances[0]!;
    expect(p.Units).toBe("BQML");
    expect(p.DecayCorrection).toBe("START");
    expect(p.CorrectedImage).toEqual(["DECY", "ATTN"]);
    expect(p.RadionuclideTotalDose).toBe(3.7e8);
    expect(p.RadionuclideHalfLife).toBe(45720);
    expect(p.RadionuclideCodeMeaning).toBe("^64^Copper");
    expect(p.RadiopharmaceuticalStartDateTimeMs).toBe(PET.injectionDateTimeMs);
    expect(p.SeriesDateTimeMs).toBe(PET.seriesDateTimeMs);
    expect(p.ActualFrameDuration).toBe(600_000);
    expect(p.PatientWeight).toBe(71.5);
    expect(p.PatientSize).toBe(1.72);
    expect(s!.seriesDescription).toBe("twin PET");
  });

  it("SUVbw volume is written with Units GML and read back as SUVbw", async () => {
    const vol = obliqueVolume("SUVbw", (i) => (i % 13) * 0.25);
    const dir = join(TMP, "suv");
    await writeDicomSeries(dir, vol, { modality: "PT", pet: PET });
    const [s] = await readDicom(dir);
    expect(s!.volume.unit).toBe("SUVbw");
    expect(s!.petInstances[0]!.Units).toBe("GML");
  });

  it("CT in integer HU is exact (slope 1)", async () => {
    const vol = obliqueVolume("HU", (i) => -1000 + ((i * 97) % 2500));
    const dir = join(TMP, "ct");
    await writeDicomSeries(dir, vol, { modality: "CT" });
    const [s] = await readDicom(dir);
    expect(s!.modality).toBe("CT");
    expect(s!.volume.unit).toBe("HU");
    expect([...s!.volume.data]).toEqual([...vol.data]);
  });

  it("dynamic PET keeps frame times (relative to injection) and decay-correction reference", async () => {
    const base = obliqueVolume("Bq/mL", () => 0);
    const n = 8 * 6 * 5;
    const data = new Float32Array(n * 3);
    for (let i = 0; i < data.length; i++) data[i] = 100 + Math.floor(i / n) * 1000 + (i % n);
    const dyn: DynamicVolume = {
      ...base,
      data,
      frameStartS: new Float64Array([3600, 3660, 3780]),
      frameDurationS: new Float64Array([60, 120, 300]),
      decayCorrectedToS: 0,
    };
    const dir = join(TMP, "dyn");
    // no decayCorrection option: inferred ADMIN from decayCorrectedToS = 0 (the injection)
    await writeDicomSeries(dir, dyn, { modality: "PT", pet: PET });
    const [s] = await readDicom(dir);
    const d = s!.dynamic!;
    expect([...d.frameStartS]).toEqual([3600, 3660, 3780]);
    expect([...d.frameDurationS]).toEqual([60, 120, 300]);
    expect(d.decayCorrectedToS).toBe(0);
    // quantisation: |error| ≤ slope/2 = max|slice|/32767/2 (write.ts); slice max = first voxel + 47
    for (let i = 0; i < data.length; i += 37) {
      const sliceMax = data[Math.floor(i / 48) * 48 + 47]!;
      expectClose(d.data[i]!, data[i]!, { abs: (sliceMax / 32767 / 2) * 1.001 }, `voxel ${i}`);
    }
  });

  it("rejects NaN voxels, bad spacing and a missing PET block with AtsmError", async () => {
    const nan = obliqueVolume("Bq/mL", (i) => (i === 7 ? Number.NaN : 1));
    await expectAtsmErrorAsync(() => writeDicomSeries(join(TMP, "bad1"), nan, { modality: "PT", pet: PET }), {
      code: "INVALID_ARGUMENT",
      message: /not finite/,
    });
    const zero = { ...obliqueVolume("Bq/mL", () => 1), spacingMm: [2, 0, 3] as const };
    await expectAtsmErrorAsync(
      () => writeDicomSeries(join(TMP, "bad2"), zero, { modality: "PT", pet: PET }),
      {
        message: /spacing/,
      },
    );
    await expectAtsmErrorAsync(
      () =>
        writeDicomSeries(
          join(TMP, "bad3"),
          obliqueVolume("Bq/mL", () => 1),
          { modality: "PT" },
        ),
      { message: /pet options/ },
    );
  });
});

describe("committed writer fixture (written_pet, checked against pydicom in reference.json)", () => {
  it("the writer still produces the committed bytes", async () => {
    const committed = resolve(import.meta.dirname, "../../fixtures/data/dicom/written_pet");
    const { volume, options } = writtenFixture();
    const dir = join(TMP, "written_pet");
    await writeDicomSeries(dir, volume, options);
    const names = readdirSync(committed).sort();
    expect(readdirSync(dir).sort()).toEqual(names);
    for (const f of names) {
      expect(Buffer.compare(readFileSync(join(dir, f)), readFileSync(join(committed, f))), f).toBe(0);
    }
  });
});

describe.runIf(hasPydicom)("pydicom reads our series identically", () => {
  it("oblique PET: pydicom's affine and values equal ours (1e-4 mm, 1e-5 rel)", async () => {
    const vol = obliqueVolume("Bq/mL", (i) => 500 + 13.25 * i);
    const dir = join(TMP, "pyd");
    await writeDicomSeries(dir, vol, { modality: "PT", pet: PET });
    const ref = JSON.parse(execFileSync(PY, [MAKE, "--readback", dir], { encoding: "utf8" })) as {
      affineLps: number[];
      values: number[];
    };
    const [s] = await readDicom(dir);
    const a = gridToAffineLps(s!.volume);
    for (let i = 0; i < 16; i++) expectClose(a[i]!, ref.affineLps[i]!, { abs: 1e-4 }, `affine[${i}]`);
    for (let i = 0; i < ref.values.length; i++) {
      expectClose(s!.volume.data[i]!, ref.values[i]!, { rel: 1e-5, abs: 1e-6 }, `voxel ${i}`);
    }
  });
});

describe.runIf(hasDciodvfy)("dciodvfy (dicom3tools) finds no errors", () => {
  it.each(["pet", "ct", "dyn", "suv"])("%s series", async (name) => {
    const file = join(TMP, name, `${name === "ct" ? "CT" : "PT"}000001.dcm`);
    if (!existsSync(file)) return; // written by the round-trip tests above
    const r = spawnSync("dciodvfy", [file], { encoding: "utf8" });
    const errors = `${r.stdout}${r.stderr}`.split("\n").filter((l) => l.startsWith("Error"));
    expect(errors).toEqual([]);
  });
});
