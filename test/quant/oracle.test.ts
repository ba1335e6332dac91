/**
 * Independent oracle: numpy/scipy SUVmax/mean/min/SD/peak, volume and hypoxic volume of a committed
 * fixture (oblique 20°, anisotropic 2 × 2.5 × 3 mm grid), written by
 * test/fixtures/make/quant_oracle.py (numpy 1.24.2, scipy 1.10.1 ndimage.correlate for the peak).
 * Tolerance 1e-5 relative.
 */
import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import { describe, expect, it } from "vitest";
import type { Volume } from "../../src/core/types.js";
import { hypoxicVolume } from "../../src/quant/hypoxic.js";
import { computeVoiMetrics } from "../../src/quant/metrics.js";
import { rasterizeVoi } from "../../src/quant/voi/resolve.js";
import { expectClose } from "../helpers/close.js";

const DIR = resolve(import.meta.dirname, "../fixtures/data/quant");
interface OracleVoi {
  spec: string;
  max: number;
  min: number;
  mean: number;
  sd: number;
  peak: number;
  volumeMl: number;
  voxelCount: number;
}
const doc = JSON.parse(readFileSync(resolve(DIR, "oracle.json"), "utf8")) as {
  dims: [number, number, number];
  spacingMm: [number, number, number];
  originMm: [number, number, number];
  direction: number[];
  unit: string;
  vois: OracleVoi[];
  hypoxia: {
    tumour: string;
    reference: string;
    referenceMean: number;
    cutoffTm: number;
    hypoxicVolumeMl: number;
  };
};
const bytes = readFileSync(resolve(DIR, "oracle_volume.f32"));
const volume: Volume = {
  data: new Float32Array(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength)),
  dims: doc.dims,
  spacingMm: doc.spacingMm,
  originMm: doc.originMm,
  direction: Float64Array.from(doc.direction),
  unit: doc.unit,
};
const TOL = { rel: 1e-5, abs: 1e-9 };

describe("numpy/scipy oracle", () => {
  it.each(doc.vois.map((v) => [v.spec, v] as const))("%s", (spec, o) => {
    const voi = rasterizeVoi(spec, { volume });
    const m = computeVoiMetrics(volume, voi);
    expect(m.voxelCount).toBe(o.voxelCount);
    expectClose(m.suvMax!, o.max, TOL, "SUVmax");
    expectClose(m.suvMin!, o.min, TOL, "SUVmin");
    expectClose(m.suvMean!, o.mean, TOL, "SUVmean");
    expectClose(m.suvSd!, o.sd, TOL, "SD");
    expectClose(m.suvPeak!, o.peak, TOL, "SUVpeak");
    expectClose(m.volumeMl, o.volumeMl, TOL, "volume mL");
  });
  it("hypoxic volume", () => {
    const h = doc.hypoxia;
    const ref = computeVoiMetrics(volume, rasterizeVoi(h.reference, { volume }), { skipPeak: true });
    expectClose(ref.native.mean, h.referenceMean, TOL, "reference mean");
    const r = hypoxicVolume(
      volume,
      rasterizeVoi(h.tumour, { volume }),
      { spec: h.reference, meanNative: ref.native.mean },
      {
        cutoffTm: h.cutoffTm,
      },
    );
    expectClose(r.hypoxicVolumeMl, h.hypoxicVolumeMl, TOL, "hypoxic volume mL");
  });
});
