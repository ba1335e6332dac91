#!/usr/bin/python3
"""Peer for bench/twin.ts: the same zero-order oxygen system solved with scipy.sparse.

Reads DIR/problem.json (dims, spacing µm, consumption coefficient c in mmHg/µm², tolerance),
DIR/mask.u8 (1 = vessel, index i + nx(j + ny k)) and DIR/po2.f32 (vessel pO2, mmHg). Assembles
the cell-centred 7-point system for the free (non-vessel) voxels exactly as src/sim/oxygen does:

    Σ_nb w (P_p − P_nb) + c = 0,   w = 1/h²,   Dirichlet at vessels, no flux outside the box,

solves it with scipy.sparse.linalg.cg (no preconditioner; AMG is not in Debian's scipy) to the
same relative residual, and writes DIR/peer.json (times) and DIR/peer_solution.f32.
Run with Debian's /usr/bin/python3 (numpy + scipy).
"""
import json
import sys
import time

import numpy as np
import scipy
import scipy.sparse as sp
import scipy.sparse.linalg as spla


def main(d):
    pr = json.load(open(f"{d}/problem.json"))
    nx, ny, nz = pr["dims"]
    hx, hy, hz = pr["spacingUm"]
    c = pr["consumptionMmHgPerUm2"]
    tol = pr["relTol"]
    n = nx * ny * nz
    mask = np.fromfile(f"{d}/mask.u8", dtype=np.uint8).reshape(nz, ny, nx)
    po2 = np.fromfile(f"{d}/po2.f32", dtype=np.float32).astype(np.float64).reshape(nz, ny, nx)
    t0 = time.perf_counter()
    free = mask == 0
    idx = -np.ones((nz, ny, nx), dtype=np.int64)
    nfree = int(free.sum())
    idx[free] = np.arange(nfree)
    rows, cols, vals = [], [], []
    diag = np.zeros((nz, ny, nx))
    rhs = np.where(free, -c, 0.0)
    for axis, h, size in ((2, hx, nx), (1, hy, ny), (0, hz, nz)):
        if size == 1:
            continue
        w = 1.0 / (h * h)
        for shift in (1, -1):
            # neighbour of voxel p along axis at p+shift; valid where inside the box
            sl_p = [slice(None)] * 3
            sl_n = [slice(None)] * 3
            if shift == 1:
                sl_p[axis] = slice(0, size - 1)
                sl_n[axis] = slice(1, size)
            else:
                sl_p[axis] = slice(1, size)
                sl_n[axis] = slice(0, size - 1)
            sl_p, sl_n = tuple(sl_p), tuple(sl_n)
            fp = free[sl_p]
            diag[sl_p] += np.where(fp, w, 0.0)
            fnb = free[sl_n]
            both = fp & fnb
            rows.append(idx[sl_p][both])
            cols.append(idx[sl_n][both])
            vals.append(np.full(int(both.sum()), -w))
            fixed_nb = fp & ~fnb
            rhs_view = rhs[sl_p]
            rhs_view[fixed_nb] += w * po2[sl_n][fixed_nb]
    rows.append(idx[free])
    cols.append(idx[free])
    vals.append(diag[free])
    A = sp.csr_matrix(
        (np.concatenate(vals), (np.concatenate(rows), np.concatenate(cols))), shape=(nfree, nfree)
    )
    b = rhs[free]
    t1 = time.perf_counter()
    iters = [0]

    def cb(_):
        iters[0] += 1

    kw = {"rtol": tol} if tuple(int(x) for x in scipy.__version__.split(".")[:2]) >= (1, 12) else {"tol": tol}
    x, info = spla.cg(A, b, atol=0.0, maxiter=20000, callback=cb, **kw)
    t2 = time.perf_counter()
    rel = float(np.linalg.norm(b - A @ x) / np.linalg.norm(b))
    out = np.where(free, 0.0, po2).ravel()
    out[free.ravel()] = x
    out.astype(np.float32).tofile(f"{d}/peer_solution.f32")
    json.dump(
        {
            "assembleS": t1 - t0,
            "solveS": t2 - t1,
            "iterations": iters[0],
            "info": int(info),
            "relResidual": rel,
            "unknowns": nfree,
            "scipy": scipy.__version__,
        },
        open(f"{d}/peer.json", "w"),
    )


if __name__ == "__main__":
    main(sys.argv[1])
