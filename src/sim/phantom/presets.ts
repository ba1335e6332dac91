/**
 * Synthetic study presets: anatomy (simple shapes in LPS mm), tumour micro-vasculature, scanner
 * and the tracer preset (sim/presets, by the tracer model's author) that sets the kinetics.
 *
 * Shapes are assumptions [A] of plausible size: a 25 g mouse (≈ 22 mL elliptic-cylinder trunk)
 * with a 9 mm subcutaneous flank xenograft, and a 70 kg patient's pelvis (34 × 22 cm section)
 * with a 5 cm tumour. Vessel length densities [A]: tumour rims ~100–200 mm/mm³, hypoxic cores a
 * few tens (tumour microvascular densities of this order: Secomb et al. 2004; Dewhirst's window
 * chamber work); they set the pO2 field through sim/oxygen.
 */
import { AtsmError } from "../../core/errors.js";
import type { Vec3 } from "../../core/types.js";

/** Ellipsoid (or, with `infiniteZ`, elliptic cylinder along z) in LPS mm. */
export interface Ellipsoid {
  readonly centreMm: Vec3;
  readonly semiAxesMm: Vec3;
  readonly infiniteZ?: boolean;
  /** Cylinders only: z extent [min, max] mm. */
  readonly zRangeMm?: readonly [number, number];
}

export interface StudyPreset {
  readonly name: string;
  readonly description: string;
  readonly species: "mouse" | "human";
  /** Tracer preset: xenograft model name (mouse) or patient preset name (human). */
  readonly tracerPreset: string;
  /** Scanner grid. */
  readonly dims: readonly [number, number, number];
  readonly spacingMm: Vec3;
  /** Fine truth grid = scanner grid subdivided by this factor per axis. */
  readonly truthFactor: number;
  readonly scanner: "preclinical" | "clinical";
  readonly body: Ellipsoid;
  readonly bones: readonly Ellipsoid[];
  /** Reference muscle (labelled; its VOI is a sphere inside it). */
  readonly muscle: Ellipsoid;
  /** Activity sink holding the tracer not in the modelled tissues (liver); null = outside FOV. */
  readonly liver: Ellipsoid | null;
  readonly tumourCentreMm: Vec3;
  readonly tumourRadiusMm: number;
  /** Vessel length density at the tumour rim and centre, mm/mm³ (profile ∝ ρ² in between). */
  readonly vesselDensityRim: number;
  readonly vesselDensityCore: number;
  readonly weightKg: number;
  /** Body height, m, written as PatientSize so SUL/SUVbsa can be computed; null for animals. */
  readonly heightM: number | null;
  readonly defaultInjectedBq: number;
  readonly defaultUptakeS: number;
  readonly frameDurationS: number;
  /** Excreted fraction f_ex(t) = max·(1 − 2^(−t/T½ex)) [A] (hepatobiliary/renal elimination). */
  readonly excretionMax: number;
  readonly excretionHalfTimeS: number;
}

const H = 3600;

const MOUSE_BASE = {
  species: "mouse",
  dims: [64, 64, 128],
  spacingMm: [0.6, 0.6, 0.6],
  truthFactor: 2,
  scanner: "preclinical",
  // Trunk: elliptic cylinder 24 × 19 mm, 60 mm long ≈ 21.5 mL [A] (25 g mouse).
  body: { centreMm: [0, 0, 0], semiAxesMm: [12, 9.5, 1], infiniteZ: true, zRangeMm: [-30, 30] },
  // Spine along z, posterior (+y in LPS).
  bones: [{ centreMm: [0, 6.5, 0], semiAxesMm: [1.5, 1.5, 1], infiniteZ: true, zRangeMm: [-30, 30] }],
  // Contralateral (left = +x) hind-flank muscle.
  muscle: { centreMm: [6, 2, -15], semiAxesMm: [4, 4, 8] },
  // Liver ~1.4 mL, upper abdomen.
  liver: { centreMm: [-1, -2, 16], semiAxesMm: [9, 6, 6] },
  // Right-flank (−x) subcutaneous tumour, half protruding, 9 mm diameter (0.38 mL).
  tumourCentreMm: [-12, 0, -14],
  tumourRadiusMm: 4.5,
  weightKg: 0.025,
  heightM: null,
  defaultInjectedBq: 8e6,
  defaultUptakeS: 2 * H,
  frameDurationS: 600,
  excretionMax: 0.6,
  excretionHalfTimeS: 1 * H,
} as const;

const PATIENT_BASE = {
  species: "human",
  dims: [128, 128, 64],
  spacingMm: [4, 4, 4],
  // Truth on the scanner grid itself (4 mm ≪ nothing here is smaller than a few cm); keeps the
  // patient study fast.
  truthFactor: 1,
  scanner: "clinical",
  // Pelvis: elliptic cylinder 34 × 22 cm through the whole 25.6 cm field of view [A].
  body: { centreMm: [0, 0, 0], semiAxesMm: [170, 110, 1], infiniteZ: true, zRangeMm: [-1000, 1000] },
  bones: [
    { centreMm: [0, 75, 0], semiAxesMm: [22, 15, 1], infiniteZ: true, zRangeMm: [-1000, 1000] }, // sacrum
    { centreMm: [-105, 15, 0], semiAxesMm: [22, 22, 1], infiniteZ: true, zRangeMm: [-1000, 1000] }, // right hip
    { centreMm: [105, 15, 0], semiAxesMm: [22, 22, 1], infiniteZ: true, zRangeMm: [-1000, 1000] }, // left hip
  ],
  // Left gluteal muscle.
  muscle: { centreMm: [85, 75, 0], semiAxesMm: [45, 25, 90] },
  liver: null,
  tumourCentreMm: [0, 0, -10],
  tumourRadiusMm: 25,
  weightKg: 70,
  heightM: 1.7, // [A] a typical adult height, so that SUL (lean body mass) and SUVbsa are defined
  // ~3 MBq/kg as in NCT03951337 (atsm-science.md §3.1).
  defaultInjectedBq: 210e6,
  // 30–60 min summed frame, the WashU Cu-ATSM T/M window (atsm-science.md §3.2).
  defaultUptakeS: 0.5 * H,
  frameDurationS: 1800,
  excretionMax: 0.15,
  excretionHalfTimeS: 6 * H,
} as const;

function patient(site: "cervix" | "rectum" | "nsclc", variant: "hypoxic" | "normoxic"): StudyPreset {
  const hyp = variant === "hypoxic";
  return {
    ...PATIENT_BASE,
    name: `patient-${site}-${variant}`,
    description: `${site} tumour, ${variant} variant, 64Cu-ATSM clinical PET/CT (pelvis/trunk phantom)`,
    tracerPreset: `${site}-${variant}`,
    tumourCentreMm: site === "rectum" ? [0, 40, -10] : PATIENT_BASE.tumourCentreMm,
    vesselDensityRim: hyp ? 250 : 1000,
    vesselDensityCore: hyp ? 15 : 600,
  };
}

export const STUDY_PRESETS: Readonly<Record<string, StudyPreset>> = Object.fromEntries(
  [
    {
      ...MOUSE_BASE,
      name: "mouse-fadu",
      description: "FaDu xenograft, 25 g mouse, 64Cu-ATSM preclinical PET/CT",
      tracerPreset: "FaDu",
      vesselDensityRim: 450,
      vesselDensityCore: 25,
    },
    {
      ...MOUSE_BASE,
      name: "mouse-ht29",
      description: "HT29 xenograft, 25 g mouse, 64Cu-ATSM preclinical PET/CT",
      tracerPreset: "HT29",
      vesselDensityRim: 500,
      vesselDensityCore: 60,
    },
    {
      ...MOUSE_BASE,
      name: "mouse-h727",
      description: "H727 xenograft, 25 g mouse, 64Cu-ATSM preclinical PET/CT",
      tracerPreset: "H727",
      vesselDensityRim: 450,
      vesselDensityCore: 30,
    },
    patient("cervix", "hypoxic"),
    patient("cervix", "normoxic"),
    patient("rectum", "hypoxic"),
    patient("rectum", "normoxic"),
    patient("nsclc", "hypoxic"),
    patient("nsclc", "normoxic"),
  ].map((p) => [p.name, p as StudyPreset]),
);

/** Preset by name (case-insensitive). */
export function getStudyPreset(name: string): StudyPreset {
  const p = STUDY_PRESETS[name.toLowerCase()];
  if (p === undefined) {
    throw new AtsmError({
      code: "INVALID_ARGUMENT",
      message: "unknown study preset",
      value: name,
      field: "--preset",
      hint: `known presets: ${Object.keys(STUDY_PRESETS).join(", ")}`,
    });
  }
  return p;
}
