/**
 * Prognosis presets: published 60Cu-ATSM T/M cutoffs of the Washington University series, each with
 * its citation, tumour statistic, nuclide and time window, plus custom cutoffs.
 *
 * Convention (reference notes /work/shared/reference/atsm-science.md §3.2, marked there as [M]:
 * from memory, to be checked against the papers' Methods): dynamic 60Cu-ATSM, T/M from the summed
 * 30–60 min post-injection frames, tumour value from a region around the hottest tumour voxel (we use
 * SUVpeak, the standardised 1 cm³ "peak" value), muscle value = mean of a normal-muscle region.
 * Cutoffs only transfer between studies using the same convention: `classifyPrognosis` warns when
 * the scan's nuclide or uptake window differs.
 */
import { AtsmError } from "../core/errors.js";
import type { TumourStatistic, TumourToReference } from "./ratio.js";
import { tmrOf } from "./ratio.js";

export type PresetId = "cervix" | "rectum" | "nsclc" | "custom";

export interface PrognosisPreset {
  readonly id: PresetId;
  readonly label: string;
  /** Hypoxic when T/M (of `statistic`) > cutoffTm. */
  readonly cutoffTm: number;
  readonly statistic: TumourStatistic;
  /** Nuclide of the source study ("Cu-60"), null for custom. */
  readonly nuclide: string | null;
  /** Uptake window of the source study, s after injection (null for custom). */
  readonly windowStartS: number | null;
  readonly windowEndS: number | null;
  /** Full citation with DOI, "" for custom. */
  readonly citation: string;
  /** Patients in the source study. */
  readonly patients: number | null;
  /** What "above the cutoff" meant in the source study. */
  readonly outcome: string;
}

const MIN = 60; // s per min
const WASHU_WINDOW = { windowStartS: 30 * MIN, windowEndS: 60 * MIN } as const;

/** Literature presets (Table 3 of the product brief; abstracts verified in atsm-science.md §3.1). */
export const PROGNOSIS_PRESETS: Readonly<Record<Exclude<PresetId, "custom">, PrognosisPreset>> = {
  cervix: {
    id: "cervix",
    label: "cervical cancer",
    cutoffTm: 3.5,
    statistic: "peak",
    nuclide: "Cu-60",
    ...WASHU_WINDOW,
    citation:
      "Dehdashti F, Grigsby PW, Mintun MA, Lewis JS, Siegel BA, Welch MJ. Assessing tumor hypoxia in cervical " +
      "cancer by PET with 60Cu-ATSM: relationship to therapeutic response. Int J Radiat Oncol Biol Phys " +
      "2003;55:1233-1238, doi:10.1016/s0360-3016(02)04477-2 (cutoff confirmed in 38 patients: Dehdashti F et al. " +
      "J Nucl Med 2008;49:201-205, doi:10.2967/jnumed.107.048520)",
    patients: 14,
    outcome: "worse progression-free and cause-specific survival",
  },
  rectum: {
    id: "rectum",
    label: "rectal carcinoma",
    cutoffTm: 2.6,
    statistic: "peak",
    nuclide: "Cu-60",
    ...WASHU_WINDOW,
    citation:
      "Dietz DW, Dehdashti F, Grigsby PW, et al. Tumor hypoxia detected by PET with 60Cu-ATSM as a predictor " +
      "of response and survival in patients undergoing neoadjuvant chemoradiotherapy for rectal carcinoma: " +
      "a pilot study. Dis Colon Rectum 2008;51:1641-1648, doi:10.1007/s10350-008-9420-3",
    patients: 17,
    outcome: "worse overall and progression-free survival",
  },
  nsclc: {
    id: "nsclc",
    label: "non-small cell lung cancer",
    cutoffTm: 3.0,
    statistic: "peak",
    nuclide: "Cu-60",
    ...WASHU_WINDOW,
    citation:
      "Dehdashti F, Mintun MA, Lewis JS, et al. In vivo assessment of tumor hypoxia in lung cancer with " +
      "60Cu-ATSM. Eur J Nucl Med Mol Imaging 2003;30:844-850, doi:10.1007/s00259-003-1130-4",
    patients: 14,
    outcome: "lower response to therapy (all 8 responders T/M < 3.0, all 6 non-responders >= 3.0)",
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
export function customPreset(cutoffTm: number, statistic: TumourStatistic = "peak"): PrognosisPreset {
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
    label: `custom T/M > ${cutoffTm}`,
    cutoffTm,
    statistic,
    nuclide: null,
    windowStartS: null,
    windowEndS: null,
    citation: "",
    patients: null,
    outcome: "user-defined",
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
    hint: "use cervix (T/M > 3.5), rectum (> 2.6), nsclc (> 3.0) or a number such as 3.2",
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

/** Classify a T/M result against a preset; `hypoxic` when value > cutoff (strict, as published). */
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
    statistic: preset.statistic,
    value,
    class: value > preset.cutoffTm ? "hypoxic" : "non-hypoxic",
    margin: value - preset.cutoffTm,
    ratio: value / preset.cutoffTm,
    citation: preset.citation,
    referenceSpec: tmr.reference.spec,
    warnings,
  };
}
