/**
 * Closed-form oxygen profiles with zero-order consumption (golden references for the solver).
 * K = D·α (cm³O2/cm/s/mmHg), M = consumption (cm³O2/cm³/s); lengths in µm, pO2 in mmHg.
 * Source: Krogh 1919 (J Physiol 52:409); formulas as collected in the project notes
 * (atsm-science.md §4.2) and Grimes, Fletcher, Partridge, R Soc Open Sci 2014 (PMC4448765).
 */
import { consumptionMmHgPerUm2, type OxygenParams } from "./params.js";

/**
 * Krogh cylinder: capillary radius rc, tissue radius R (no flux at R), wall pO2 Pc:
 * P(r) = Pc + (M/4K)(r² − rc²) − (M R²/2K) ln(r/rc).
 */
export function kroghPo2MmHg(
  rUm: number,
  capillaryRadiusUm: number,
  tissueRadiusUm: number,
  wallPo2MmHg: number,
  params: OxygenParams,
): number {
  const mk = consumptionMmHgPerUm2(params); // M/K in mmHg/µm²
  const rc = capillaryRadiusUm;
  const R = tissueRadiusUm;
  return wallPo2MmHg + (mk / 4) * (rUm * rUm - rc * rc) - ((mk * R * R) / 2) * Math.log(rUm / rc);
}

/** Planar penetration depth L = sqrt(2 K P0 / M), µm. */
export function planarPenetrationDepthUm(surfacePo2MmHg: number, params: OxygenParams): number {
  return Math.sqrt((2 * surfacePo2MmHg) / consumptionMmHgPerUm2(params));
}

/** Planar profile P(x) = (M/2K)(L − x)² for x < L, else 0 (µm, mmHg). */
export function planarPo2MmHg(xUm: number, surfacePo2MmHg: number, params: OxygenParams): number {
  const L = planarPenetrationDepthUm(surfacePo2MmHg, params);
  if (xUm >= L) return 0;
  const d = L - xUm;
  return (consumptionMmHgPerUm2(params) / 2) * d * d;
}
