/**
 * Decay data for the nuclides of the Workbench.
 *
 * Dataset in use: ICRP Publication 107 ("Nuclear Decay Data for Dosimetric Calculations", Ann. ICRP
 * 38(3), 2008, doi:10.1177/ANIB_38_3), the set used by OLINDA, IDAC-Dose, MIRDcalc and OpenDose.
 * Energy per decay = Σ E·yield per radiation type; non-penetrating = β⁺ + β⁻ + internal-conversion
 * + Auger electrons; photons = γ + X + annihilation (ICRP-107 lists annihilation as 0.511 MeV
 * photons with yield 2 × β⁺ yield).
 *
 * Where each number was read (checked 2026-11, stored public copies of the ICRP-107 files):
 * - [NDX] ICRP-107 index file `ICRP-07.NDX` (© 2008 A. Endo and K.F. Eckerman), as redistributed in
 *   the GitHub repository markhogue/RadData, path `data-raw/ICRP-07.NDX`: per nuclide the
 *   half-life, decay modes with daughters and branching, and the electron (β + IC + Auger) and
 *   photon (γ + X + annihilation) energy per decay in MeV, 5 decimals.
 * - [RAD-γ] the photon lines of `ICRP-07.RAD` as tabulated in AlanFord/ZapMeNot
 *   `zap_me_not/isotopeLibrary.yml` ("Rev. 4: Data derived from ICRP Pub 107"; photons below
 *   15 keV omitted). The β⁺ yield = (yield of the 0.511 MeV annihilation line) / 2.
 * - [CSV] radioactivedecay/radioactivedecay `notebooks/icrp107_dataset/icrp.csv` (the ICRP-107
 *   half-lives and decay modes behind radioactivedecay's icrp107 datasets).
 * - [REF] `/work/shared/reference/nuclides.md`: the project's transcription of the ICRP-107 files for
 *   Cu-60/61/62/64/67 and F-18 (6 digits). [NDX] and [RAD-γ] agree with it to their rounding.
 *
 * EC fraction = (β⁺&EC branch, 1.0 or 0.61) − β⁺ yield. For the pure β⁺ emitters C-11, N-13 and
 * O-15 the ICRP-107 electron energy is all positron energy, so mean β⁺ energy = [NDX] electron
 * energy ÷ β⁺ yield (the same division gives 0.24977 MeV for F-18, whose tabulated mean is
 * 0.249776 MeV). For Ga-68, Zr-89 and I-124 the mean β⁺ energy could NOT be read (the stored
 * copies hold only the totals, which also contain Auger/conversion electrons); those records stay
 * `verified: false` with `unverifiedFields: ["meanBetaPlusEnergyMeV"]`.
 *
 * DICOM codes: CID 4020 "PET Radionuclide" (DICOM PS3.16), SRT and SNOMED CT code values, as
 * tabulated in DCMTK's generated `cmr/cid4020.h` (from PS3.16-2022b). Cu-67 is not in CID 4020.
 */
import type { Nuclide } from "./nuclide-types.js";

/** Seconds per unit (exact). */
const MIN = 60;
const H = 3600;
const D = 86400;

export const NUCLIDES: readonly Nuclide[] = [
  {
    // ICRP-107 (read, nuclides.md): T½ 12.700 h; β⁺&EC 0.61 → Ni-64, β⁻ 0.39 → Zn-64;
    // β⁺ yield 0.174083, mean 0.27822 MeV; β⁻ 0.39, mean 0.190428 MeV; non-penetrating
    // 0.124751 MeV/decay; photons 0.185485 MeV/decay (annihilation 0.177913; γ 1346 keV 0.0047336).
    // EC = 0.61 − 0.174083 = 0.435917. DDEP (Bé et al. 2011): 12.7004(20) h, β⁺ 17.52 %, β⁻ 38.48 %.
    // Spot-checked 2026-11: [NDX] 12.700h ECB+B- 0.61/0.39, electrons 0.12475, photons 0.18548;
    // [RAD-γ] 0.511 MeV yield 0.348166 (= 2 × 0.174083), 1.34577 MeV yield 0.0047336. All agree.
    name: "Cu-64",
    element: "Cu",
    elementName: "Copper",
    massNumber: 64,
    halfLifeS: 12.7 * H,
    branches: [
      { mode: "beta+", fraction: 0.174083, daughter: "Ni-64" },
      { mode: "EC", fraction: 0.435917, daughter: "Ni-64" },
      { mode: "beta-", fraction: 0.39, daughter: "Zn-64" },
    ],
    positronFraction: 0.174083,
    meanBetaPlusEnergyMeV: 0.27822,
    meanBetaMinusEnergyMeV: 0.190428,
    electronEnergyPerDecayMeV: 0.124751,
    photonEnergyPerDecayMeV: 0.185485,
    dicom: { srtCode: "C-127A2", sctCode: "3932008", codeMeaning: "^64^Copper" },
    source: "ICRP-107 (Ann. ICRP 38(3), 2008); DDEP 2011 for comparison: 12.7004 h, β⁺ 17.52 %, β⁻ 38.48 %",
    verified: true,
    unverifiedFields: [],
  },
  {
    // ICRP-107 (read, nuclides.md): T½ 23.7 min; β⁺&EC 1.0 → Ni-60; β⁺ 0.921644 / 0.973044 MeV;
    // non-penetrating 0.897515; photons 3.91114 MeV/decay. EC = 1 − 0.921644 = 0.078356.
    // Cross-check 2026-11: [NDX] 0.89751 / 3.91114; [RAD-γ] 0.511 MeV yield 1.84329 (= 2 × 0.921645).
    name: "Cu-60",
    element: "Cu",
    elementName: "Copper",
    massNumber: 60,
    halfLifeS: 23.7 * MIN,
    branches: [
      { mode: "beta+", fraction: 0.921644, daughter: "Ni-60" },
      { mode: "EC", fraction: 0.078356, daughter: "Ni-60" },
    ],
    positronFraction: 0.921644,
    meanBetaPlusEnergyMeV: 0.973044,
    meanBetaMinusEnergyMeV: null,
    electronEnergyPerDecayMeV: 0.897515,
    photonEnergyPerDecayMeV: 3.91114,
    dicom: { srtCode: "C-127A4", sctCode: "425364008", codeMeaning: "^60^Copper" },
    source: "ICRP-107 (Ann. ICRP 38(3), 2008)",
    verified: true,
    unverifiedFields: [],
  },
  {
    // ICRP-107 (read, nuclides.md): T½ 3.333 h; β⁺&EC 1.0 → Ni-61; β⁺ 0.614431 / 0.499077 MeV;
    // non-penetrating 0.309027; photons 0.823697. EC = 1 − 0.614431 = 0.385569.
    // Cross-check 2026-11: [NDX] 0.30902 / 0.82369; [RAD-γ] 0.511 MeV yield 1.22886 (= 2 × 0.61443).
    name: "Cu-61",
    element: "Cu",
    elementName: "Copper",
    massNumber: 61,
    halfLifeS: 3.333 * H,
    branches: [
      { mode: "beta+", fraction: 0.614431, daughter: "Ni-61" },
      { mode: "EC", fraction: 0.385569, daughter: "Ni-61" },
    ],
    positronFraction: 0.614431,
    meanBetaPlusEnergyMeV: 0.499077,
    meanBetaMinusEnergyMeV: null,
    electronEnergyPerDecayMeV: 0.309027,
    photonEnergyPerDecayMeV: 0.823697,
    dicom: { srtCode: "C-127A1", sctCode: "71425003", codeMeaning: "^61^Copper" },
    source: "ICRP-107 (Ann. ICRP 38(3), 2008)",
    verified: true,
    unverifiedFields: [],
  },
  {
    // ICRP-107 (read, nuclides.md): T½ 9.673 min; β⁺&EC 1.0 → Ni-62; β⁺ 0.978074 / 1.313 MeV;
    // non-penetrating 1.28432; photons 1.00687. EC = 1 − 0.978074 = 0.021926.
    // Cross-check 2026-11: [NDX] 1.28431 / 1.00686; [RAD-γ] 0.511 MeV yield 1.95615 (= 2 × 0.978075).
    name: "Cu-62",
    element: "Cu",
    elementName: "Copper",
    massNumber: 62,
    halfLifeS: 9.673 * MIN,
    branches: [
      { mode: "beta+", fraction: 0.978074, daughter: "Ni-62" },
      { mode: "EC", fraction: 0.021926, daughter: "Ni-62" },
    ],
    positronFraction: 0.978074,
    meanBetaPlusEnergyMeV: 1.313,
    meanBetaMinusEnergyMeV: null,
    electronEnergyPerDecayMeV: 1.28432,
    photonEnergyPerDecayMeV: 1.00687,
    dicom: { srtCode: "C-127A5", sctCode: "422934004", codeMeaning: "^62^Copper" },
    source: "ICRP-107 (Ann. ICRP 38(3), 2008)",
    verified: true,
    unverifiedFields: [],
  },
  {
    // ICRP-107 (read, nuclides.md): T½ 61.83 h; β⁻ 1.0 → Zn-67, mean 0.135893 MeV;
    // non-penetrating 0.150388; photons 0.115355 (γ 184.6 keV 0.487; 93.3 keV 0.161).
    // Cross-check 2026-11: [NDX] 61.83h B- 1.0, 0.15038 / 0.11535; [RAD-γ] 184.577 keV 0.487.
    name: "Cu-67",
    element: "Cu",
    elementName: "Copper",
    massNumber: 67,
    halfLifeS: 61.83 * H,
    branches: [{ mode: "beta-", fraction: 1, daughter: "Zn-67" }],
    positronFraction: 0,
    meanBetaPlusEnergyMeV: null,
    meanBetaMinusEnergyMeV: 0.135893,
    electronEnergyPerDecayMeV: 0.150388,
    photonEnergyPerDecayMeV: 0.115355,
    dicom: null,
    source: "ICRP-107 (Ann. ICRP 38(3), 2008)",
    verified: true,
    unverifiedFields: [],
  },
  {
    // ICRP-107 (read, nuclides.md): T½ 109.77 min; β⁺&EC 1.0 → O-18; β⁺ 0.9673 / 0.249776 MeV;
    // non-penetrating 0.241608; photons 0.988581. Agrees with Ph. Eur. table 5.7 (NNDC).
    // Spot-checked 2026-11: [NDX] 109.77m ECB+, electrons 0.24160, photons 0.98858; [RAD-γ] 0.511 MeV
    // yield 1.93460 (= 2 × 0.9673; 0.511 × 1.9346 = 0.988581); [CSV] 109.77 m. All agree.
    name: "F-18",
    element: "F",
    elementName: "Fluorine",
    massNumber: 18,
    halfLifeS: 109.77 * MIN,
    branches: [
      { mode: "beta+", fraction: 0.9673, daughter: "O-18" },
      { mode: "EC", fraction: 0.0327, daughter: "O-18" },
    ],
    positronFraction: 0.9673,
    meanBetaPlusEnergyMeV: 0.249776,
    meanBetaMinusEnergyMeV: null,
    electronEnergyPerDecayMeV: 0.241608,
    photonEnergyPerDecayMeV: 0.988581,
    dicom: { srtCode: "C-111A1", sctCode: "77004003", codeMeaning: "^18^Fluorine" },
    source: "ICRP-107 (Ann. ICRP 38(3), 2008); Ph. Eur. 5.7 agrees",
    verified: true,
    unverifiedFields: [],
  },
  {
    // ICRP-107 [NDX]: 67.71m ECB+ → Zn-68 (1.0); electrons 0.73794, photons 0.94869 MeV/decay.
    // [RAD-γ]: 0.511 MeV yield 1.77822 → β⁺ 0.88911, EC 0.11089; γ 1077.34 keV 0.0322.
    // [CSV]: 67.71 m. NOT read: mean β⁺ energy. 0.8295 MeV is the NNDC/ENSDF weighted mean
    // (87.72 % at 836.0 keV + 1.19 % at 352.6 keV), recalled; it is consistent with [NDX], which bounds
    // it by 0.73794 / 0.88911 = 0.82998 MeV (difference = 0.0004 MeV/decay of Auger + IC electrons).
    name: "Ga-68",
    element: "Ga",
    elementName: "Gallium",
    massNumber: 68,
    halfLifeS: 67.71 * MIN,
    branches: [
      { mode: "beta+", fraction: 0.88911, daughter: "Zn-68" },
      { mode: "EC", fraction: 0.11089, daughter: "Zn-68" },
    ],
    positronFraction: 0.88911,
    meanBetaPlusEnergyMeV: 0.8295,
    meanBetaMinusEnergyMeV: null,
    electronEnergyPerDecayMeV: 0.73794,
    photonEnergyPerDecayMeV: 0.94869,
    dicom: { srtCode: "C-131A3", sctCode: "35337001", codeMeaning: "^68^Gallium" },
    source:
      "ICRP-107 (ICRP-07.NDX via markhogue/RadData; RAD photon lines via AlanFord/ZapMeNot); " +
      "mean β+ energy NNDC/ENSDF, recalled",
    verified: false,
    unverifiedFields: ["meanBetaPlusEnergyMeV"],
  },
  {
    // ICRP-107 [NDX]: 78.41h ECB+ → Y-89 (1.0; the 909 keV Y-89m photons are in the Zr-89 record);
    // electrons 0.10194, photons 1.15808 MeV/decay. [RAD-γ]: 0.511 MeV yield 0.454814 → β⁺
    // 0.227407, EC 0.772593; γ 909.15 keV 0.9904. [CSV]: 78.41 h. NOT read: mean β⁺ energy; 0.3955
    // MeV is the NNDC/ENSDF value, recalled ([NDX] bound 0.10194 / 0.227407 = 0.448 MeV; the rest,
    // 0.012 MeV/decay, is conversion + Auger electrons of the 909 keV transition).
    name: "Zr-89",
    element: "Zr",
    elementName: "Zirconium",
    massNumber: 89,
    halfLifeS: 78.41 * H,
    branches: [
      { mode: "beta+", fraction: 0.227407, daughter: "Y-89" },
      { mode: "EC", fraction: 0.772593, daughter: "Y-89" },
    ],
    positronFraction: 0.227407,
    meanBetaPlusEnergyMeV: 0.3955,
    meanBetaMinusEnergyMeV: null,
    electronEnergyPerDecayMeV: 0.10194,
    photonEnergyPerDecayMeV: 1.15808,
    dicom: { srtCode: "C-168A4", sctCode: "63360001", codeMeaning: "^89^Zirconium" },
    source:
      "ICRP-107 (ICRP-07.NDX via markhogue/RadData; RAD photon lines via AlanFord/ZapMeNot); " +
      "mean β+ energy NNDC/ENSDF, recalled",
    verified: false,
    unverifiedFields: ["meanBetaPlusEnergyMeV"],
  },
  {
    // ICRP-107 [NDX]: 20.39m ECB+ → B-11 (1.0); electrons 0.38472, photons 1.01961 MeV/decay.
    // [RAD-γ]: 0.511 MeV yield 1.99534 → β⁺ 0.99767, EC 0.00233 (the only photon line). [CSV]:
    // 20.39 m (ENSDF 2012 gives 20.364 min; ICRP-107 is used). Mean β⁺ = 0.38472 / 0.99767.
    name: "C-11",
    element: "C",
    elementName: "Carbon",
    massNumber: 11,
    halfLifeS: 20.39 * MIN,
    branches: [
      { mode: "beta+", fraction: 0.99767, daughter: "B-11" },
      { mode: "EC", fraction: 0.00233, daughter: "B-11" },
    ],
    positronFraction: 0.99767,
    meanBetaPlusEnergyMeV: 0.38562,
    meanBetaMinusEnergyMeV: null,
    electronEnergyPerDecayMeV: 0.38472,
    photonEnergyPerDecayMeV: 1.01961,
    dicom: { srtCode: "C-105A1", sctCode: "40565003", codeMeaning: "^11^Carbon" },
    source:
      "ICRP-107 (ICRP-07.NDX via markhogue/RadData; RAD photon lines via AlanFord/ZapMeNot); " +
      "mean β+ = electron energy / β+ yield",
    verified: true,
    unverifiedFields: [],
  },
  {
    // ICRP-107 [NDX]: 122.24s ECB+ → N-15 (1.0); electrons 0.73468, photons 1.02098 MeV/decay.
    // [RAD-γ]: 0.511 MeV yield 1.99801 → β⁺ 0.999005, EC 0.000995. [CSV]: 122.24 s.
    // Mean β⁺ = 0.73468 / 0.999005.
    name: "O-15",
    element: "O",
    elementName: "Oxygen",
    massNumber: 15,
    halfLifeS: 122.24,
    branches: [
      { mode: "beta+", fraction: 0.999005, daughter: "N-15" },
      { mode: "EC", fraction: 0.000995, daughter: "N-15" },
    ],
    positronFraction: 0.999005,
    meanBetaPlusEnergyMeV: 0.73541,
    meanBetaMinusEnergyMeV: null,
    electronEnergyPerDecayMeV: 0.73468,
    photonEnergyPerDecayMeV: 1.02098,
    dicom: { srtCode: "C-B1038", sctCode: "129504001", codeMeaning: "^15^Oxygen" },
    source:
      "ICRP-107 (ICRP-07.NDX via markhogue/RadData; RAD photon lines via AlanFord/ZapMeNot); " +
      "mean β+ = electron energy / β+ yield",
    verified: true,
    unverifiedFields: [],
  },
  {
    // ICRP-107 [NDX]: 9.965m ECB+ → C-13 (1.0); electrons 0.49085, photons 1.01999 MeV/decay.
    // [RAD-γ]: 0.511 MeV yield 1.99607 → β⁺ 0.998035, EC 0.001965. [CSV]: 9.965 m.
    // Mean β⁺ = 0.49085 / 0.998035.
    name: "N-13",
    element: "N",
    elementName: "Nitrogen",
    massNumber: 13,
    halfLifeS: 9.965 * MIN,
    branches: [
      { mode: "beta+", fraction: 0.998035, daughter: "C-13" },
      { mode: "EC", fraction: 0.001965, daughter: "C-13" },
    ],
    positronFraction: 0.998035,
    meanBetaPlusEnergyMeV: 0.49182,
    meanBetaMinusEnergyMeV: null,
    electronEnergyPerDecayMeV: 0.49085,
    photonEnergyPerDecayMeV: 1.01999,
    dicom: { srtCode: "C-107A1", sctCode: "21576001", codeMeaning: "^13^Nitrogen" },
    source:
      "ICRP-107 (ICRP-07.NDX via markhogue/RadData; RAD photon lines via AlanFord/ZapMeNot); " +
      "mean β+ = electron energy / β+ yield",
    verified: true,
    unverifiedFields: [],
  },
  {
    // ICRP-107 [NDX]: 4.1760d ECB+ → Te-124 (1.0); electrons 0.19428, photons 1.11324 MeV/decay.
    // [RAD-γ]: 0.511 MeV yield 0.457235 → β⁺ 0.2286175, EC 0.7713825; γ 602.72 keV 0.629,
    // 722.78 keV 0.1035, 1691.02 keV 0.1088. [CSV]: 4.1760 d. NOT read: mean β⁺ energy; 0.82 MeV
    // is a recalled NNDC/ENSDF-weighted estimate (11.7 % at 686.9 keV + 10.7 % at 974.7 keV); the
    // [NDX] bound is 0.19428 / 0.2286175 = 0.850 MeV (the rest is Auger + conversion electrons).
    name: "I-124",
    element: "I",
    elementName: "Iodine",
    massNumber: 124,
    halfLifeS: 4.176 * D,
    branches: [
      { mode: "beta+", fraction: 0.2286175, daughter: "Te-124" },
      { mode: "EC", fraction: 0.7713825, daughter: "Te-124" },
    ],
    positronFraction: 0.2286175,
    meanBetaPlusEnergyMeV: 0.82,
    meanBetaMinusEnergyMeV: null,
    electronEnergyPerDecayMeV: 0.19428,
    photonEnergyPerDecayMeV: 1.11324,
    dicom: { srtCode: "C-114A5", sctCode: "40937006", codeMeaning: "^124^Iodine" },
    source:
      "ICRP-107 (ICRP-07.NDX via markhogue/RadData; RAD photon lines via AlanFord/ZapMeNot); " +
      "mean β+ energy NNDC/ENSDF, recalled",
    verified: false,
    unverifiedFields: ["meanBetaPlusEnergyMeV"],
  },
];
