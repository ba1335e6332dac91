import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  findNuclide,
  findNuclideInText,
  getNuclide,
  localDoseFromCompleteDecayGy,
  NUCLIDE_NAMES,
  NUCLIDES,
} from "../../src/physics/index.js";
import { expectClose } from "../helpers/close.js";
import { expectAtsmError } from "../helpers/errors.js";

describe("nuclide table", () => {
  it("has the twelve nuclides of issue 2", () => {
    expect([...NUCLIDE_NAMES].sort()).toEqual(
      [
        "C-11",
        "Cu-60",
        "Cu-61",
        "Cu-62",
        "Cu-64",
        "Cu-67",
        "F-18",
        "Ga-68",
        "I-124",
        "N-13",
        "O-15",
        "Zr-89",
      ].sort(),
    );
  });

  it("branches sum to 1 and the positron fraction equals the β+ branch", () => {
    for (const n of NUCLIDES) {
      const sum = n.branches.reduce((s, b) => s + b.fraction, 0);
      // ICRP-107 rounding: 6 decimals in the table.
      expectClose(sum, 1, { abs: 1e-6 }, `${n.name} branch sum`);
      const bp = n.branches.find((b) => b.mode === "beta+")?.fraction ?? 0;
      expect(n.positronFraction, n.name).toBe(bp);
      for (const b of n.branches) expect(b.fraction, n.name).toBeGreaterThan(0);
      expect(n.halfLifeS, n.name).toBeGreaterThan(0);
      expect(n.source.length, n.name).toBeGreaterThan(5);
      // β⁺ energy cannot exceed the electron total (within the table's 6-digit rounding).
      if (n.meanBetaPlusEnergyMeV !== null)
        expect(n.positronFraction * n.meanBetaPlusEnergyMeV).toBeLessThanOrEqual(
          n.electronEnergyPerDecayMeV * (1 + 1e-5),
        );
      // Annihilation photons alone: 1.022 MeV per positron; −1e-5 for the 5-decimal rounding of the
      // ICRP-07.NDX energy totals (C-11: 1.01961 vs 0.99767 × 1.022 = 1.019616).
      expect(n.photonEnergyPerDecayMeV).toBeGreaterThanOrEqual(n.positronFraction * 1.0219979 - 1e-5);
    }
  });

  it("Cu-64 numbers are ICRP-107 (shared/reference/nuclides.md)", () => {
    const cu = getNuclide("Cu-64");
    expect(cu.halfLifeS).toBe(12.7 * 3600); // 12.700 h
    const f = Object.fromEntries(cu.branches.map((b) => [b.mode, b.fraction]));
    expect(f).toEqual({ "beta+": 0.174083, EC: 0.435917, "beta-": 0.39 });
    expect(cu.meanBetaPlusEnergyMeV).toBe(0.27822);
    expect(cu.meanBetaMinusEnergyMeV).toBe(0.190428);
    expect(cu.electronEnergyPerDecayMeV).toBe(0.124751);
    expect(cu.photonEnergyPerDecayMeV).toBe(0.185485);
    // Annihilation part of the photon energy: 0.174083 × 2 × 0.51099895 = 0.177913 (nuclides.md).
    expectClose(cu.positronFraction * 2 * 0.51099895, 0.177913, { abs: 1e-6 }, "Cu-64 annihilation");
    expect(cu.verified).toBe(true);
  });

  it("F-18 matches ICRP-107 / Ph. Eur. 5.7: 109.77 min, 96.73 % β+", () => {
    const f = getNuclide("F-18");
    expect(f.halfLifeS).toBe(109.77 * 60);
    expect(f.positronFraction).toBe(0.9673);
  });

  it("sanity case: 1 MBq Cu-64 decaying completely in 1 g, non-penetrating only ≈ 1318 mGy", () => {
    // nuclides.md: 1e6 Bq × 45720 s / ln2 × 0.124751 MeV × 1.602e-13 J/MeV / 1e-3 kg = 1.318 Gy.
    const cu = getNuclide("Cu-64");
    const dGy = localDoseFromCompleteDecayGy(1e6, cu.halfLifeS, cu.electronEnergyPerDecayMeV, 1e-3);
    expectClose(dGy * 1000, 1318, { abs: 0.5 }, "dose mGy");
  });

  it("accepts the usual spellings and DICOM codes", () => {
    for (const s of [
      "Cu-64",
      "64Cu",
      "cu64",
      "CU-64",
      "Copper-64",
      "64-Copper",
      "^64^Copper",
      " cu 64 ",
      "C-127A2",
      "3932008",
    ]) {
      expect(getNuclide(s).name, s).toBe("Cu-64");
    }
    expect(getNuclide("^18^Fluorine").name).toBe("F-18");
    expect(getNuclide("18F").name).toBe("F-18");
    expect(getNuclide("C-111A1").name).toBe("F-18");
    expect(getNuclide("77004003").name).toBe("F-18");
    expect(getNuclide("C-11").name).toBe("C-11"); // element C, not a DICOM code
    expect(getNuclide("^124^Iodine").name).toBe("I-124");
    expect(getNuclide("zr89").name).toBe("Zr-89");
    for (const n of NUCLIDES) {
      expect(getNuclide(n.name)).toBe(n);
      if (n.dicom) {
        expect(getNuclide(n.dicom.codeMeaning)).toBe(n);
        expect(getNuclide(n.dicom.srtCode)).toBe(n);
        expect(getNuclide(n.dicom.sctCode)).toBe(n);
      }
    }
  });

  it("finds the nuclide in radiopharmaceutical text", () => {
    expect(findNuclideInText("Cu-64 ATSM")?.name).toBe("Cu-64");
    expect(findNuclideInText("64Cu-ATSM")?.name).toBe("Cu-64");
    expect(findNuclideInText("[18F]FDG")?.name).toBe("F-18");
    expect(findNuclideInText("Fluorodeoxyglucose")).toBeUndefined();
    expect(findNuclideInText("Copper-64 diacetyl-bis")?.name).toBe("Cu-64");
  });

  it("unknown names → UNKNOWN_NUCLIDE listing accepted names", () => {
    expectAtsmError(() => getNuclide("Tc-99m"), {
      code: "UNKNOWN_NUCLIDE",
      message: /Tc-99m/,
      hint: /Cu-64.*F-18.*I-124/,
    });
    expectAtsmError(() => getNuclide(""), { code: "UNKNOWN_NUCLIDE" });
  });

  it("never throws anything but AtsmError on arbitrary strings (fuzz)", () => {
    fc.assert(
      fc.property(fc.string(), (s) => {
        const n = findNuclide(s);
        if (n === undefined) expectAtsmError(() => getNuclide(s), { code: "UNKNOWN_NUCLIDE" });
        findNuclideInText(s);
      }),
      { numRuns: 200 },
    );
  });
});
