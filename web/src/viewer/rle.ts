/**
 * Run-length encoding of a binary mask on the PET grid, the `maskRle` body of POST /api/studies/:id/vois:
 * `{ dims: [nx, ny, nz], runs }` where `runs` are alternating run lengths of 0s and 1s in voxel order
 * `i + nx*(j + ny*k)`, STARTING WITH A RUN OF 0s (which may be 0 long); the runs sum to nx·ny·nz.
 * Example: [0,0,1,1,0] → runs [2,2,1]; [1,0] → runs [0,1,1].
 */
import type { MaskRle, Vec3 } from "../types.js";

export function encodeRle(mask: Uint8Array, dims: Vec3): MaskRle {
  const runs: number[] = [];
  let current = 0;
  let length = 0;
  for (let v = 0; v < mask.length; v++) {
    const bit = mask[v] ? 1 : 0;
    if (bit === current) length++;
    else {
      runs.push(length);
      current = bit;
      length = 1;
    }
  }
  runs.push(length);
  return { dims, runs };
}

export function decodeRle(rle: MaskRle): Uint8Array {
  const out = new Uint8Array(rle.dims[0] * rle.dims[1] * rle.dims[2]);
  let v = 0;
  let bit = 0;
  for (const run of rle.runs) {
    if (bit === 1) out.fill(1, v, Math.min(out.length, v + run));
    v += run;
    bit ^= 1;
  }
  return out;
}
