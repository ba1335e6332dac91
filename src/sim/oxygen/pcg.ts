/**
 * Preconditioned conjugate gradients (Hestenes–Stiefel; Saad, "Iterative Methods for Sparse
 * Linear Systems", 2nd ed., Alg. 9.1) with the multigrid V-cycle of `multigrid.ts` as the
 * preconditioner (MGCG). Vectors are padded fine-level arrays, zero outside free voxels.
 */
import { applyOperator, applyVcycle, type MgLevel } from "./multigrid.js";

export interface PcgScratch {
  readonly r: Float64Array;
  readonly z: Float64Array;
  readonly p: Float64Array;
  readonly q: Float64Array;
}

export function pcgScratch(size: number): PcgScratch {
  return {
    r: new Float64Array(size),
    z: new Float64Array(size),
    p: new Float64Array(size),
    q: new Float64Array(size),
  };
}

export interface PcgResult {
  readonly iterations: number;
  /** Final ‖b − A x‖₂ / ‖b‖₂. */
  readonly relResidual: number;
}

function dot(a: Float64Array, b: Float64Array): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i]! * b[i]!;
  return s;
}

/**
 * Solve A x = b from x = 0 until ‖r‖₂ ≤ relTol·‖b‖₂ or `maxIterations`. `x` is overwritten.
 */
export function pcgSolve(
  levels: readonly MgLevel[],
  b: Float64Array,
  x: Float64Array,
  relTol: number,
  maxIterations: number,
  s: PcgScratch,
): PcgResult {
  const fine = levels[0]!;
  const { r, z, p, q } = s;
  x.fill(0);
  r.set(b);
  const bNorm = Math.sqrt(dot(b, b));
  if (bNorm === 0) return { iterations: 0, relResidual: 0 };
  applyVcycle(levels, r, z);
  p.set(z);
  let rz = dot(r, z);
  let rel = 1;
  let it = 0;
  while (it < maxIterations) {
    applyOperator(fine, p, q);
    const pq = dot(p, q);
    if (!(pq > 0)) break;
    const alpha = rz / pq;
    let rr = 0;
    for (let i = 0; i < x.length; i++) {
      x[i]! += alpha * p[i]!;
      const ri = r[i]! - alpha * q[i]!;
      r[i] = ri;
      rr += ri * ri;
    }
    it++;
    rel = Math.sqrt(rr) / bNorm;
    if (rel <= relTol) break;
    applyVcycle(levels, r, z);
    const rzNew = dot(r, z);
    const beta = rzNew / rz;
    rz = rzNew;
    for (let i = 0; i < p.length; i++) p[i] = z[i]! + beta * p[i]!;
  }
  return { iterations: it, relResidual: rel };
}
