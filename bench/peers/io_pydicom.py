#!/usr/bin/python3
"""Peer for bench/io.ts: read a PET and a CT DICOM series with pydicom + numpy, sort slices along
the normal, apply per-slice RescaleSlope/Intercept into float32, and compute the SUVbw volume
(weight / decayed dose, DecayCorrection START, QIBA). Prints one JSON line.

usage: /usr/bin/python3 bench/peers/io_pydicom.py PET_DIR CT_DIR
"""
import json
import os
import resource
import sys
import time

import numpy as np
import pydicom


def read_series(folder):
    files = sorted(os.path.join(folder, f) for f in os.listdir(folder))
    dss = [pydicom.dcmread(f) for f in files]
    iop = np.array([float(v) for v in dss[0].ImageOrientationPatient])
    normal = np.cross(iop[:3], iop[3:])
    dss.sort(key=lambda d: float(np.dot(np.array([float(v) for v in d.ImagePositionPatient]), normal)))
    vol = np.empty((len(dss), int(dss[0].Rows), int(dss[0].Columns)), np.float32)
    for k, d in enumerate(dss):
        vol[k] = d.pixel_array * float(d.RescaleSlope) + float(d.RescaleIntercept)
    return vol, dss[0]


def seconds(tm):
    tm = str(tm)
    return int(tm[0:2]) * 3600 + int(tm[2:4]) * 60 + float(tm[4:] or 0)


def main():
    pet_dir, ct_dir = sys.argv[1], sys.argv[2]
    base_rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
    t0 = time.perf_counter()
    pet, h = read_series(pet_dir)
    ct, _ = read_series(ct_dir)
    rp = h.RadiopharmaceuticalInformationSequence[0]
    decay_s = seconds(h.SeriesTime) - seconds(rp.RadiopharmaceuticalStartTime)
    dose = float(rp.RadionuclideTotalDose) * 2.0 ** (-decay_s / float(rp.RadionuclideHalfLife))
    factor = float(h.PatientWeight) * 1000.0 / dose  # kg -> g
    suv = pet * np.float32(factor)
    t1 = time.perf_counter()
    print(json.dumps({
        "timeS": t1 - t0,
        "peakRssBytes": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024,
        "baseRssBytes": base_rss,
        "suvBwScaleFactor": factor,
        "suvSum": float(suv.sum(dtype=np.float64)),
        "ctSum": float(ct.sum(dtype=np.float64)),
    }))


if __name__ == "__main__":
    main()
