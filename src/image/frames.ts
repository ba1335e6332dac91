/**
 * Frames of a DynamicVolume as views and their time-weighted mean (pure, no copies for views).
 * Frame f occupies `data.subarray(f*n, (f+1)*n)` with n = nx·ny·nz (src/core/types.ts).
 */
import { type DynamicVolume, type Volume, volumeOnGrid } from "../core/types.js";

/** Number of frames. */
export function frameCount(dyn: DynamicVolume): number {
  return dyn.frameStartS.length;
}

/** Frame `f` as a Volume sharing the dynamic buffer (a view, not a copy). */
export function frameVolume(dyn: DynamicVolume, f: number): Volume {
  const n = dyn.dims[0] * dyn.dims[1] * dyn.dims[2];
  if (!Number.isInteger(f) || f < 0 || f >= dyn.frameStartS.length) {
    throw new RangeError(`frame ${f} out of range 0..${dyn.frameStartS.length - 1}`);
  }
  return volumeOnGrid(dyn, dyn.data.subarray(f * n, (f + 1) * n), dyn.unit);
}

/**
 * Duration-weighted mean of frames `first..last` (inclusive):
 *   out[i] = Σ_f v_f[i]·Δt_f / Σ_f Δt_f
 * (the activity concentration averaged over the summed interval, as a scanner's "static" recon
 * of the same counts would give for decay-corrected frames). Writes into `out` if given.
 */
export function meanOverFrames(
  dyn: DynamicVolume,
  first = 0,
  last = dyn.frameStartS.length - 1,
  out?: Float32Array,
): Volume {
  const n = dyn.dims[0] * dyn.dims[1] * dyn.dims[2];
  if (first < 0 || last >= dyn.frameStartS.length || first > last) {
    throw new RangeError(`frame range ${first}..${last} invalid for ${dyn.frameStartS.length} frames`);
  }
  const acc = new Float64Array(n);
  let total = 0;
  for (let f = first; f <= last; f++) {
    const w = dyn.frameDurationS[f]! > 0 ? dyn.frameDurationS[f]! : 1;
    total += w;
    const off = f * n;
    for (let i = 0; i < n; i++) acc[i]! += dyn.data[off + i]! * w;
  }
  const data = out ?? new Float32Array(n);
  for (let i = 0; i < n; i++) data[i] = acc[i]! / total;
  return volumeOnGrid(dyn, data, dyn.unit);
}
