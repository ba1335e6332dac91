/**
 * The default demo study: a digital-twin Cu-ATSM PET/CT (`app/twin-study`, docs/twin-oxygen.md §5)
 * written into `<dir>/study`, with the VOI specs, the prognosis cutoff and the nuclide that go
 * with its preset.
 *
 * VOIs: the truth label map `study/truth/voi.nii.gz` (1 = tumour, 2 = reference muscle) as
 * `mask:` specs. They are exactly the regions the truth was computed on, so every difference
 * between the measured and the true numbers comes from the scanner (PSF blur, voxels, noise), not
 * from where a VOI was drawn. (The truth also carries `sphere:` specs for hand-drawn VOIs.)
 *
 * Defaults per preset:
 * - patient-SITE-*: cutoff SITE (cervix T/M > 3.5, rectum > 2.6, nsclc > 3.0; quant/prognosis) and
 *   nuclide Cu-60, the 60Cu-ATSM of the Washington University series the cutoffs come from; the
 *   twin's 30 min uptake and 30 min frame are their 30–60 min p.i. window. So the prognosis is
 *   applied under the convention it was derived with (no nuclide/window warning).
 * - mouse-*: cutoff 2 (T/M > 2, "twice normal muscle", Chao et al. 2001, the quantify default);
 *   the clinical cutoffs do not transfer to xenografts. Nuclide Cu-64 (the preclinical tracer).
 */
import { rmSync } from "node:fs";
import { join } from "node:path";
import { AtsmError } from "../../core/errors.js";
import { SCANNERS } from "../../scanner/acquire.js";
import { getStudyPreset, STUDY_PRESETS, type StudyPreset } from "../../sim/phantom/index.js";
import { makeTwinStudy, type TwinStudyResult } from "../twin-study/write.js";

export interface TwinDemoOptions {
  /** Twin study preset name (default `patient-cervix-hypoxic`). */
  readonly preset?: string;
  /** A smaller field of view, same voxels (`smallPreset`; for tests). */
  readonly small?: boolean;
  readonly seed?: number;
  /** Default: Cu-60 for patient presets, Cu-64 for mouse presets (see file comment). */
  readonly nuclide?: string;
  /** `cervix|rectum|nsclc|NUMBER`; default from the preset (see file comment). */
  readonly cutoff?: string;
  readonly noiseFree?: boolean;
  readonly onProgress?: (fraction: number, label?: string) => void;
}

export interface TwinDemoStudy {
  readonly kind: "twin";
  /** Folder holding the DICOM study (PT and CT series). */
  readonly studyDir: string;
  readonly tumorSpec: string;
  readonly referenceSpec: string;
  readonly cutoff: string;
  readonly nuclide: string;
  readonly preset: StudyPreset;
  readonly description: string;
  readonly twin: TwinStudyResult;
}

export const DEFAULT_DEMO_PRESET = "patient-cervix-hypoxic";

/** Default cutoff of a preset: the patient's site, else T/M 2 (see file comment). */
export function defaultCutoffFor(preset: StudyPreset): string {
  const m = /^patient-(cervix|rectum|nsclc)-/.exec(preset.name);
  return m ? m[1]! : "2";
}

/** Default nuclide of a preset (see file comment). */
export function defaultNuclideFor(preset: StudyPreset): string {
  return preset.species === "human" ? "Cu-60" : "Cu-64";
}

/**
 * The `--small` version of a preset: the same voxels, PSF and truth grid (so the same
 * partial-volume effect) in a smaller field of view that still holds the body cross-section, the
 * tumour and part of the reference muscle. Patient: 96×64×32 at 4 mm = 384×256×128 mm (body
 * 340×220 mm, tumour z −35…15 mm); mouse: 64×40×80 at 0.6 mm = 38.4×24×48 mm (body 24×19 mm,
 * tumour x down to −16.5 mm, muscle z −23…−7 mm). About 1/5 (patient) and 2/5 (mouse) of the voxels.
 */
export function smallPreset(p: StudyPreset): StudyPreset {
  const dims: readonly [number, number, number] = p.species === "human" ? [96, 64, 32] : [64, 40, 80];
  return { ...p, name: `${p.name}-small`, dims };
}

/** "Cu-60" → "60Cu" (the usual tracer spelling, 60Cu-ATSM). */
function nuclideLabel(name: string): string {
  const m = /^([A-Za-z]+)-(\d+)$/.exec(name);
  return m ? `${m[2]}${m[1]}` : name;
}

function presetByName(name: string): StudyPreset {
  if (STUDY_PRESETS[name.toLowerCase()] === undefined) {
    throw new AtsmError({
      code: "INVALID_ARGUMENT",
      message: "unknown demo preset",
      value: name,
      field: "--preset",
      hint: `known presets: ${Object.keys(STUDY_PRESETS).join(", ")}`,
    });
  }
  return getStudyPreset(name);
}

/** Write the twin study into `<dir>/study` (replacing an earlier one) and return the demo's settings. */
export async function writeTwinDemoStudy(dir: string, opts: TwinDemoOptions = {}): Promise<TwinDemoStudy> {
  const full = presetByName(opts.preset ?? DEFAULT_DEMO_PRESET);
  const preset = opts.small === true ? smallPreset(full) : full;
  const nuclide = opts.nuclide ?? defaultNuclideFor(full);
  const cutoff = opts.cutoff ?? defaultCutoffFor(full);
  const studyRoot = join(dir, "study");
  // A re-run must not mix with files of an earlier (e.g. larger) demo study.
  rmSync(studyRoot, { recursive: true, force: true });
  const twin = await makeTwinStudy({
    preset,
    outDir: studyRoot,
    seed: opts.seed ?? 1,
    nuclide,
    ...(opts.noiseFree === true ? { noiseFree: true } : {}),
    ...(opts.onProgress ? { onProgress: opts.onProgress } : {}),
  });
  const [nx, ny, nz] = preset.dims;
  return {
    kind: "twin",
    studyDir: join(studyRoot, "dicom"),
    // Relative to the demo folder (quantify's baseDir), so the report shows short specs.
    tumorSpec: "mask:study/truth/voi.nii.gz:1",
    referenceSpec: "mask:study/truth/voi.nii.gz:2",
    cutoff,
    nuclide: String(twin.truth.nuclide),
    preset,
    description:
      `digital twin ${preset.name}, ${nuclideLabel(String(twin.truth.nuclide))}-ATSM PET/CT, ${Math.round(twin.study.truth.tumour.volumeMl * 10) / 10} mL tumour; ` +
      `${nx}×${ny}×${nz} PET at ${preset.spacingMm[0]} mm, ${SCANNERS[preset.scanner].fwhmMm} mm FWHM, ` +
      `${opts.noiseFree === true ? "no noise" : "count noise"}, seed ${opts.seed ?? 1}`,
    twin,
  };
}
