/**
 * Synthetic PET/CT study with known truth (core; no I/O): anatomy → tumour pO2 (sim/oxygen on
 * per-shell vessel networks) → tracer concentrations (the Cu-ATSM tissue model of sim/tumour with
 * the kinetics of a sim/presets xenograft or patient preset) → activity at scan start → scanner
 * (PSF, voxelisation, count noise) → images and the truth.
 *
 * Activity: the tissue model gives C(t) as a fraction of the injected activity per mL,
 * decay-corrected to injection. The image is the state at mid-frame t_mid = uptake + frame/2,
 * decay-corrected to the scan start (DICOM DecayCorrection START):
 *     A(x) = C(x, t_mid) · A_inj · exp(−λ·t_uptake)   (Bq/mL).
 * Mass balance [A]: activity in the body = A_inj·exp(−λ t)·(1 − f_ex(t_mid)) with the excreted
 * fraction f_ex(t) = max·(1 − 2^(−t/T½ex)). Tissues not modelled explicitly hold the remainder:
 * the liver (mouse, whole body in the field of view) or the body outside the field of view
 * (patient). Soft tissue uses the muscle kinetics and bone the muscle kinetics with K1 × 0.3 [A].
 */
import { createRng } from "../../core/rng.js";
import type { Grid, Vec3i } from "../../core/types.js";
import { SCANNERS, simulateAcquisition } from "../../scanner/acquire.js";
import { blockAverage } from "../../scanner/downsample.js";
import { getPatientPreset } from "../presets/patients.js";
import { getXenograft, type InVivoPreset } from "../presets/xenografts.js";
import { simulateRegionMeanTac } from "../tumour/map.js";
import { po2Quantiles } from "../tumour/po2.js";
import { buildTracerGrid, type TissueRegion } from "../tumour/tissue.js";
import { buildAnatomy, NO_SHELL, scannerGrid, TISSUE, TISSUE_HU } from "./anatomy.js";
import { midQuantiles, type ShellOxygen, solveTumourShells } from "./microenvironment.js";
import type { StudyPreset } from "./presets.js";
import { summariseTruth, type TruthSummary } from "./truth.js";

export interface PhantomOptions {
  readonly preset: StudyPreset;
  readonly injectedBq: number;
  readonly uptakeS: number;
  readonly halfLifeS: number;
  readonly seed: number;
  /** Tumour shells (default 6). */
  readonly levels?: number;
  /** Add count noise to the PET and HU noise to the CT (default true). */
  readonly noise?: boolean;
}

export interface PhantomStudy {
  readonly truthGrid: Grid;
  readonly scannerGrid: Grid;
  /** Truth grid: tissue labels, activity (Bq/mL at scan start), pO2 (mmHg; tumour = shell mean). */
  readonly truthLabels: Uint8Array;
  readonly truthActivityBqPerMl: Float32Array;
  readonly truthPo2MmHg: Float32Array;
  /** Scanner grid images. */
  readonly petBqPerMl: Float32Array;
  readonly petNoiseFreeBqPerMl: Float32Array;
  /** Truth activity averaged into scanner voxels, no PSF, no noise. */
  readonly activityVoxelisedBqPerMl: Float32Array;
  readonly po2MmHg: Float32Array;
  readonly ctHu: Float32Array;
  /** Scanner-grid masks (a voxel belongs when ≥ half of its truth voxels do). */
  readonly tumourMask: Uint8Array;
  readonly hypoxicMask: Uint8Array;
  readonly muscleMask: Uint8Array;
  readonly shells: readonly ShellOxygen[];
  readonly tracerModel: string;
  readonly truth: TruthSummary;
}

/** Kinetics of the tracer preset named by the study preset. */
export function tracerPresetOf(p: StudyPreset): InVivoPreset {
  return p.species === "mouse" ? getXenograft(p.tracerPreset) : getPatientPreset(p.tracerPreset);
}

/** f_ex(t) [A]. */
export function excretedFraction(p: StudyPreset, tS: number): number {
  return p.excretionMax * (1 - 2 ** (-tS / p.excretionHalfTimeS));
}

const TUMOUR_QUANTILES = 32;

export function buildPhantomStudy(o: PhantomOptions): PhantomStudy {
  const p = o.preset;
  const levels = o.levels ?? 6;
  const tracer = tracerPresetOf(p);
  const anatomy = buildAnatomy(p, levels);
  const shells = solveTumourShells({
    levels,
    vesselDensityRim: p.vesselDensityRim,
    vesselDensityCore: p.vesselDensityCore,
    seed: o.seed,
  });
  // Tracer concentrations (fraction of injected per mL at t_mid, decay-corrected to injection).
  const tMidS = o.uptakeS + p.frameDurationS / 2;
  const tg = buildTracerGrid(tracer.input, [tMidS]);
  const musclePo2 = po2Quantiles(tracer.musclePo2, 8);
  const muscleFrac = simulateRegionMeanTac(tracer.muscle, musclePo2, tg)[0]!;
  const bone: TissueRegion = {
    ...tracer.muscle,
    name: "bone",
    tissue: { ...tracer.muscle.tissue, k1MlPerMlPerS: tracer.muscle.tissue.k1MlPerMlPerS * 0.3 },
  };
  const boneFrac = simulateRegionMeanTac(bone, musclePo2, tg)[0]!;
  const shellFrac = shells.map(
    (s) => simulateRegionMeanTac(tracer.tumour, midQuantiles(s.po2SamplesMmHg, TUMOUR_QUANTILES), tg)[0]!,
  );
  const lambda = Math.LN2 / o.halfLifeS;
  const toBq = o.injectedBq * Math.exp(-lambda * o.uptakeS);
  const musclePo2Mean = musclePo2.reduce((a, b) => a + b, 0) / musclePo2.length;

  const g = anatomy.grid;
  const n = anatomy.labels.length;
  const voxelMl = (g.spacingMm[0] * g.spacingMm[1] * g.spacingMm[2]) / 1000; // mm³ → mL
  const labels = anatomy.labels;
  const activity = new Float32Array(n);
  const po2 = new Float32Array(n);
  const hu = new Float32Array(n);
  let modelledBq = 0;
  let liverVoxels = 0;
  for (let u = 0; u < n; u++) {
    const l = labels[u]!;
    const s = anatomy.shell[u]!;
    let c = 0;
    let pp = musclePo2Mean;
    if (l === TISSUE.tumour && s !== NO_SHELL) {
      c = shellFrac[s]! * toBq;
      pp = shells[s]!.meanMmHg;
      if (shells[s]!.hypoxicFraction10 >= 0.5) labels[u] = TISSUE.hypoxicCore;
    } else if (l === TISSUE.soft || l === TISSUE.muscle) c = muscleFrac * toBq;
    else if (l === TISSUE.bone) c = boneFrac * toBq;
    else if (l === TISSUE.liver) liverVoxels++;
    else pp = 0;
    activity[u] = c;
    po2[u] = pp;
    hu[u] = TISSUE_HU[labels[u]!]!;
    modelledBq += c * voxelMl;
  }
  const bodyBq = o.injectedBq * Math.exp(-lambda * o.uptakeS) * (1 - excretedFraction(p, tMidS));
  let liverBqPerMl = 0;
  if (liverVoxels > 0) {
    liverBqPerMl = Math.max(0, bodyBq - modelledBq) / (liverVoxels * voxelMl);
    for (let u = 0; u < n; u++) if (labels[u] === TISSUE.liver) activity[u] = liverBqPerMl;
  }

  // Scanner.
  const sg = scannerGrid(p);
  const f = p.truthFactor;
  const factor: Vec3i = [f, f, f];
  const noise = o.noise !== false;
  const rng = createRng(o.seed);
  const acq = simulateAcquisition({
    truthBqPerMl: activity,
    fineDims: g.dims,
    fineSpacingMm: g.spacingMm,
    factor,
    scanner: SCANNERS[p.scanner],
    ...(noise ? { noise: { frameDurationS: p.frameDurationS, decayConstantPerS: lambda, rng } } : {}),
  });
  const voxelised = blockAverage(activity, g.dims, factor).data;
  const ct = blockAverage(hu, g.dims, factor).data;
  // CT noise σ 8 HU [A], from its own stream so that it does not depend on the PET draws.
  const ctRng = createRng((o.seed ^ 0x5bd1e995) >>> 0);
  for (let u = 0; u < ct.length; u++) ct[u] = Math.round(ct[u]! + (noise ? 8 * ctRng.normal() : 0));
  const frac = (want: (l: number) => boolean): Uint8Array => {
    const ind = new Float32Array(n);
    for (let u = 0; u < n; u++) ind[u] = want(labels[u]!) ? 1 : 0;
    const avg = blockAverage(ind, g.dims, factor).data;
    const m = new Uint8Array(avg.length);
    for (let u = 0; u < avg.length; u++) m[u] = avg[u]! >= 0.5 ? 1 : 0;
    return m;
  };
  const truth = summariseTruth({
    preset: p,
    grid: g,
    labels,
    activity,
    shells,
    shell: anatomy.shell,
    muscleBqPerMl: muscleFrac * toBq,
    injectedBq: o.injectedBq,
    uptakeS: o.uptakeS,
    tMidS,
    halfLifeS: o.halfLifeS,
    bodyBq,
    modelledBq,
    liverBqPerMl,
  });
  return {
    truthGrid: g,
    scannerGrid: sg,
    truthLabels: labels,
    truthActivityBqPerMl: activity,
    truthPo2MmHg: po2,
    petBqPerMl: acq.imageBqPerMl,
    petNoiseFreeBqPerMl: acq.noiseFreeBqPerMl,
    activityVoxelisedBqPerMl: voxelised,
    po2MmHg: blockAverage(po2, g.dims, factor).data,
    ctHu: ct,
    tumourMask: frac((l) => l === TISSUE.tumour || l === TISSUE.hypoxicCore),
    hypoxicMask: frac((l) => l === TISSUE.hypoxicCore),
    muscleMask: frac((l) => l === TISSUE.muscle),
    shells,
    tracerModel: `sim/tumour Cu-ATSM tissue model, preset ${tracer.name} (sim/presets)`,
    truth,
  };
}
