/**
 * Use cases "T/M of a xenograft over time" (atsm twin xenograft) and "T/M of a patient preset"
 * (atsm twin patient).
 */
import {
  getPatientPreset,
  getXenograft,
  hypoxicFractionsOf,
  patientTmr,
  simulateInVivo,
} from "../../sim/presets/index.js";

export interface XenograftReport {
  readonly model: string;
  readonly description: string;
  readonly timesS: readonly number[];
  /** Tumour-to-muscle ratio at each time (mean tumour / mean muscle, decay-corrected). */
  readonly tmr: readonly number[];
  readonly tumourPercentIdPerG: readonly number[];
  readonly musclePercentIdPerG: readonly number[];
  readonly targets: readonly {
    readonly timeS: number;
    readonly tmr: number;
    readonly sd?: number;
    readonly source: string;
  }[];
  readonly tumourHypoxicFraction: { readonly below10MmHg: number; readonly below2p5MmHg: number };
  readonly provenance: Readonly<Record<string, string>>;
}

/** Tissue density for %ID/g, g/mL [A] (soft tissue ≈ 1.0). */
const DENSITY_G_PER_ML = 1;

export function runXenograft(req: {
  readonly model: string;
  readonly timesS?: readonly number[];
}): XenograftReport {
  const p = getXenograft(req.model);
  const times = req.timesS ?? p.targets.map((t) => t.timeS);
  const r = simulateInVivo(p, times);
  return {
    model: p.name,
    description: p.description,
    timesS: [...times],
    tmr: Array.from(r.tmr),
    tumourPercentIdPerG: Array.from(r.tumour, (v) => (100 * v) / DENSITY_G_PER_ML),
    musclePercentIdPerG: Array.from(r.muscle, (v) => (100 * v) / DENSITY_G_PER_ML),
    targets: p.targets,
    tumourHypoxicFraction: hypoxicFractionsOf(p.tumourPo2),
    provenance: p.provenance,
  };
}

export interface PatientReport {
  readonly preset: string;
  readonly description: string;
  readonly tmr: number;
  readonly cutoff: number;
  readonly aboveCutoff: boolean;
  readonly targetTmr: number;
  readonly convention: string;
  readonly cutoffSource: string;
  readonly tumourHypoxicFraction: { readonly below10MmHg: number; readonly below2p5MmHg: number };
  readonly provenance: Readonly<Record<string, string>>;
}

export function runPatient(req: { readonly preset: string }): PatientReport {
  const p = getPatientPreset(req.preset);
  const tmr = patientTmr(p);
  const c = p.convention;
  return {
    preset: p.name,
    description: p.description,
    tmr,
    cutoff: p.cutoff,
    aboveCutoff: tmr > p.cutoff,
    targetTmr: p.targetTmr,
    convention: `summed frames ${c.windowStartS / 60}–${c.windowEndS / 60} min (60Cu decay-weighted); tumour ${c.tumourStatistic}; reference ${c.reference}`,
    cutoffSource: p.cutoffSource,
    tumourHypoxicFraction: hypoxicFractionsOf(p.tumourPo2),
    provenance: p.provenance,
  };
}
