/**
 * Mouse xenograft presets reproducing the brief's Table 2 tumour-to-muscle ratios [S]
 * (64Cu-ATSM; T/M = mean tumour / mean muscle concentration, decay-corrected, same time):
 * FaDu ≈ 4 at 20 min and ≈ 12 at 18 h; HT29 1.62 ± 0.19 and H727 2.71 ± 0.68 at 90 min.
 *
 * Shared mouse muscle [A]; tumour tissue from McCall et al. IJROBP 2012 (PMC3522091) [V]:
 * tumour Vd = 5× muscle (used to set the FaDu k2), tumour Ki ≈ 12× muscle (emerges, checked in
 * the tests). Calibrated [F] with `calibrateInVivo` (presets/calibrate.ts): FaDu K1 (k2 scaled
 * along, keeping Vd) and ρ to both FaDu targets; HT29 and H727 k2 (their free distribution
 * volume) to their one target each, with FaDu's K1 and ρ [A].
 */
import { AtsmError } from "../../core/errors.js";
import { INPUT_PRESETS, type PlasmaInputFunction } from "../input/index.js";
import type { Po2Distribution } from "../tumour/po2.js";
import type { TissueKinetics, TissueRegion } from "../tumour/tissue.js";
import { ASSUMED_CELL_DEFAULTS, CELL_LINES } from "./cell-lines.js";
import type { Provenance } from "./provenance.js";

/** A published T/M value a preset is calibrated to. */
export interface TmrTarget {
  readonly timeS: number;
  readonly tmr: number;
  readonly sd?: number;
  readonly source: Provenance;
}

/** Tumour + muscle + input function of one in-vivo model. */
export interface InVivoPreset {
  readonly name: string;
  readonly description: string;
  readonly input: PlasmaInputFunction;
  readonly tumour: TissueRegion;
  readonly tumourPo2: Po2Distribution;
  readonly muscle: TissueRegion;
  readonly musclePo2: Po2Distribution;
  readonly targets: readonly TmrTarget[];
  /** Provenance of the tumour and muscle settings, by parameter path. */
  readonly provenance: Readonly<Record<string, Provenance>>;
}

const PER_MIN = 1 / 60;

/** Mouse skeletal muscle [A]. */
export const MOUSE_MUSCLE_TISSUE: TissueKinetics = {
  k1MlPerMlPerS: 0.1 * PER_MIN,
  k2PerS: 3 * PER_MIN,
  cellVolumeFraction: 0.8,
  extracellularVolumeFraction: 0.15,
  bloodVolumeFraction: 0.02,
};

export const MOUSE_MUSCLE: TissueRegion = {
  name: "muscle",
  tissue: MOUSE_MUSCLE_TISSUE,
  cell: ASSUMED_CELL_DEFAULTS,
  rho: 0.1,
};

/** Mouse muscle pO2 ~30 mmHg [M] (resting skeletal muscle ~20–40 mmHg). */
export const MOUSE_MUSCLE_PO2: Po2Distribution = { kind: "constant", pO2MmHg: 30 };

const MUSCLE_PROVENANCE: Readonly<Record<string, Provenance>> = {
  "muscle.k1":
    "[A] 0.1 mL/min/mL: resting muscle flow ~0.1 mL/min/g [M], high extraction of the lipophilic complex",
  "muscle.k2": "[A] 3 /min: free-tracer distribution volume of muscle ~0.56 mL/mL",
  "muscle.volumes": "[M] muscle cell fraction 0.8, interstitium 0.15, blood 0.02",
  "muscle.rho": "[A] 0.1: low reductive trapping in normal muscle",
  "muscle.pO2": "[M] 30 mmHg",
};

/**
 * Tumour exchange K1 (mL/min/mL), k2 (/min) with the assumed tumour volume fractions [A] (cell 0.5,
 * interstitium 0.4, blood 0.05); shared by the xenograft (FaDu-calibrated [F]) and patient presets.
 */
export function tumourTissue(k1PerMin: number, k2PerMin: number): TissueKinetics {
  return {
    k1MlPerMlPerS: k1PerMin * PER_MIN,
    k2PerS: k2PerMin * PER_MIN,
    cellVolumeFraction: 0.5,
    extracellularVolumeFraction: 0.4,
    bloodVolumeFraction: 0.05,
  };
}

const mouse = INPUT_PRESETS.mouse!.input;

/** Calibrated values [F] (re-fitted in test/sim/presets). */
export const XENOGRAFT_CALIBRATION = {
  FaDu: { k1PerMin: 0.12482, k2PerMin: 0.20924, rho: 0.14156 },
  HT29: { k2PerMin: 0.84792 },
  H727: { k2PerMin: 0.5031 },
} as const;

const TUMOUR_PROVENANCE: Readonly<Record<string, Provenance>> = {
  "tumour.k1": "[F] FaDu K1 fitted to T/M 4 at 20 min and 12 at 18 h (Table 2 [S]); HT29/H727 [A] same",
  "tumour.k2":
    "[D] FaDu: tumour Vd = 5× muscle Vd (McCall 2012 [V]); [F] HT29/H727: k2 (distribution volume) fitted to T/M at 90 min (Table 2 [S])",
  "tumour.volumes": "[A] cell fraction 0.5, interstitium 0.4, blood 0.05",
  "tumour.rho": "[F] FaDu reductive state fitted to Table 2 [S]; HT29/H727 [A] same",
  "tumour.pO2": "[A] log-normal mixture; hypoxic fraction per model",
};

export const XENOGRAFTS: Readonly<Record<string, InVivoPreset>> = {
  FaDu: {
    name: "FaDu",
    description: "head and neck SCC, subcutaneous flank",
    input: mouse,
    tumour: {
      name: "tumour",
      tissue: tumourTissue(XENOGRAFT_CALIBRATION.FaDu.k1PerMin, XENOGRAFT_CALIBRATION.FaDu.k2PerMin),
      cell: CELL_LINES.FaDu!.kinetics,
      rho: XENOGRAFT_CALIBRATION.FaDu.rho,
    },
    tumourPo2: {
      kind: "lognormal-mixture",
      hypoxicFraction: 0.3,
      hypoxicMedianMmHg: 2,
      oxicMedianMmHg: 15,
      sigmaLn: 0.6,
    },
    muscle: MOUSE_MUSCLE,
    musclePo2: MOUSE_MUSCLE_PO2,
    targets: [
      { timeS: 1200, tmr: 4, source: "[S] brief Table 2 (McCall 2012, PMC3522091, figures not read)" },
      { timeS: 64_800, tmr: 12, source: "[S] brief Table 2 (McCall 2012, PMC3522091, figures not read)" },
    ],
    provenance: { ...MUSCLE_PROVENANCE, ...TUMOUR_PROVENANCE },
  },
  HT29: {
    name: "HT29",
    description: "colorectal adenocarcinoma, subcutaneous flank",
    input: mouse,
    tumour: {
      name: "tumour",
      tissue: tumourTissue(XENOGRAFT_CALIBRATION.FaDu.k1PerMin, XENOGRAFT_CALIBRATION.HT29.k2PerMin),
      cell: CELL_LINES.HT29!.kinetics,
      rho: XENOGRAFT_CALIBRATION.FaDu.rho,
    },
    tumourPo2: {
      kind: "lognormal-mixture",
      hypoxicFraction: 0.15,
      hypoxicMedianMmHg: 3,
      oxicMedianMmHg: 20,
      sigmaLn: 0.6,
    },
    muscle: MOUSE_MUSCLE,
    musclePo2: MOUSE_MUSCLE_PO2,
    targets: [{ timeS: 5400, tmr: 1.62, sd: 0.19, source: "[S] brief Table 2 (primary source not found)" }],
    provenance: { ...MUSCLE_PROVENANCE, ...TUMOUR_PROVENANCE },
  },
  H727: {
    name: "H727",
    description: "bronchial carcinoid (neuroendocrine), subcutaneous flank",
    input: mouse,
    tumour: {
      name: "tumour",
      tissue: tumourTissue(XENOGRAFT_CALIBRATION.FaDu.k1PerMin, XENOGRAFT_CALIBRATION.H727.k2PerMin),
      cell: CELL_LINES.H727!.kinetics,
      rho: XENOGRAFT_CALIBRATION.FaDu.rho,
    },
    tumourPo2: {
      kind: "lognormal-mixture",
      hypoxicFraction: 0.25,
      hypoxicMedianMmHg: 2.5,
      oxicMedianMmHg: 15,
      sigmaLn: 0.6,
    },
    muscle: MOUSE_MUSCLE,
    musclePo2: MOUSE_MUSCLE_PO2,
    targets: [{ timeS: 5400, tmr: 2.71, sd: 0.68, source: "[S] brief Table 2 (primary source not found)" }],
    provenance: { ...MUSCLE_PROVENANCE, ...TUMOUR_PROVENANCE },
  },
};

/** Look a xenograft up case-insensitively ("FaDu", "fadu", "mouse-fadu"). */
export function getXenograft(name: string): InVivoPreset {
  const key = name
    .toLowerCase()
    .replace(/^mouse-/, "")
    .replace(/[^a-z0-9]/g, "");
  for (const p of Object.values(XENOGRAFTS)) if (p.name.toLowerCase() === key) return p;
  throw new AtsmError({
    code: "INVALID_ARGUMENT",
    message: "unknown xenograft model",
    value: name,
    field: "--model",
    hint: `known models: ${Object.keys(XENOGRAFTS).join(", ")}`,
  });
}
