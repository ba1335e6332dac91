/**
 * Cu-ATSM in tissue: plasma ↔ interstitium exchange (K1, k2) coupled to the cell model of
 * `sim/cell/model.ts` in every voxel, driven by the voxel's pO2.
 *
 * States per mL tissue (fraction of injected activity per mL, decay-corrected), order:
 *   0 EXT interstitial Cu(II)-ATSM, 1 CI, 2 RED, 3 TRAP, 4 BOUND (as in the cell model)
 *
 *   dEXT/dt = K1·Cp(t) − k2·EXT − k_in·EXT + k_out·CI
 *   (CI, RED, TRAP, BOUND as in the cell model; copper released from cells is cleared)
 *
 * with k_in = k_out·λ·f_cell/f_ext (cell and interstitial volume fractions). The PET signal is
 *   C_PET = (1 − v_B)·ΣC + v_B·r_bp·Cp.
 *
 * Irreversible two-tissue behaviour emerges: with fast membrane exchange and [Cu(I)ATSM]⁻ at
 * quasi-steady state, free tracer (EXT + CI) behaves as one compartment C1 and trapping as k3,
 *   k2' = k2/(1 + φ),  k3' = k3_eff(pO2)·φ/(1 + φ),  φ = k_in/k_out = λ·f_cell/f_ext,
 *   Ki = K1·k3'/(k2' + k3')   (Patlak slope; `equivalentTwoTissue`).
 *
 * Integration: exact first-order-hold propagator (`sim/ode/linear.ts`): the input is taken as
 * piecewise linear on a time grid (5 s steps to 320 s, 40 s to 32 min, 160 s to ~3 h, 640 s
 * after; plus every requested time), the ODE itself is solved exactly on each step. The grid steps
 * are 5 s·2^k, so one matrix exponential and 7 squarings give all of them; steps cut short by a
 * requested time get their own exponential.
 */
import { AtsmError } from "../../core/errors.js";
import { type CellKinetics, kOxPerMmHgPerS, netTrappingRatePerS } from "../cell/model.js";
import { type PlasmaInputFunction, sampleInput } from "../input/index.js";
import { augmentedExp, propagatorFromAugmented, type RampPropagator, stepRamp } from "../ode/linear.js";
import { matMul } from "../ode/matrix.js";

/** Exchange and volume parameters of one tissue. */
export interface TissueKinetics {
  /** Plasma → interstitium clearance K1, mL plasma / mL tissue / s. */
  readonly k1MlPerMlPerS: number;
  /** Interstitium → plasma rate constant k2, 1/s. */
  readonly k2PerS: number;
  /** Volume fraction of (viable) cells, mL/mL. */
  readonly cellVolumeFraction: number;
  /** Volume fraction of interstitial space, mL/mL. */
  readonly extracellularVolumeFraction: number;
  /** Blood volume fraction v_B, mL/mL. */
  readonly bloodVolumeFraction: number;
}

/** A tissue type: exchange + the cell kinetics of its cells + their reductive state. */
export interface TissueRegion {
  readonly name: string;
  readonly tissue: TissueKinetics;
  readonly cell: CellKinetics;
  /** Reductive state ρ of the cells (multiplies k_red). */
  readonly rho: number;
}

/** Number of states of the tissue model. */
export const TISSUE_STATE_COUNT = 5;

/** Fill the 5×5 rate matrix of a voxel and return it. */
export function tissueRateMatrix(
  region: TissueRegion,
  pO2MmHg: number,
  out: Float64Array = new Float64Array(TISSUE_STATE_COUNT * TISSUE_STATE_COUNT),
): Float64Array {
  const n = TISSUE_STATE_COUNT;
  const { tissue: t, cell: c, rho } = region;
  out.fill(0);
  const kIn = (c.kOutPerS * c.partitionCoefficient * t.cellVolumeFraction) / t.extracellularVolumeFraction;
  const kRed = rho * c.kRedPerS;
  const kOx = kOxPerMmHgPerS(c) * Math.max(0, pO2MmHg);
  const add = (r: number, col: number, v: number): void => {
    out[r * n + col] = out[r * n + col]! + v;
  };
  const flow = (from: number, to: number, v: number): void => {
    if (to >= 0) add(to, from, v);
    add(from, from, -v);
  };
  flow(0, -1, t.k2PerS);
  flow(0, 1, kIn);
  flow(1, 0, c.kOutPerS);
  flow(1, 2, kRed);
  flow(2, 1, kOx);
  flow(2, 3, c.kDissPerS);
  flow(3, 4, c.kBindPerS);
  flow(3, -1, c.kReleasePerS);
  flow(4, -1, c.kEffluxPerS);
  return out;
}

/** The equivalent irreversible 2TCM (see the file comment), rates in 1/s. */
export function equivalentTwoTissue(
  region: TissueRegion,
  pO2MmHg: number,
): {
  k1MlPerMlPerS: number;
  k2PerS: number;
  k3PerS: number;
  kiMlPerMlPerS: number;
  distributionVolume: number;
} {
  const { tissue: t, cell: c } = region;
  const phi = (c.partitionCoefficient * t.cellVolumeFraction) / t.extracellularVolumeFraction;
  const k2 = t.k2PerS / (1 + phi);
  const k3 = (netTrappingRatePerS(c, pO2MmHg, region.rho) * phi) / (1 + phi);
  return {
    k1MlPerMlPerS: t.k1MlPerMlPerS,
    k2PerS: k2,
    k3PerS: k3,
    kiMlPerMlPerS: (t.k1MlPerMlPerS * k3) / (k2 + k3),
    distributionVolume: t.k1MlPerMlPerS / k2,
  };
}

/** Time grid + sampled input shared by all voxels of one simulation. */
export interface TracerGrid {
  /** Grid nodes, s, starting at 0. */
  readonly nodesS: Float64Array;
  /** Cp at the nodes. */
  readonly cpAtNodes: Float64Array;
  /** Index of each requested time in `nodesS`. */
  readonly outputIndex: Int32Array;
  readonly timesS: Float64Array;
  readonly input: PlasmaInputFunction;
}

/** Base step of the grid, s; all regular steps are BASE_STEP_S·2^k. */
const BASE_STEP_S = 5;
const SEGMENTS: readonly (readonly [number, number])[] = [
  [320, BASE_STEP_S],
  [1920, BASE_STEP_S * 8],
  [10_880, BASE_STEP_S * 32],
  [Number.POSITIVE_INFINITY, BASE_STEP_S * 128],
];

/** Build the integration grid for output `timesS` (ascending, ≥ 0). */
export function buildTracerGrid(input: PlasmaInputFunction, timesS: readonly number[]): TracerGrid {
  let prev = -1;
  for (const t of timesS) {
    if (!Number.isFinite(t) || t < 0 || t < prev) {
      throw new AtsmError({
        code: "INVALID_ARGUMENT",
        message: "tracer times must be finite, ≥ 0 and ascending",
        value: timesS,
        field: "times",
        hint: "e.g. 20m,90m,18h",
      });
    }
    prev = t;
  }
  const end = timesS.length > 0 ? timesS[timesS.length - 1]! : 0;
  const nodes = new Set<number>([0, input.tPeakS]);
  let t = 0;
  for (const [until, step] of SEGMENTS) {
    while (t < until && t < end) {
      t = Math.min(t + step, until, end);
      nodes.add(t);
    }
  }
  for (const x of timesS) nodes.add(x);
  const nodesS = Float64Array.from([...nodes].filter((x) => x <= Math.max(end, 0)).sort((a, b) => a - b));
  const outputIndex = Int32Array.from(timesS, (x) => nodesS.indexOf(x));
  return {
    nodesS,
    cpAtNodes: sampleInput(input, nodesS),
    outputIndex,
    timesS: Float64Array.from(timesS),
    input,
  };
}

/** Quantise a step length so equal steps share one propagator (1 µs). */
function stepKey(h: number): number {
  return Math.round(h * 1e6);
}

/** Scratch reused by `simulateVoxel` (module level; the kernel is single-threaded per realm). */
const A_SCRATCH = new Float64Array(TISSUE_STATE_COUNT * TISSUE_STATE_COUNT);
const X = new Float64Array(TISSUE_STATE_COUNT);
const S = new Float64Array(TISSUE_STATE_COUNT);

/**
 * Tissue and PET concentration of one voxel at the grid's output times, fraction of injected
 * activity per mL (decay-corrected). Writes `outTissue[i]`, `outPet[i]`, and optionally
 * `outTrapped[i]` (TRAP + BOUND) for output i.
 */
export function simulateVoxel(
  region: TissueRegion,
  pO2MmHg: number,
  grid: TracerGrid,
  outPet: Float64Array,
  outTissue?: Float64Array,
  outTrapped?: Float64Array,
): void {
  const n = TISSUE_STATE_COUNT;
  const a = tissueRateMatrix(region, pO2MmHg, A_SCRATCH);
  const b = [region.tissue.k1MlPerMlPerS, 0, 0, 0, 0];
  const cache = new Map<number, RampPropagator>();
  const m = n + 2;
  // Powers of two of the base step by repeated squaring of one augmented exponential.
  let e = augmentedExp(a, b, n, BASE_STEP_S);
  let h2 = BASE_STEP_S;
  for (let k = 0; k <= 7; k++) {
    cache.set(stepKey(h2), propagatorFromAugmented(e, n, h2));
    e = matMul(e, e, m, new Float64Array(m * m));
    h2 *= 2;
  }
  X.fill(0);
  const { nodesS, cpAtNodes, outputIndex } = grid;
  const vb = region.tissue.bloodVolumeFraction;
  const rbp = grid.input.bloodToPlasmaRatio;
  let o = 0;
  const emit = (node: number): void => {
    while (o < outputIndex.length && outputIndex[o] === node) {
      let sum = 0;
      for (let i = 0; i < n; i++) sum += X[i]!;
      outPet[o] = (1 - vb) * sum + vb * rbp * cpAtNodes[node]!;
      if (outTissue) outTissue[o] = sum;
      if (outTrapped) outTrapped[o] = X[3]! + X[4]!;
      o++;
    }
  };
  emit(0);
  for (let j = 1; j < nodesS.length; j++) {
    const h = nodesS[j]! - nodesS[j - 1]!;
    const key = stepKey(h);
    let p = cache.get(key);
    if (p === undefined) {
      p = propagatorFromAugmented(augmentedExp(a, b, n, h), n, h);
      cache.set(key, p);
    }
    stepRamp(p, X, cpAtNodes[j - 1]!, cpAtNodes[j]!, S);
    emit(j);
  }
}
