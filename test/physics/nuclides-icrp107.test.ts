/**
 * The nuclide table against the ICRP-107 numbers read on 2026-11 from stored public copies of the
 * ICRP-107 supplemental files:
 * - [NDX] `ICRP-07.NDX` (© 2008 A. Endo, K.F. Eckerman) in GitHub markhogue/RadData,
 *   `data-raw/ICRP-07.NDX`: half-life, decay modes, electron and photon energy per decay (MeV, 5 dp).
 * - [RAD-γ] photon lines of `ICRP-07.RAD` in AlanFord/ZapMeNot `zap_me_not/isotopeLibrary.yml`
 *   (Rev. 4, "derived from ICRP Pub 107"): 0.511 MeV annihilation yield = 2 × β⁺ yield.
 * - [CSV] radioactivedecay/radioactivedecay `notebooks/icrp107_dataset/icrp.csv`: half-lives.
 */
import { describe, expect, it } from "vitest";
import { getNuclide, NUCLIDES } from "../../src/physics/index.js";
import type { NuclideField } from "../../src/physics/nuclide-types.js";
import { expectClose } from "../helpers/close.js";

const MIN = 60;
const H = 3600;
const D = 86400;

interface Icrp107Row {
  /** [CSV] / [NDX] half-life, s. */
  readonly halfLifeS: number;
  /** [RAD-γ] yield of the 0.511 MeV line (2 × β⁺ yield). */
  readonly annihilationYield: number;
  /** [NDX] electron energy per decay, MeV (5 dp). */
  readonly electronMeV: number;
  /** [NDX] photon energy per decay, MeV (5 dp). */
  readonly photonMeV: number;
}

/** Numbers copied from the files named above (see the file header). */
const ICRP107: Readonly<Record<string, Icrp107Row>> = {
  // [CSV] "C-11 … 20.39,m"; [RAD-γ] 5.11000e-01 1.99534; [NDX] "C-11 20.39m ECB+ … 0.38472 1.01961"
  "C-11": { halfLifeS: 20.39 * MIN, annihilationYield: 1.99534, electronMeV: 0.38472, photonMeV: 1.01961 },
  // [CSV] 9.965 m; [RAD-γ] 1.99607; [NDX] "N-13 9.965m ECB+ … 0.49085 1.01999"
  "N-13": { halfLifeS: 9.965 * MIN, annihilationYield: 1.99607, electronMeV: 0.49085, photonMeV: 1.01999 },
  // [CSV] 122.24 s; [RAD-γ] 1.99801; [NDX] "O-15 122.24s ECB+ … 0.73468 1.02098"
  "O-15": { halfLifeS: 122.24, annihilationYield: 1.99801, electronMeV: 0.73468, photonMeV: 1.02098 },
  // [CSV] 67.71 m; [RAD-γ] 1.77822; [NDX] "Ga-68 67.71m ECB+ … 0.73794 0.94869"
  "Ga-68": { halfLifeS: 67.71 * MIN, annihilationYield: 1.77822, electronMeV: 0.73794, photonMeV: 0.94869 },
  // [CSV] 78.41 h; [RAD-γ] 0.454814; [NDX] "Zr-89 78.41h ECB+ … 0.10194 1.15808"
  "Zr-89": { halfLifeS: 78.41 * H, annihilationYield: 0.454814, electronMeV: 0.10194, photonMeV: 1.15808 },
  // [CSV] 4.1760 d; [RAD-γ] 0.457235; [NDX] "I-124 4.1760d ECB+ … 0.19428 1.11324"
  "I-124": { halfLifeS: 4.176 * D, annihilationYield: 0.457235, electronMeV: 0.19428, photonMeV: 1.11324 },
  // Spot checks of the two reference-sheet nuclides: [NDX] "Cu-64 12.700h ECB+B- … 0.12475 0.18548",
  // [RAD-γ] 0.348166; [NDX] "F-18 109.77m ECB+ … 0.24160 0.98858", [RAD-γ] 1.93460.
  "Cu-64": { halfLifeS: 12.7 * H, annihilationYield: 0.348166, electronMeV: 0.12475, photonMeV: 0.18548 },
  "F-18": { halfLifeS: 109.77 * MIN, annihilationYield: 1.9346, electronMeV: 0.2416, photonMeV: 0.98858 },
};

/** [NDX] β⁺&EC branch (Cu-64 also β⁻ 0.39 → Zn-64). */
const BETA_PLUS_EC_BRANCH: Readonly<Record<string, number>> = { "Cu-64": 0.61 };

describe("nuclide table vs ICRP-107 (NDX / RAD / icrp.csv)", () => {
  for (const [name, row] of Object.entries(ICRP107)) {
    it(`${name}: half-life, β+/EC branching, electron and photon energy per decay`, () => {
      const n = getNuclide(name);
      expectClose(n.halfLifeS, row.halfLifeS, { rel: 1e-12 }, `${name} T½`);
      // The annihilation line is given to 6 significant figures, so β+ to ±5e-6 absolute.
      expectClose(n.positronFraction, row.annihilationYield / 2, { abs: 5e-6 }, `${name} β+ yield`);
      const ec = n.branches.find((b) => b.mode === "EC")?.fraction ?? 0;
      const branch = BETA_PLUS_EC_BRANCH[name] ?? 1;
      expectClose(n.positronFraction + ec, branch, { abs: 1e-6 }, `${name} β+ + EC`);
      // [NDX] energies have 5 decimals; the 6-digit reference-sheet values round to them (±1e-5).
      expectClose(n.electronEnergyPerDecayMeV, row.electronMeV, { abs: 1e-5 }, `${name} electrons`);
      expectClose(n.photonEnergyPerDecayMeV, row.photonMeV, { abs: 1e-5 }, `${name} photons`);
    });
  }

  it("pure β+ emitters: mean β+ energy = NDX electron energy / β+ yield", () => {
    // The division reproduces ICRP-107's tabulated F-18 mean (0.249776 MeV, nuclides.md) to 1e-5 MeV.
    expectClose(0.2416 / 0.9673, 0.249776, { abs: 1e-5 }, "F-18 check of the method");
    for (const name of ["C-11", "N-13", "O-15", "F-18"]) {
      const n = getNuclide(name);
      const row = ICRP107[name];
      if (!row) throw new Error(name);
      expectClose(
        n.meanBetaPlusEnergyMeV ?? Number.NaN,
        row.electronMeV / n.positronFraction,
        { abs: 1e-5 },
        name,
      );
    }
  });

  it("mean β+ energies not read are within the NDX upper bound (electron energy / β+ yield)", () => {
    for (const name of ["Ga-68", "Zr-89", "I-124"]) {
      const n = getNuclide(name);
      const bound = n.electronEnergyPerDecayMeV / n.positronFraction;
      expect(n.meanBetaPlusEnergyMeV, name).toBeLessThan(bound);
      expect(n.unverifiedFields, name).toEqual(["meanBetaPlusEnergyMeV"] satisfies NuclideField[]);
      expect(n.verified, name).toBe(false);
    }
  });

  it("verified ⇔ no unverified fields; every record names ICRP-107 as its source", () => {
    for (const n of NUCLIDES) {
      expect(n.verified, n.name).toBe(n.unverifiedFields.length === 0);
      expect(n.source, n.name).toMatch(/ICRP-107/);
    }
    const unverified = NUCLIDES.filter((n) => !n.verified).map((n) => n.name);
    expect(unverified.sort()).toEqual(["Ga-68", "I-124", "Zr-89"]);
  });
});
