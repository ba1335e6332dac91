/**
 * `atsm twin study`: write a synthetic Cu-ATSM PET/CT study with known truth (see write.ts and
 * docs/twin-oxygen.md). Dispatched to by twin.ts; the study itself is built by app/twin-study.
 */
import { resolve } from "node:path";
import { makeTwinStudy } from "../../app/twin-study/write.js";
import { AtsmError } from "../../core/errors.js";
import { parseActivityBq, parseDurationS, parseIsoTimeMs } from "../../core/units.js";
import { STUDY_PRESETS } from "../../sim/phantom/presets.js";
import type { CliContext } from "../context.js";
import { optionalString, parseCommandArgs, requireString } from "../context.js";

export const TWIN_STUDY_HELP = `usage: atsm twin study --preset NAME --out DIR [options]

Write a synthetic 64Cu-ATSM PET/CT study (DICOM + NIfTI) with its truth: label maps, noise-free
activity, pO2 map and truth.json (true tumour/muscle means, T/M, hypoxic volume, VOIs in LPS mm).

  --preset NAME      ${Object.keys(STUDY_PRESETS).join(", ")}
  --out DIR          output folder (created)
  --nuclide N        default Cu-64
  --injected A       injected activity, e.g. 8MBq (default: 8MBq mouse, 210MBq patient)
  --uptake T         injection to scan start, e.g. 2h (default: 2h mouse, 30m patient)
  --seed N           random seed (vessels, noise); default 1
  --date ISO         injection date-time (default 2024-01-15T09:00:00Z)
  --noise-free       no count or CT noise
  --no-dicom         skip the DICOM series (NIfTI + truth only)
  --json             print the truth as one JSON object
`;

export async function runTwinStudy(argv: readonly string[], ctx: CliContext): Promise<number> {
  const { values } = parseCommandArgs(
    "twin study",
    argv,
    {
      preset: { type: "string" },
      out: { type: "string" },
      nuclide: { type: "string" },
      injected: { type: "string" },
      uptake: { type: "string" },
      seed: { type: "string" },
      date: { type: "string" },
      "noise-free": { type: "boolean" },
      "no-dicom": { type: "boolean" },
      json: { type: "boolean" },
      help: { type: "boolean", short: "h" },
    },
    false,
  );
  if (values.help === true) {
    ctx.stdout(TWIN_STUDY_HELP);
    return 0;
  }
  const preset = requireString(
    values,
    "preset",
    "twin study",
    `pass --preset, one of ${Object.keys(STUDY_PRESETS).join(", ")}`,
  );
  const out = resolve(ctx.cwd, requireString(values, "out", "twin study"));
  const injected = optionalString(values, "injected");
  const uptake = optionalString(values, "uptake");
  const seedText = optionalString(values, "seed");
  const seed = seedText === undefined ? 1 : Number(seedText);
  if (!Number.isInteger(seed) || seed < 0) {
    throw new AtsmError({
      code: "INVALID_ARGUMENT",
      message: "invalid --seed",
      value: seedText,
      field: "--seed",
      hint: "pass a non-negative integer, e.g. --seed 1",
    });
  }
  const date = optionalString(values, "date");
  const nuclide = optionalString(values, "nuclide");
  const json = values.json === true;
  const r = await makeTwinStudy({
    preset,
    outDir: out,
    seed,
    ...(nuclide !== undefined ? { nuclide } : {}),
    ...(injected !== undefined ? { injectedBq: parseActivityBq(injected, "--injected") } : {}),
    ...(uptake !== undefined ? { uptakeS: parseDurationS(uptake, "--uptake") } : {}),
    ...(date !== undefined ? { injectionDateTimeMs: parseIsoTimeMs(date, "--date") } : {}),
    noiseFree: values["noise-free"] === true,
    dicom: values["no-dicom"] !== true,
    onProgress: (f, label) => {
      if (!json && ctx.isTty)
        ctx.stderr(`\rtwin study ${(100 * f).toFixed(0).padStart(3)}% ${label ?? ""}   `);
    },
  });
  if (!json && ctx.isTty) ctx.stderr("\n");
  if (json) {
    ctx.stdout(`${JSON.stringify(r.truth)}\n`);
    return 0;
  }
  const t = r.study.truth;
  const f = (v: number, d = 3) => Number(v.toPrecision(d));
  ctx.stdout(
    `wrote ${r.outDir}\n` +
      `  PET ${r.petDicomDir ?? "(no DICOM)"}  CT ${r.ctDicomDir ?? "(no DICOM)"}\n` +
      `  truth ${r.truthJson}\n` +
      `  tumour ${f(t.tumour.volumeMl)} mL, true mean ${f(t.tumour.meanBqPerMl)} Bq/mL, muscle ${f(t.muscle.meanBqPerMl)} Bq/mL, true T/M ${f(t.tmr)}\n` +
      `  hypoxic fraction (<10 mmHg) ${f(t.tumour.hypoxicFraction10, 2)}, hypoxic core ${f(t.tumour.hypoxicCoreVolumeMl)} mL\n` +
      `  VOIs: --tumor ${t.tumour.voi.spec} --reference ${t.muscle.voi.spec}\n`,
  );
  return 0;
}
