/**
 * Geometric multigrid V-cycle for the discrete operator A = −∇²_h + diag(σ) on a cell-centred
 * grid with Dirichlet (fixed) voxels, excluded (inactive, no-flux) voxels and a no-flux outer
 * boundary. Used as a symmetric preconditioner inside conjugate gradients (MGCG).
 *
 * Storage: every array is PADDED by one ghost layer on each side, (nx+2)(ny+2)(nz+2), so the
 * 7-point stencil needs no bounds checks. Ghosts, fixed and inactive voxels hold 0 in correction
 * vectors; only `free` voxels are unknowns. Row of a free voxel p:
 *
 *     (A x)_p = diag_p·x_p − Σ_axes w_a (x_{p−s_a} + x_{p+s_a}),   w_a = 1/h_a² (µm⁻²)
 *     diag_p  = Σ_{active neighbours} w_a + σ_p
 *
 * Fixed neighbours count in diag (Dirichlet), inactive ones and the outside do not (no flux).
 *
 * Coarsening: each axis longer than 1 is halved (ceil), h doubles. Coarse cells are free when any
 * child is free. The coarse sink is the Galerkin average of the children's sinks plus their
 * coupling to fixed neighbours (piecewise-constant prolongation P, restriction R = Pᵀ/n_children),
 * the Laplacian is rediscretised. Smoother: red–black Gauss–Seidel, red→black before and
 * black→red after the coarse correction, so the V-cycle is a symmetric operator (needed by CG).
 * Reference: Trottenberg, Oosterlee, Schüller, "Multigrid", Academic Press 2001, §2–§4.
 */

export interface MgLevel {
  readonly nx: number;
  readonly ny: number;
  readonly nz: number;
  /** Strides of the padded layout: index = i + sy·j + sz·k with i,j,k in 1..n. */
  readonly sy: number;
  readonly sz: number;
  readonly size: number;
  /** 1/h² per axis, µm⁻² (0 for an axis of length 1). */
  readonly wx: number;
  readonly wy: number;
  readonly wz: number;
  /** Whether the NEXT coarser level halves this axis. */
  cx: boolean;
  cy: boolean;
  cz: boolean;
  readonly free: Uint8Array;
  /** Laplacian part of the diagonal (Σ weights of active neighbours). */
  readonly lap: Float64Array;
  /** Coupling to fixed (Dirichlet) neighbours, Σ w (fine level only; zeros on coarse levels). */
  readonly fixedCoupling: Float64Array;
  /** Reaction term σ ≥ 0 (fine: set by the caller; coarse: Galerkin average). */
  readonly sink: Float64Array;
  readonly invDiag: Float64Array;
  readonly x: Float64Array;
  readonly b: Float64Array;
  readonly r: Float64Array;
}

/** Voxel kinds of the fine grid (unpadded, length nx·ny·nz). */
export const KIND_FREE = 0;
export const KIND_FIXED = 1;
export const KIND_INACTIVE = 2;

function emptyLevel(nx: number, ny: number, nz: number, hx: number, hy: number, hz: number): MgLevel {
  const size = (nx + 2) * (ny + 2) * (nz + 2);
  return {
    nx,
    ny,
    nz,
    sy: nx + 2,
    sz: (nx + 2) * (ny + 2),
    size,
    wx: nx > 1 ? 1 / (hx * hx) : 0,
    wy: ny > 1 ? 1 / (hy * hy) : 0,
    wz: nz > 1 ? 1 / (hz * hz) : 0,
    cx: false,
    cy: false,
    cz: false,
    free: new Uint8Array(size),
    lap: new Float64Array(size),
    fixedCoupling: new Float64Array(size),
    sink: new Float64Array(size),
    invDiag: new Float64Array(size),
    x: new Float64Array(size),
    b: new Float64Array(size),
    r: new Float64Array(size),
  };
}

const act = (kind: number): number => (kind === KIND_INACTIVE ? 0 : 1);
const fixed = (kind: number): number => (kind === KIND_FIXED ? 1 : 0);

/** Padded index of unpadded voxel (i, j, k). */
export function paddedIndex(l: MgLevel, i: number, j: number, k: number): number {
  return i + 1 + l.sy * (j + 1) + l.sz * (k + 1);
}

/**
 * Fine level from voxel kinds (unpadded, index i + nx(j + ny k)); spacing in µm. Also returns the
 * padded "active" mask (free or fixed) used for the residual.
 */
export function buildFineLevel(
  dims: readonly [number, number, number],
  spacingUm: readonly [number, number, number],
  kind: Uint8Array,
): MgLevel {
  const [nx, ny, nz] = dims;
  const l = emptyLevel(nx, ny, nz, spacingUm[0], spacingUm[1], spacingUm[2]);
  const padKind = new Uint8Array(l.size).fill(KIND_INACTIVE);
  let u = 0;
  for (let k = 0; k < nz; k++)
    for (let j = 0; j < ny; j++) {
      const row = 1 + l.sy * (j + 1) + l.sz * (k + 1);
      for (let i = 0; i < nx; i++) padKind[row + i] = kind[u++]!;
    }
  const { sy, sz, wx, wy, wz } = l;
  for (let k = 1; k <= nz; k++)
    for (let j = 1; j <= ny; j++)
      for (let i = 1; i <= nx; i++) {
        const p = i + sy * j + sz * k;
        if (padKind[p] !== KIND_FREE) continue;
        l.free[p] = 1;
        l.lap[p] =
          wx * (act(padKind[p - 1]!) + act(padKind[p + 1]!)) +
          wy * (act(padKind[p - sy]!) + act(padKind[p + sy]!)) +
          wz * (act(padKind[p - sz]!) + act(padKind[p + sz]!));
        l.fixedCoupling[p] =
          wx * (fixed(padKind[p - 1]!) + fixed(padKind[p + 1]!)) +
          wy * (fixed(padKind[p - sy]!) + fixed(padKind[p + sy]!)) +
          wz * (fixed(padKind[p - sz]!) + fixed(padKind[p + sz]!));
      }
  return l;
}

/** Coarser level of `f` (structure only; sinks are filled by `updateSinks`). */
function coarsen(f: MgLevel, hx: number, hy: number, hz: number): MgLevel {
  f.cx = f.nx > 1;
  f.cy = f.ny > 1;
  f.cz = f.nz > 1;
  const nx = f.cx ? (f.nx + 1) >> 1 : f.nx;
  const ny = f.cy ? (f.ny + 1) >> 1 : f.ny;
  const nz = f.cz ? (f.nz + 1) >> 1 : f.nz;
  const c = emptyLevel(nx, ny, nz, f.cx ? 2 * hx : hx, f.cy ? 2 * hy : hy, f.cz ? 2 * hz : hz);
  for (let k = 0; k < f.nz; k++)
    for (let j = 0; j < f.ny; j++)
      for (let i = 0; i < f.nx; i++) {
        if (f.free[paddedIndex(f, i, j, k)] === 0) continue;
        c.free[paddedIndex(c, f.cx ? i >> 1 : i, f.cy ? j >> 1 : j, f.cz ? k >> 1 : k)] = 1;
      }
  const { sy, sz, wx, wy, wz } = c;
  for (let k = 1; k <= nz; k++)
    for (let j = 1; j <= ny; j++)
      for (let i = 1; i <= nx; i++) {
        const p = i + sy * j + sz * k;
        if (c.free[p] === 0) continue;
        c.lap[p] =
          wx * (c.free[p - 1]! + c.free[p + 1]!) +
          wy * (c.free[p - sy]! + c.free[p + sy]!) +
          wz * (c.free[p - sz]! + c.free[p + sz]!);
      }
  return c;
}

/** Multigrid hierarchy, finest first. Stops at ≤ 64 voxels or when no axis can be halved. */
export function buildHierarchy(fine: MgLevel, spacingUm: readonly [number, number, number]): MgLevel[] {
  const levels = [fine];
  let [hx, hy, hz] = spacingUm;
  let cur = fine;
  while (cur.nx * cur.ny * cur.nz > 64 && (cur.nx > 2 || cur.ny > 2 || cur.nz > 2)) {
    const next = coarsen(cur, hx, hy, hz);
    if (cur.cx) hx *= 2;
    if (cur.cy) hy *= 2;
    if (cur.cz) hz *= 2;
    levels.push(next);
    cur = next;
  }
  return levels;
}

/**
 * Recompute diagonals after the fine sink changed: fine diag = lap + σ; each coarse sink is
 * Σ_{free children}(σ + fixedCoupling)/n_children.
 */
export function updateSinks(levels: readonly MgLevel[]): void {
  for (let li = 0; li < levels.length; li++) {
    const l = levels[li]!;
    if (li > 0) {
      const f = levels[li - 1]!;
      l.sink.fill(0);
      const nChild = (f.cx ? 2 : 1) * (f.cy ? 2 : 1) * (f.cz ? 2 : 1);
      const inv = 1 / nChild;
      for (let k = 0; k < f.nz; k++)
        for (let j = 0; j < f.ny; j++) {
          const fr = paddedIndex(f, 0, j, k);
          const cr = paddedIndex(l, 0, f.cy ? j >> 1 : j, f.cz ? k >> 1 : k);
          for (let i = 0; i < f.nx; i++) {
            const pf = fr + i;
            if (f.free[pf] === 0) continue;
            l.sink[cr + (f.cx ? i >> 1 : i)]! += inv * (f.sink[pf]! + f.fixedCoupling[pf]!);
          }
        }
    }
    for (let p = 0; p < l.size; p++) {
      const d = l.lap[p]! + l.sink[p]!;
      l.invDiag[p] = l.free[p] !== 0 && d > 0 ? 1 / d : 0;
    }
  }
}

/** y = A x on free voxels (0 elsewhere). */
export function applyOperator(l: MgLevel, x: Float64Array, y: Float64Array): void {
  const { nx, ny, nz, sy, sz, wx, wy, wz, free, lap, sink } = l;
  y.fill(0);
  for (let k = 1; k <= nz; k++)
    for (let j = 1; j <= ny; j++) {
      const row = sy * j + sz * k;
      for (let p = row + 1; p <= row + nx; p++) {
        if (free[p] === 0) continue;
        const d = lap[p]! + sink[p]!;
        y[p] =
          d * x[p]! -
          wx * (x[p - 1]! + x[p + 1]!) -
          wy * (x[p - sy]! + x[p + sy]!) -
          wz * (x[p - sz]! + x[p + sz]!);
      }
    }
}

/** r = b − A x on free voxels. */
function residual(l: MgLevel): void {
  const { nx, ny, nz, sy, sz, wx, wy, wz, free, lap, sink, x, b, r } = l;
  for (let k = 1; k <= nz; k++)
    for (let j = 1; j <= ny; j++) {
      const row = sy * j + sz * k;
      for (let p = row + 1; p <= row + nx; p++) {
        if (free[p] === 0) continue;
        const d = lap[p]! + sink[p]!;
        r[p] =
          b[p]! -
          d * x[p]! +
          wx * (x[p - 1]! + x[p + 1]!) +
          wy * (x[p - sy]! + x[p + sy]!) +
          wz * (x[p - sz]! + x[p + sz]!);
      }
    }
}

/** One Gauss–Seidel half-sweep over voxels of one colour ((i+j+k) parity). */
function gsColour(l: MgLevel, colour: number): void {
  const { nx, ny, nz, sy, sz, wx, wy, wz, free, invDiag, x, b } = l;
  for (let k = 1; k <= nz; k++)
    for (let j = 1; j <= ny; j++) {
      const row = sy * j + sz * k;
      const start = 1 + ((1 + j + k + colour) & 1);
      for (let p = row + start; p <= row + nx; p += 2) {
        if (free[p] === 0) continue;
        x[p] =
          (b[p]! +
            wx * (x[p - 1]! + x[p + 1]!) +
            wy * (x[p - sy]! + x[p + sy]!) +
            wz * (x[p - sz]! + x[p + sz]!)) *
          invDiag[p]!;
      }
    }
}

/** Restrict l.r (fine) into c.b (coarse): c.b = Pᵀ r / n_children. */
function restrict(f: MgLevel, c: MgLevel): void {
  c.b.fill(0);
  const inv = 1 / ((f.cx ? 2 : 1) * (f.cy ? 2 : 1) * (f.cz ? 2 : 1));
  for (let k = 0; k < f.nz; k++)
    for (let j = 0; j < f.ny; j++) {
      const fr = paddedIndex(f, 0, j, k);
      const cr = paddedIndex(c, 0, f.cy ? j >> 1 : j, f.cz ? k >> 1 : k);
      for (let i = 0; i < f.nx; i++) {
        const pf = fr + i;
        if (f.free[pf] === 0) continue;
        c.b[cr + (f.cx ? i >> 1 : i)]! += inv * f.r[pf]!;
      }
    }
}

/** f.x += P c.x (piecewise-constant prolongation, free voxels only). */
function prolongAdd(f: MgLevel, c: MgLevel): void {
  for (let k = 0; k < f.nz; k++)
    for (let j = 0; j < f.ny; j++) {
      const fr = paddedIndex(f, 0, j, k);
      const cr = paddedIndex(c, 0, f.cy ? j >> 1 : j, f.cz ? k >> 1 : k);
      for (let i = 0; i < f.nx; i++) {
        const pf = fr + i;
        if (f.free[pf] === 0) continue;
        f.x[pf]! += c.x[cr + (f.cx ? i >> 1 : i)]!;
      }
    }
}

/** Pre/post smoothing sweeps per level and sweeps on the coarsest level. */
const NU = 2;
const COARSEST_SWEEPS = 20;

function vcycle(levels: readonly MgLevel[], li: number): void {
  const l = levels[li]!;
  l.x.fill(0);
  if (li === levels.length - 1) {
    for (let s = 0; s < COARSEST_SWEEPS; s++) {
      gsColour(l, 0);
      gsColour(l, 1);
    }
    for (let s = 0; s < COARSEST_SWEEPS; s++) {
      gsColour(l, 1);
      gsColour(l, 0);
    }
    return;
  }
  for (let s = 0; s < NU; s++) {
    gsColour(l, 0);
    gsColour(l, 1);
  }
  residual(l);
  const c = levels[li + 1]!;
  restrict(l, c);
  vcycle(levels, li + 1);
  prolongAdd(l, c);
  for (let s = 0; s < NU; s++) {
    gsColour(l, 1);
    gsColour(l, 0);
  }
}

/** z = M⁻¹ r: one symmetric V-cycle on A z = r (fine-level vectors, padded). */
export function applyVcycle(levels: readonly MgLevel[], r: Float64Array, z: Float64Array): void {
  const f = levels[0]!;
  f.b.set(r);
  vcycle(levels, 0);
  z.set(f.x);
}
