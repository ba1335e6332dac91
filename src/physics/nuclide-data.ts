/**
 * Decay data for the nuclides of the Workbench.
 *
 * Dataset in use: ICRP Publication 107 ("Nuclear Decay Data for Dosimetric Calculations", Ann. ICRP
 * 38(3), 2008, doi:10.1177/ANIB_38_3), the set used by OLINDA, IDAC-Dose, MIRDcalc and OpenDose.
 * Energy per decay = Σ E·yield per radiation type; non-penetrating = β⁺ + β⁻ + internal-conversion
 * + Auger electrons; photons = γ + X + annihilation (2 × 0.511 MeV per positron).
 *
 * Provenance, per nuclide (also in each record's `source` and `verified` fields):
 * - Cu-60, Cu-61, Cu-62, Cu-64, Cu-67, F-18: READ from the ICRP-107 table in
 *   `/work/shared/reference/nuclides.md` (project reference sheet transcribed from the ICRP-107
 *   supplemental files as redistributed in the OpenGATE icrp107-database and radioactivedecay's
 *   icrp107_ame2020_nubase2020 dataset). EC fraction = (β⁺&EC branch) − β⁺ yield.
 * - C-11, N-13, O-15, Ga-68, Zr-89, I-124: RECALLED (not read from a table in this session) from
 *   NNDC/ENSDF (NuDat 3) and ICRP-107; half-lives and β⁺ yields are standard values quoted to the
 *   digits given, the per-decay electron and photon energies are derived as yield × mean energy
 *   plus an approximate Auger/X-ray/γ contribution and are good to ~2 %. They carry
 *   `verified: false`; check them against the ICRP-107 files before using them for dosimetry.
 *
 * DICOM codes: CID 4020 "PET Radionuclide" (DICOM PS3.16), SRT and SNOMED CT code values, as
 * tabulated in DCMTK's generated `cmr/cid4020.h` (from PS3.16-2022b). Cu-67 is not in CID 4020.
 */
import type { Nuclide } from "./nuclide-types.js";

/** Seconds per unit (exact). */
const MIN = 60;
const H = 3600;
const D = 86400;

/** 2 × electron rest energy, MeV (CODATA 2018: m_e c² = 0.51099895 MeV). */
const ANNIHILATION_MEV = 2 * 0.51099895;

export const NUCLIDES: readonly Nuclide[] = [
  {
    // ICRP-107 (read, nuclides.md): T½ 12.700 h; β⁺&EC 0.61 → Ni-64, β⁻ 0.39 → Zn-64;
    // β⁺ yield 0.174083, mean 0.27822 MeV; β⁻ 0.39, mean 0.190428 MeV; non-penetrating
    // 0.124751 MeV/decay; photons 0.185485 MeV/decay (annihilation 0.177913; γ 1346 keV 0.0047336).
    // EC = 0.61 − 0.174083 = 0.435917. DDEP (Bé et al. 2011): 12.7004(20) h, β⁺ 17.52 %, β⁻ 38.48 %.
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
  },
  {
    // ICRP-107 (read, nuclides.md): T½ 23.7 min; β⁺&EC 1.0 → Ni-60; β⁺ 0.921644 / 0.973044 MeV;
    // non-penetrating 0.897515; photons 3.91114 MeV/decay. EC = 1 − 0.921644 = 0.078356.
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
  },
  {
    // ICRP-107 (read, nuclides.md): T½ 3.333 h; β⁺&EC 1.0 → Ni-61; β⁺ 0.614431 / 0.499077 MeV;
    // non-penetrating 0.309027; photons 0.823697. EC = 1 − 0.614431 = 0.385569.
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
  },
  {
    // ICRP-107 (read, nuclides.md): T½ 9.673 min; β⁺&EC 1.0 → Ni-62; β⁺ 0.978074 / 1.313 MeV;
    // non-penetrating 1.28432; photons 1.00687. EC = 1 − 0.978074 = 0.021926.
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
  },
  {
    // ICRP-107 (read, nuclides.md): T½ 61.83 h; β⁻ 1.0 → Zn-67, mean 0.135893 MeV;
    // non-penetrating 0.150388; photons 0.115355 (γ 184.6 keV 0.487; 93.3 keV 0.161).
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
  },
  {
    // ICRP-107 (read, nuclides.md): T½ 109.77 min; β⁺&EC 1.0 → O-18; β⁺ 0.9673 / 0.249776 MeV;
    // non-penetrating 0.241608; photons 0.988581. Agrees with Ph. Eur. table 5.7 (NNDC).
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
  },
  {
    // RECALLED, NNDC/ENSDF (NuDat 3): T½ 67.71 min (DDEP gives 67.83 min; the ICRP-107
    // value was not at hand here);
    // β⁺ 88.91 % (87.72 % at mean 836.0 keV + 1.19 % at 352.6 keV → mean 0.8295 MeV), EC 11.09 %;
    // γ 1077.3 keV 3.22 %. Electrons ≈ 0.8891 × 0.8295 + ~0.0014 Auger/CE; photons ≈ 0.8891 ×
    // 1.022 + 0.0347 (1077 keV) + ~0.001 X. Not read from a table: verify.
    name: "Ga-68",
    element: "Ga",
    elementName: "Gallium",
    massNumber: 68,
    halfLifeS: 67.71 * MIN,
    branches: [
      { mode: "beta+", fraction: 0.8891, daughter: "Zn-68" },
      { mode: "EC", fraction: 0.1109, daughter: "Zn-68" },
    ],
    positronFraction: 0.8891,
    meanBetaPlusEnergyMeV: 0.8295,
    meanBetaMinusEnergyMeV: null,
    electronEnergyPerDecayMeV: 0.8891 * 0.8295 + 0.0014,
    photonEnergyPerDecayMeV: 0.8891 * ANNIHILATION_MEV + 0.0347 + 0.001,
    dicom: { srtCode: "C-131A3", sctCode: "35337001", codeMeaning: "^68^Gallium" },
    source: "NNDC/ENSDF (NuDat 3), recalled; energies per decay derived (±2 %)",
    verified: false,
  },
  {
    // RECALLED, NNDC/ENSDF: T½ 78.41 h; β⁺ 22.74 % mean 395.5 keV, EC 77.26 % → Y-89 (via
    // Y-89m, γ 909.15 keV 99.04 %). Electrons ≈ 0.2274 × 0.3955 + ~0.006 Auger/CE; photons ≈
    // 0.2274 × 1.022 + 0.9004 (909 keV) + ~0.0149 (1713/1744 keV) + ~0.0075 X. Not read: verify.
    name: "Zr-89",
    element: "Zr",
    elementName: "Zirconium",
    massNumber: 89,
    halfLifeS: 78.41 * H,
    branches: [
      { mode: "beta+", fraction: 0.2274, daughter: "Y-89" },
      { mode: "EC", fraction: 0.7726, daughter: "Y-89" },
    ],
    positronFraction: 0.2274,
    meanBetaPlusEnergyMeV: 0.3955,
    meanBetaMinusEnergyMeV: null,
    electronEnergyPerDecayMeV: 0.2274 * 0.3955 + 0.006,
    photonEnergyPerDecayMeV: 0.2274 * ANNIHILATION_MEV + 0.9004 + 0.0149 + 0.0075,
    dicom: { srtCode: "C-168A4", sctCode: "63360001", codeMeaning: "^89^Zirconium" },
    source: "NNDC/ENSDF (NuDat 3), recalled; energies per decay derived (±2 %)",
    verified: false,
  },
  {
    // RECALLED, ICRP-107: T½ 20.39 min (ENSDF 2012: 20.364 min); β⁺ 99.759 % mean 385.6 keV,
    // EC 0.241 %. Electrons = β⁺ only; photons = annihilation only. Not read: verify.
    name: "C-11",
    element: "C",
    elementName: "Carbon",
    massNumber: 11,
    halfLifeS: 20.39 * MIN,
    branches: [
      { mode: "beta+", fraction: 0.99759, daughter: "B-11" },
      { mode: "EC", fraction: 0.00241, daughter: "B-11" },
    ],
    positronFraction: 0.99759,
    meanBetaPlusEnergyMeV: 0.3856,
    meanBetaMinusEnergyMeV: null,
    electronEnergyPerDecayMeV: 0.99759 * 0.3856,
    photonEnergyPerDecayMeV: 0.99759 * ANNIHILATION_MEV,
    dicom: { srtCode: "C-105A1", sctCode: "40565003", codeMeaning: "^11^Carbon" },
    source: "ICRP-107 / NNDC, recalled; energies per decay derived (±1 %)",
    verified: false,
  },
  {
    // RECALLED, ICRP-107/ENSDF: T½ 122.24 s; β⁺ 99.9003 % mean 735.28 keV, EC 0.0997 %.
    // Electrons = β⁺ only; photons = annihilation only. Not read: verify.
    name: "O-15",
    element: "O",
    elementName: "Oxygen",
    massNumber: 15,
    halfLifeS: 122.24,
    branches: [
      { mode: "beta+", fraction: 0.999003, daughter: "N-15" },
      { mode: "EC", fraction: 0.000997, daughter: "N-15" },
    ],
    positronFraction: 0.999003,
    meanBetaPlusEnergyMeV: 0.73528,
    meanBetaMinusEnergyMeV: null,
    electronEnergyPerDecayMeV: 0.999003 * 0.73528,
    photonEnergyPerDecayMeV: 0.999003 * ANNIHILATION_MEV,
    dicom: { srtCode: "C-B1038", sctCode: "129504001", codeMeaning: "^15^Oxygen" },
    source: "ICRP-107 / NNDC, recalled; energies per decay derived (±1 %)",
    verified: false,
  },
  {
    // RECALLED, ICRP-107/ENSDF: T½ 9.965 min; β⁺ 99.8036 % mean 491.82 keV, EC 0.1964 %.
    // Electrons = β⁺ only; photons = annihilation only. Not read: verify.
    name: "N-13",
    element: "N",
    elementName: "Nitrogen",
    massNumber: 13,
    halfLifeS: 9.965 * MIN,
    branches: [
      { mode: "beta+", fraction: 0.998036, daughter: "C-13" },
      { mode: "EC", fraction: 0.001964, daughter: "C-13" },
    ],
    positronFraction: 0.998036,
    meanBetaPlusEnergyMeV: 0.49182,
    meanBetaMinusEnergyMeV: null,
    electronEnergyPerDecayMeV: 0.998036 * 0.49182,
    photonEnergyPerDecayMeV: 0.998036 * ANNIHILATION_MEV,
    dicom: { srtCode: "C-107A1", sctCode: "21576001", codeMeaning: "^13^Nitrogen" },
    source: "ICRP-107 / NNDC, recalled; energies per decay derived (±1 %)",
    verified: false,
  },
  {
    // RECALLED, NNDC/ENSDF: T½ 4.1760 d; β⁺ 22.7 % (11.7 % mean 686.9 keV + 10.7 % mean
    // 974.7 keV + minor → mean ≈ 0.820 MeV), EC 77.3 % → Te-124. γ 602.7 keV 62.9 %, 1691 keV
    // 11.1 %, 722.8 keV 10.4 % and many more: photons ≈ 1.09 MeV/decay (approximate, ±3 %);
    // electrons ≈ 0.227 × 0.820 + ~0.008 Auger/CE. Not read: verify.
    name: "I-124",
    element: "I",
    elementName: "Iodine",
    massNumber: 124,
    halfLifeS: 4.176 * D,
    branches: [
      { mode: "beta+", fraction: 0.227, daughter: "Te-124" },
      { mode: "EC", fraction: 0.773, daughter: "Te-124" },
    ],
    positronFraction: 0.227,
    meanBetaPlusEnergyMeV: 0.82,
    meanBetaMinusEnergyMeV: null,
    electronEnergyPerDecayMeV: 0.227 * 0.82 + 0.008,
    photonEnergyPerDecayMeV: 1.09,
    dicom: { srtCode: "C-114A5", sctCode: "40937006", codeMeaning: "^124^Iodine" },
    source: "NNDC/ENSDF (NuDat 3), recalled; energies per decay approximate (±3 %)",
    verified: false,
  },
];
