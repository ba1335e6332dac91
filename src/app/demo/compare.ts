/**
 * Measured vs truth for the twin demo: the same read-out (same VOIs, same cutoff) on three images
 * of one study, so a user sees what the scanner does to the numbers:
 *
 * - `measured`:   the DICOM PET that `atsm quantify` read (PSF blur + voxels + count noise),
 * - `noiseFree`:  the same PET without noise (`truth/activity-noisefree.nii.gz`): blur only, i.e.
 *                 the partial-volume effect alone,
 * - `truth`:      the simulated activity before the scanner, from the twin's truth grid:
 *                 T/Mmean = truth.json `tmr` (true tumour mean / true muscle mean), T/Mmax = true
 *                 tumour max / muscle mean, hypoxic volume = truth-grid tumour volume with true
 *                 T/M > cutoff (the same strict ">" as quant/hypoxic.ts), tumour volume = the
 *                 truth-grid tumour. T/Mpeak (a 1 cm³ sphere mean, QIBA) has no truth-grid
 *                 definition here; it is the peak of the true activity averaged into PET voxels
 *                 (`truth/activity-true.nii.gz`, no blur) with the same VOIs.
 *
 * Besides the tracer-defined hypoxic volume it reports the oxygen truth: the labelled hypoxic core
 * (shells with HF10 ≥ 0.5) and the microscopic volume below 10 mmHg — a T/M cutoff selects tracer
 * retention, which is not the same thing as pO2 < 10 mmHg.
 */
import { voxelVolumeMl } from "../../core/geometry.js";
import { volumeOnGrid } from "../../core/types.js";
import { quantifyHypoxia } from "../../quant/quantify.js";
import { SCANNERS } from "../../scanner/acquire.js";
import { TISSUE } from "../../sim/phantom/index.js";
import type { QuantifyResult } from "../quantify/types.js";
import { truthVoiMask } from "../twin-study/write.js";
import type { TwinDemoStudy } from "./twin.js";

export interface ComparedRow {
  readonly key: "tumorVolumeMl" | "tmrMean" | "tmrMax" | "tmrPeak" | "hypoxicVolumeMl";
  readonly label: string;
  readonly measured: number;
  readonly noiseFree: number;
  readonly truth: number;
}

export interface TruthComparison {
  readonly preset: string;
  readonly cutoffTm: number;
  readonly fwhmMm: number;
  readonly rows: readonly ComparedRow[];
  /** Oxygen truth of the tumour (truth.json). */
  readonly hypoxicCoreVolumeMl: number;
  readonly hypoxicVolume10Ml: number;
  readonly hypoxicFraction10: number;
  /** Measured / true T/Mmean and noise-free / true T/Mmean (the partial-volume recovery). */
  readonly tmrMeanRecovery: number;
  readonly tmrMeanRecoveryNoiseFree: number;
}

/** Compare `measured` (quantify on the demo's DICOM) with the noise-free image and the truth. */
export function compareWithTruth(study: TwinDemoStudy, measured: QuantifyResult): TruthComparison {
  const s = study.twin.study;
  const g = s.scannerGrid;
  const masks = new Map([["voi", truthVoiMask(s)]]);
  const run = (data: Float32Array) =>
    quantifyHypoxia({
      volume: volumeOnGrid(g, data, "Bq/mL"),
      tumor: "mask:voi:1",
      reference: "mask:voi:2",
      masks,
      cutoff: study.cutoff,
    });
  const nf = run(s.petNoiseFreeBqPerMl);
  const voxelised = run(s.activityVoxelisedBqPerMl);
  const cutoffTm = nf.hypoxia.cutoffTm;

  // Truth grid: the tumour (incl. its hypoxic core) with true T/M > cutoff.
  const t = s.truth;
  const muscle = t.muscle.meanBqPerMl;
  const tg = s.truthGrid;
  let hyp = 0;
  for (let u = 0; u < s.truthLabels.length; u++) {
    const l = s.truthLabels[u];
    if ((l === TISSUE.tumour || l === TISSUE.hypoxicCore) && s.truthActivityBqPerMl[u]! / muscle > cutoffTm)
      hyp++;
  }
  const hypTrueMl = hyp * voxelVolumeMl(tg.spacingMm);

  const rows: ComparedRow[] = [
    {
      key: "tumorVolumeMl",
      label: "tumour volume, mL",
      measured: measured.tumor.volumeMl,
      noiseFree: nf.tumor.volumeMl,
      truth: t.tumour.volumeMl,
    },
    { key: "tmrMean", label: "T/Mmean", measured: measured.tmrMean, noiseFree: nf.tmrMean, truth: t.tmr },
    {
      key: "tmrMax",
      label: "T/Mmax",
      measured: measured.tmrMax,
      noiseFree: nf.tmrMax,
      truth: t.tumour.maxBqPerMl / muscle,
    },
    {
      key: "tmrPeak",
      label: "T/Mpeak",
      measured: measured.tmrPeak,
      noiseFree: nf.tmrPeak,
      truth: voxelised.tmrPeak,
    },
    {
      key: "hypoxicVolumeMl",
      label: `hypoxic volume (T/M > ${cutoffTm}), mL`,
      measured: measured.hypoxicVolumeMl,
      noiseFree: nf.hypoxicVolumeMl,
      truth: hypTrueMl,
    },
  ];
  return {
    preset: study.preset.name,
    cutoffTm,
    fwhmMm: SCANNERS[study.preset.scanner].fwhmMm,
    rows,
    hypoxicCoreVolumeMl: t.tumour.hypoxicCoreVolumeMl,
    hypoxicVolume10Ml: t.tumour.hypoxicVolume10Ml,
    hypoxicFraction10: t.tumour.hypoxicFraction10,
    tmrMeanRecovery: measured.tmrMean / t.tmr,
    tmrMeanRecoveryNoiseFree: nf.tmrMean / t.tmr,
  };
}

/** The comparison as aligned text lines (for the CLI). */
export function comparisonText(c: TruthComparison): string {
  const f = (v: number) => (Number.isFinite(v) ? v.toFixed(2) : "n/a");
  const w = 34;
  const lines = [
    `truth      measured vs truth (VOIs = the truth label map, so differences come from the scanner: ${c.fwhmMm} mm FWHM blur, voxels, noise)`,
    `           ${"".padEnd(w)}${"measured".padStart(10)}${"noise-free".padStart(12)}${"truth".padStart(10)}`,
    ...c.rows.map(
      (r) =>
        `           ${r.label.padEnd(w)}${f(r.measured).padStart(10)}${f(r.noiseFree).padStart(12)}${f(r.truth).padStart(10)}`,
    ),
    `           T/Mmean recovery ${f(c.tmrMeanRecovery)} (noise-free ${f(c.tmrMeanRecoveryNoiseFree)}): the blur spills tumour activity out`,
    `           oxygen truth: hypoxic core (HF10 ≥ 0.5) ${f(c.hypoxicCoreVolumeMl)} mL, tissue < 10 mmHg ${f(c.hypoxicVolume10Ml)} mL (HF10 ${f(c.hypoxicFraction10)})`,
  ];
  return `${lines.join("\n")}\n`;
}
