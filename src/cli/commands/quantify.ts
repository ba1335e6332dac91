/**
 * `atsm quantify <study> --tumor SPEC --reference SPEC [...]` and `atsm quantify --batch CSV`:
 * the hypoxia read-out (src/app/quantify).
 */

import { resolve } from "node:path";
import { runBatch } from "../../app/quantify/batch.js";
import { formatCell, jsonSafe } from "../../app/quantify/flatten.js";
import { writeQuantifyOutputs } from "../../app/quantify/outputs.js";
import { OVERRIDE_NAMES, parseSuvOverrides } from "../../app/quantify/overrides.js";
import { quantifyStudy } from "../../app/quantify/run.js";
import type { QuantifyResult } from "../../app/quantify/types.js";
import { AtsmError } from "../../core/errors.js";
import { VOI_GRAMMAR } from "../../quant/voi/spec.js";
import { type CliContext, optionalString, parseCommandArgs, requireString } from "../context.js";
import { progressBar } from "../progress.js";

const HELP = `usage: atsm quantify <study> --tumor SPEC --reference SPEC [options]
       atsm quantify --batch studies.csv [--out DIR] [--json]

Cu-ATSM hypoxia read-out of a PET(/CT) study: SUVmax/mean/peak, volume, tumour-to-muscle ratios
(T/Mmax, T/Mmean, T/Mpeak over the reference mean), hypoxic volume and fraction, prognosis class.

<study>                  DICOM folder/file, NIfTI PET (+ BIDS sidecar), Inveon, Interfile, or a
                         folder of NIfTI files (PET + CT)
  --tumor SPEC           tumour VOI (grammar below)
  --reference SPEC       reference (normal muscle) VOI; T/M = tumour statistic / reference mean
  --cutoff PRESET|T/M    cervix (T/M > 3.5), rectum (> 2.6), nsclc (> 3.0) or a number; sets the
                         prognosis class and the hypoxic-volume threshold (default: no class,
                         hypoxic volume at T/M > 2.0)
  --window START-END     dynamic PET: sum the frames in this window after injection (e.g. 30m-60m)
  --ct PATH              CT series when it is not in the study folder
  --out DIR              write report.html, report.pdf, metrics.csv, metrics.json, vois.nii.gz,
                         vois-seg.dcm into DIR
  --json                 print one JSON object (batch: the rows)
  --batch CSV            one study per row: columns study,tumor,reference[,cutoff,window,ct,id,
                         weight-kg,dose-mbq,injection-time,...]; paths relative to the CSV; writes
                         batch-results.csv (into --out, else next to the CSV)
  --bin-width T/M        T/M histogram bin width (default 0.1)
SUV overrides (win over the header; T/M does not need them):
  --weight-kg KG  --height-cm CM  --sex M|F  --dose-mbq MBQ (or --dose 185MBq)
  --injection-time TIME  --scan-time TIME  --half-life DURATION  --nuclide Cu-64
  TIME: 2024-05-14T10:00:00 = scanner wall-clock; with Z or +01:00 = converted to UTC

VOI grammar:
${VOI_GRAMMAR}
`;

const OPTIONS = {
  help: { type: "boolean", short: "h" },
  json: { type: "boolean" },
  tumor: { type: "string" },
  tumour: { type: "string" },
  reference: { type: "string" },
  cutoff: { type: "string" },
  window: { type: "string" },
  ct: { type: "string" },
  out: { type: "string" },
  batch: { type: "string" },
  "bin-width": { type: "string" },
  ...Object.fromEntries(OVERRIDE_NAMES.map((n) => [n, { type: "string" }])),
} as const;

/** The short human summary printed after a run. */
export function summaryText(r: QuantifyResult): string {
  const f = (v: number | null, d = 2) => (v === null || !Number.isFinite(v) ? "n/a" : v.toFixed(d));
  const p = r.prognosis;
  const lines = [
    `tumour     ${r.tumor.spec}: ${f(r.tumor.volumeMl, 1)} mL, SUVmax ${f(r.tumor.suvMax)}, SUVmean ${f(r.tumor.suvMean)}, SUVpeak ${f(r.tumor.suvPeak)}`,
    `reference  ${r.reference.spec}: ${f(r.reference.volumeMl, 1)} mL, SUVmean ${f(r.reference.suvMean)}`,
    `T/M        max ${f(r.tmrMax)}, mean ${f(r.tmrMean)}, peak ${f(r.tmrPeak)} (over the reference mean)`,
    `hypoxic    ${f(r.hypoxicVolumeMl)} mL (${f(r.hypoxicFraction * 100, 1)} % of the tumour) at T/M > ${r.hypoxicCutoffTm}`,
    p
      ? `prognosis  ${p.class.toUpperCase()}: T/M${p.statistic} ${f(p.value)} vs ${p.cutoff} (${p.label}), margin ${p.margin >= 0 ? "+" : ""}${f(p.margin)}`
      : "prognosis  no preset (pass --cutoff cervix|rectum|nsclc|VALUE)",
    ...r.warnings.map((w) => `warning    ${w}`),
  ];
  return `${lines.join("\n")}\n`;
}

export async function run(argv: readonly string[], ctx: CliContext): Promise<number> {
  const { values, positionals } = parseCommandArgs("quantify", argv, OPTIONS);
  if (values.help === true) {
    ctx.stdout(HELP);
    return 0;
  }
  const out = optionalString(values, "out");
  const outDir = out === undefined ? undefined : resolve(ctx.cwd, out);
  const batch = optionalString(values, "batch");
  if (batch !== undefined) {
    if (positionals.length > 0) {
      throw new AtsmError({
        code: "INVALID_ARGUMENT",
        message: "atsm quantify --batch takes no study path",
        value: positionals[0],
        hint: "put the studies in the CSV's study column",
      });
    }
    const bar = progressBar(ctx, "batch");
    const r = await runBatch(resolve(ctx.cwd, batch), { ...(outDir ? { outDir } : {}), onProgress: bar });
    bar.done();
    if (values.json === true)
      ctx.stdout(
        `${JSON.stringify({ results: r.rows, failed: r.failed, resultsCsv: r.resultsPath }, jsonSafe, 2)}\n`,
      );
    else {
      ctx.stdout(r.csv);
      ctx.stdout(
        `\n${r.rows.length - r.failed} of ${r.rows.length} studies quantified; results: ${r.resultsPath}\n`,
      );
      for (const row of r.rows)
        if (row.status === "error")
          ctx.stderr(`row ${row.row} (${formatCell(row.id ?? null)}): ${formatCell(row.error ?? null)}\n`);
    }
    return r.failed > 0 ? 1 : 0;
  }
  const study = positionals[0];
  if (study === undefined || positionals.length > 1) {
    throw new AtsmError({
      code: "INVALID_ARGUMENT",
      message:
        positionals.length > 1
          ? "atsm quantify takes one study path"
          : "atsm quantify: missing the study path",
      hint: "atsm quantify <study> --tumor SPEC --reference SPEC (or --batch studies.csv); see --help",
    });
  }
  const tumor =
    optionalString(values, "tumor") ??
    requireString(values, "tumour", "quantify", "pass --tumor SPEC, e.g. --tumor sphere:X,Y,Z,R (LPS mm)");
  const reference = requireString(
    values,
    "reference",
    "quantify",
    "pass --reference SPEC in normal muscle, e.g. --reference sphere:X,Y,Z,10",
  );
  const overrides = parseSuvOverrides((k) => optionalString(values, k));
  const opt = (k: string) => optionalString(values, k);
  const binWidth = opt("bin-width");
  const bar = progressBar(ctx, "quantify");
  const { result, images } = await quantifyStudy({
    study: resolve(ctx.cwd, study),
    tumor,
    reference,
    ...(opt("cutoff") ? { cutoff: opt("cutoff")! } : {}),
    ...(opt("window") ? { window: opt("window")! } : {}),
    ...(opt("ct") ? { ct: resolve(ctx.cwd, opt("ct")!) } : {}),
    ...(binWidth ? { binWidthTm: Number(binWidth) } : {}),
    overrides,
    baseDir: ctx.cwd,
    onProgress: bar,
  });
  bar.done();
  let files: readonly string[] = [];
  if (outDir !== undefined) files = (await writeQuantifyOutputs(outDir, result, images)).files;
  if (values.json === true) {
    ctx.stdout(`${JSON.stringify(outDir ? { ...result, outputs: files } : result, jsonSafe, 2)}\n`);
    return 0;
  }
  ctx.stdout(summaryText(result));
  if (outDir !== undefined) ctx.stdout(`report     ${files[0]}\noutputs    ${outDir}\n`);
  return 0;
}
