/**
 * Body-size normalisers for SUV: lean body mass (Janmahasatian, James) and body surface area
 * (Du Bois). Inputs in kg and m (DICOM PatientWeight / PatientSize units); outputs in kg and m².
 */

/** Biological sex for the LBM formulas (DICOM PatientSex M / F). */
export type SuvSex = "M" | "F";

/** Body-mass index W/H², kg/m². */
export function bodyMassIndex(weightKg: number, heightM: number): number {
  return weightKg / (heightM * heightM);
}

/**
 * Lean body mass by Janmahasatian et al. 2005 (Clin Pharmacokinet 44:1051–1065, eq. 8/9), kg:
 *   male   LBM = 9270·W / (6680 + 216·BMI)
 *   female LBM = 9270·W / (8780 + 244·BMI)
 * with W in kg and BMI = W/H² in kg/m². Recommended for SUL by Tahari et al. 2014 (J Nucl Med
 * 55:1481) in place of James; Cornerstone calculate-suv (`calculateSULScalingFactor`, and
 * `suvlbmJanma`) uses the same constants.
 */
export function leanBodyMassJanmahasatianKg(weightKg: number, heightM: number, sex: SuvSex): number {
  const bmi = bodyMassIndex(weightKg, heightM);
  return sex === "M" ? (9270 * weightKg) / (6680 + 216 * bmi) : (9270 * weightKg) / (8780 + 244 * bmi);
}

/**
 * Lean body mass by James 1976 (Research on Obesity, DHSS/MRC, HMSO London), as quoted by
 * Janmahasatian et al. 2005 (eq. 1/2), Sugawara et al. 1999 (Radiology 213:521) and PERCIST 1.0 (Wahl et al. 2009, J Nucl Med
 * 50:122S), kg:
 *   male   LBM = 1.10·W − 128·(W/H)²
 *   female LBM = 1.07·W − 148·(W/H)²
 * with W in kg and H in cm. Decreases with weight above W = 1.10·H²/256 (male): the known
 * paradox for obese patients (why Tahari et al. 2014 prefer Janmahasatian). May return ≤ 0 for extreme
 * inputs (the caller reports that as unavailable).
 *
 * Note: Cornerstone calculate-suv (`calculateSUVlbmScalingFactor`, 2021) uses 120 instead of 128
 * for males (medicalconnections.co.uk); we keep James's published 128.
 */
export function leanBodyMassJamesKg(weightKg: number, heightM: number, sex: SuvSex): number {
  const heightCm = heightM * 100; // m -> cm (James's H is in cm)
  const r2 = (weightKg / heightCm) ** 2;
  return sex === "M" ? 1.1 * weightKg - 128 * r2 : 1.07 * weightKg - 148 * r2;
}

/**
 * Body surface area by Du Bois & Du Bois 1916 (Arch Intern Med 17:863), m²:
 *   BSA = 0.007184 · W^0.425 · H^0.725, W in kg, H in cm.
 */
export function bodySurfaceAreaDuBoisM2(weightKg: number, heightM: number): number {
  const heightCm = heightM * 100; // m -> cm
  return 0.007184 * weightKg ** 0.425 * heightCm ** 0.725;
}
