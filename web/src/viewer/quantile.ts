/**
 * Exact order statistics of a large voxel array without sorting it: a histogram over [min, max] finds
 * the bin that holds the wanted rank, then only that bin's values are sorted. Three linear passes and a
 * sort of one bin (≈ n / BINS values for smooth data) instead of an O(n log n) sort of every voxel.
 * NaN voxels are ignored. Same answer as `sorted[floor(q · n)]` of the non-NaN values.
 */
const BINS = 4096;

/** The q-quantile (0 ≤ q ≤ 1) as `sorted[min(n − 1, floor(q · n))]`, plus the maximum; null when empty. */
export function quantileAndMax(data: ArrayLike<number>, q: number): { q: number; max: number } | null {
  let min = Number.POSITIVE_INFINITY;
  let max = Number.NEGATIVE_INFINITY;
  let n = 0;
  for (let i = 0; i < data.length; i++) {
    const x = data[i]!;
    if (Number.isNaN(x)) continue;
    n++;
    if (x < min) min = x;
    if (x > max) max = x;
  }
  if (n === 0) return null;
  const rank = Math.min(n - 1, Math.max(0, Math.floor(q * n)));
  if (min === max) return { q: min, max };
  const scale = BINS / (max - min);
  const bin = (x: number) => Math.min(BINS - 1, Math.floor((x - min) * scale));
  const counts = new Uint32Array(BINS);
  for (let i = 0; i < data.length; i++) {
    const x = data[i]!;
    if (!Number.isNaN(x)) counts[bin(x)]!++;
  }
  let b = 0;
  let below = 0;
  while (below + counts[b]! <= rank) below += counts[b++]!;
  const inBin = new Float64Array(counts[b]!);
  let k = 0;
  for (let i = 0; i < data.length; i++) {
    const x = data[i]!;
    if (!Number.isNaN(x) && bin(x) === b) inBin[k++] = x;
  }
  inBin.sort();
  return { q: inBin[rank - below]!, max };
}
