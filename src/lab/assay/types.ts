/**
 * Plain-data types of the in-vitro uptake/retention assay (brief protocol 2): plate layout,
 * gamma-counter records, protein readings, options and results. Times are epoch milliseconds
 * (numbers) at this boundary; the core never reads a clock.
 */
import type { CurveModel } from "../../stats/curves.js";

export type WellRole = "sample" | "background" | "standard" | "protein-standard";
/** `uptake`: harvested after incubation with tracer; `efflux`: harvested at timeMin after medium replacement. */
export type AssayPhase = "uptake" | "efflux";

/** Where a record came from, for messages. */
export interface SourceRef {
  readonly file?: string;
  /** 1-based line in the file. */
  readonly row: number;
}

/** One row of the plate layout. */
export interface LayoutWell {
  readonly well: string;
  readonly role: WellRole;
  /** e.g. "normoxic", "hypoxic"; "" for background/standards without one. */
  readonly condition: string;
  /** Incubation time (uptake) or time after medium replacement (efflux), minutes; null if n/a. */
  readonly timeMin: number | null;
  readonly replicate: string;
  /** Fraction of the activity added per well that a `standard` well holds (default 1). */
  readonly standardFraction: number;
  /** Protein concentration of a `protein-standard` well, µg/mL. */
  readonly proteinUgPerMl: number | null;
  /** Lysate volume of a sample well, mL (overrides the assay-wide value). */
  readonly lysateVolumeMl: number | null;
  /** O2 level of the condition, % (e.g. 21 normoxic, 1 hypoxic). */
  readonly o2Percent: number | null;
  readonly phase: AssayPhase;
  readonly source: SourceRef;
}

/** One gamma-counter measurement of one tube/well. */
export interface CountRecord {
  readonly well: string;
  /** Gross count rate as reported by the counter, counts per second (CPM/60 for Wizard2). */
  readonly grossRatePerS: number;
  /** Live counting time, s. */
  readonly countTimeS: number;
  /** End of counting, epoch ms. */
  readonly countEndMs: number;
  /** Raw counts as reported (for counter-side decay-correction detection); null if not given. */
  readonly rawCounts: number | null;
  /** Detector number (Wizard2 `Det`), for per-detector normalisation in detection; null if unknown. */
  readonly detector: number | null;
  /** Column the rate came from, for messages ("counts", "Cu-64 CPM"). */
  readonly field: string;
  readonly source: SourceRef;
}

/** One absorbance reading of a protein-assay well. */
export interface ProteinReading {
  readonly well: string;
  readonly absorbance: number;
  readonly source: SourceRef;
}

export type ProteinModelChoice = CurveModel | "auto";

export interface AssayOptions {
  /** Nuclide half-life, s (Cu-64: 12.700 h, ICRP-107). */
  readonly halfLifeS: number;
  /** Decay-correction reference, epoch ms. Default: assay start if given, else the first count start. */
  readonly referenceMs?: number;
  /** Time the tracer was added (epoch ms); counts starting earlier are rejected. */
  readonly assayStartMs?: number;
  /** Non-paralysable dead time τ, s: true rate = m/(1 − m·τ). Default 0 (none). */
  readonly deadTimeS?: number;
  /** Counting efficiency, counts per decay, to report Bq. */
  readonly efficiency?: number;
  /** The counter already decay-corrected the rates (do not correct again). */
  readonly counterDecayCorrected: boolean;
  /** Lysate volume of every sample well, mL, when the layout has no lysateVolumeMl. */
  readonly lysateVolumeMl?: number;
  readonly proteinModel?: ProteinModelChoice;
  /** Denominator condition of ratios and tests (default: highest o2Percent, else /normox/). */
  readonly referenceCondition?: string;
  /** Confidence level of ratio CIs (default 0.95). */
  readonly level?: number;
}

export interface AssayWarning {
  readonly code: string;
  readonly message: string;
  readonly well?: string;
  readonly file?: string;
  readonly row?: number;
  readonly field?: string;
}
