/**
 * `makeTwinStudy`: build a synthetic PET/CT study (sim/phantom) and write it as DICOM + NIfTI
 * with its truth (label maps, noise-free activity, pO2 map, truth.json).
 *
 * Layout of OUT:
 *   dicom/PT/PT000001.dcm …   PET, Bq/mL (Units BQML), DecayCorrection START, Cu-ATSM
 *   dicom/CT/CT000001.dcm …   CT, HU, same frame of reference
 *   nifti/pet.nii.gz (+ pet.json BIDS-PET sidecar), nifti/ct.nii.gz
 *   truth/voi.nii.gz          1 = tumour, 2 = reference muscle (quantify's label convention)
 *   truth/tumour.nii.gz, truth/hypoxic.nii.gz, truth/muscle.nii.gz   single-label masks
 *   truth/activity-noisefree.nii.gz   PSF-blurred, voxelised, no noise (what the scanner sees)
 *   truth/activity-true.nii.gz        true activity averaged into scanner voxels (no PSF)
 *   truth/po2.nii.gz                  mean pO2 per scanner voxel, mmHg
 *   truth/truth.json                  true means, T/M, volumes, VOIs (LPS mm), mass balance
 */
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { AtsmError } from "../../core/errors.js";
import { type Mask, maskOnGrid, type ProgressFn, volumeOnGrid } from "../../core/types.js";
import { uidFromSeed } from "../../io/dicom/uid.js";
import { writeDicomSeries } from "../../io/dicom/write.js";
import { writeNifti, writeNiftiLabelMap } from "../../io/nifti/index.js";
import { getNuclide } from "../../physics/nuclides.js";
import { SCANNERS } from "../../scanner/acquire.js";
import {
  buildPhantomStudy,
  getStudyPreset,
  type PhantomStudy,
  type StudyPreset,
} from "../../sim/phantom/index.js";

export interface TwinStudyOptions {
  /** Preset name (STUDY_PRESETS) or a preset object (e.g. a smaller grid for tests). */
  readonly preset: string | StudyPreset;
  readonly outDir: string;
  /** Default "Cu-64". */
  readonly nuclide?: string;
  /** Default: the preset's (8 MBq mouse, 210 MBq patient). */
  readonly injectedBq?: number;
  /** Injection → scan start, s. Default: the preset's. */
  readonly uptakeS?: number;
  readonly seed?: number;
  /** Injection date-time, epoch ms (default 2024-01-15T09:00:00Z, so output is reproducible). */
  readonly injectionDateTimeMs?: number;
  /** No count / HU noise. */
  readonly noiseFree?: boolean;
  /** Skip the DICOM or the NIfTI copy of the images. */
  readonly dicom?: boolean;
  readonly nifti?: boolean;
  readonly onProgress?: ProgressFn;
}

export interface TwinStudyResult {
  readonly outDir: string;
  readonly petDicomDir: string | null;
  readonly ctDicomDir: string | null;
  readonly petNifti: string | null;
  readonly truthJson: string;
  readonly truth: Record<string, unknown>;
  readonly study: PhantomStudy;
}

const DEFAULT_INJECTION_MS = Date.UTC(2024, 0, 15, 9, 0, 0);

/** Tumour = 1, muscle = 2 on the scanner grid (tumour wins), as written to truth/voi.nii.gz. */
export function truthVoiMask(study: PhantomStudy): Mask {
  const voi = new Uint8Array(study.tumourMask.length);
  for (let u = 0; u < voi.length; u++) voi[u] = study.tumourMask[u] ? 1 : study.muscleMask[u] ? 2 : 0;
  return maskOnGrid(
    study.scannerGrid,
    voi,
    new Map([
      [1, "tumour"],
      [2, "muscle"],
    ]),
  );
}

function pad2(n: number): string {
  return String(n).padStart(2, "0");
}

export async function makeTwinStudy(o: TwinStudyOptions): Promise<TwinStudyResult> {
  const preset = typeof o.preset === "string" ? getStudyPreset(o.preset) : o.preset;
  const nuclide = getNuclide(o.nuclide ?? "Cu-64", "--nuclide");
  const injectedBq = o.injectedBq ?? preset.defaultInjectedBq;
  const uptakeS = o.uptakeS ?? preset.defaultUptakeS;
  const seed = o.seed ?? 1;
  if (!(injectedBq > 0) || !(uptakeS >= 0) || !Number.isInteger(seed)) {
    throw new AtsmError({
      code: "INVALID_ARGUMENT",
      message: "twin study needs injected activity > 0, uptake ≥ 0 and an integer seed",
      value: `${injectedBq} Bq, ${uptakeS} s, seed ${seed}`,
      field: "--injected/--uptake/--seed",
      hint: "e.g. --injected 8MBq --uptake 2h --seed 1",
    });
  }
  const progress = o.onProgress ?? (() => {});
  progress(0.02, "oxygen + tracer");
  const study = buildPhantomStudy({
    preset,
    injectedBq,
    uptakeS,
    halfLifeS: nuclide.halfLifeS,
    seed,
    noise: o.noiseFree !== true,
  });
  progress(0.5, "writing");
  const g = study.scannerGrid;
  const injectionMs = o.injectionDateTimeMs ?? DEFAULT_INJECTION_MS;
  const seriesMs = injectionMs + uptakeS * 1000; // s → ms
  const out = o.outDir;
  mkdirSync(join(out, "truth"), { recursive: true });
  const pet = volumeOnGrid(g, study.petBqPerMl, "Bq/mL");
  const ct = volumeOnGrid(g, study.ctHu, "HU");
  const patient = {
    name: `Twin^${preset.name}`,
    id: `TWIN-${preset.name}-${seed}`,
    weightKg: preset.weightKg,
    ...(preset.heightM !== null ? { heightM: preset.heightM } : {}),
    sex: (preset.species === "mouse" ? "F" : preset.name.includes("cervix") ? "F" : "M") as "F" | "M",
  };
  const uidBase = `atsm-twin/${preset.name}/${seed}/${injectedBq}/${uptakeS}/${nuclide.name}`;
  const studyUid = uidFromSeed(`${uidBase}/study`);
  const forUid = uidFromSeed(`${uidBase}/for`);
  const description = `ATSM twin ${preset.name} (synthetic)`;
  let petDir: string | null = null;
  let ctDir: string | null = null;
  if (o.dicom !== false) {
    petDir = join(out, "dicom", "PT");
    ctDir = join(out, "dicom", "CT");
    await writeDicomSeries(petDir, pet, {
      modality: "PT",
      pet: {
        nuclide: nuclide.name,
        halfLifeS: nuclide.halfLifeS,
        injectedActivityBq: injectedBq,
        injectionDateTimeMs: injectionMs,
        seriesDateTimeMs: seriesMs,
        frameDurationS: preset.frameDurationS,
        radiopharmaceutical: "Cu-ATSM",
        decayCorrection: "START",
        positronFraction: nuclide.positronFraction,
      },
      patient,
      studyInstanceUid: studyUid,
      seriesInstanceUid: uidFromSeed(`${uidBase}/pt`),
      frameOfReferenceUid: forUid,
      seriesNumber: 1,
      seriesDescription: `${nuclide.name}-ATSM PET (synthetic, ${SCANNERS[preset.scanner].fwhmMm} mm FWHM)`,
      studyDescription: description,
      derivationDescription: "Synthetic study: ATSM Workbench digital twin (sim/phantom)",
      studyDateTimeMs: injectionMs,
    });
    progress(0.7, "writing CT");
    await writeDicomSeries(ctDir, ct, {
      modality: "CT",
      patient,
      studyInstanceUid: studyUid,
      seriesInstanceUid: uidFromSeed(`${uidBase}/ct`),
      frameOfReferenceUid: forUid,
      seriesNumber: 2,
      seriesDescription: "CT (synthetic)",
      studyDescription: description,
      derivationDescription: "Synthetic study: ATSM Workbench digital twin (sim/phantom)",
      studyDateTimeMs: seriesMs,
    });
  }
  let petNifti: string | null = null;
  if (o.nifti !== false) {
    mkdirSync(join(out, "nifti"), { recursive: true });
    petNifti = join(out, "nifti", "pet.nii.gz");
    const inj = new Date(injectionMs);
    await writeNifti(petNifti, pet, {
      description,
      modality: "PT",
      bidsSidecar: {
        Modality: "PT",
        TracerName: "Cu-ATSM",
        TracerRadionuclide: nuclide.name.replace("-", ""),
        InjectedRadioactivity: injectedBq / 1e6, // Bq → MBq
        InjectedRadioactivityUnits: "MBq",
        BodyWeight: preset.weightKg,
        ScanDate: `${inj.getUTCFullYear()}-${pad2(inj.getUTCMonth() + 1)}-${pad2(inj.getUTCDate())}`,
        TimeZero: `${pad2(inj.getUTCHours())}:${pad2(inj.getUTCMinutes())}:${pad2(inj.getUTCSeconds())}`,
        InjectionStart: 0,
        ScanStart: uptakeS,
        FrameTimesStart: [uptakeS],
        FrameDuration: [preset.frameDurationS],
        ImageDecayCorrected: true,
        ImageDecayCorrectionTime: uptakeS,
        AttenuationCorrection: "CT-based (synthetic)",
      },
    });
    await writeNifti(join(out, "nifti", "ct.nii.gz"), ct, { description: "CT (synthetic)", modality: "CT" });
  }
  progress(0.85, "writing truth");
  const t = join(out, "truth");
  await writeNiftiLabelMap(join(t, "voi.nii.gz"), truthVoiMask(study), "tumour=1 muscle=2");
  await writeNiftiLabelMap(
    join(t, "tumour.nii.gz"),
    maskOnGrid(g, study.tumourMask, new Map([[1, "tumour"]])),
    "tumour",
  );
  await writeNiftiLabelMap(
    join(t, "hypoxic.nii.gz"),
    maskOnGrid(g, study.hypoxicMask, new Map([[1, "hypoxic core"]])),
    "hypoxic core",
  );
  await writeNiftiLabelMap(
    join(t, "muscle.nii.gz"),
    maskOnGrid(g, study.muscleMask, new Map([[1, "muscle"]])),
    "muscle",
  );
  await writeNifti(
    join(t, "activity-noisefree.nii.gz"),
    volumeOnGrid(g, study.petNoiseFreeBqPerMl, "Bq/mL"),
    {
      description: "noise-free activity (PSF, voxelised)",
    },
  );
  await writeNifti(
    join(t, "activity-true.nii.gz"),
    volumeOnGrid(g, study.activityVoxelisedBqPerMl, "Bq/mL"),
    {
      description: "true activity (voxelised, no PSF)",
    },
  );
  await writeNifti(join(t, "po2.nii.gz"), volumeOnGrid(g, study.po2MmHg, "mmHg"), {
    description: "pO2 mmHg",
  });
  const truth = {
    preset: preset.name,
    description: preset.description,
    seed,
    nuclide: nuclide.name,
    halfLifeS: nuclide.halfLifeS,
    injectedBq,
    injectionDateTime: new Date(injectionMs).toISOString(),
    scanStartDateTime: new Date(seriesMs).toISOString(),
    uptakeS,
    frameDurationS: preset.frameDurationS,
    weightKg: preset.weightKg,
    units: {
      activity: "Bq/mL at scan start (decay-corrected to scan start)",
      po2: "mmHg",
      coordinates: "LPS mm",
    },
    scanner: {
      ...SCANNERS[preset.scanner],
      dims: g.dims,
      spacingMm: g.spacingMm,
      noise: o.noiseFree !== true,
    },
    truthGrid: { dims: study.truthGrid.dims, spacingMm: study.truthGrid.spacingMm },
    tracerModel: study.tracerModel,
    tumourShells: study.shells.map((s) => ({
      vesselDensityMmPerMm3: s.vesselDensityMmPerMm3,
      meanPo2MmHg: s.meanMmHg,
      hypoxicFraction10: s.hypoxicFraction10,
      hypoxicFraction2p5: s.hypoxicFraction2p5,
    })),
    ...study.truth,
    /** Paths relative to the output folder (so the study folder can be moved). */
    files: {
      petDicom: petDir === null ? null : "dicom/PT",
      ctDicom: ctDir === null ? null : "dicom/CT",
      petNifti: petNifti === null ? null : "nifti/pet.nii.gz",
      voiLabels: "truth/voi.nii.gz",
      tumourMask: "truth/tumour.nii.gz",
      hypoxicMask: "truth/hypoxic.nii.gz",
      muscleMask: "truth/muscle.nii.gz",
      activityNoiseFree: "truth/activity-noisefree.nii.gz",
      activityTrue: "truth/activity-true.nii.gz",
      po2: "truth/po2.nii.gz",
    },
  };
  const truthJson = join(t, "truth.json");
  writeFileSync(truthJson, `${JSON.stringify(truth, null, 2)}\n`);
  progress(1, "done");
  return { outDir: out, petDicomDir: petDir, ctDicomDir: ctDir, petNifti, truthJson, truth, study };
}
