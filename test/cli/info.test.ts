/** `atsm info` on the committed DICOM fixtures (values from test/fixtures/make/dicom_make.py). */
import { resolve } from "node:path";
import { describe, expect, it } from "vitest";
import { cli } from "../helpers/cli.js";
import { expectClose } from "../helpers/close.js";

const DIR = resolve(import.meta.dirname, "../fixtures/data/dicom");

interface SeriesJson {
  modality: string;
  seriesDescription: string;
  dims: number[];
  spacingMm: number[];
  orientation: { plane: string; axes: string };
  unit: string;
  pet?: { injectedActivityMBq: number; injectionTime: string; nuclide: string };
  suv: { suvBwScaleFactor: number; decayCorrection: string };
}

describe("atsm info", () => {
  it("--json describes a static PET with SUV factors", async () => {
    const r = await cli(["info", `${DIR}/pet_axial`, "--json"]);
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout) as { series: SeriesJson[] };
    expect(out.series).toHaveLength(1);
    const s = out.series[0]!;
    expect(s.modality).toBe("PT");
    expect(s.dims).toEqual([8, 6, 5]);
    expect(s.spacingMm).toEqual([2, 2.5, 3]);
    expect(s.orientation).toEqual({ plane: "axial", axes: "LPS" });
    expect(s.unit).toBe("Bq/mL");
    expect(s.pet!.injectedActivityMBq).toBe(370);
    expect(s.pet!.injectionTime).toBe("2025-03-01T09:15:00Z");
    expect(s.pet!.nuclide).toBe("^64^Copper");
    // SUVbw factor = 72 500 g / (370e6 Bq · 2^(−2700 s / 45 720 s)) = 2.041332e-4 g/mL per Bq/mL (hand calc)
    expectClose(s.suv.suvBwScaleFactor, 72500 / (370e6 * 2 ** (-2700 / 45720)), { rel: 1e-9 }, "suvBw");
    expect(s.suv.decayCorrection).toBe("START");
  });

  it("names the plane of sagittal, coronal and oblique series", async () => {
    const r = await cli(["info", DIR, "--json"]);
    expect(r.code).toBe(0);
    const planes = Object.fromEntries(
      (JSON.parse(r.stdout).series as SeriesJson[]).map((s) => [s.seriesDescription, s.orientation.plane]),
    );
    expect(planes).toMatchObject({
      pet_axial: "axial",
      pet_sagittal: "sagittal",
      pet_coronal: "coronal",
      ct_oblique: "oblique",
    });
  });

  it("lists frames of a dynamic PET in text mode", async () => {
    const r = await cli(["info", `${DIR}/pet_dynamic`]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/frames\s+3: starts 2700, 2760, 2820 s after injection, durations 60, 60, 60 s/);
    expect(r.stdout).toMatch(/injected\s+370 MBq at 2025-03-01T09:15:00Z/);
  });

  it("a CT has no PET block; a missing path exits 2 with a hint", async () => {
    const ct = await cli(["info", `${DIR}/ct_axial`, "--json"]);
    expect(JSON.parse(ct.stdout).series[0].pet).toBeUndefined();
    const bad = await cli(["info", `${DIR}/nope`]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/no such file or folder/);
  });

  it("--help", async () => {
    const r = await cli(["info", "--help"]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/usage: atsm info/);
  });
});
