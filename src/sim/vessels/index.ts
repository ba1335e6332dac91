/** Vessel maps for the oxygen model: seeded random networks, or a given mask. */
import { AtsmError } from "../../core/errors.js";
import type { Vec3, Vec3i } from "../../core/types.js";
import type { VesselMap } from "./network.js";

export {
  generateVesselNetwork,
  type VesselMap,
  type VesselNetworkOptions,
  type VesselShape,
} from "./network.js";

/**
 * Wrap a given vessel mask (non-zero = vessel) as a VesselMap with one pO2 for all vessels, or a
 * per-voxel pO2 array. Length density is not known for a given mask and is reported as NaN.
 */
export function vesselMapFromMask(
  dims: Vec3i,
  spacingUm: Vec3,
  mask: Uint8Array,
  po2MmHg: number | Float32Array,
): VesselMap {
  const n = dims[0] * dims[1] * dims[2];
  if (mask.length !== n || (typeof po2MmHg !== "number" && po2MmHg.length !== n)) {
    throw new AtsmError({
      code: "INCONSISTENT",
      message: `vessel mask has ${mask.length} voxels, the grid ${n}`,
      field: "mask",
      hint: "the mask and pO2 arrays must be on the nx·ny·nz grid",
    });
  }
  const po2 = new Float32Array(n);
  let vox = 0;
  for (let u = 0; u < n; u++) {
    if (mask[u] === 0) continue;
    vox++;
    po2[u] = typeof po2MmHg === "number" ? po2MmHg : po2MmHg[u]!;
  }
  return {
    dims,
    spacingUm,
    mask,
    po2MmHg: po2,
    vesselCount: Number.NaN,
    lengthDensityMmPerMm3: Number.NaN,
    vesselVolumeFraction: vox / n,
  };
}
