/**
 * Synthetic study core: mass balance, determinism, tumour oxygenation shells, truth summary.
 * Uses a coarser mouse grid (1.2 mm scanner voxels) to stay fast; the physics is the same.
 */
import { describe, expect, it } from "vitest";
import { getNuclide } from "../../../src/physics/nuclides.js";
import {
  buildPhantomStudy,
  excretedFraction,
  getStudyPreset,
  type StudyPreset,
} from "../../../src/sim/phantom/index.js";
import { expectClose } from "../../helpers/close.js";
import { expectAtsmError } from "../../helpers/errors.js";

const CU64 = getNuclide("Cu-64");
const SMALL_MOUSE: StudyPreset = {
  ...getStudyPreset("mouse-fadu"),
  dims: [32, 32, 64],
  spacingMm: [1.2, 1.2, 1.2],
};
const base = {
  preset: SMALL_MOUSE,
  injectedBq: 8e6,
  uptakeS: 7200,
  halfLifeS: CU64.halfLifeS,
  seed: 1,
  levels: 4,
};

function sum(a: Float32Array): number {
  let s = 0;
  for (const v of a) s += v;
  return s;
}

describe("buildPhantomStudy", () => {
  const noiseFree = buildPhantomStudy({ ...base, noise: false });

  it("mass balance: body activity = injected × decay − excreted (truth grid and scanner image)", () => {
    // Injected 8 MBq 64Cu (T½ from the physics table, ICRP-107), 2 h uptake, 10 min frame: t_mid = 7500 s,
    // f_ex(t_mid) = 0.6·(1 − 2^(−7500/3600)) (preset assumption).
    const decay = Math.exp((-Math.LN2 / CU64.halfLifeS) * 7200);
    const fex = 0.6 * (1 - 2 ** (-7500 / 3600));
    expectClose(excretedFraction(SMALL_MOUSE, 7500), fex, { rel: 1e-12 }, "f_ex");
    const body = 8e6 * decay * (1 - fex);
    const mb = noiseFree.truth.massBalance;
    expectClose(mb.bodyBq, body, { rel: 1e-12 }, "body activity, Bq");
    expectClose(mb.excretedBq, 8e6 * decay * fex, { rel: 1e-9 }, "excreted, Bq");
    // Whole mouse in the field of view: truth sums to the body activity.
    const tg = noiseFree.truthGrid.spacingMm;
    const truthBq = (sum(noiseFree.truthActivityBqPerMl) * tg[0] * tg[1] * tg[2]) / 1000;
    expectClose(truthBq, body, { rel: 1e-5 }, "Σ truth·V, Bq");
    // PSF blur + voxelisation conserve it (float32 sums: 1e-4).
    const sg = noiseFree.scannerGrid.spacingMm;
    const imageBq = (sum(noiseFree.petNoiseFreeBqPerMl) * sg[0] * sg[1] * sg[2]) / 1000;
    expectClose(imageBq, body, { rel: 1e-4 }, "Σ image·V, Bq");
    expect(mb.liverBqPerMl).toBeGreaterThan(0);
  });

  it("is deterministic for a seed; noise and vessels change with the seed", () => {
    const a = buildPhantomStudy(base);
    const b = buildPhantomStudy(base);
    const c = buildPhantomStudy({ ...base, seed: 2 });
    expect(Buffer.from(a.petBqPerMl.buffer).equals(Buffer.from(b.petBqPerMl.buffer))).toBe(true);
    expect(Buffer.from(a.ctHu.buffer).equals(Buffer.from(b.ctHu.buffer))).toBe(true);
    expect(Buffer.from(a.petBqPerMl.buffer).equals(Buffer.from(c.petBqPerMl.buffer))).toBe(false);
    // Count noise is unbiased: muscle-mask mean of the noisy image within 3 % of noise-free.
    let sn = 0;
    let sf = 0;
    for (let u = 0; u < a.muscleMask.length; u++) {
      if (!a.muscleMask[u]) continue;
      sn += a.petBqPerMl[u]!;
      sf += a.petNoiseFreeBqPerMl[u]!;
    }
    expectClose(sn, sf, { rel: 0.03 }, "muscle mean noisy vs noise-free");
  });

  it("tumour oxygenation: hypoxia falls from core to rim; truth summary is consistent", () => {
    const shells = noiseFree.shells;
    for (let k = 1; k < shells.length; k++) {
      expect(shells[k]!.vesselDensityMmPerMm3).toBeGreaterThan(shells[k - 1]!.vesselDensityMmPerMm3);
      expect(shells[k]!.hypoxicFraction10).toBeLessThanOrEqual(shells[k - 1]!.hypoxicFraction10);
    }
    const t = noiseFree.truth;
    // Sphere of radius 4.5 mm: 4/3·π·4.5³ = 381.7 mm³ = 0.382 mL; voxelised at 0.6 mm within 3 %.
    expectClose(t.tumour.volumeMl, ((4 / 3) * Math.PI * 4.5 ** 3) / 1000, { rel: 0.03 }, "tumour mL");
    expect(t.tumour.hypoxicCoreVolumeMl).toBeGreaterThan(0);
    expect(t.tumour.hypoxicCoreVolumeMl).toBeLessThan(t.tumour.volumeMl);
    expect(t.tumour.hypoxicFraction10).toBeGreaterThan(t.tumour.hypoxicFraction2p5);
    expectClose(t.tmr, t.tumour.meanBqPerMl / t.muscle.meanBqPerMl, { rel: 1e-12 }, "T/M");
    // FaDu xenograft at 2 h: T/M between the 20 min (≈ 4) and 18 h (≈ 12) values of Table 2.
    expect(t.tmr).toBeGreaterThan(4);
    expect(t.tmr).toBeLessThan(12);
    expect(t.tumour.voi.spec).toBe("sphere:-12,0,-14,4.5");
  });

  it("patient presets: the hypoxic variant has the higher true T/M, either side of 3.5", () => {
    const coarse = (name: string) =>
      buildPhantomStudy({
        preset: { ...getStudyPreset(name), dims: [64, 64, 32], spacingMm: [8, 8, 8] },
        injectedBq: 210e6,
        uptakeS: 1800,
        halfLifeS: CU64.halfLifeS,
        seed: 1,
        levels: 4,
        noise: false,
      }).truth;
    const hyp = coarse("patient-cervix-hypoxic");
    const nor = coarse("patient-cervix-normoxic");
    expect(hyp.tumour.hypoxicFraction10).toBeGreaterThan(nor.tumour.hypoxicFraction10);
    // Cervix cutoff T/M 3.5 (Dehdashti 2003/2008, atsm-science.md §3.1).
    expect(hyp.tmr).toBeGreaterThan(3.5);
    expect(nor.tmr).toBeLessThan(3.5);
    expect(hyp.massBalance.outsideFieldOfViewBq).toBeGreaterThan(0);
  });

  it("rejects an unknown preset with the list of presets", () => {
    expectAtsmError(() => getStudyPreset("mouse-nope"), {
      code: "INVALID_ARGUMENT",
      hint: /mouse-fadu/,
    });
  });
});
