/**
 * `atsm demo`: generate the built-in synthetic Cu-ATSM study (the digital twin by default),
 * quantify it, compare with the truth and write the report.
 */
import { resolve } from "node:path";
import { comparisonText, DEFAULT_DEMO_PRESET, runDemo } from "../../app/demo/index.js";
import { jsonSafe } from "../../app/quantify/flatten.js";
import { AtsmError } from "../../core/errors.js";
import { STUDY_PRESETS } from "../../sim/phantom/presets.js";
import { type CliContext, optionalString, parseCommandArgs } from "../context.js";
import { progressBar } from "../progress.js";
import { summaryText } from "./quantify.js";

const HELP = `usage: atsm demo [--out DIR] [--preset NAME] [--cutoff C] [--small] [--json] [options]

Generates a synthetic Cu-ATSM PET/CT study with known truth (the digital twin, docs/twin-oxygen.md;
default preset ${DEFAULT_DEMO_PRESET}: 70 kg pelvis, 5 cm cervix tumour with a hypoxic core,
60Cu-ATSM 30-60 min p.i., 4 mm PET, 5 mm FWHM, count noise) in DIR/study (DICOM, NIfTI, truth),
quantifies it with the truth's tumour and muscle label map (mask:study/truth/voi.nii.gz:1 and :2)
and the site's prognosis cutoff, prints the measured values next to the truth, and writes the
report into DIR (default ./atsm-demo): report.html, report.pdf, metrics.csv, metrics.json,
vois.nii.gz, vois-seg.dcm, truth-comparison.json.

  --out DIR           output folder (default ./atsm-demo)
  --preset NAME       twin study preset: ${Object.keys(STUDY_PRESETS).join(", ")}
  --cutoff C          cervix|rectum|nsclc|VALUE (default: the patient preset's site; 2 for mice)
  --nuclide N         default Cu-60 for patients (the nuclide of the cutoffs' studies), Cu-64 for mice
  --seed N            random seed of the twin (vessels, noise); default 1
  --noise-free        no count noise (measured = the partial-volume effect alone)
  --phantom analytic  the older analytic phantom instead (uniform tumour sphere with a hotter core,
                      7 mm blur, 4 % noise; fixed sphere VOIs, cervix cutoff)
  --small             half the voxels per axis at twice the spacing (fast; for tests)
  --json              print the result, the truth and the comparison as one JSON object
`;

const OPTIONS = {
  help: { type: "boolean", short: "h" },
  out: { type: "string" },
  preset: { type: "string" },
  cutoff: { type: "string" },
  nuclide: { type: "string" },
  seed: { type: "string" },
  "noise-free": { type: "boolean" },
  phantom: { type: "string" },
  small: { type: "boolean" },
  json: { type: "boolean" },
} as const;

function parseSeed(text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  const seed = Number(text);
  if (!Number.isInteger(seed) || seed < 0) {
    throw new AtsmError({
      code: "INVALID_ARGUMENT",
      message: "invalid --seed",
      value: text,
      field: "--seed",
      hint: "pass a non-negative integer, e.g. --seed 1",
    });
  }
  return seed;
}

function parsePhantom(text: string | undefined): "twin" | "analytic" {
  if (text === undefined || text === "twin") return "twin";
  if (text === "analytic") return "analytic";
  throw new AtsmError({
    code: "INVALID_ARGUMENT",
    message: "unknown --phantom",
    value: text,
    field: "--phantom",
    hint: "use --phantom twin (the default) or --phantom analytic",
  });
}

export async function run(argv: readonly string[], ctx: CliContext): Promise<number> {
  const { values } = parseCommandArgs("demo", argv, OPTIONS, false);
  if (values.help === true) {
    ctx.stdout(HELP);
    return 0;
  }
  const outDir = resolve(ctx.cwd, optionalString(values, "out") ?? "atsm-demo");
  const phantom = parsePhantom(optionalString(values, "phantom"));
  const seed = parseSeed(optionalString(values, "seed"));
  const preset = optionalString(values, "preset");
  const cutoff = optionalString(values, "cutoff");
  const nuclide = optionalString(values, "nuclide");
  const bar = progressBar(ctx, "demo");
  const d = await runDemo(outDir, {
    phantom,
    small: values.small === true,
    ...(seed !== undefined ? { seed } : {}),
    ...(preset !== undefined ? { preset } : {}),
    ...(cutoff !== undefined ? { cutoff } : {}),
    ...(nuclide !== undefined ? { nuclide } : {}),
    ...(values["noise-free"] === true ? { noiseFree: true } : {}),
    onProgress: bar,
  });
  bar.done();
  const s = d.study;
  if (values.json === true) {
    const truth = s.kind === "twin" ? s.twin.truth : s.truth;
    ctx.stdout(
      `${JSON.stringify({ ...d.result, truth, comparison: d.comparison, outputs: d.files }, jsonSafe, 2)}\n`,
    );
    return 0;
  }
  let truthText: string;
  if (s.kind === "twin") truthText = d.comparison ? comparisonText(d.comparison) : "";
  else {
    const t = s.truth;
    truthText = `truth      tumour ${t.tumourVolumeMl.toFixed(1)} mL, core T/M ${t.tmrCoreTrue}, unblurred T/Mmean ${t.tmrMeanTrue.toFixed(2)}\n`;
  }
  const report = d.files[0] ?? resolve(outDir, "report.html");
  ctx.stdout(
    `ATSM Workbench demo: ${s.description}\n` +
      `study      ${s.studyDir}\n` +
      (s.kind === "twin"
        ? `truth data ${resolve(s.twin.outDir, "truth")} (truth.json, label maps, pO2)\n`
        : "") +
      `VOIs       --tumor ${s.tumorSpec} --reference ${s.referenceSpec} --cutoff ${s.cutoff}\n` +
      summaryText(d.result) +
      truthText +
      `report     ${report}\n` +
      `open it:   file://${report}\n`,
  );
  return 0;
}
