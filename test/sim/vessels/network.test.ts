/** Random vessel networks: determinism, achieved density, pO2 range, given masks. */
import { describe, expect, it } from "vitest";
import { generateVesselNetwork, vesselMapFromMask } from "../../../src/sim/vessels/index.js";
import { expectClose } from "../../helpers/close.js";
import { expectAtsmError } from "../../helpers/errors.js";

describe("generateVesselNetwork", () => {
  const base = {
    dims: [48, 40, 32] as const,
    spacingUm: [10, 10, 10] as const,
    lengthDensityMmPerMm3: 150,
    seed: 5,
  };

  it("is deterministic for a seed and differs between seeds", () => {
    const a = generateVesselNetwork(base);
    const b = generateVesselNetwork(base);
    const c = generateVesselNetwork({ ...base, seed: 6 });
    expect(Buffer.from(a.mask).equals(Buffer.from(b.mask))).toBe(true);
    expect(Buffer.from(a.po2MmHg.buffer).equals(Buffer.from(b.po2MmHg.buffer))).toBe(true);
    expect(Buffer.from(a.mask).equals(Buffer.from(c.mask))).toBe(false);
  });

  it("reaches the requested length density (3-D straight and curved)", () => {
    for (const shape of ["straight", "curved"] as const) {
      const v = generateVesselNetwork({ ...base, shape });
      // Tubes are added until Lv is reached; the last tube overshoots by < one box diagonal
      // (0.72 mm of 0.0614 mm³ · 150 = 9.2 mm), so within +8 %.
      expect(v.lengthDensityMmPerMm3).toBeGreaterThanOrEqual(150);
      expect(v.lengthDensityMmPerMm3).toBeLessThan(150 * 1.08);
      // Vessel volume fraction ≈ Lv · π r² = 150 mm⁻² · π (0.005 mm)² = 1.2 %; voxelised thin
      // tubes (radius half a voxel) mark more: accept 0.5–5 %.
      expect(v.vesselVolumeFraction).toBeGreaterThan(0.005);
      expect(v.vesselVolumeFraction).toBeLessThan(0.05);
    }
  });

  it("2-D section: Lv·area discs with pO2 in [1, 150] mmHg", () => {
    const v = generateVesselNetwork({
      dims: [100, 100, 1],
      spacingUm: [5, 5, 5],
      lengthDensityMmPerMm3: 400,
      meanPo2MmHg: 40,
      sdPo2MmHg: 60,
      seed: 2,
    });
    // Area 0.25 mm² × 400 /mm² = 100 discs.
    expect(v.vesselCount).toBe(100);
    expectClose(v.lengthDensityMmPerMm3, 400, { rel: 1e-12 }, "areal density");
    for (let u = 0; u < v.mask.length; u++) {
      if (v.mask[u] === 0) continue;
      expect(v.po2MmHg[u]).toBeGreaterThanOrEqual(1);
      expect(v.po2MmHg[u]).toBeLessThanOrEqual(150);
    }
  });

  it("rejects a non-positive density; wraps a given mask", () => {
    expectAtsmError(() => generateVesselNetwork({ ...base, lengthDensityMmPerMm3: 0 }), {
      code: "INVALID_ARGUMENT",
      message: /length density/,
    });
    const m = vesselMapFromMask([2, 2, 1], [10, 10, 10], new Uint8Array([1, 0, 0, 1]), 30);
    expect(Array.from(m.po2MmHg)).toEqual([30, 0, 0, 30]);
    expectClose(m.vesselVolumeFraction, 0.5, { abs: 1e-12 }, "fraction");
    expectAtsmError(() => vesselMapFromMask([2, 2, 1], [10, 10, 10], new Uint8Array(3), 30), {
      code: "INCONSISTENT",
    });
  });
});
