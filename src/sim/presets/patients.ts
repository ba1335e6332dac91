/**
 * Patient presets (60Cu-ATSM PET): cervix, rectum and NSCLC, each with a hypoxic and a
 * non-hypoxic variant whose T/M lands above / below the clinical cutoff of the brief's Table 3
 * (cervix 3.5, rectum 2.6, NSCLC 3.0; atsm-science.md §3.1).
 *
 * T/M convention of the presets (atsm-science.md §3.2 [M]): summed frames 30–60 min after
 * injection (uncorrected counts, so the average is weighted by 60Cu decay, T½ 23.7 min, ICRP-107
 * via nuclides.md), tumour = mean over the tumour's pO2 samples (standing in for the WashU
 * "peak" region around the hottest voxel), muscle = mean of normal muscle.
 *
 * Targets [A] unless noted: NSCLC responders 1.5, non-responders 3.4 (Dehdashti EJNMMI 2003,
 * means [V]); cervix 2.5 / 4.5 and rectum 1.8 / 3.4 (assumed, either side of the cutoffs).
 * Per site, tumour K1 (k2 scaled along) and ρ are calibrated [F] jointly to both variants, which
 * differ only in their pO2 distribution.
 */
import { AtsmError } from "../../core/errors.js";
import { INPUT_PRESETS } from "../input/index.js";
import { levenbergMarquardt } from "../ode/levenberg-marquardt.js";
import type { Po2Distribution } from "../tumour/po2.js";
import type { TissueRegion } from "../tumour/tissue.js";
import { withTumourParameters } from "./calibrate.js";
import { ASSUMED_CELL_DEFAULTS, CELL_LINES } from "./cell-lines.js";
import type { Provenance } from "./provenance.js";
import { windowTmr } from "./simulate.js";
import { type InVivoPreset, tumourTissue } from "./xenografts.js";

/** 60Cu half-life, s: 23.7 min (ICRP-107, shared/reference/nuclides.md). */
export const CU60_HALF_LIFE_S = 23.7 * 60;

/** How a preset's T/M is measured. */
export interface TmrConvention {
  readonly windowStartS: number;
  readonly windowEndS: number;
  /** Half-life used to weight the summed frames (uncorrected counts), s. */
  readonly halfLifeS: number;
  readonly tumourStatistic: string;
  readonly reference: string;
}

export interface PatientPreset extends InVivoPreset {
  readonly site: "cervix" | "rectum" | "nsclc";
  readonly variant: "hypoxic" | "normoxic";
  /** Clinical T/M cutoff for the site. */
  readonly cutoff: number;
  readonly cutoffSource: Provenance;
  /** Target T/M of this variant in the preset's convention. */
  readonly targetTmr: number;
  readonly convention: TmrConvention;
}

export const PATIENT_TMR_CONVENTION: TmrConvention = {
  windowStartS: 1800,
  windowEndS: 3600,
  halfLifeS: CU60_HALF_LIFE_S,
  tumourStatistic: "mean over tumour pO2 samples (stands in for the WashU peak region)",
  reference: "mean of normal muscle",
};

const PER_MIN = 1 / 60;

/** Human skeletal muscle [A]: K1 0.05 mL/min/mL (resting flow ~0.03–0.05 [M]). */
export const HUMAN_MUSCLE: TissueRegion = {
  name: "muscle",
  tissue: {
    k1MlPerMlPerS: 0.05 * PER_MIN,
    k2PerS: 1.5 * PER_MIN,
    cellVolumeFraction: 0.8,
    extracellularVolumeFraction: 0.15,
    bloodVolumeFraction: 0.02,
  },
  cell: ASSUMED_CELL_DEFAULTS,
  rho: 0.1,
};

const HUMAN_MUSCLE_PO2: Po2Distribution = { kind: "constant", pO2MmHg: 30 };

/** pO2 distributions [A]: hypoxic tumours median ~3–5 mmHg, non-hypoxic ~20–30 mmHg [M]. */
const HYPOXIC_PO2: Po2Distribution = {
  kind: "lognormal-mixture",
  hypoxicFraction: 0.7,
  hypoxicMedianMmHg: 2,
  oxicMedianMmHg: 10,
  sigmaLn: 0.6,
};
const NORMOXIC_PO2: Po2Distribution = {
  kind: "lognormal-mixture",
  hypoxicFraction: 0.05,
  hypoxicMedianMmHg: 5,
  oxicMedianMmHg: 40,
  sigmaLn: 0.5,
};

interface SiteSpec {
  readonly site: PatientPreset["site"];
  readonly cutoff: number;
  readonly cutoffSource: Provenance;
  readonly targets: { readonly hypoxic: number; readonly normoxic: number };
  readonly targetSource: Provenance;
  /** Calibrated [F] tumour K1 (mL/min/mL), k2 (/min) and ρ. */
  readonly calibrated: { readonly k1PerMin: number; readonly k2PerMin: number; readonly rho: number };
}

/** Per-site calibration [F] (re-fitted in the tests by `calibratePatientSite`). */
export const PATIENT_SITES: readonly SiteSpec[] = [
  {
    site: "cervix",
    cutoff: 3.5,
    cutoffSource: "[V] Dehdashti IJROBP 2003 and JNM 2008: T/M 3.5",
    targets: { hypoxic: 4.5, normoxic: 2.5 },
    targetSource: "[A] either side of the 3.5 cutoff",
    calibrated: { k1PerMin: 0.077157, k2PerMin: 0.64657, rho: 1.6374 },
  },
  {
    site: "rectum",
    cutoff: 2.6,
    cutoffSource: "[S] brief Table 3 / Dietz 2008 (threshold [S/M])",
    targets: { hypoxic: 3.4, normoxic: 1.8 },
    targetSource: "[A] either side of the 2.6 cutoff",
    calibrated: { k1PerMin: 0.077046, k2PerMin: 0.64564, rho: 0.85963 },
  },
  {
    site: "nsclc",
    cutoff: 3.0,
    cutoffSource: "[V] Dehdashti EJNMMI 2003: T/M 3.0",
    targets: { hypoxic: 3.4, normoxic: 1.5 },
    targetSource: "[V] Dehdashti EJNMMI 2003: non-responders 3.4 ± 0.8, responders 1.5 ± 0.4",
    calibrated: { k1PerMin: 0.30968, k2PerMin: 2.5951, rho: 0.5762 },
  },
];

function makePreset(s: SiteSpec, variant: PatientPreset["variant"]): PatientPreset {
  const target = s.targets[variant];
  return {
    name: `patient-${s.site}-${variant}`,
    description: `${s.site === "nsclc" ? "non-small cell lung cancer" : `${s.site} carcinoma`}, ${variant === "hypoxic" ? "hypoxic" : "non-hypoxic"} variant`,
    input: INPUT_PRESETS.human!.input,
    tumour: {
      name: "tumour",
      tissue: tumourTissue(s.calibrated.k1PerMin, s.calibrated.k2PerMin),
      cell: CELL_LINES["HEK-293"]!.kinetics,
      rho: s.calibrated.rho,
    },
    tumourPo2: variant === "hypoxic" ? HYPOXIC_PO2 : NORMOXIC_PO2,
    muscle: HUMAN_MUSCLE,
    musclePo2: HUMAN_MUSCLE_PO2,
    targets: [{ timeS: 2700, tmr: target, source: s.targetSource }],
    provenance: {
      "tumour.k1": "[F] per site, jointly with ρ, to both variants' targets",
      "tumour.k2":
        "[A] k2/K1 = 8.38 so the tumour's free-tracer distribution volume equals muscle's (0.57 mL/mL)",
      "tumour.rho": "[F] per site, jointly with K1",
      "tumour.pO2":
        "[A] hypoxic: 70 % around 2 mmHg, rest ~10 mmHg; non-hypoxic: 5 % around 5 mmHg, rest ~40 mmHg",
      "tumour.cell": "[A] HEK-293 cell kinetics (the most hypoxia-selective fitted line, P½ 8.8 mmHg)",
      "muscle.all": "[A] human muscle K1 0.05 /min, k2 1.5 /min, ρ 0.1, pO2 30 mmHg",
    },
    site: s.site,
    variant,
    cutoff: s.cutoff,
    cutoffSource: s.cutoffSource,
    targetTmr: target,
    convention: PATIENT_TMR_CONVENTION,
  };
}

/** All six patient presets by name ("patient-cervix-hypoxic", ...). */
export const PATIENTS: Readonly<Record<string, PatientPreset>> = Object.fromEntries(
  PATIENT_SITES.flatMap((s) => [makePreset(s, "hypoxic"), makePreset(s, "normoxic")]).map((p) => [p.name, p]),
);

/** Look a patient preset up: "cervix-hypoxic", "patient-cervix-hypoxic", "NSCLC-normoxic". */
export function getPatientPreset(name: string): PatientPreset {
  const key = name
    .toLowerCase()
    .replace(/^patient-/, "")
    .replace("non-hypoxic", "normoxic");
  const p = PATIENTS[`patient-${key}`];
  if (p === undefined) {
    throw new AtsmError({
      code: "INVALID_ARGUMENT",
      message: "unknown patient preset",
      value: name,
      field: "--preset",
      hint: `known presets: ${Object.keys(PATIENTS).join(", ")}`,
    });
  }
  return p;
}

/** T/M of a patient preset in its convention. */
export function patientTmr(p: PatientPreset, samples?: number): number {
  const c = p.convention;
  return windowTmr(p, c.windowStartS, c.windowEndS, c.halfLifeS, 300, samples);
}

/** Re-fit a site's K1 and ρ jointly to both variants' targets (how `calibrated` was made). */
export function calibratePatientSite(site: PatientPreset["site"], samples = 32): SiteSpec["calibrated"] {
  const hyp = getPatientPreset(`${site}-hypoxic`);
  const nor = getPatientPreset(`${site}-normoxic`);
  const start = [Math.log(hyp.tumour.tissue.k1MlPerMlPerS * 60), Math.log(hyp.tumour.rho)];
  const ratio = hyp.tumour.tissue.k2PerS / hyp.tumour.tissue.k1MlPerMlPerS;
  const lm = levenbergMarquardt(
    (q) => {
      const v = { k1: Math.exp(q[0]!), rho: Math.exp(q[1]!) };
      return Float64Array.from([
        patientTmr(withTumourParameters(hyp, v) as PatientPreset, samples) / hyp.targetTmr - 1,
        patientTmr(withTumourParameters(nor, v) as PatientPreset, samples) / nor.targetTmr - 1,
      ]);
    },
    start,
    { lower: [Math.log(1e-3), Math.log(1e-4)], upper: [Math.log(5), Math.log(100)] },
  );
  const k1PerMin = Math.exp(lm.params[0]!);
  return { k1PerMin, k2PerMin: k1PerMin * ratio, rho: Math.exp(lm.params[1]!) };
}
