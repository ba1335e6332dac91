#!/usr/bin/python3
"""numpy/scipy peer for bench/quantify.ts: the same hypoxia read-out on the same raw float32 volume.

Usage: quantify_numpy.py PARAMS.json  (written by bench/quantify.ts). Prints one JSON line with the
results and the compute time (best of `repeats`, loading excluded).

Method (same definitions as docs/quantify-methods.md, vectorised numpy, computed on each VOI's
bounding box only, as a careful numpy user would):
- sphere VOI weights by 5^3 supersampling, binary = centre inside;
- mean/SD weighted, max/min over binary voxels, volume = sum(w) * voxel mL;
- SUVpeak: scipy.ndimage.correlate of the bounding box + margin with the 1 cm^3 sphere kernel
  (7^3-supersampled weights), divided by the correlated in-image weight, max over binary voxels;
- T/M (max, mean, peak over muscle mean), hypoxic volume (T/M > cutoff), T/M histogram (0.1 bins).
"""
import json
import sys
import time

import numpy as np
from scipy import ndimage


def main():
    p = json.load(open(sys.argv[1]))
    nx, ny, nz = p["dims"]
    sp = np.array(p["spacingMm"], dtype=np.float64)
    org = np.array(p["originMm"], dtype=np.float64)
    vol = np.fromfile(p["file"], dtype="<f4").reshape(nz, ny, nx)
    vox_ml = float(np.prod(sp)) / 1000.0

    def sphere_voi(c, r, k=5):
        c = np.asarray(c, dtype=np.float64)
        lo = np.maximum(np.floor((c - r - org) / sp - 0.5).astype(int), 0)
        hi = np.minimum(np.ceil((c + r - org) / sp + 0.5).astype(int), [nx - 1, ny - 1, nz - 1])
        ii = np.arange(lo[0], hi[0] + 1)
        jj = np.arange(lo[1], hi[1] + 1)
        kk = np.arange(lo[2], hi[2] + 1)
        x = org[0] + ii * sp[0] - c[0]
        y = org[1] + jj * sp[1] - c[1]
        z = org[2] + kk * sp[2] - c[2]
        s = (np.arange(k) + 0.5) / k - 0.5
        # Separable squared distances of sub-samples: (nz*k, ny*k, nx*k) grid of sub-voxel centres.
        xs = (x[:, None] + s[None, :] * sp[0]).ravel() ** 2
        ys = (y[:, None] + s[None, :] * sp[1]).ravel() ** 2
        zs = (z[:, None] + s[None, :] * sp[2]).ravel() ** 2
        inside = (zs[:, None, None] + ys[None, :, None] + xs[None, None, :]) <= r * r
        w = inside.reshape(len(kk), k, len(jj), k, len(ii), k).mean(axis=(1, 3, 5))
        b = (z[:, None, None] ** 2 + y[None, :, None] ** 2 + x[None, None, :] ** 2) <= r * r
        return (slice(lo[2], hi[2] + 1), slice(lo[1], hi[1] + 1), slice(lo[0], hi[0] + 1)), w, b

    def peak_kernel(k=7):
        r = np.cbrt(3000.0 / (4.0 * np.pi))
        half_diag = 0.5 * np.sqrt(np.sum(sp**2))
        reach = np.ceil((r + half_diag) / sp).astype(int)
        s = (np.arange(k) + 0.5) / k - 0.5
        ax = [((np.arange(-reach[a], reach[a] + 1)[:, None] + s[None, :]) * sp[a]).ravel() ** 2 for a in range(3)]
        d2 = ax[2][:, None, None] + ax[1][None, :, None] + ax[0][None, None, :]
        ker = (d2 <= r * r).reshape(2 * reach[2] + 1, k, 2 * reach[1] + 1, k, 2 * reach[0] + 1, k).mean(axis=(1, 3, 5))
        return ker, reach

    def peak_of(sl, b, ker, reach):
        # bounding box + margin, clamped to the image
        lo = [max(s.start - r, 0) for s, r in zip(sl, reach[::-1])]
        hi = [min(s.stop + r, n) for s, r, n in zip(sl, reach[::-1], (nz, ny, nx))]
        big = vol[lo[0] : hi[0], lo[1] : hi[1], lo[2] : hi[2]].astype(np.float64)
        sums = ndimage.correlate(big, ker, mode="constant", cval=0.0)
        wsum = ndimage.correlate(np.ones_like(big), ker, mode="constant", cval=0.0)
        pm = sums / wsum
        inner = pm[tuple(slice(s.start - l, s.stop - l) for s, l in zip(sl, lo))]
        return float(inner[b].max())

    def metrics(sl, w, b, ker, reach, peak=True):
        sub = vol[sl].astype(np.float64)
        sw = w.sum()
        mean = float((w * sub).sum() / sw)
        sd = float(np.sqrt((w * (sub - mean) ** 2).sum() / sw))
        out = {"max": float(sub[b].max()), "min": float(sub[b].min()), "mean": mean, "sd": sd, "volumeMl": float(sw * vox_ml)}
        if peak:
            out["peak"] = peak_of(sl, b, ker, reach)
        return out

    def run():
        ker, reach = peak_kernel()
        tsl, tw, tb = sphere_voi(p["tumour"]["centerMm"], p["tumour"]["radiusMm"])
        msl, mw, mb = sphere_voi(p["reference"]["centerMm"], p["reference"]["radiusMm"])
        ref = metrics(msl, mw, mb, ker, reach, peak=False)
        t = metrics(tsl, tw, tb, ker, reach)
        rm = ref["mean"]
        tm = vol[tsl].astype(np.float64) / rm
        sel = (tw > 0) | tb
        hyp = float(tw[sel & (tm > p["cutoffTm"])].sum() * vox_ml)
        edges = np.arange(np.floor(tm[sel].min() / 0.1), np.floor(tm[sel].max() / 0.1) + 2) * 0.1
        hist, _ = np.histogram(tm[sel], bins=edges, weights=tw[sel] * vox_ml)
        cum = np.cumsum(hist[::-1])[::-1] / hist.sum()
        return {
            "tumour": t,
            "referenceMean": rm,
            "tmrMax": t["max"] / rm,
            "tmrMean": t["mean"] / rm,
            "tmrPeak": t["peak"] / rm,
            "hypoxicVolumeMl": hyp,
            "hypoxicFraction": hyp / t["volumeMl"],
            "bins": int(len(cum)),
        }

    best = float("inf")
    res = None
    for _ in range(p.get("repeats", 5)):
        t0 = time.perf_counter()
        res = run()
        best = min(best, time.perf_counter() - t0)
    # SUVpeak-only timing for the scaling table
    scaling = []
    ker, reach = peak_kernel()
    for r in p.get("scalingRadiiMm", []):
        sl, w, b = sphere_voi(p["tumour"]["centerMm"], r)
        bt = float("inf")
        for _ in range(10):
            t0 = time.perf_counter()
            peak_of(sl, b, ker, reach)
            bt = min(bt, time.perf_counter() - t0)
        scaling.append({"radiusMm": r, "voxels": int(b.sum()), "s": bt})
    print(json.dumps({"seconds": best, "result": res, "scaling": scaling}))


if __name__ == "__main__":
    main()
