#!/usr/bin/python3
"""Peer of bench/web.ts's metrics load test: a minimal Python stdlib HTTP server (ThreadingHTTPServer)
answering POST /metrics {"tumour": "sphere:X,Y,Z,R", "reference": "sphere:X,Y,Z,R"} with the hypoxia
read-out computed by numpy/scipy on the SAME PET volume the Workbench viewer loads (the gzipped NIfTI
float32 SUV volume from GET /api/series/:id/volume.nii.gz), held in memory like our study cache.

Method: bench/peers/quantify_numpy.py (sphere weights by 5^3 supersampling, binary = centre inside;
weighted mean/SD, max over binary voxels, SUVpeak by ndimage.correlate with the 1 cm^3 sphere kernel on
the bounding box + margin, T/M max/mean/peak, hypoxic volume at T/M > 2, T/M histogram 0.1 bins).
No auth, no database, no validation beyond parsing: a lower bound on the work per request.

Usage: metrics_peer.py PET.nii.gz PORT   (prints "listening PORT" when ready; loopback only)
"""
import gzip
import json
import struct
import sys
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import numpy as np
from scipy import ndimage


def read_nifti(path):
    raw = gzip.open(path).read()
    dims = struct.unpack_from("<8h", raw, 40)
    datatype = struct.unpack_from("<h", raw, 70)[0]
    vox_offset = int(struct.unpack_from("<f", raw, 108)[0])
    slope, inter = struct.unpack_from("<2f", raw, 112)
    srow = np.array(struct.unpack_from("<12f", raw, 280), dtype=np.float64).reshape(3, 4)
    nx, ny, nz = dims[1], dims[2], dims[3]
    dt = {16: "<f4", 4: "<i2", 512: "<u2", 64: "<f8"}[datatype]
    vol = np.frombuffer(raw, dtype=dt, count=nx * ny * nz, offset=vox_offset).reshape(nz, ny, nx).astype(np.float32)
    if slope not in (0.0, 1.0) or inter != 0.0:
        vol = vol * (slope if slope != 0 else 1.0) + inter
    # RAS sform -> LPS (x, y negated); only axis-aligned grids (flip axes with a negative LPS step).
    lps = srow.copy()
    lps[0:2, :] *= -1
    if np.count_nonzero(np.abs(lps[:, :3]) > 1e-6 * np.abs(lps[:, :3]).max()) != 3 or not all(
        abs(lps[a, a]) > 0 for a in range(3)
    ):
        raise SystemExit("metrics_peer: only axis-aligned volumes are supported")
    origin = lps[:, 3].copy()
    step = np.array([lps[0, 0], lps[1, 1], lps[2, 2]])
    for a in range(3):
        if step[a] < 0:
            n = (nx, ny, nz)[a]
            origin[a] += (n - 1) * step[a]
            step[a] = -step[a]
            vol = np.flip(vol, axis=2 - a)
    return np.ascontiguousarray(vol), origin, step


def make_metrics(vol, org, sp):
    nz, ny, nx = vol.shape
    vox_ml = float(np.prod(sp)) / 1000.0

    def sphere_voi(c, r, k=5):
        c = np.asarray(c, dtype=np.float64)
        lo = np.maximum(np.floor((c - r - org) / sp - 0.5).astype(int), 0)
        hi = np.minimum(np.ceil((c + r - org) / sp + 0.5).astype(int), [nx - 1, ny - 1, nz - 1])
        ii, jj, kk = (np.arange(lo[a], hi[a] + 1) for a in range(3))
        x = org[0] + ii * sp[0] - c[0]
        y = org[1] + jj * sp[1] - c[1]
        z = org[2] + kk * sp[2] - c[2]
        s = (np.arange(k) + 0.5) / k - 0.5
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
        shape = (2 * reach[2] + 1, k, 2 * reach[1] + 1, k, 2 * reach[0] + 1, k)
        return (d2 <= r * r).reshape(shape).mean(axis=(1, 3, 5)), reach

    ker, reach = peak_kernel()

    def peak_of(sl, b):
        lo = [max(s.start - r, 0) for s, r in zip(sl, reach[::-1])]
        hi = [min(s.stop + r, n) for s, r, n in zip(sl, reach[::-1], (nz, ny, nx))]
        big = vol[lo[0] : hi[0], lo[1] : hi[1], lo[2] : hi[2]].astype(np.float64)
        pm = ndimage.correlate(big, ker, mode="constant") / ndimage.correlate(np.ones_like(big), ker, mode="constant")
        inner = pm[tuple(slice(s.start - l, s.stop - l) for s, l in zip(sl, lo))]
        return float(inner[b].max())

    def stats(sl, w, b):
        sub = vol[sl].astype(np.float64)
        sw = w.sum()
        mean = float((w * sub).sum() / sw)
        return {"max": float(sub[b].max()), "mean": mean, "volumeMl": float(sw * vox_ml)}

    def sphere(spec):
        if not spec.startswith("sphere:"):
            raise ValueError("only sphere:X,Y,Z,R specs")
        x, y, z, r = (float(v) for v in spec[7:].split(","))
        return [x, y, z], r

    def metrics(req):
        tsl, tw, tb = sphere_voi(*sphere(req["tumour"]))
        msl, mw, mb = sphere_voi(*sphere(req["reference"]))
        rm = stats(msl, mw, mb)["mean"]
        t = stats(tsl, tw, tb)
        t["peak"] = peak_of(tsl, tb)
        tm = vol[tsl].astype(np.float64) / rm
        sel = (tw > 0) | tb
        cutoff = float(req.get("cutoff", 2.0))
        hyp = float(tw[sel & (tm > cutoff)].sum() * vox_ml)
        edges = np.arange(np.floor(tm[sel].min() / 0.1), np.floor(tm[sel].max() / 0.1) + 2) * 0.1
        hist, _ = np.histogram(tm[sel], bins=edges, weights=tw[sel] * vox_ml)
        return {
            "tumor": t,
            "referenceMean": rm,
            "tmrMax": t["max"] / rm,
            "tmrMean": t["mean"] / rm,
            "tmrPeak": t["peak"] / rm,
            "hypoxicVolumeMl": hyp,
            "histogram": {"edges": edges.tolist(), "volumeMl": hist.tolist()},
        }

    return metrics


def main():
    vol, org, sp = read_nifti(sys.argv[1])
    metrics = make_metrics(vol, org, sp)

    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def do_POST(self):
            body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
            try:
                out = json.dumps(metrics(json.loads(body))).encode()
                code = 200
            except Exception as e:  # noqa: BLE001 (report any failure as a 400 JSON body)
                out = json.dumps({"error": {"code": "INVALID_ARGUMENT", "message": str(e)}}).encode()
                code = 400
            self.send_response(code)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(out)))
            self.end_headers()
            self.wfile.write(out)

        def log_message(self, *args):
            pass

    srv = ThreadingHTTPServer(("127.0.0.1", int(sys.argv[2])), Handler)
    srv.daemon_threads = True
    print(f"listening {srv.server_address[1]}", flush=True)
    srv.serve_forever()


if __name__ == "__main__":
    main()
