/**
 * Simulate an in-vivo preset (xenograft or patient): mean tumour and muscle PET concentration
 * over time and their ratio T/M. The tumour is represented by deterministic pO2 quantiles of its
 * distribution (`po2Quantiles`), so results are reproducible without a seed.
 */
import { simulateRegionMeanTac } from "../tumour/map.js";
import { hypoxicFractions, type Po2Distribution, po2Quantiles } from "../tumour/po2.js";
import { buildTracerGrid } from "../tumour/tissue.js";
import type { InVivoPreset } from "./xenografts.js";

export interface InVivoResult {
  readonly timesS: Float64Array;
  /** Mean tumour PET concentration, fraction of injected activity per mL (decay-corrected). */
  readonly tumour: Float64Array;
  readonly muscle: Float64Array;
  /** Tumour-to-muscle ratio at each time. */
  readonly tmr: Float64Array;
}

/** Number of pO2 quantile samples per tumour (64 gives T/M converged to < 0.5 % [D]). */
export const TUMOUR_PO2_SAMPLES = 64;

export function simulateInVivo(
  p: InVivoPreset,
  timesS: readonly number[],
  samples = TUMOUR_PO2_SAMPLES,
): InVivoResult {
  const sorted = [...timesS].sort((a, b) => a - b);
  const grid = buildTracerGrid(p.input, sorted);
  const t = simulateRegionMeanTac(p.tumour, po2Quantiles(p.tumourPo2, samples), grid);
  const m = simulateRegionMeanTac(p.muscle, po2Quantiles(p.musclePo2, samples), grid);
  // Back to the caller's order.
  const idx = timesS.map((x) => sorted.indexOf(x));
  const tumour = Float64Array.from(idx, (i) => t[i]!);
  const muscle = Float64Array.from(idx, (i) => m[i]!);
  return {
    timesS: Float64Array.from(timesS),
    tumour,
    muscle,
    tmr: Float64Array.from(tumour, (v, i) => v / muscle[i]!),
  };
}

/**
 * Mean T/M over a time window as a scanner reports it from summed frames: ratio of the
 * decay-weighted (uncorrected-count) averages of tumour and muscle over [t0, t1], sampled every
 * `stepS`. `halfLifeS` = Infinity for decay-corrected averaging.
 */
export function windowTmr(
  p: InVivoPreset,
  t0S: number,
  t1S: number,
  halfLifeS: number,
  stepS = 60,
  samples = TUMOUR_PO2_SAMPLES,
): number {
  const times: number[] = [];
  for (let t = t0S; t <= t1S + 1e-9; t += stepS) times.push(t);
  const r = simulateInVivo(p, times, samples);
  const lambda = Number.isFinite(halfLifeS) ? Math.LN2 / halfLifeS : 0;
  let a = 0;
  let b = 0;
  times.forEach((t, i) => {
    const w = Math.exp(-lambda * t);
    a += w * r.tumour[i]!;
    b += w * r.muscle[i]!;
  });
  return a / b;
}

/** HF10 / HF2.5 of a pO2 distribution, from its 1024 mid-quantiles. */
export function hypoxicFractionsOf(d: Po2Distribution): { below10MmHg: number; below2p5MmHg: number } {
  return hypoxicFractions(po2Quantiles(d, 1024));
}
