/**
 * Tumour micro-environment: the tumour is split into `levels` concentric shells; shell k (relative
 * radius ρ ∈ [k/K, (k+1)/K)) has vessel length density Lv = Lv_core + (Lv_rim − Lv_core)·ρ_mid².
 * For each shell, a 2-D cross-section of tissue (capillaries perpendicular to the section,
 * 10 µm pixels) with a seeded random vessel network is solved for steady-state pO2 (sim/oxygen,
 * Secomb parameters). The tissue pixels' pO2 values are that shell's microscopic pO2
 * distribution: PET voxels (≥ 0.3 mm) are far larger than the O2 diffusion distance (~0.1 mm),
 * so every voxel is a mixture (atsm-science.md §6.2).
 */

import { solveOxygen } from "../oxygen/solve.js";
import { po2Histogram } from "../oxygen/stats.js";
import { generateVesselNetwork } from "../vessels/network.js";

export interface ShellOxygen {
  readonly vesselDensityMmPerMm3: number;
  /** Sorted tissue pO2 values of the section, mmHg. */
  readonly po2SamplesMmHg: Float32Array;
  readonly meanMmHg: number;
  readonly hypoxicFraction10: number;
  readonly hypoxicFraction2p5: number;
}

export interface MicroenvironmentOptions {
  readonly levels: number;
  readonly vesselDensityRim: number;
  readonly vesselDensityCore: number;
  readonly seed: number;
  /** Section size in pixels (default 128 → 1.28 mm at 10 µm). */
  readonly sectionPixels?: number;
}

const SECTION_SPACING_UM = 10;

/** Shell k's vessel density. */
export function shellVesselDensity(k: number, o: MicroenvironmentOptions): number {
  const rho = (k + 0.5) / o.levels;
  return o.vesselDensityCore + (o.vesselDensityRim - o.vesselDensityCore) * rho * rho;
}

/** Exact memo of solveTumourShells (a pure function of its options); a few entries at most. */
const SHELL_CACHE = new Map<string, ShellOxygen[]>();
const SHELL_CACHE_MAX = 16;

/** Per-shell pO2 distributions (memoised: the result is a pure function of the options). */
export function solveTumourShells(o: MicroenvironmentOptions): ShellOxygen[] {
  const key = JSON.stringify([
    o.levels,
    o.vesselDensityRim,
    o.vesselDensityCore,
    o.seed,
    o.sectionPixels ?? 128,
  ]);
  const hit = SHELL_CACHE.get(key);
  if (hit !== undefined) return hit;
  const out = solveShells(o);
  if (SHELL_CACHE.size >= SHELL_CACHE_MAX) SHELL_CACHE.clear();
  SHELL_CACHE.set(key, out);
  return out;
}

function solveShells(o: MicroenvironmentOptions): ShellOxygen[] {
  const n = o.sectionPixels ?? 128;
  const out: ShellOxygen[] = [];
  for (let k = 0; k < o.levels; k++) {
    const lv = shellVesselDensity(k, o);
    const vessels = generateVesselNetwork({
      dims: [n, n, 1],
      spacingUm: [SECTION_SPACING_UM, SECTION_SPACING_UM, SECTION_SPACING_UM],
      lengthDensityMmPerMm3: lv,
      radiusUm: 5,
      meanPo2MmHg: 40,
      sdPo2MmHg: 10,
      seed: (o.seed * 1009 + k * 7919) >>> 0,
    });
    const sol = solveOxygen({
      dims: [n, n, 1],
      spacingUm: [SECTION_SPACING_UM, SECTION_SPACING_UM, SECTION_SPACING_UM],
      vesselMask: vessels.mask,
      vesselPo2MmHg: vessels.po2MmHg,
    });
    const samples = new Float32Array(n * n);
    let m = 0;
    for (let u = 0; u < n * n; u++) if (vessels.mask[u] === 0) samples[m++] = sol.po2MmHg[u]!;
    const tissue = samples.slice(0, m).sort();
    const h = po2Histogram(tissue);
    out.push({
      vesselDensityMmPerMm3: lv,
      po2SamplesMmHg: tissue,
      meanMmHg: h.meanMmHg,
      hypoxicFraction10: h.hypoxicFraction10,
      hypoxicFraction2p5: h.hypoxicFraction2p5,
    });
  }
  return out;
}

/** `count` mid-quantiles of sorted samples (for the per-shell tracer simulation). */
export function midQuantiles(sorted: Float32Array, count: number): Float64Array {
  const q = new Float64Array(count);
  for (let i = 0; i < count; i++) {
    const idx = Math.min(sorted.length - 1, Math.floor(((i + 0.5) / count) * sorted.length));
    q[i] = sorted[idx]!;
  }
  return q;
}
