/**
 * Oxygen transport parameters and their one unit conversion.
 *
 * Steady-state reaction–diffusion (Krogh diffusion coefficient K = D·α):
 *
 *     K ∇²P = M(P),   M(P) = M0 · P / (P + Pcrit)   (Michaelis–Menten consumption)
 *
 * Defaults are Secomb's tumour values: repository secomb/GreensV4, files
 * `Tumor_FaDu1012/SoluteParams.dat` and `Tumor1998/SoluteParams.dat` (consumption law in
 * `tissrate.cpp.dat`); method in Secomb, Hsu, Park, Dewhirst, Ann Biomed Eng 2004;32:1519–1529.
 * Values only are taken (GreensV4 is non-commercial code; none of it is used here).
 */

/** Consumption law: Michaelis–Menten (default) or zero-order (constant M0, analytic benchmarks). */
export type ConsumptionLaw = "michaelis-menten" | "zero-order";

export interface OxygenParams {
  /** Krogh diffusion coefficient D·α, cm³ O2 · cm⁻¹ · s⁻¹ · mmHg⁻¹. */
  readonly diffusivitySolubility: number;
  /** Maximum O2 consumption rate M0, cm³ O2 · cm⁻³ tissue · s⁻¹. */
  readonly maxConsumption: number;
  /** Michaelis constant of consumption Pcrit, mmHg. */
  readonly pCritMmHg: number;
  readonly law: ConsumptionLaw;
}

/** Secomb GreensV4 SoluteParams.dat: D·α = 4.2e-10 cm³O2/cm/s/mmHg. */
export const SECOMB_DIFFUSIVITY_SOLUBILITY = 4.2e-10;
/** Secomb GreensV4 SoluteParams.dat: M0 = 5e-4 cm³O2/cm³/s (= 3.0 mL/100 mL/min). */
export const SECOMB_MAX_CONSUMPTION = 5e-4;
/** Secomb GreensV4 SoluteParams.dat / tissrate.cpp.dat: Michaelis constant 1 mmHg. */
export const SECOMB_PCRIT_MMHG = 1;

/** The Secomb tumour defaults with Michaelis–Menten consumption. */
export const DEFAULT_OXYGEN_PARAMS: OxygenParams = {
  diffusivitySolubility: SECOMB_DIFFUSIVITY_SOLUBILITY,
  maxConsumption: SECOMB_MAX_CONSUMPTION,
  pCritMmHg: SECOMB_PCRIT_MMHG,
  law: "michaelis-menten",
};

/** cm² per µm²: (1e-4 cm/µm)². */
const CM2_PER_UM2 = 1e-8;

/**
 * The one unit conversion of the module: dividing the equation by K gives ∇²P = (M0/K)·g(P) with
 * M0/K in mmHg/cm² (cm³O2/cm³/s ÷ cm³O2/cm/s/mmHg = mmHg/cm²); times 1e-8 cm²/µm² gives the
 * consumption coefficient in mmHg/µm², the unit the solver works in (lengths in µm).
 * Secomb defaults: 5e-4 / 4.2e-10 · 1e-8 = 0.0119 mmHg/µm².
 */
export function consumptionMmHgPerUm2(p: OxygenParams): number {
  return (p.maxConsumption / p.diffusivitySolubility) * CM2_PER_UM2;
}
