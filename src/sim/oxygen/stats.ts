/**
 * Summary of a pO2 map: histogram and hypoxic fractions over tissue voxels (vessel voxels and
 * voxels outside the tissue mask excluded). Thresholds 10 and 2.5 mmHg are the conventional
 * "hypoxic" and "radiobiologically hypoxic" levels used with Eppendorf electrode histograms
 * (e.g. Höckel et al., Cancer Res 1996;56:4509: HF10 / HF2.5).
 */
export interface Po2Histogram {
  /** Lower bin edges, mmHg (bins are [edge, edge + width)). Last bin collects everything above. */
  readonly binEdgesMmHg: Float64Array;
  /** Fraction of tissue voxels per bin (sums to 1). */
  readonly fraction: Float64Array;
  readonly tissueVoxels: number;
  readonly meanMmHg: number;
  readonly medianMmHg: number;
  /** Fraction of tissue voxels with pO2 < 10 mmHg. */
  readonly hypoxicFraction10: number;
  /** Fraction of tissue voxels with pO2 < 2.5 mmHg. */
  readonly hypoxicFraction2p5: number;
}

export interface Po2HistogramOptions {
  /** Bin width, mmHg (default 2.5). */
  readonly binWidthMmHg?: number;
  /** Upper end of the binned range, mmHg (default 100; larger values go into the last bin). */
  readonly maxMmHg?: number;
  readonly tissueMask?: Uint8Array;
  readonly vesselMask?: Uint8Array;
}

/** Histogram and hypoxic fractions of `po2MmHg`. NaN fields when there is no tissue voxel. */
export function po2Histogram(po2MmHg: Float32Array, o: Po2HistogramOptions = {}): Po2Histogram {
  const width = o.binWidthMmHg ?? 2.5;
  const max = o.maxMmHg ?? 100;
  const nb = Math.max(1, Math.ceil(max / width));
  const counts = new Float64Array(nb);
  const values = new Float32Array(po2MmHg.length);
  let m = 0;
  let sum = 0;
  let h10 = 0;
  let h25 = 0;
  for (let u = 0; u < po2MmHg.length; u++) {
    if (o.vesselMask !== undefined && o.vesselMask[u] !== 0) continue;
    if (o.tissueMask !== undefined && o.tissueMask[u] === 0) continue;
    const p = po2MmHg[u]!;
    values[m++] = p;
    sum += p;
    if (p < 10) h10++;
    if (p < 2.5) h25++;
    counts[Math.min(nb - 1, Math.max(0, Math.floor(p / width)))]! += 1;
  }
  const edges = new Float64Array(nb);
  for (let b = 0; b < nb; b++) {
    edges[b] = b * width;
    counts[b] = m > 0 ? counts[b]! / m : Number.NaN;
  }
  const sorted = values.subarray(0, m).sort();
  const median =
    m === 0 ? Number.NaN : m % 2 === 1 ? sorted[(m - 1) / 2]! : (sorted[m / 2 - 1]! + sorted[m / 2]!) / 2;
  return {
    binEdgesMmHg: edges,
    fraction: counts,
    tissueVoxels: m,
    meanMmHg: m > 0 ? sum / m : Number.NaN,
    medianMmHg: median,
    hypoxicFraction10: m > 0 ? h10 / m : Number.NaN,
    hypoxicFraction2p5: m > 0 ? h25 / m : Number.NaN,
  };
}
