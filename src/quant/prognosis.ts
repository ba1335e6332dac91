/**
 * Prognosis presets: published 60Cu-ATSM T/M cutoffs of the Washington University series, each with
 * its citation, comparison, tumour statistic, nuclide and time window, plus custom cutoffs.
 *
 * What was checked (2026-11, stored copies of the abstracts; the full Methods sections were NOT
 * available, see docs/quantify-methods.md §7):
 * - [verified] each study used 60Cu-ATSM PET and "the tumor-to-muscle activity ratio (T/M)",
 *   "evaluated semiquantitatively"; the cutoffs, their comparison, the patient numbers and the
 *   outcomes below (abstract sources named per preset).
 * - [assumed] how T/M was measured: tumour statistic (we use SUVpeak, a 1 cm³ region around the
 *   hottest voxel), muscle region (mean of a normal-muscle VOI) and the summed 30–60 min
 *   post-injection window. These come from the project notes (/work/shared/reference/
 *   atsm-science.md §3.2, marked there [M], from memory); no stored source states them. Injected
 *   activity: not found.
 * Cutoffs only transfer between studies using the same convention: `classifyPrognosis` warns when
 * the scan's nuclide or uptake window differs, and every result carries the preset's assumptions.
 */
import { AtsmError } from "../core/errors.js";
import type { TumourStatistic, TumourToReference } from "./ratio.js";
import { tmrOf } from "./ratio.js";

export type PresetId = "cervix" | "rectum" | "nsclc" | "custom";

/** How the value is compared with the cutoff to call a tumour hypoxic. */
export type PrognosisComparison = ">" | ">=";

/** Which parts of a preset were read in a source and which are assumed (plain-language notes). */
export interface PresetProvenance {
  /** Facts read in a named source, each naming it. */
  readonly verified: readonly string[];
  /** Parts of the convention taken from unchecked notes; they may not match the paper. */
  readonly assumed: readonly string[];
}

export interface PrognosisPreset {
  readonly id: PresetId;
  readonly label: string;
  /** Hypoxic when T/M (of `statistic`) `comparison` cutoffTm. */
  readonly cutoffTm: number;
  /** ">" (T/M > cutoff is hypoxic) or ">=" (T/M ≥ cutoff is hypoxic), as the source states it. */
  readonly comparison: PrognosisComparison;
  readonly statistic: TumourStatistic;
  /** Nuclide of the source study ("Cu-60"), null for custom. */
  readonly nuclide: string | null;
  /** Uptake window of the source study, s after injection (null for custom). */
  readonly windowStartS: number | null;
  readonly windowEndS: number | null;
  /** Full citation with DOI, "" for custom. */
  readonly citation: string;
  /** Patients in the source study (evaluated for the outcome). */
  readonly patients: number | null;
  /** What "above the cutoff" meant in the source study. */
  readonly outcome: string;
  /** What was checked and what is assumed. */
  readonly provenance: PresetProvenance;
}

const MIN = 60; // s per min
/** [assumed] Summed frames 30–60 min p.i. (atsm-science.md §3.2 [M]; not found in a stored source). */
const WASHU_WINDOW = { windowStartS: 30 * MIN, windowEndS: 60 * MIN } as const;

/** [assumed] parts shared by the three WashU presets. */
const WASHU_ASSUMED: readonly string[] = [
  "tumour statistic: SUVpeak (1 cm³ around the hottest voxel); the papers' tumour region is not in the abstracts",
  "reference: mean of a normal-muscle VOI; the muscle region used is not in the abstracts",
  "uptake window: summed frames 30-60 min p.i.; not in the abstracts",
  "injected activity: not found",
];

/** Literature presets (Table 3 of the product brief); sources read in 2026-11 are named per fact. */
export const PROGNOSIS_PRESETS: Readonly<Record<Exclude<PresetId, "custom">, PrognosisPreset>> = {
  cervix: {
    id: "cervix",
    label: "cervical cancer",
    cutoffTm: 3.5,
    // [verified] 2003: "normoxic tumors (T/M < 3.5)", "hypoxic tumors (T/M > 3.5)"; 2008: normoxic
    // "T/M of ≤3.5", hypoxic "T/M of >3.5".
    comparison: ">",
    statistic: "peak", // [assumed]
    nuclide: "Cu-60", // [verified] titles/abstracts: 60Cu-ATSM
    ...WASHU_WINDOW,
    citation:
      "Dehdashti F, et al. Assessing tumor hypoxia in cervical cancer by positron emission tomography with " +
      "60Cu-ATSM: relationship to therapeutic response - a preliminary report. Int J Radiat Oncol Biol Phys " +
      "2003;55:1233-1238, doi:10.1016/s0360-3016(02)04477-2 (PMID 12654432). Cutoff confirmed in 38 patients: " +
      "Dehdashti F, Grigsby PW, Lewis JS, Laforest R, Siegel BA, Welch MJ. Assessing tumor hypoxia in cervical " +
      "cancer by PET with 60Cu-labeled diacetyl-bis(N4-methylthiosemicarbazone). J Nucl Med 2008;49:201-205, " +
      "doi:10.2967/jnumed.107.048520",
    patients: 14,
    outcome:
      "worse progression-free (log-rank p = 0.0005) and overall survival (p = 0.015); all 5 hypoxic tumours " +
      "recurred (2003, n = 14). 2008, n = 38: 3-y PFS 71 % (T/M <= 3.5) vs 28 % (T/M > 3.5), P = 0.01",
    provenance: {
      verified: [
        "60Cu-ATSM PET, T/M = tumour-to-muscle activity ratio, semiquantitative (PubMed 12654432 abstract)",
        "cutoff 3.5 'arbitrarily selected', hypoxic T/M > 3.5, n = 14, PFS/OS log-rank p = 0.0005/0.015 (same)",
        "cutoff 3.5 best discriminated by log-rank in 38 patients, normoxic <= 3.5, 3-y PFS 71 % vs 28 % " +
          "(J Nucl Med 2008;49:201 abstract, jnm.snmjournals.org citation record)",
      ],
      assumed: WASHU_ASSUMED,
    },
  },
  rectum: {
    id: "rectum",
    label: "rectal carcinoma",
    cutoffTm: 2.6, // [assumed] value from the product brief; the stored abstract is cut before the results
    comparison: ">", // [assumed] not read
    statistic: "peak", // [assumed]
    nuclide: "Cu-60", // [verified] PMC4962601 title/abstract
    ...WASHU_WINDOW,
    citation:
      "Dietz DW, Dehdashti F, Grigsby PW, Malyapa RS, Myerson RJ, Picus J, Ritter J, Lewis JS, Welch MJ, " +
      "Siegel BA. Tumor hypoxia detected by positron emission tomography with 60Cu-ATSM as a predictor of " +
      "response and survival in patients undergoing neoadjuvant chemoradiotherapy for rectal carcinoma: " +
      "a pilot study. Dis Colon Rectum 2008;51:1641-1648, doi:10.1007/s10350-008-9420-3 (PMC4962601)",
    patients: 17, // [assumed] not read
    outcome: "worse overall and progression-free survival (from the brief; not read in the paper)",
    provenance: {
      verified: [
        "60Cu-ATSM PET of the primary tumour, T/M = tumour-to-muscle activity ratio, semiquantitative; " +
          "PET within 2 weeks before chemoradiotherapy of 45 Gy in 25 fractions to the pelvis (PMC4962601 abstract)",
      ],
      assumed: [
        "cutoff 2.6, its comparison (>), n = 17 and the outcome: product brief; the stored abstract ends " +
          "before the results",
        ...WASHU_ASSUMED,
      ],
    },
  },
  nsclc: {
    id: "nsclc",
    label: "non-small cell lung cancer",
    cutoffTm: 3.0,
    // [verified] "all eight responders had a T/M <3.0 and all six nonresponders had a T/M ≥3.0":
    // the non-responder (hypoxic) side includes 3.0.
    comparison: ">=",
    statistic: "peak", // [assumed]
    nuclide: "Cu-60", // [verified]
    ...WASHU_WINDOW,
    citation:
      "Dehdashti F, et al. In vivo assessment of tumor hypoxia in lung cancer with 60Cu-ATSM. " +
      "Eur J Nucl Med Mol Imaging 2003;30:844-850, doi:10.1007/s00259-003-1130-4",
    patients: 14,
    outcome:
      "no response to therapy (all 8 responders T/M < 3.0, all 6 non-responders T/M >= 3.0; mean T/M " +
      "1.5 +/- 0.4 vs 3.4 +/- 0.8, P = 0.002; SUV did not differ, P = 0.2)",
    provenance: {
      verified: [
        "19 patients imaged with 60Cu-ATSM PET, 14 evaluated for response; T/M = tumour-to-muscle activity " +
          "ratio; threshold 3.0 'arbitrarily selected'; responders < 3.0, non-responders >= 3.0 " +
          "(Springer abstract, doi:10.1007/s00259-003-1130-4)",
      ],
      assumed: WASHU_ASSUMED,
    },
  },
};

const ALIASES: Readonly<Record<string, Exclude<PresetId, "custom">>> = {
  cervix: "cervix",
  cervical: "cervix",
  rectum: "rectum",
  rectal: "rectum",
  nsclc: "nsclc",
  lung: "nsclc",
};

/** A custom cutoff (no citation, no nuclide/window checks). */
export function customPreset(
  cutoffTm: number,
  statistic: TumourStatistic = "peak",
  comparison: PrognosisComparison = ">",
): PrognosisPreset {
  if (!(Number.isFinite(cutoffTm) && cutoffTm > 0)) {
    throw new AtsmError({
      code: "INVALID_ARGUMENT",
      message: "custom T/M cutoff must be a finite number > 0",
      value: cutoffTm,
      field: "cutoff",
      hint: "use cervix, rectum, nsclc or a number such as 3.2",
    });
  }
  return {
    id: "custom",
    label: `custom T/M ${comparison} ${cutoffTm}`,
    cutoffTm,
    comparison,
    statistic,
    nuclide: null,
    windowStartS: null,
    windowEndS: null,
    citation: "",
    patients: null,
    outcome: "user-defined",
    provenance: { verified: [], assumed: [] },
  };
}

/** `cervix|cervical|rectum|rectal|nsclc|lung|NUMBER` → preset. */
export function parseCutoff(text: string, statistic?: TumourStatistic): PrognosisPreset {
  const t = text.trim().toLowerCase();
  const id = ALIASES[t];
  if (id) {
    const p = PROGNOSIS_PRESETS[id];
    return statistic === undefined ? p : { ...p, statistic };
  }
  if (/^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(t)) return customPreset(Number(t), statistic);
  throw new AtsmError({
    code: "INVALID_ARGUMENT",
    message: "unknown T/M cutoff",
    value: text,
    field: "cutoff",
    hint: "use cervix (T/M > 3.5), rectum (> 2.6), nsclc (>= 3.0) or a number such as 3.2",
  });
}

/** What is known about the scan, for the convention checks. */
export interface ScanConvention {
  /** Nuclide of the scan, e.g. "Cu-64"; undefined = unknown. */
  readonly nuclide?: string;
  /** Uptake window (summed frames) in s after injection; undefined = unknown. */
  readonly windowStartS?: number;
  readonly windowEndS?: number;
}

export interface PrognosisResult {
  readonly preset: PresetId;
  readonly label: string;
  readonly cutoff: number;
  /** ">" or ">=": how `value` was compared with `cutoff`. */
  readonly comparison: PrognosisComparison;
  readonly statistic: TumourStatistic;
  /** T/M value classified. */
  readonly value: number;
  readonly class: "hypoxic" | "non-hypoxic";
  /** value − cutoff. */
  readonly margin: number;
  /** value / cutoff. */
  readonly ratio: number;
  readonly citation: string;
  readonly referenceSpec: string;
  readonly warnings: string[];
  /** The preset's [assumed] convention parts (empty for custom cutoffs). */
  readonly assumptions: readonly string[];
}

/** Tolerance on the uptake window before warning, s (frames rarely start exactly on the minute). */
export const WINDOW_TOLERANCE_S = 5 * MIN;

function normNuclide(n: string): string {
  // "64Cu", "Cu64", "cu-64" -> "CU-64"
  const m = /^\s*(\d+)\s*-?\s*([a-z]+)\s*$/i.exec(n) ?? /^\s*([a-z]+)\s*-?\s*(\d+)\s*$/i.exec(n);
  if (!m) return n.trim().toUpperCase();
  const [a, b] = /^\d/.test(m[1]!) ? [m[2]!, m[1]!] : [m[1]!, m[2]!];
  return `${a.toUpperCase()}-${b}`;
}

/** Classify a T/M result against a preset; `hypoxic` when value > cutoff (or ≥, per the preset). */
export function classifyPrognosis(
  preset: PrognosisPreset,
  tmr: TumourToReference,
  scan: ScanConvention = {},
): PrognosisResult {
  const value = tmrOf(tmr, preset.statistic);
  if (!Number.isFinite(value)) {
    throw new AtsmError({
      code: "NUMERIC",
      message: `T/M${preset.statistic} is not available for the prognosis preset ${preset.id}`,
      value,
      hint: "compute the SUVpeak (do not skip it) or choose another statistic",
    });
  }
  const warnings: string[] = [];
  if (preset.nuclide !== null) {
    if (scan.nuclide === undefined)
      warnings.push(`scan nuclide unknown; preset ${preset.id} was derived with ${preset.nuclide}-ATSM`);
    else if (normNuclide(scan.nuclide) !== normNuclide(preset.nuclide))
      warnings.push(
        `scan nuclide ${scan.nuclide} differs from the preset's ${preset.nuclide}; T/M depends on uptake time ` +
          "and the cutoff may not transfer",
      );
  }
  if (preset.windowStartS !== null && preset.windowEndS !== null) {
    const win = `${preset.windowStartS / MIN}-${preset.windowEndS / MIN} min p.i.`;
    if (scan.windowStartS === undefined || scan.windowEndS === undefined)
      warnings.push(`scan uptake window unknown; preset ${preset.id} used summed frames ${win}`);
    else if (
      Math.abs(scan.windowStartS - preset.windowStartS) > WINDOW_TOLERANCE_S ||
      Math.abs(scan.windowEndS - preset.windowEndS) > WINDOW_TOLERANCE_S
    )
      warnings.push(
        `scan uptake window ${(scan.windowStartS / MIN).toFixed(0)}-${(scan.windowEndS / MIN).toFixed(0)} min p.i. ` +
          `differs from the preset's ${win}`,
      );
  }
  return {
    preset: preset.id,
    label: preset.label,
    cutoff: preset.cutoffTm,
    comparison: preset.comparison,
    statistic: preset.statistic,
    value,
    class: (preset.comparison === ">=" ? value >= preset.cutoffTm : value > preset.cutoffTm)
      ? "hypoxic"
      : "non-hypoxic",
    margin: value - preset.cutoffTm,
    ratio: value / preset.cutoffTm,
    citation: preset.citation,
    referenceSpec: tmr.reference.spec,
    warnings,
    assumptions: preset.provenance.assumed,
  };
}
