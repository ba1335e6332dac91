/** The `Nuclide` record (DESIGN.md core type): half-life, decay branches, mean energies, sources. */

/** Decay mode of one branch: positron emission, electron capture, or β⁻ emission. */
export type DecayMode = "beta+" | "EC" | "beta-";

/** One decay branch: probability per decay and the daughter nuclide. */
export interface DecayBranch {
  readonly mode: DecayMode;
  /** Probability per decay (0..1); the branches of a nuclide sum to 1. */
  readonly fraction: number;
  readonly daughter: string;
}

/** DICOM CID 4020 "PET Radionuclide" codes for a nuclide (PS3.16). */
export interface NuclideDicomCodes {
  /** SNOMED-RT style code value, e.g. "C-127A2" (coding scheme SRT). */
  readonly srtCode: string;
  /** SNOMED CT code value, e.g. "3932008" (coding scheme SCT). */
  readonly sctCode: string;
  /** Code meaning, e.g. "^64^Copper". */
  readonly codeMeaning: string;
}

/** The numeric fields of a `Nuclide` whose provenance is tracked one by one. */
export type NuclideField =
  | "halfLifeS"
  | "branches"
  | "meanBetaPlusEnergyMeV"
  | "meanBetaMinusEnergyMeV"
  | "electronEnergyPerDecayMeV"
  | "photonEnergyPerDecayMeV";

/** Decay data for one nuclide. Energies in MeV, times in s. */
export interface Nuclide {
  /** Canonical name, "Cu-64". */
  readonly name: string;
  /** Element symbol, "Cu". */
  readonly element: string;
  /** English element name, "Copper". */
  readonly elementName: string;
  readonly massNumber: number;
  /** Physical half-life, s. */
  readonly halfLifeS: number;
  /** Decay branches (β⁺, EC, β⁻); fractions sum to 1. */
  readonly branches: readonly DecayBranch[];
  /** Positrons per decay (β⁺ branch fraction). */
  readonly positronFraction: number;
  /** Mean kinetic energy of the emitted positrons, MeV per positron; null if no β⁺. */
  readonly meanBetaPlusEnergyMeV: number | null;
  /** Mean kinetic energy of the emitted β⁻ particles, MeV per β⁻; null if no β⁻. */
  readonly meanBetaMinusEnergyMeV: number | null;
  /** Non-penetrating (β⁺ + β⁻ + conversion + Auger electron) energy per decay, MeV. */
  readonly electronEnergyPerDecayMeV: number;
  /** Penetrating (γ + X + annihilation) energy per decay, MeV. */
  readonly photonEnergyPerDecayMeV: number;
  /** DICOM RadionuclideCodeSequence codes (CID 4020), null where the nuclide has none. */
  readonly dicom: NuclideDicomCodes | null;
  /** Dataset and table the numbers come from. */
  readonly source: string;
  /**
   * true = every numeric field was read from (or derived exactly from numbers read in) the named
   * table; false = at least one field is recalled, listed in `unverifiedFields`.
   */
  readonly verified: boolean;
  /** Fields NOT read from the named table (recalled or approximate); empty when `verified`. */
  readonly unverifiedFields: readonly NuclideField[];
}
