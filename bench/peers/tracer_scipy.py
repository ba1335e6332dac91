#!/usr/bin/python3
"""Peer of bench/tracer.ts: Cu-ATSM tracer map by node-grid ODE solves + PCHIP in numpy/scipy.

Reads DIR/problem.json (time grid, sampled plasma input, per region the rate matrices
A(pO2) = A0 + pO2*A1, K1, blood volume, P1/2 scale and node pO2 values), DIR/po2.f32,
DIR/region.u8 (255 = no tissue) and DIR/subsample.f64. Writes DIR/peer_map.f32 (frame-major
float32, like ours) and DIR/peer.json with the timings (time.perf_counter, file I/O excluded).

ODE: exact first-order-hold step (Van Loan 1978): expm(h*[[A, b, 0], [0, 0, 1], [0, 0, 0]])
gives Phi, Gamma0, G; x <- Phi x + Gamma0 u0 + (G/h)(u1 - u0). Same grid as ours.
Interpolation: scipy.interpolate.PchipInterpolator over w = log1p(pO2/P1/2).
"""
import json
import sys
import time

import numpy as np
import scipy
from scipy.interpolate import PchipInterpolator
from scipy.linalg import expm

N_STATE = 5


def augmented(a, k1, h):
    """Batched augmented generators h*M, shape (..., 7, 7), for rate matrices a (..., 5, 5)."""
    m = N_STATE + 2
    big = np.zeros(a.shape[:-2] + (m, m))
    big[..., :N_STATE, :N_STATE] = a * h
    big[..., 0, N_STATE] = k1 * h
    big[..., N_STATE, N_STATE + 1] = h
    return big


def simulate(a, k1, vb, prob):
    """PET TACs for a batch of rate matrices a (B, 5, 5) -> (B, nT)."""
    nodes = np.asarray(prob["nodesS"])
    cp = np.asarray(prob["cpAtNodes"])
    out_idx = np.asarray(prob["outputIndex"])
    rbp = prob["bloodToPlasmaRatio"]
    steps = np.diff(nodes)
    keys = np.round(steps * 1e6).astype(np.int64)
    props = {}
    for key in np.unique(keys):
        h = steps[np.argmax(keys == key)]
        e = expm(augmented(a, k1, h))
        props[key] = (
            e[:, :N_STATE, :N_STATE],
            e[:, :N_STATE, N_STATE],
            e[:, :N_STATE, N_STATE + 1] / h,
        )
    b = a.shape[0]
    x = np.zeros((b, N_STATE))
    res = np.zeros((b, len(out_idx)))

    def emit(j):
        for o in np.nonzero(out_idx == j)[0]:
            res[:, o] = (1 - vb) * x.sum(axis=1) + vb * rbp * cp[j]

    emit(0)
    for j in range(1, len(nodes)):
        phi, g0, g1 = props[keys[j - 1]]
        u0, u1 = cp[j - 1], cp[j]
        x = np.einsum("bij,bj->bi", phi, x) + g0 * u0 + g1 * (u1 - u0)
        emit(j)
    return res


def main(d):
    prob = json.load(open(f"{d}/problem.json"))
    po2 = np.fromfile(f"{d}/po2.f32", dtype=np.float32).astype(np.float64)
    region = np.fromfile(f"{d}/region.u8", dtype=np.uint8)
    sub = np.fromfile(f"{d}/subsample.f64", dtype=np.float64)
    n_t = prob["timeCount"]
    out = np.zeros((n_t, po2.size), dtype=np.float32)

    regs = []
    for r in prob["regions"]:
        regs.append(
            dict(
                a0=np.asarray(r["a0"]).reshape(N_STATE, N_STATE),
                a1=np.asarray(r["a1"]).reshape(N_STATE, N_STATE),
                k1=r["k1"],
                vb=r["bloodVolumeFraction"],
                scale=r["scaleMmHg"],
                nodes=np.asarray(r["nodesMmHg"]),
            )
        )

    # Node TACs (vectorised over the nodes of each region).
    t0 = time.perf_counter()
    tacs = []
    for r in regs:
        a = r["a0"][None] + r["nodes"][:, None, None] * r["a1"][None]
        tacs.append(simulate(a, r["k1"], r["vb"], prob))
    nodes_s = time.perf_counter() - t0

    # PCHIP in w for every voxel of each region.
    t1 = time.perf_counter()
    for i, r in enumerate(regs):
        sel = np.nonzero(region == i)[0]
        w = np.log1p(np.maximum(po2[sel], 0.0) / r["scale"])
        f = PchipInterpolator(np.log1p(r["nodes"] / r["scale"]), tacs[i], axis=0)
        out[:, sel] = f(w).T
    interp_s = time.perf_counter() - t1

    # Exact per-voxel solves on the subsample (tumour region), expm per voxel.
    r = regs[0]
    t2 = time.perf_counter()
    for p in sub:
        simulate((r["a0"] + max(p, 0.0) * r["a1"])[None], r["k1"], r["vb"], prob)
    exact_per_voxel_s = (time.perf_counter() - t2) / len(sub)

    out.tofile(f"{d}/peer_map.f32")
    json.dump(
        dict(
            nodesS=nodes_s,
            interpS=interp_s,
            exactPerVoxelS=exact_per_voxel_s,
            scipy=scipy.__version__,
            numpy=np.__version__,
        ),
        open(f"{d}/peer.json", "w"),
    )


if __name__ == "__main__":
    main(sys.argv[1])
