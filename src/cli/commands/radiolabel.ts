/**
 * `atsm radiolabel plan|qc|record`: labelling planner, chromatogram QC, batch record.
 */
import { readFile, writeFile } from "node:fs/promises";
import { join, resolve } from "node:path";
import { makeOutputDir } from "../../app/assay/outdir.js";
import {
  type BatchRecordInput,
  baseDirOf,
  buildBatchRecord,
  recordToJson,
} from "../../app/radiolabel/record.js";
import { recordHtml, recordPdf } from "../../app/radiolabel/render.js";
import { AtsmError } from "../../core/errors.js";
import { parseActivityBq, parseFiniteNumber, parseIsoTimeMs } from "../../core/units.js";
import { readChromatogram } from "../../io/lab/chromatogram.js";
import { analyzeChromatogram } from "../../lab/chromatogram/analyze.js";
import { planLabelling } from "../../lab/radiolabel/planner.js";
import { getNuclide } from "../../physics/index.js";
import { type CliContext, optionalString, parseCommandArgs, requireString } from "../context.js";

const HELP = `usage: atsm radiolabel <plan|qc|record> [options]

  plan    activity to draw, product activity and doses at injection times, ligand moles,
          metal:ligand ratio, molar activity
          --stock 1GBq --stock-ml 0.5 --calibrated ISO --draw ISO --want 200MBq
          --eos ISO --inject ISO[,ISO...] --dose 8MBq [--rcy 0.85] [--ligand-ug 15]
          [--stock-molar-activity GBq/umol] [--nuclide Cu-64] [--json]
  qc      radio-TLC / radio-HPLC trace -> peaks, Rf / retention time, RCP, pass/fail
          TRACE.csv --origin-mm 10 --front-mm 90 --product-rf 0.45:0.75   (TLC)
          TRACE.csv --product-time 380:420                               (HPLC, seconds)
          [--roi START:END ...] [--limit 98] [--no-baseline] [--json]
  record  batch record (JSON + HTML + PDF) from a batch JSON file
          BATCH.json --out DIR [--json]
`;

function parseRange(text: string, field: string): [number, number] {
  const parts = text.split(":");
  if (parts.length !== 2) {
    throw new AtsmError({
      code: "INVALID_ARGUMENT",
      message: `${field} must be LOW:HIGH`,
      value: text,
      field,
      hint: `e.g. ${field} 0.45:0.75`,
    });
  }
  const lo = parseFiniteNumber(parts[0]!, field);
  const hi = parseFiniteNumber(parts[1]!, field);
  if (!(lo < hi))
    throw new AtsmError({
      code: "INVALID_ARGUMENT",
      message: `${field} needs LOW < HIGH`,
      value: text,
      field,
    });
  return [lo, hi];
}

/**
 * An activity flag of the planner. core/units reads a bare number as Bq, which for "--dose 8"
 * (meaning 8 MBq) would plan 39 million doses: the unit is required here.
 */
function activityBq(text: string, flag: string): number {
  if (/^\s*[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?\s*$/.test(text)) {
    throw new AtsmError({
      code: "INVALID_ARGUMENT",
      message: `${flag} needs a unit`,
      value: text,
      field: flag,
      hint: `write e.g. ${flag} ${text.trim()}MBq (Bq, kBq, MBq, GBq, mCi, µCi accepted)`,
    });
  }
  return parseActivityBq(text, flag);
}

async function plan(argv: readonly string[], ctx: CliContext): Promise<number> {
  const { values } = parseCommandArgs("radiolabel plan", argv, {
    nuclide: { type: "string" },
    stock: { type: "string" },
    "stock-ml": { type: "string" },
    calibrated: { type: "string" },
    draw: { type: "string" },
    want: { type: "string" },
    eos: { type: "string" },
    inject: { type: "string" },
    dose: { type: "string" },
    rcy: { type: "string" },
    "ligand-ug": { type: "string" },
    "stock-molar-activity": { type: "string" },
    json: { type: "boolean" },
  });
  const c = "radiolabel plan";
  const nuc = getNuclide(optionalString(values, "nuclide") ?? "Cu-64", "--nuclide");
  const t = (name: string) => parseIsoTimeMs(requireString(values, name, c), `--${name}`) / 1000;
  const sma = optionalString(values, "stock-molar-activity");
  const injections = requireString(values, "inject", c)
    .split(",")
    .map((s) => parseIsoTimeMs(s.trim(), "--inject") / 1000);
  const doseBq = activityBq(requireString(values, "dose", c), "--dose");
  const r = planLabelling({
    halfLifeS: nuc.halfLifeS,
    stockActivityBq: activityBq(requireString(values, "stock", c), "--stock"),
    stockVolumeMl: parseFiniteNumber(requireString(values, "stock-ml", c), "--stock-ml"),
    calibrationTimeS: t("calibrated"),
    drawTimeS: t("draw"),
    wantedActivityBq: activityBq(requireString(values, "want", c), "--want"),
    ligandMassUg: parseFiniteNumber(optionalString(values, "ligand-ug") ?? "15", "--ligand-ug"),
    endOfSynthesisTimeS: t("eos"),
    expectedRcyDecayCorrected: parseFiniteNumber(optionalString(values, "rcy") ?? "0.85", "--rcy"),
    injectionTimesS: injections,
    doseActivityBq: doseBq,
    ...(sma !== undefined
      ? { stockMolarActivityGBqPerUmol: parseFiniteNumber(sma, "--stock-molar-activity") }
      : {}),
  });
  const out = {
    nuclide: nuc.name,
    ...r,
    injections: r.injections.map((i) => ({
      time: new Date(i.timeS * 1000).toISOString(),
      productActivityBq: i.productActivityBq,
      doses: i.doses,
    })),
  };
  if (values.json) {
    ctx.stdout(`${JSON.stringify(out, null, 2)}\n`);
    return 0;
  }
  ctx.stdout(
    [
      `${nuc.name} labelling plan`,
      `  stock at draw:    ${(r.stockActivityAtDrawBq / 1e6).toFixed(2)} MBq (${(r.stockConcentrationAtDrawBqPerMl / 1e6).toFixed(2)} MBq/mL)`,
      `  draw:             ${(r.drawVolumeMl * 1000).toFixed(1)} µL`,
      `  ligand:           ${(r.ligandMol * 1e9).toFixed(2)} nmol (M = ${r.ligandMolarMassGPerMol.toFixed(3)} g/mol)`,
      `  Cu : ligand:      ${r.metalToLigandRatio.toExponential(3)} mol/mol${sma === undefined ? " (carrier-free Cu-64 only: a lower bound)" : ""}`,
      `  product at EOS:   ${(r.productActivityAtEosBq / 1e6).toFixed(2)} MBq, ${r.molarActivityAtEosGBqPerUmol.toFixed(3)} GBq/µmol`,
      ...out.injections.map(
        (i) =>
          `  at ${i.time}: ${(i.productActivityBq / 1e6).toFixed(2)} MBq -> ${i.doses} doses of ${(doseBq / 1e6).toPrecision(3)} MBq`,
      ),
      ...r.warnings.map((w) => `  warning: ${w}`),
      "",
    ].join("\n"),
  );
  return 0;
}

async function qc(argv: readonly string[], ctx: CliContext): Promise<number> {
  const { values, positionals } = parseCommandArgs("radiolabel qc", argv, {
    "origin-mm": { type: "string" },
    "front-mm": { type: "string" },
    "product-rf": { type: "string" },
    "product-time": { type: "string" },
    roi: { type: "string", multiple: true },
    limit: { type: "string" },
    "no-baseline": { type: "boolean" },
    json: { type: "boolean" },
  });
  const path = positionals[0];
  if (path === undefined) {
    throw new AtsmError({
      code: "MISSING_INPUT",
      message: "atsm radiolabel qc: missing TRACE file",
      hint: "atsm radiolabel qc TRACE.csv --origin-mm 10 --front-mm 90 --product-rf 0.45:0.75",
    });
  }
  const imported = await readChromatogram(resolve(ctx.cwd, path));
  const tlc = imported.trace.axis === "positionMm";
  const rangeText = tlc ? optionalString(values, "product-rf") : optionalString(values, "product-time");
  if (rangeText === undefined) {
    throw new AtsmError({
      code: "MISSING_INPUT",
      message: `atsm radiolabel qc: missing ${tlc ? "--product-rf" : "--product-time"} for this ${tlc ? "TLC" : "HPLC"} trace`,
      field: tlc ? "--product-rf" : "--product-time",
      hint: tlc
        ? "give the Rf window of the product, e.g. --product-rf 0.45:0.75"
        : "give the retention-time window of the product in seconds, e.g. --product-time 380:420",
    });
  }
  const origin = optionalString(values, "origin-mm");
  const front = optionalString(values, "front-mm");
  const limit = optionalString(values, "limit");
  const rois = ((values.roi as string[] | undefined) ?? []).map((r) => parseRange(r, "--roi"));
  const r = analyzeChromatogram(imported.trace, {
    productRange: parseRange(rangeText, tlc ? "--product-rf" : "--product-time"),
    ...(origin !== undefined ? { originMm: parseFiniteNumber(origin, "--origin-mm") } : {}),
    ...(front !== undefined ? { frontMm: parseFiniteNumber(front, "--front-mm") } : {}),
    ...(limit !== undefined ? { releaseLimitPercent: parseFiniteNumber(limit, "--limit") } : {}),
    ...(rois.length ? { rois } : {}),
    ...(values["no-baseline"] ? { noBaseline: true } : {}),
  });
  const peaks = r.peaks.map((p) => ({
    ...(tlc ? { rf: p.rf } : { timeS: p.timeS }),
    area: p.area,
    areaSd: p.areaSd,
    percent: p.percent,
    start: p.start,
    end: p.end,
    isProduct: p.isProduct,
    source: p.source,
  }));
  if (values.json) {
    ctx.stdout(
      `${JSON.stringify({ rcpPercent: r.rcpPercent, rcpSdPercent: r.rcpSdPercent, releaseLimitPercent: r.releaseLimitPercent, pass: r.pass, peaks, unassignedPercent: r.unassignedPercent, format: imported.format, warnings: [...imported.warnings, ...r.warnings] }, null, 2)}\n`,
    );
  } else {
    ctx.stdout(
      `RCP ${r.rcpPercent.toFixed(2)} ± ${r.rcpSdPercent.toFixed(2)} %  (limit > ${r.releaseLimitPercent} %)  ${r.pass ? "PASS" : "FAIL"}\n`,
    );
    const unit = tlc ? "mm" : "s";
    for (const p of r.peaks) {
      ctx.stdout(
        `  ${p.start.toFixed(1)}–${p.end.toFixed(1)} ${unit}  ${tlc ? `Rf ${p.rf!.toFixed(3)}` : `tR ${p.timeS!.toFixed(1)} s`}  ${p.area.toFixed(0)} ± ${p.areaSd.toFixed(0)} net counts  ${p.percent.toFixed(2)} %${p.isProduct ? "  product" : ""}\n`,
      );
    }
    if (r.unassignedPercent > 0.05)
      ctx.stdout(`  ${r.unassignedPercent.toFixed(2)} % of net counts outside every region\n`);
    for (const w of [...imported.warnings, ...r.warnings]) ctx.stderr(`warning: ${w}\n`);
  }
  return r.pass ? 0 : 1;
}

async function record(argv: readonly string[], ctx: CliContext): Promise<number> {
  const { values, positionals } = parseCommandArgs("radiolabel record", argv, {
    out: { type: "string" },
    json: { type: "boolean" },
  });
  const file = positionals[0];
  if (file === undefined)
    throw new AtsmError({
      code: "MISSING_INPUT",
      message: "atsm radiolabel record: missing BATCH.json",
      hint: "see docs/radiolabel.md for the batch file format",
    });
  const path = resolve(ctx.cwd, file);
  let input: BatchRecordInput;
  try {
    input = JSON.parse(await readFile(path, "utf8")) as BatchRecordInput;
  } catch (e) {
    throw new AtsmError({
      code: "PARSE_ERROR",
      message: `cannot read batch JSON: ${(e as Error).message}`,
      file: path,
      hint: "the batch file must be valid JSON; see docs/radiolabel.md",
    });
  }
  const rec = await buildBatchRecord(input, baseDirOf(path), path);
  const outDir = resolve(ctx.cwd, requireString(values, "out", "radiolabel record"));
  await makeOutputDir(outDir, "--out");
  await writeFile(join(outDir, "record.json"), `${JSON.stringify(recordToJson(rec), null, 2)}\n`);
  await writeFile(join(outDir, "record.html"), recordHtml(rec, rec.trace));
  await writeFile(join(outDir, "record.pdf"), await recordPdf(rec, rec.trace));
  if (values.json) ctx.stdout(`${JSON.stringify(recordToJson(rec), null, 2)}\n`);
  else
    ctx.stdout(
      `batch ${input.batchNumber}: ${rec.release.decision.toUpperCase()}; record written to ${outDir} (record.json, record.html, record.pdf)\n`,
    );
  return 0;
}

export async function run(argv: readonly string[], ctx: CliContext): Promise<number> {
  const [sub, ...rest] = argv;
  if (sub === undefined || sub === "--help" || sub === "-h" || rest.includes("--help")) {
    ctx.stdout(HELP);
    return sub === undefined ? 1 : 0;
  }
  if (sub === "plan") return plan(rest, ctx);
  if (sub === "qc") return qc(rest, ctx);
  if (sub === "record") return record(rest, ctx);
  throw new AtsmError({
    code: "INVALID_ARGUMENT",
    message: `unknown subcommand atsm radiolabel ${sub}`,
    hint: "one of plan, qc, record",
  });
}
