/**
 * The viewer's Auto range (web/src/viewer/quantile.ts) finds an order statistic with a histogram
 * and one sorted bin; oracle: the definition `sorted[min(n − 1, floor(q · n))]` over the non-NaN
 * values, computed by a full sort. Exact equality is required (it picks a voxel value, no arithmetic).
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { quantileAndMax } from "../../web/src/viewer/quantile.js";

/** -0 and +0 are the same voxel value (x + 0 maps -0 to +0). */
function norm(r: { q: number; max: number } | null): { q: number; max: number } | null {
  return r === null ? null : { q: r.q + 0, max: r.max + 0 };
}

function bySort(values: readonly number[], q: number): { q: number; max: number } | null {
  const v = values.filter((x) => !Number.isNaN(x)).sort((a, b) => a - b);
  if (v.length === 0) return null;
  return { q: v[Math.min(v.length - 1, Math.floor(q * v.length))]!, max: v[v.length - 1]! };
}

describe("quantileAndMax", () => {
  it("equals the full-sort definition on random arrays (ties, NaN, negatives, one value)", () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.oneof(
            fc.double({ min: -1e6, max: 1e6, noNaN: true }),
            fc.integer({ min: -3, max: 3 }),
            fc.constant(Number.NaN),
          ),
          { maxLength: 300 },
        ),
        fc.double({ min: 0, max: 1, noNaN: true }),
        (values, q) => {
          const f32 = Float32Array.from(values);
          expect(norm(quantileAndMax(f32, q))).toEqual(norm(bySort(Array.from(f32), q)));
        },
      ),
      { seed: 20261125, numRuns: 400 },
    );
  });

  it("finds the 99.99th percentile of a 1e6-voxel skewed volume like a sort does", () => {
    // Deterministic skewed data: mostly background near 0.4 with a hot tail (a PET-like histogram).
    const n = 1_000_000;
    const data = new Float32Array(n);
    let s = 12345;
    for (let i = 0; i < n; i++) {
      s = (s * 1103515245 + 12345) >>> 0;
      const u = s / 2 ** 32;
      data[i] = u < 0.999 ? 0.4 + 0.1 * u : 2 + 10 * u;
    }
    expect(quantileAndMax(data, 0.9999)).toEqual(bySort(Array.from(data), 0.9999));
  });
});
