/**
 * Plasma input functions of intact Cu(II)-ATSM: a linear rise from 0 at injection to the peak at
 * t_peak, then a sum of exponentials
 *
 *     Cp(t) = (t/t_peak)·Σ aᵢ                     for 0 ≤ t < t_peak
 *     Cp(t) = Σ aᵢ·exp(−λᵢ·(t − t_peak))          for t ≥ t_peak
 *
 * in fraction of the injected activity per mL plasma (IA/mL), decay-corrected to injection
 * (multiply by the injected activity for Bq/mL). Bi-exponential = two terms, tri = three.
 *
 * Provenance: atsm-science.md §2 notes that no verified Cu-ATSM input function was found. The
 * presets are assumptions [A] shaped after the rapid blood clearance of lipophilic Cu(II)
 * bis(thiosemicarbazones) [M], scaled to the plasma volume (mouse ~1.2 mL of ~25 g [M];
 * human ~3 L [M]); the xenograft and patient presets are calibrated with them.
 */
import { AtsmError } from "../../core/errors.js";
import type { WithProvenance } from "../presets/provenance.js";

export interface PlasmaInputFunction {
  readonly name: string;
  /** Time of the peak, s after injection (end of the linear rise). */
  readonly tPeakS: number;
  /** Amplitudes aᵢ at the peak, fraction of injected activity per mL plasma. */
  readonly amplitudesPerMl: readonly number[];
  /** Rate constants λᵢ, 1/s. */
  readonly ratesPerS: readonly number[];
  /** Whole-blood / plasma activity ratio (for the blood-volume term of the PET signal). */
  readonly bloodToPlasmaRatio: number;
}

/** Validate an input function; AtsmError naming the bad field. */
export function checkInputFunction(f: PlasmaInputFunction): void {
  const bad = (field: string, value: unknown, hint: string): never => {
    throw new AtsmError({
      code: "INVALID_ARGUMENT",
      message: `invalid input function ${field}`,
      value,
      field,
      hint,
    });
  };
  if (!(f.tPeakS >= 0) || !Number.isFinite(f.tPeakS))
    bad("tPeakS", f.tPeakS, "give the peak time in s (≥ 0)");
  if (f.amplitudesPerMl.length === 0 || f.amplitudesPerMl.length !== f.ratesPerS.length)
    bad("amplitudesPerMl", f.amplitudesPerMl, "give one rate per amplitude (1–4 terms)");
  for (const a of f.amplitudesPerMl)
    if (!(a >= 0) || !Number.isFinite(a)) bad("amplitudesPerMl", a, "amplitudes ≥ 0");
  for (const l of f.ratesPerS) if (!(l >= 0) || !Number.isFinite(l)) bad("ratesPerS", l, "rates ≥ 0 (1/s)");
  if (!(f.bloodToPlasmaRatio > 0)) bad("bloodToPlasmaRatio", f.bloodToPlasmaRatio, "typically 0.6–1");
}

/** Cp(t), fraction of injected activity per mL plasma. */
export function plasmaConcentration(f: PlasmaInputFunction, tS: number): number {
  if (tS <= 0) return 0;
  let peak = 0;
  for (const a of f.amplitudesPerMl) peak += a;
  if (tS < f.tPeakS) return (peak * tS) / f.tPeakS;
  let s = 0;
  const dt = tS - f.tPeakS;
  for (let i = 0; i < f.amplitudesPerMl.length; i++)
    s += f.amplitudesPerMl[i]! * Math.exp(-f.ratesPerS[i]! * dt);
  return s;
}

/** ∫₀ᵗ Cp(τ) dτ (analytic), fraction of injected activity · s / mL. */
export function plasmaIntegral(f: PlasmaInputFunction, tS: number): number {
  if (tS <= 0) return 0;
  let peak = 0;
  for (const a of f.amplitudesPerMl) peak += a;
  if (tS < f.tPeakS) return (0.5 * peak * tS * tS) / f.tPeakS;
  let s = 0.5 * peak * f.tPeakS;
  const dt = tS - f.tPeakS;
  for (let i = 0; i < f.amplitudesPerMl.length; i++) {
    const a = f.amplitudesPerMl[i]!;
    const l = f.ratesPerS[i]!;
    s += l === 0 ? a * dt : (a * (1 - Math.exp(-l * dt))) / l;
  }
  return s;
}

/** Fill `out[i] = Cp(timesS[i])`. */
export function sampleInput(
  f: PlasmaInputFunction,
  timesS: ArrayLike<number>,
  out = new Float64Array(timesS.length),
): Float64Array {
  for (let i = 0; i < timesS.length; i++) out[i] = plasmaConcentration(f, timesS[i]!);
  return out;
}

const LN2 = Math.LN2;

/** Input-function presets, each with its provenance. */
export const INPUT_PRESETS: Readonly<
  Record<
    string,
    { readonly input: PlasmaInputFunction; readonly provenance: WithProvenance<PlasmaInputFunction> }
  >
> = {
  mouse: {
    input: {
      name: "mouse",
      tPeakS: 10,
      // 25 g mouse, plasma ~1.2 mL → peak ~0.5 IA/mL; half-lives 0.5 min, 5 min, 3 h.
      amplitudesPerMl: [0.4, 0.06, 0.02],
      ratesPerS: [LN2 / 30, LN2 / 300, LN2 / 10_800],
      bloodToPlasmaRatio: 0.8,
    },
    provenance: {
      name: "[A] tri-exponential mouse input of intact Cu-ATSM",
      tPeakS: "[A] bolus tail-vein injection peaks within ~10 s",
      amplitudesPerMl: "[A] sum ≈ 1/plasma volume (~1.2 mL for 25 g [M]); split assumed",
      ratesPerS: "[A] half-lives 0.5 min, 5 min, 3 h (rapid clearance of the lipophilic complex [M])",
      bloodToPlasmaRatio: "[A] haematocrit ~0.45, partial red-cell uptake",
    },
  },
  human: {
    input: {
      name: "human",
      tPeakS: 30,
      // 70 kg adult, plasma ~3 L → peak ~3.3e-4 IA/mL; half-lives 0.7 min, 6 min, 2 h.
      amplitudesPerMl: [2.6e-4, 5e-5, 6e-6],
      ratesPerS: [LN2 / 42, LN2 / 360, LN2 / 7200],
      bloodToPlasmaRatio: 0.8,
    },
    provenance: {
      name: "[A] tri-exponential human input of intact Cu-ATSM",
      tPeakS: "[A] antecubital bolus peaks at ~30 s",
      amplitudesPerMl: "[A] sum ≈ 1/plasma volume (~3 L for 70 kg [M]); split assumed",
      ratesPerS: "[A] half-lives 0.7 min, 6 min, 2 h",
      bloodToPlasmaRatio: "[A] as for mouse",
    },
  },
};

/** Preset by name ("mouse", "human"). */
export function getInputPreset(name: string): PlasmaInputFunction {
  const p = INPUT_PRESETS[name.toLowerCase()];
  if (p === undefined) {
    throw new AtsmError({
      code: "INVALID_ARGUMENT",
      message: "unknown input-function preset",
      value: name,
      hint: `known presets: ${Object.keys(INPUT_PRESETS).join(", ")}`,
    });
  }
  return p.input;
}
