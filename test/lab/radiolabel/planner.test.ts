/**
 * Planner checks, derived by hand. Cu-64 T½ = 12.700 h = 45720 s (ICRP-107, nuclides.md).
 */
import { describe, expect, it } from "vitest";
import { molarMassGPerMol } from "../../../src/lab/radiolabel/chemistry.js";
import { planLabelling, radiochemicalYield } from "../../../src/lab/radiolabel/planner.js";
import { expectClose } from "../../helpers/close.js";
import { expectAtsmError } from "../../helpers/errors.js";

const T = 12.7 * 3600;

describe("molar masses", () => {
  it("H2ATSM C8H16N6S2 = 260.38 g/mol (8·12.011 + 16·1.008 + 6·14.007 + 2·32.06)", () => {
    expectClose(molarMassGPerMol("C8H16N6S2"), 260.378, { abs: 1e-9 }, "H2ATSM");
    // The 260.4 g/mol, to its rounding.
    expectClose(molarMassGPerMol("C8H16N6S2"), 260.4, { abs: 0.05 });
    // Cu-ATSM: 260.378 − 2·1.008 + 63.546 = 321.908.
    expectClose(molarMassGPerMol("CuC8H14N6S2"), 321.908, { abs: 1e-9 }, "Cu-ATSM");
  });
  it("rejects unknown elements", () => {
    expectAtsmError(() => molarMassGPerMol("C8Xx2"), { message: /unknown element Xx/ });
  });
});

describe("planLabelling", () => {
  const base = {
    halfLifeS: T,
    stockActivityBq: 1e9, // 1 GBq at calibration
    stockVolumeMl: 0.5,
    calibrationTimeS: 0,
    drawTimeS: T, // one half-life later: 500 MBq left, 1 GBq/mL
    wantedActivityBq: 200e6,
    ligandMassUg: 15,
    endOfSynthesisTimeS: T + 1800,
    expectedRcyDecayCorrected: 0.9,
    injectionTimesS: [T + 1800, 2 * T + 1800],
    doseActivityBq: 10e6,
  };
  it("computes draw volume, product activity and doses by hand", () => {
    const r = planLabelling(base);
    expectClose(r.stockActivityAtDrawBq, 500e6, { rel: 1e-12 }, "stock at draw");
    expectClose(r.drawVolumeMl, 0.2, { rel: 1e-12 }, "draw volume = 200 MBq / 1000 MBq/mL");
    // EOS = draw + 30 min: 200 MBq · 0.9 · 2^(−1800/45720) = 175.23 MBq.
    const eos = 200e6 * 0.9 * 2 ** (-1800 / T);
    expectClose(r.productActivityAtEosBq, eos, { rel: 1e-12 }, "EOS activity");
    expect(r.injections[0]!.doses).toBe(17);
    // One half-life after EOS: 87.6 MBq -> 8 doses of 10 MBq.
    expect(r.injections[1]!.doses).toBe(8);
    // 15 µg / 260.378 g/mol = 57.61 nmol.
    expectClose(r.ligandMol, 15e-6 / 260.378, { rel: 1e-12 }, "ligand mol");
    // Apparent molar activity = 175.23 MBq / 57.61 nmol = 3.042 GBq/µmol.
    expectClose(r.molarActivityAtEosGBqPerUmol, eos / 1e9 / ((15e-6 / 260.378) * 1e6), { rel: 1e-12 });
    // Carrier-free Cu moles: N = A/λ = 200e6·45720/ln2 atoms.
    expectClose(r.copperMol, (200e6 * T) / Math.LN2 / 6.02214076e23, { rel: 1e-12 });
    expect(r.warnings.join()).toMatch(/carrier-free/);
  });
  it("uses the vendor's molar activity for copper moles", () => {
    // 1 GBq at 10 GBq/µmol -> 0.1 µmol Cu in the vial; 40 % of the vial is drawn -> 0.04 µmol.
    const r = planLabelling({ ...base, stockMolarActivityGBqPerUmol: 10 });
    expectClose(r.copperMol, 0.04e-6, { rel: 1e-12 }, "Cu mol");
    expectClose(r.metalToLigandRatio, 0.04e-6 / (15e-6 / 260.378), { rel: 1e-12 });
  });
  it("refuses to draw more than the vial holds, naming the field", () => {
    expectAtsmError(() => planLabelling({ ...base, wantedActivityBq: 600e6 }), {
      message: /holds only 500\.000 MBq/,
    });
    expectAtsmError(() => planLabelling({ ...base, expectedRcyDecayCorrected: 85 }), { hint: /0\.85/ });
  });
});

describe("radiochemicalYield", () => {
  it("decay-corrects to the start of synthesis", () => {
    // 100 MBq in, 45 MBq out one half-life later: RCY 45 % uncorrected, 90 % decay-corrected.
    const r = radiochemicalYield({
      halfLifeS: T,
      startActivityBq: 100e6,
      startTimeS: 0,
      productActivityBq: 45e6,
      productTimeS: T,
    });
    expectClose(r.rcyNonDecayCorrected, 0.45, { rel: 1e-12 });
    expectClose(r.rcyDecayCorrected, 0.9, { rel: 1e-12 });
  });
});
