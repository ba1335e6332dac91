/**
 * Static image from a time window of a dynamic study, with decay handled explicitly.
 *
 * Let λ = ln 2 / T½, frame f start s_f, duration d_f (s, on the study's time axis), values C_f.
 * - Frames already decay-corrected to t_dc (`decayCorrectedToS` = t_dc): the window image is the
 *   frame-duration-weighted average Σ d_f C_f / Σ d_f, itself corrected to t_dc; re-referenced to
 *   t_ref by × exp(−λ (t_ref − t_dc)).
 * - Uncorrected frames (`decayCorrectedToS` = null): C_f is the physical frame average
 *   A(s_f)·(1 − e^{−λ d_f})/(λ d_f). Each frame is corrected to t_ref by
 *   × λ d_f / (1 − e^{−λ d_f}) · exp(λ (s_f − t_ref)), then duration-weighted averaged.
 * The default reference time is t_dc for corrected frames and the window start for uncorrected
 * ones; the result states it. A frame is used when it lies inside [startS, endS] (1 s tolerance);
 * frames that straddle an edge are left out with a warning.
 */
import { AtsmError } from "../core/errors.js";
import type { DynamicVolume, Volume } from "../core/types.js";
import { volumeOnGrid, voxelCount } from "../core/types.js";

export interface FrameWindowOptions {
  /** Window start and end, s on the study's time axis. */
  readonly startS: number;
  readonly endS: number;
  /** Physical half-life of the nuclide, s (e.g. Cu-60 23.7 min = 1422 s, ICRP-107). */
  readonly halfLifeS: number;
  /** Time the output is decay-corrected to, s; default see file comment. */
  readonly referenceTimeS?: number;
}

export interface FrameWindowResult {
  readonly volume: Volume;
  /** Time the output values are decay-corrected to, s. */
  readonly decayCorrectedToS: number;
  /** Frame numbers used (0-based). */
  readonly frames: number[];
  /** Actual summed span: first used frame start and last used frame end, s. */
  readonly spanStartS: number;
  readonly spanEndS: number;
  readonly warnings: string[];
}

const EDGE_TOLERANCE_S = 1;

/** Sum (decay-aware, duration-weighted average) the frames of `dyn` inside a time window. */
export function sumFrameWindow(dyn: DynamicVolume, options: FrameWindowOptions): FrameWindowResult {
  const { startS, endS, halfLifeS } = options;
  if (!(Number.isFinite(startS) && Number.isFinite(endS) && endS > startS)) {
    throw new AtsmError({
      code: "INVALID_ARGUMENT",
      message: "frame window must have finite start < end (s)",
      value: [startS, endS],
      field: "window",
      hint: "e.g. 30m-60m after injection",
    });
  }
  if (!(Number.isFinite(halfLifeS) && halfLifeS > 0)) {
    throw new AtsmError({
      code: "INVALID_ARGUMENT",
      message: "half-life must be a finite number of seconds > 0",
      value: halfLifeS,
      field: "halfLifeS",
    });
  }
  const n = voxelCount(dyn.dims);
  const nf = dyn.frameStartS.length;
  if (dyn.frameDurationS.length !== nf || dyn.data.length !== n * nf) {
    throw new AtsmError({
      code: "INCONSISTENT",
      message: `dynamic study has ${nf} frame starts, ${dyn.frameDurationS.length} durations and ${dyn.data.length / n} frames of data`,
    });
  }
  const lambda = Math.LN2 / halfLifeS;
  const used: number[] = [];
  const warnings: string[] = [];
  for (let f = 0; f < nf; f++) {
    const s = dyn.frameStartS[f]!;
    const e = s + dyn.frameDurationS[f]!;
    if (s >= startS - EDGE_TOLERANCE_S && e <= endS + EDGE_TOLERANCE_S) used.push(f);
    else if (s < endS && e > startS)
      warnings.push(`frame ${f} (${s}-${e} s) straddles the window ${startS}-${endS} s and was left out`);
  }
  if (used.length === 0) {
    const list = Array.from(dyn.frameStartS, (s, f) => `${s}+${dyn.frameDurationS[f]}`).join(", ");
    throw new AtsmError({
      code: "INVALID_ARGUMENT",
      message: `no frame lies inside the window ${startS}-${endS} s`,
      value: list,
      field: "window",
      hint: "choose a window that covers whole frames (frame start+duration listed, s)",
    });
  }
  const tdc = dyn.decayCorrectedToS;
  const tref = options.referenceTimeS ?? tdc ?? startS;
  let totalD = 0;
  for (const f of used) totalD += dyn.frameDurationS[f]!;
  const out = new Float32Array(n);
  for (const f of used) {
    const d = dyn.frameDurationS[f]!;
    const s = dyn.frameStartS[f]!;
    let factor: number;
    if (tdc !== null) factor = Math.exp(-lambda * (tref - tdc));
    else {
      const ld = lambda * d;
      const inFrame = ld > 1e-12 ? ld / -Math.expm1(-ld) : 1;
      factor = inFrame * Math.exp(lambda * (s - tref));
    }
    const w = (d / totalD) * factor;
    const frame = dyn.data.subarray(f * n, (f + 1) * n);
    for (let p = 0; p < n; p++) out[p] = out[p]! + w * frame[p]!;
  }
  const last = used[used.length - 1]!;
  return {
    volume: volumeOnGrid(dyn, out, dyn.unit),
    decayCorrectedToS: tref,
    frames: used,
    spanStartS: dyn.frameStartS[used[0]!]!,
    spanEndS: dyn.frameStartS[last]! + dyn.frameDurationS[last]!,
    warnings,
  };
}
