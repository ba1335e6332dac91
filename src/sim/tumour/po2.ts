/**
 * Tumour pO2 distributions for when no oxygen map is at hand: a two-component log-normal mixture
 * (a hypoxic and an oxic population), sampled deterministically at mid-quantiles, or at random
 * with a seeded generator for maps.
 *
 * The hypoxic fraction (< 10 mmHg, < 2.5 mmHg) of the result can be compared with Eppendorf
 * histograms; the shape is an assumption [A] (tumour pO2 histograms are typically skewed with a
 * low-pO2 tail [M]).
 */
import { AtsmError } from "../../core/errors.js";
import type { Rng } from "../../core/rng.js";

/** A tumour (or tissue) pO2 distribution. */
export type Po2Distribution =
  | {
      readonly kind: "lognormal-mixture";
      /** Fraction of the hypoxic component, 0..1. */
      readonly hypoxicFraction: number;
      /** Median pO2 of the hypoxic component, mmHg. */
      readonly hypoxicMedianMmHg: number;
      /** Median pO2 of the oxic component, mmHg. */
      readonly oxicMedianMmHg: number;
      /** σ of ln(pO2) of both components. */
      readonly sigmaLn: number;
    }
  | { readonly kind: "constant"; readonly pO2MmHg: number }
  | { readonly kind: "samples"; readonly samplesMmHg: ArrayLike<number> };

/** Inverse standard normal CDF (Acklam's rational approximation, |rel err| < 1.2e-9). */
export function normalQuantile(p: number): number {
  if (!(p > 0 && p < 1)) throw new Error("normalQuantile: p outside (0, 1)");
  const a = [
    -39.69683028665376, 220.9460984245205, -275.9285104469687, 138.357751867269, -30.66479806614716,
    2.506628277459239,
  ];
  const b = [
    -54.47609879822406, 161.5858368580409, -155.6989798598866, 66.80131188771972, -13.28068155288572,
  ];
  const c = [
    -0.007784894002430293, -0.3223964580411365, -2.400758277161838, -2.549732539343734, 4.374664141464968,
    2.938163982698783,
  ];
  const d = [0.007784695709041462, 0.3224671290700398, 2.445134137142996, 3.754408661907416];
  const pl = 0.02425;
  if (p < pl) {
    const q = Math.sqrt(-2 * Math.log(p));
    return (
      (((((c[0]! * q + c[1]!) * q + c[2]!) * q + c[3]!) * q + c[4]!) * q + c[5]!) /
      ((((d[0]! * q + d[1]!) * q + d[2]!) * q + d[3]!) * q + 1)
    );
  }
  if (p > 1 - pl) return -normalQuantile(1 - p);
  const q = p - 0.5;
  const r = q * q;
  return (
    ((((((a[0]! * r + a[1]!) * r + a[2]!) * r + a[3]!) * r + a[4]!) * r + a[5]!) * q) /
    (((((b[0]! * r + b[1]!) * r + b[2]!) * r + b[3]!) * r + b[4]!) * r + 1)
  );
}

function check(d: Po2Distribution): void {
  if (d.kind === "lognormal-mixture") {
    const ok =
      d.hypoxicFraction >= 0 &&
      d.hypoxicFraction <= 1 &&
      d.hypoxicMedianMmHg > 0 &&
      d.oxicMedianMmHg > 0 &&
      d.sigmaLn >= 0;
    if (!ok) {
      throw new AtsmError({
        code: "INVALID_ARGUMENT",
        message: "invalid pO2 distribution",
        value: d,
        hint: "hypoxicFraction in [0,1], medians > 0 mmHg, sigmaLn ≥ 0",
      });
    }
  } else if (d.kind === "constant" && !(d.pO2MmHg >= 0)) {
    throw new AtsmError({ code: "INVALID_ARGUMENT", message: "pO2 must be ≥ 0 mmHg", value: d.pO2MmHg });
  } else if (d.kind === "samples" && d.samplesMmHg.length === 0) {
    throw new AtsmError({
      code: "INVALID_ARGUMENT",
      message: "pO2 sample array is empty",
      hint: "give ≥ 1 pO2 value",
    });
  }
}

/**
 * n deterministic samples of the distribution at mid-quantiles (i + 0.5)/n of each component
 * (the hypoxic component gets round(f·n) of them). For "samples", returns a copy.
 */
export function po2Quantiles(d: Po2Distribution, n = 64): Float64Array {
  check(d);
  if (d.kind === "constant") return new Float64Array(1).fill(d.pO2MmHg);
  if (d.kind === "samples") return Float64Array.from(d.samplesMmHg, (v) => Math.max(0, v));
  const nh = Math.round(d.hypoxicFraction * n);
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const hyp = i < nh;
    const m = hyp ? nh : n - nh;
    const j = hyp ? i : i - nh;
    const z = normalQuantile((j + 0.5) / m);
    out[i] = (hyp ? d.hypoxicMedianMmHg : d.oxicMedianMmHg) * Math.exp(d.sigmaLn * z);
  }
  return out;
}

/** One random draw from the distribution (seeded generator). */
export function drawPo2(d: Po2Distribution, rng: Rng): number {
  if (d.kind === "constant") return d.pO2MmHg;
  if (d.kind === "samples") return d.samplesMmHg[Math.floor(rng.next() * d.samplesMmHg.length)]!;
  const hyp = rng.next() < d.hypoxicFraction;
  return (hyp ? d.hypoxicMedianMmHg : d.oxicMedianMmHg) * Math.exp(d.sigmaLn * rng.normal());
}

/** Fractions of samples below 10 and 2.5 mmHg (the usual hypoxic fractions, HF10 / HF2.5). */
export function hypoxicFractions(samplesMmHg: ArrayLike<number>): {
  below10MmHg: number;
  below2p5MmHg: number;
} {
  let a = 0;
  let b = 0;
  for (let i = 0; i < samplesMmHg.length; i++) {
    const v = samplesMmHg[i]!;
    if (v < 10) a++;
    if (v < 2.5) b++;
  }
  return { below10MmHg: a / samplesMmHg.length, below2p5MmHg: b / samplesMmHg.length };
}
