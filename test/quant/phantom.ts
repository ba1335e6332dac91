/** Analytic phantoms for the quant tests: value = f(LPS x, y, z) at each voxel centre. */
import { voxelToWorld } from "../../src/core/geometry.js";
import type { Vec3, Volume } from "../../src/core/types.js";
import { identityDirection } from "../../src/core/types.js";

export interface PhantomGrid {
  readonly dims: readonly [number, number, number];
  readonly spacingMm: Vec3;
  readonly originMm?: Vec3;
  readonly direction?: Float64Array;
  readonly unit?: string;
}

/** Volume whose voxel value is f(world centre). */
export function phantom(g: PhantomGrid, f: (x: number, y: number, z: number) => number): Volume {
  const [nx, ny, nz] = g.dims;
  const vol: Volume = {
    data: new Float32Array(nx * ny * nz),
    dims: g.dims,
    spacingMm: g.spacingMm,
    originMm: g.originMm ?? [0, 0, 0],
    direction: g.direction ?? identityDirection(),
    unit: g.unit ?? "SUVbw",
  };
  const w = [0, 0, 0];
  for (let k = 0; k < nz; k++)
    for (let j = 0; j < ny; j++)
      for (let i = 0; i < nx; i++) {
        voxelToWorld(vol, i, j, k, w);
        vol.data[i + nx * (j + ny * k)] = f(w[0]!, w[1]!, w[2]!);
      }
  return vol;
}

/** Rotation about z by `deg` degrees as a row-major direction matrix (columns = axes). */
export function rotationZ(deg: number): Float64Array {
  const c = Math.cos((deg * Math.PI) / 180);
  const s = Math.sin((deg * Math.PI) / 180);
  return new Float64Array([c, -s, 0, s, c, 0, 0, 0, 1]);
}

export function sphereVolumeMl(radiusMm: number): number {
  return ((4 / 3) * Math.PI * radiusMm ** 3) / 1000; // mm³ -> mL
}
