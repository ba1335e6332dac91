/** Energy bookkeeping helpers on the nuclide table. */

/** J per MeV (CODATA 2018: 1 eV = 1.602176634e-19 J exactly). */
export const MEV_TO_J = 1.602176634e-13;

/**
 * Absorbed dose from complete decay of `activityBq` (at t = 0) in `massKg`, depositing locally
 * `energyPerDecayMeV` per decay (e.g. `nuclide.electronEnergyPerDecayMeV` for non-penetrating
 * radiation): D = A₀·(T½/ln 2)·E·1.602e-13 J/MeV / m, Gy. The MIRD "local deposition" sanity check,
 * not a dosimetry model.
 */
export function localDoseFromCompleteDecayGy(
  activityBq: number,
  halfLifeS: number,
  energyPerDecayMeV: number,
  massKg: number,
): number {
  return (activityBq * (halfLifeS / Math.LN2) * energyPerDecayMeV * MEV_TO_J) / massKg;
}
