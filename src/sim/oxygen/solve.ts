/**
 * Steady-state tissue pO2 from a vessel map: K∇²P = M(P) on a 2-D or 3-D grid.
 *
 * Discretisation: cell-centred 7-point finite differences (5-point in 2-D, nz = 1), P = vessel pO2
 * at vessel voxels (Dirichlet), no flux through the outer boundary and into voxels outside the
 * optional tissue mask. Dividing by K, each free voxel satisfies
 *
 *     F_p(P) = Σ_nb (P_p − P_nb)/h² + c·g(P_p) = 0,   c = M0/K (mmHg/µm², see params.ts)
 *
 * with g(P) = P/(P + Pcrit) (Michaelis–Menten; extended linearly as P/Pcrit below 0 so that g is
 * concave and increasing on ℝ) or g ≡ 1 (zero-order).
 *
 * Nonlinear solver: Newton's method, J δ = −F with J = −∇²_h + c·diag(g'(P)). Because F is
 * concave and J an M-matrix, Newton iterates are sub-solutions after the first step and rise
 * monotonically to the solution (monotone Newton; Ortega & Rheinboldt 1970, §13.3), so no line
 * search is needed. Linear solves: conjugate gradients preconditioned by a geometric multigrid
 * V-cycle (multigrid.ts, pcg.ts), inexact with the Eisenstat–Walker forcing term
 * η_k = 0.9 (‖F_k‖/‖F_k−1‖)² (SIAM J Sci Comput 1996;17:16).
 */
import { AtsmError } from "../../core/errors.js";
import type { ProgressFn, Vec3, Vec3i } from "../../core/types.js";
import {
  buildFineLevel,
  buildHierarchy,
  KIND_FIXED,
  KIND_FREE,
  KIND_INACTIVE,
  type MgLevel,
  updateSinks,
} from "./multigrid.js";
import { consumptionMmHgPerUm2, DEFAULT_OXYGEN_PARAMS, type OxygenParams } from "./params.js";
import { pcgScratch, pcgSolve } from "./pcg.js";

/** The oxygen problem on a grid; every array has length nx·ny·nz, index i + nx(j + ny k). */
export interface OxygenProblem {
  readonly dims: Vec3i;
  /** Voxel size per axis, µm. */
  readonly spacingUm: Vec3;
  /** Non-zero at vessel voxels (Dirichlet). */
  readonly vesselMask: Uint8Array;
  /** pO2 of the vessel at each vessel voxel, mmHg (ignored elsewhere). */
  readonly vesselPo2MmHg: Float32Array;
  /** Optional tissue mask: 0 = outside the tissue (excluded, no flux). Default: all tissue. */
  readonly tissueMask?: Uint8Array;
}

export interface OxygenSolveOptions {
  readonly params?: OxygenParams;
  /** Stop when max |F| ≤ tolerance·c, i.e. the local O2 balance is met to this fraction of M0. */
  readonly tolerance?: number;
  /** Relative residual of each linear (CG) solve at the end; default 1e-8. */
  readonly linearRelTol?: number;
  readonly maxNewtonIterations?: number;
  readonly maxLinearIterations?: number;
  /** Initial pO2 of tissue voxels, mmHg (default 0). */
  readonly initialMmHg?: number;
  readonly onProgress?: ProgressFn;
}

export interface OxygenSolution {
  /** pO2 per voxel, mmHg; vessel voxels hold their pO2, voxels outside the tissue mask 0. */
  readonly po2MmHg: Float32Array;
  readonly newtonIterations: number;
  readonly linearIterations: number;
  /** Final max |F| divided by c (dimensionless fraction of M0). */
  readonly relResidual: number;
  readonly converged: boolean;
  readonly multigridLevels: number;
}

function validate(pr: OxygenProblem): number {
  const [nx, ny, nz] = pr.dims;
  for (const n of pr.dims) {
    if (!Number.isInteger(n) || n < 1) {
      throw new AtsmError({
        code: "INVALID_ARGUMENT",
        message: "oxygen grid dimensions must be positive integers",
        value: pr.dims.join("×"),
        field: "dims",
        hint: "pass dims such as [128, 128, 128] (use nz = 1 for a 2-D section)",
      });
    }
  }
  for (const h of pr.spacingUm) {
    if (!(h > 0) || !Number.isFinite(h)) {
      throw new AtsmError({
        code: "INVALID_ARGUMENT",
        message: "oxygen grid spacing must be finite and > 0 µm",
        value: pr.spacingUm.join(","),
        field: "spacingUm",
        hint: "pass the voxel size in micrometres, e.g. [10, 10, 10]",
      });
    }
  }
  const n = nx * ny * nz;
  const arrays: [string, ArrayLike<number> | undefined][] = [
    ["vesselMask", pr.vesselMask],
    ["vesselPo2MmHg", pr.vesselPo2MmHg],
    ["tissueMask", pr.tissueMask],
  ];
  for (const [name, a] of arrays) {
    if (a !== undefined && a.length !== n) {
      throw new AtsmError({
        code: "INCONSISTENT",
        message: `oxygen problem: ${name} has ${a.length} voxels, the grid ${n}`,
        field: name,
        hint: "all maps must be on the same nx·ny·nz grid",
      });
    }
  }
  return n;
}

/** Voxel kinds from the problem; throws when there is no vessel voxel. */
function voxelKinds(pr: OxygenProblem, n: number): Uint8Array {
  const kind = new Uint8Array(n);
  let vessels = 0;
  for (let u = 0; u < n; u++) {
    if (pr.vesselMask[u] !== 0) {
      kind[u] = KIND_FIXED;
      vessels++;
      const v = pr.vesselPo2MmHg[u]!;
      if (!Number.isFinite(v) || v < 0) {
        throw new AtsmError({
          code: "INVALID_ARGUMENT",
          message: "vessel pO2 must be finite and ≥ 0 mmHg",
          value: v,
          field: "vesselPo2MmHg",
          hint: "set a pO2 (e.g. 40 mmHg) at every vessel voxel",
        });
      }
    } else if (pr.tissueMask !== undefined && pr.tissueMask[u] === 0) kind[u] = KIND_INACTIVE;
    else kind[u] = KIND_FREE;
  }
  if (vessels === 0) {
    throw new AtsmError({
      code: "INVALID_ARGUMENT",
      message: "oxygen problem has no vessel voxel, so tissue has no O2 source",
      field: "vesselMask",
      hint: "generate a vessel network (sim/vessels) or mark at least one vessel voxel",
    });
  }
  return kind;
}

/**
 * Residual F (into `out`, padded) and Jacobian diagonal term c·g'(P) (into fine.sink). Returns
 * max |F|. `P` is padded and holds 0 outside the active region.
 */
function residualAndSink(
  l: MgLevel,
  P: Float64Array,
  c: number,
  pCrit: number,
  zeroOrder: boolean,
  out: Float64Array,
): number {
  const { nx, ny, nz, sy, sz, wx, wy, wz, free, lap, sink } = l;
  let fmax = 0;
  for (let k = 1; k <= nz; k++)
    for (let j = 1; j <= ny; j++) {
      const row = sy * j + sz * k;
      for (let p = row + 1; p <= row + nx; p++) {
        if (free[p] === 0) continue;
        const v = P[p]!;
        let g: number;
        let dg: number;
        if (zeroOrder) {
          g = 1;
          dg = 0;
        } else if (v > 0) {
          const s = v + pCrit;
          g = v / s;
          dg = pCrit / (s * s);
        } else {
          g = v / pCrit;
          dg = 1 / pCrit;
        }
        const f =
          lap[p]! * v -
          wx * (P[p - 1]! + P[p + 1]!) -
          wy * (P[p - sy]! + P[p + sy]!) -
          wz * (P[p - sz]! + P[p + sz]!) +
          c * g;
        out[p] = f;
        sink[p] = c * dg;
        const a = f < 0 ? -f : f;
        if (a > fmax) fmax = a;
      }
    }
  return fmax;
}

/**
 * Solve for the steady-state pO2 map. Deterministic; allocates only per call (no per-voxel
 * objects). Throws AtsmError for inconsistent input; returns `converged: false` (never throws)
 * when the iteration limit is reached.
 */
export function solveOxygen(pr: OxygenProblem, opts: OxygenSolveOptions = {}): OxygenSolution {
  const n = validate(pr);
  const params = opts.params ?? DEFAULT_OXYGEN_PARAMS;
  if (!(params.pCritMmHg > 0) && params.law === "michaelis-menten") {
    throw new AtsmError({
      code: "INVALID_ARGUMENT",
      message: "Michaelis constant Pcrit must be > 0 mmHg",
      value: params.pCritMmHg,
      field: "pCritMmHg",
      hint: "use law 'zero-order' for constant consumption",
    });
  }
  const c = consumptionMmHgPerUm2(params);
  const zeroOrder = params.law === "zero-order";
  const tol = opts.tolerance ?? 1e-6;
  const linTol = opts.linearRelTol ?? 1e-8;
  const maxNewton = opts.maxNewtonIterations ?? 50;
  const maxLin = opts.maxLinearIterations ?? 500;
  const kind = voxelKinds(pr, n);
  const fine = buildFineLevel(pr.dims, pr.spacingUm, kind);
  const levels = buildHierarchy(fine, pr.spacingUm);
  const [nx, ny, nz] = pr.dims;

  // Padded state: fixed voxels hold the vessel pO2, free voxels the iterate, others 0.
  const P = new Float64Array(fine.size);
  const init = opts.initialMmHg ?? 0;
  let u = 0;
  for (let k = 0; k < nz; k++)
    for (let j = 0; j < ny; j++) {
      const row = 1 + fine.sy * (j + 1) + fine.sz * (k + 1);
      for (let i = 0; i < nx; i++, u++) {
        const kd = kind[u]!;
        if (kd === KIND_FIXED) P[row + i] = pr.vesselPo2MmHg[u]!;
        else if (kd === KIND_FREE) P[row + i] = init;
      }
    }
  const F = new Float64Array(fine.size);
  const delta = new Float64Array(fine.size);
  const scratch = pcgScratch(fine.size);
  let newton = 0;
  let linear = 0;
  let fPrev = Number.POSITIVE_INFINITY;
  let fmax = residualAndSink(fine, P, c, params.pCritMmHg, zeroOrder, F);
  let converged = fmax <= tol * c;
  while (!converged && newton < maxNewton) {
    updateSinks(levels);
    for (let p = 0; p < F.length; p++) F[p] = -F[p]!;
    const ew = Number.isFinite(fPrev) ? 0.9 * (fmax / fPrev) ** 2 : 0.1;
    const eta = zeroOrder ? linTol : Math.min(0.1, Math.max(linTol, ew));
    const res = pcgSolve(levels, F, delta, eta, maxLin, scratch);
    linear += res.iterations;
    for (let p = 0; p < P.length; p++) P[p]! += delta[p]!;
    newton++;
    fPrev = fmax;
    fmax = residualAndSink(fine, P, c, params.pCritMmHg, zeroOrder, F);
    converged = fmax <= tol * c || (zeroOrder && res.relResidual <= linTol);
    opts.onProgress?.(
      Math.min(1, newton / 10),
      `Newton ${newton} max|F|/c ${(fmax / c).toExponential(2)} CG ${res.iterations}`,
    );
  }
  const po2 = new Float32Array(n);
  u = 0;
  for (let k = 0; k < nz; k++)
    for (let j = 0; j < ny; j++) {
      const row = 1 + fine.sy * (j + 1) + fine.sz * (k + 1);
      for (let i = 0; i < nx; i++) po2[u++] = P[row + i]!;
    }
  opts.onProgress?.(1, "done");
  return {
    po2MmHg: po2,
    newtonIterations: newton,
    linearIterations: linear,
    relResidual: fmax / c,
    converged,
    multigridLevels: levels.length,
  };
}
