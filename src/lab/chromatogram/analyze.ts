/**
 * Radio-TLC / radio-HPLC chromatogram analysis: baseline, peaks (automatic or manual ROIs), areas
 * with counting uncertainty, Rf or retention time, radiochemical purity and release decision.
 *
 * Definitions (lab-formats.md §3.1–3.2, van Dam lab convention):
 * - net counts n_i = y_i − b_i (SNIP baseline b, see baseline.ts);
 * - ROI area A = Σ_{i∈ROI} n_i (counts; per-bin data are summed, not multiplied by Δx, so the area
 *   is in counts for a scanner and counts·bin for HPLC: only ratios are used);
 * - var(A) = Σ_{i∈ROI} (y_i + b_i) (Poisson on gross counts plus a baseline of similar variance);
 * - centroid c = Σ x_i n_i / Σ n_i; TLC Rf = (c − origin) / (front − origin);
 * - RCP = A_product / Σ A_roi, with σ from the two independent parts A and (T − A).
 */
import { AtsmError } from "../../core/errors.js";
import { snipBaseline } from "./baseline.js";

export type TraceAxis = "positionMm" | "timeS";

export interface Trace {
  readonly axis: TraceAxis;
  /** Strictly increasing positions (mm) or times (s). */
  readonly x: Float64Array;
  /** Counts per bin (≥ 0). */
  readonly counts: Float64Array;
}

export interface ChromatogramOptions {
  /** TLC: origin and solvent front positions, mm. Required for Rf. */
  readonly originMm?: number;
  readonly frontMm?: number;
  /** Product window: Rf range (TLC) or retention-time range in s (HPLC). */
  readonly productRange: readonly [number, number];
  /** Manual ROIs in x units ([start, end] pairs); overrides automatic peak detection. */
  readonly rois?: readonly (readonly [number, number])[];
  /** Release limit, percent; pass when RCP > limit (default 98, brief protocol 1). */
  readonly releaseLimitPercent?: number;
  /** Baseline clipping half-width in x units (default 10 % of the trace length). */
  readonly baselineHalfWidth?: number;
  /** Peaks below this fraction of the tallest net peak are ignored (default 0.005). */
  readonly minPeakFraction?: number;
  /** Disable baseline subtraction (areas from gross counts). */
  readonly noBaseline?: boolean;
}

export interface Peak {
  readonly start: number;
  readonly end: number;
  readonly apex: number;
  readonly centroid: number;
  /** Rf (TLC) or null (HPLC). */
  readonly rf: number | null;
  /** Retention time of the centroid, s (HPLC) or null. */
  readonly timeS: number | null;
  readonly area: number;
  readonly areaSd: number;
  readonly percent: number;
  readonly isProduct: boolean;
  readonly source: "auto" | "manual";
}

export interface ChromatogramResult {
  readonly axis: TraceAxis;
  readonly peaks: readonly Peak[];
  readonly rcpPercent: number;
  readonly rcpSdPercent: number;
  readonly releaseLimitPercent: number;
  readonly pass: boolean;
  /** Net counts outside every ROI, as % of all net counts. */
  readonly unassignedPercent: number;
  readonly baseline: Float64Array;
  readonly warnings: readonly string[];
}

function invalid(message: string, field: string, value?: unknown, hint?: string): AtsmError {
  return new AtsmError({
    code: "INVALID_ARGUMENT",
    message,
    field,
    ...(value !== undefined ? { value } : {}),
    ...(hint ? { hint } : {}),
  });
}

/** Validate a trace: equal lengths, ≥ 5 points, strictly increasing x, finite non-negative counts. */
export function validateTrace(trace: Trace): void {
  const { x, counts } = trace;
  if (x.length !== counts.length)
    throw invalid("x and counts differ in length", "counts", `${x.length} vs ${counts.length}`);
  if (x.length < 5) throw invalid("a chromatogram needs at least 5 points", "counts", x.length);
  for (let i = 0; i < x.length; i++) {
    if (!Number.isFinite(x[i]!) || !Number.isFinite(counts[i]!))
      throw invalid(`non-finite value at point ${i + 1}`, trace.axis);
    if (counts[i]! < 0)
      throw invalid(
        `negative counts at point ${i + 1}`,
        "counts",
        counts[i],
        "counts must be raw (non-negative) detector counts",
      );
    if (i > 0 && !(x[i]! > x[i - 1]!)) {
      throw invalid(
        `${trace.axis} must increase strictly; point ${i + 1} is not after point ${i}`,
        trace.axis,
        x[i],
        "sort the trace by position/time and remove duplicates",
      );
    }
  }
}

/** Find peak regions [startIdx, endIdx] on the net signal (smoothed for detection only). */
function detectPeaks(
  net: Float64Array,
  minFraction: number,
  noiseSd: Float64Array,
): [number, number, number][] {
  const n = net.length;
  const s = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const a = net[Math.max(0, i - 1)]!;
    const b = net[i]!;
    const c = net[Math.min(n - 1, i + 1)]!;
    s[i] = 0.25 * a + 0.5 * b + 0.25 * c;
  }
  let maxNet = 0;
  for (let i = 0; i < n; i++) maxNet = Math.max(maxNet, s[i]!);
  if (maxNet <= 0) return [];
  const apexes: number[] = [];
  for (let i = 0; i < n; i++) {
    const left = i === 0 ? -Infinity : s[i - 1]!;
    const right = i === n - 1 ? -Infinity : s[i + 1]!;
    if (s[i]! > left && s[i]! >= right && s[i]! >= minFraction * maxNet && s[i]! > 3 * noiseSd[i]!)
      apexes.push(i);
  }
  // Valleys: the minimum of the smoothed signal between consecutive apexes splits two peaks.
  const valley: number[] = [];
  for (let p = 0; p + 1 < apexes.length; p++) {
    let vi = apexes[p]!;
    for (let i = apexes[p]!; i <= apexes[p + 1]!; i++) if (s[i]! < s[vi]!) vi = i;
    valley.push(vi);
  }
  const regions: [number, number, number][] = [];
  for (let p = 0; p < apexes.length; p++) {
    const apex = apexes[p]!;
    // A peak ends where the smoothed net signal falls to the noise floor (2σ) or 1 % of its apex.
    const thr = Math.max(0.01 * s[apex]!, 2 * noiseSd[apex]!);
    const loLimit = p > 0 ? valley[p - 1]! + 1 : 0;
    const hiLimit = p + 1 < apexes.length ? valley[p]! : n - 1;
    let lo = apex;
    while (lo > loLimit && s[lo - 1]! > thr) lo--;
    let hi = apex;
    while (hi < hiLimit && s[hi + 1]! > thr) hi++;
    regions.push([lo, hi, apex]);
  }
  // Merge shoulders: regions touching a previous region whose valley is > 80 % of the lower apex.
  const merged: [number, number, number][] = [];
  for (const r of regions) {
    const last = merged[merged.length - 1];
    if (last && r[0] <= last[1] + 1) {
      const valley = Math.min(s[last[1]]!, s[r[0]]!);
      const lower = Math.min(s[last[2]]!, s[r[2]]!);
      if (valley > 0.8 * lower) {
        last[1] = r[1];
        if (s[r[2]]! > s[last[2]]!) last[2] = r[2];
        continue;
      }
    }
    merged.push([r[0], r[1], r[2]]);
  }
  return merged;
}

function indexRange(x: Float64Array, lo: number, hi: number): [number, number] | null {
  let a = -1;
  let b = -1;
  for (let i = 0; i < x.length; i++) {
    if (x[i]! >= lo && x[i]! <= hi) {
      if (a < 0) a = i;
      b = i;
    }
  }
  return a < 0 ? null : [a, b];
}

/** Analyse one chromatogram. */
export function analyzeChromatogram(trace: Trace, opts: ChromatogramOptions): ChromatogramResult {
  validateTrace(trace);
  const { x, counts } = trace;
  const n = x.length;
  const warnings: string[] = [];
  const limit = opts.releaseLimitPercent ?? 98;
  if (!(limit > 0 && limit <= 100))
    throw invalid(
      "release limit must be in (0, 100] %",
      "--limit",
      limit,
      "give the limit in percent, e.g. --limit 98 (pass when RCP > limit)",
    );
  const [pLo, pHi] = opts.productRange;
  if (!(pLo < pHi))
    throw invalid("product range must be LOW:HIGH with LOW < HIGH", "productRange", `${pLo}:${pHi}`);
  const isTlc = trace.axis === "positionMm";
  if (isTlc) {
    if (opts.originMm === undefined || opts.frontMm === undefined) {
      throw new AtsmError({
        code: "MISSING_INPUT",
        message: "TLC analysis needs the origin and solvent front positions",
        field: opts.originMm === undefined ? "--origin-mm" : "--front-mm",
        hint: "pass --origin-mm and --front-mm (positions on the plate, in mm)",
      });
    }
    if (!(opts.frontMm > opts.originMm))
      throw invalid(
        `solvent front (${opts.frontMm} mm) must be beyond the origin (${opts.originMm} mm)`,
        "--front-mm",
        opts.frontMm,
        opts.frontMm < opts.originMm
          ? "origin and front look swapped: --origin-mm is where the spot was applied, --front-mm where the solvent stopped"
          : "the front is where the solvent stopped, further along the plate than the origin",
      );
    // Rf is a fraction of the migration distance: a window outside [0, 1] is a unit mistake
    // (percent, or mm given as Rf), never a real product window.
    if (pLo < 0 || pHi > 1)
      throw invalid(
        `--product-rf must lie within 0–1 (Rf is a fraction of the origin→front distance)`,
        "--product-rf",
        `${pLo}:${pHi}`,
        pHi > 1 && pHi <= 100
          ? `looks like percent: write ${pLo / 100}:${pHi / 100}`
          : "e.g. --product-rf 0.45:0.75",
      );
    const tol = 1e-9;
    if (opts.originMm < x[0]! - tol || opts.frontMm > x[x.length - 1]! + tol)
      warnings.push(
        `origin ${opts.originMm} mm or front ${opts.frontMm} mm lies outside the scanned trace (${x[0]}–${x[x.length - 1]} mm): check --origin-mm / --front-mm`,
      );
  }
  const span = x[n - 1]! - x[0]!;
  const dx = span / (n - 1);
  const baseline = opts.noBaseline
    ? new Float64Array(n)
    : snipBaseline(counts, Math.round((opts.baselineHalfWidth ?? 0.1 * span) / dx));
  const net = new Float64Array(n);
  const noiseSd = new Float64Array(n);
  let totalNet = 0;
  for (let i = 0; i < n; i++) {
    net[i] = counts[i]! - baseline[i]!;
    noiseSd[i] = Math.sqrt(Math.max(1, baseline[i]!));
    totalNet += Math.max(0, net[i]!);
  }
  let regions: { lo: number; hi: number; apex: number; source: "auto" | "manual" }[];
  if (opts.rois && opts.rois.length > 0) {
    regions = opts.rois.map(([a, b], k) => {
      if (!(a < b)) throw invalid(`ROI ${k + 1} must be START:END with START < END`, "--roi", `${a}:${b}`);
      const r = indexRange(x, a, b);
      if (r === null)
        throw invalid(
          `ROI ${k + 1} (${a}–${b}) contains no data points`,
          "--roi",
          `${a}:${b}`,
          `the trace covers ${x[0]}–${x[n - 1]}`,
        );
      let apex = r[0];
      for (let i = r[0]; i <= r[1]; i++) if (net[i]! > net[apex]!) apex = i;
      return { lo: r[0], hi: r[1], apex, source: "manual" as const };
    });
    // Overlapping ROIs would count the shared bins twice and inflate whichever side they favour.
    const sorted = [...regions].sort((p, q) => p.lo - q.lo);
    for (let k = 1; k < sorted.length; k++) {
      const prev = sorted[k - 1]!;
      const cur = sorted[k]!;
      if (cur.lo <= prev.hi) {
        throw invalid(
          `ROIs overlap: ${x[prev.lo]}–${x[prev.hi]} and ${x[cur.lo]}–${x[cur.hi]} share data points, which would be counted twice`,
          "--roi",
          `${x[cur.lo]}`,
          "give non-overlapping regions, e.g. --roi 5:20 --roi 50:70",
        );
      }
    }
  } else {
    regions = detectPeaks(net, opts.minPeakFraction ?? 0.005, noiseSd).map(([lo, hi, apex]) => ({
      lo,
      hi,
      apex,
      source: "auto" as const,
    }));
  }
  if (regions.length === 0) {
    throw new AtsmError({
      code: "NUMERIC",
      message: "no peak found in the chromatogram (net counts are at baseline level)",
      field: "counts",
      hint: "check the file, or give the regions by hand with --roi START:END",
    });
  }
  const raw = regions.map((r) => {
    let area = 0;
    let varArea = 0;
    let mx = 0;
    for (let i = r.lo; i <= r.hi; i++) {
      area += net[i]!;
      varArea += counts[i]! + baseline[i]!;
      mx += x[i]! * Math.max(0, net[i]!);
    }
    const pos = area > 0 ? mx / Math.max(1e-300, sumPositive(net, r.lo, r.hi)) : x[r.apex]!;
    const rf = isTlc ? (pos - opts.originMm!) / (opts.frontMm! - opts.originMm!) : null;
    const key = isTlc ? rf! : pos;
    return {
      start: x[r.lo]!,
      end: x[r.hi]!,
      apex: x[r.apex]!,
      centroid: pos,
      rf,
      timeS: isTlc ? null : pos,
      area,
      areaSd: Math.sqrt(varArea),
      isProduct: key >= pLo && key <= pHi,
      source: r.source,
    };
  });
  const total = raw.reduce((s, p) => s + p.area, 0);
  if (!(total > 0))
    throw new AtsmError({
      code: "NUMERIC",
      message: "total net area of the peaks is not positive",
      field: "counts",
    });
  const product = raw.filter((p) => p.isProduct);
  const a = product.reduce((s, p) => s + p.area, 0);
  const varA = product.reduce((s, p) => s + p.areaSd ** 2, 0);
  const varRest = raw.filter((p) => !p.isProduct).reduce((s, p) => s + p.areaSd ** 2, 0);
  const rcp = a / total;
  const rcpSd = Math.sqrt(((total - a) ** 2 * varA + a ** 2 * varRest) / total ** 4);
  if (product.length === 0)
    warnings.push(
      `no peak inside the product window ${pLo}–${pHi}${isTlc ? " (Rf)" : " s"}; RCP is 0 %. Peaks found at ${raw
        .map((p) => (isTlc ? `Rf ${p.rf!.toFixed(3)}` : `${p.centroid.toFixed(1)} s`))
        .join(", ")}`,
    );
  if (product.length > 1)
    warnings.push(`${product.length} peaks fall inside the product window; their areas are summed`);
  for (const p of raw)
    if (p.area < 0) warnings.push(`ROI ${p.start}–${p.end} has a negative net area (below baseline)`);
  const unassigned = totalNet > 0 ? Math.max(0, 100 * (1 - total / totalNet)) : 0;
  if (unassigned > 2) warnings.push(`${unassigned.toFixed(1)} % of net counts lie outside every ROI`);
  const peaks: Peak[] = raw.map((p) => ({ ...p, percent: (100 * p.area) / total }));
  return {
    axis: trace.axis,
    peaks,
    rcpPercent: 100 * rcp,
    rcpSdPercent: 100 * rcpSd,
    releaseLimitPercent: limit,
    pass: 100 * rcp > limit,
    unassignedPercent: unassigned,
    baseline,
    warnings,
  };
}

function sumPositive(a: Float64Array, lo: number, hi: number): number {
  let s = 0;
  for (let i = lo; i <= hi; i++) s += Math.max(0, a[i]!);
  return s;
}
