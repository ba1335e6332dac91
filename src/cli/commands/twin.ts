/**
 * `atsm twin <cell|xenograft|patient|fit|study>`: the Cu-ATSM digital twin.
 *
 *   atsm twin cell --line MCF-7 --o2 1 --time 3h [--json]
 *   atsm twin xenograft --model FaDu --times 20m,90m,18h [--json]
 *   atsm twin patient --preset cervix-hypoxic [--json]
 *   atsm twin fit --data my-assay.csv [--json]
 *   atsm twin study ...   (synthetic PET/CT study; see docs/twin.md)
 */
import { AtsmError } from "../../core/errors.js";
import { parseDurationListS, parseDurationS, parseFiniteNumber } from "../../core/units.js";
import type { CliContext } from "../context.js";
import { optionalString, parseCommandArgs, requireString } from "../context.js";
import { runTwinStudy } from "./twin-study.js";

const USAGE = `usage: atsm twin <subcommand> [options]

subcommands:
  cell        simulate the in-vitro 64Cu-ATSM uptake assay of a cell line
  xenograft   tumour-to-muscle ratio of a mouse xenograft preset over time
  patient     T/M of a clinical 60Cu-ATSM preset (cervix, rectum, NSCLC; hypoxic / non-hypoxic)
  fit         fit a new cell line's trapping parameters to your assay CSV
  study       write a synthetic PET/CT study with known truth

Run 'atsm twin <subcommand> --help' for its options.
`;

const CELL_HELP = `usage: atsm twin cell --line NAME [--o2 PERCENT] [--time T] [options]

  --line NAME        cell line: MCF-7, HEK-293, H1299, HCT15, FaDu, HT29, H727
  --o2 PERCENT       O2 in the incubator gas, % (21 normoxic, 1, 0.5, 0 anoxic; default 1)
  --time T           read-out time (default 3h), e.g. 30m, 3h
  --times LIST       time course, e.g. 15m,30m,60m,120m,3h (default)
  --cells N          cells per well (default 5e5)
  --medium-ml V      medium volume, mL (default 1)
  --activity A       activity added, e.g. 37kBq (default)
  --rho R            reductive state multiplier of k_red (default 1)
  --washout T        replace the medium with fresh medium at T and report retention
  --retention LIST   retention times after the medium change (default 30m,60m,120m)
  --json             print one JSON object
`;

const FIT_HELP = `usage: atsm twin fit --data FILE.csv [--start LINE] [--fit p1,p2] [--json]

  --data FILE        CSV with header condition,o2Percent,timeMin,uptakePercent[,sd]
  --start LINE       preset whose other parameters are kept (default MCF-7)
  --fit LIST         parameters to fit: kRedPerS,p50MmHg,partitionCoefficient,kReleasePerS
                     (default kRedPerS,p50MmHg, plus partitionCoefficient with >= 4 rows)
  --cells N          cells per well (default 5e5); --medium-ml V (default 1)
  --json             print one JSON object
`;

const XENO_HELP = `usage: atsm twin xenograft --model NAME [--times LIST] [--json]

  --model NAME       FaDu, HT29, H727
  --times LIST       times after injection, e.g. 20m,90m,18h (default: the preset's reference times)
  --json             print one JSON object
`;

const PATIENT_HELP = `usage: atsm twin patient --preset NAME [--json]

  --preset NAME      cervix-hypoxic, cervix-normoxic, rectum-hypoxic, rectum-normoxic,
                     nsclc-hypoxic, nsclc-normoxic
  --json             print one JSON object
`;

function num(values: Record<string, unknown>, name: string, dflt: number): number {
  const s = optionalString(values, name);
  return s === undefined ? dflt : parseFiniteNumber(s, `--${name}`);
}

function fmt(v: number, digits = 3): string {
  return Number.isFinite(v) ? v.toPrecision(digits) : String(v);
}

/** Minutes for a table column: "15", "90", "1080", "7.5" (no "15.00" / "120.0"). */
function minutes(v: number): string {
  return Number.isFinite(v) ? String(Number(v.toPrecision(4))) : String(v);
}

/**
 * A duration flag for the twin commands. core/units reads a bare number as seconds, but here a
 * bare "20,90" almost always means minutes (assay and imaging times are written in minutes), and
 * silently reading 20 s would answer a different question. So the unit is required.
 */
function durationS(text: string, flag: string): number {
  requireUnits(text, flag);
  return parseDurationS(text, flag);
}
function durationListS(text: string, flag: string): number[] {
  requireUnits(text, flag);
  return parseDurationListS(text, flag);
}
function requireUnits(text: string, flag: string): void {
  const bare = text
    .split(",")
    .map((t) => t.trim())
    .filter((t) => /^[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$/.test(t));
  if (bare.length > 0) {
    throw new AtsmError({
      code: "INVALID_ARGUMENT",
      message: `${flag} needs a unit on every time: ${bare.map((b) => JSON.stringify(b)).join(", ")}`,
      value: text,
      field: flag,
      hint: `write e.g. ${bare.map((b) => `${b}m`).join(",")} for minutes (s, m, h, d accepted)`,
    });
  }
}

async function cell(argv: readonly string[], ctx: CliContext): Promise<number> {
  const { values } = parseCommandArgs(
    "twin cell",
    argv,
    {
      line: { type: "string" },
      o2: { type: "string" },
      time: { type: "string" },
      times: { type: "string" },
      cells: { type: "string" },
      "medium-ml": { type: "string" },
      activity: { type: "string" },
      rho: { type: "string" },
      washout: { type: "string" },
      retention: { type: "string" },
      json: { type: "boolean" },
      help: { type: "boolean", short: "h" },
    },
    false,
  );
  if (values.help) {
    ctx.stdout(CELL_HELP);
    return 0;
  }
  const { runCellAssay } = await import("../../app/twin/cell.js");
  const { parseActivityBq } = await import("../../core/units.js");
  const line = requireString(
    values,
    "line",
    "twin cell",
    "pass --line MCF-7 (or HEK-293, H1299, HCT15, ...)",
  );
  const o2Percent = num(values, "o2", 1);
  if (o2Percent < 0 || o2Percent > 100) {
    throw new AtsmError({
      code: "INVALID_ARGUMENT",
      message: "--o2 must be an O2 percentage between 0 and 100",
      value: o2Percent,
      field: "--o2",
      hint: "21 = normoxic, 1 or 0.5 = hypoxic, 0 = anoxic",
    });
  }
  const timeS = durationS(optionalString(values, "time") ?? "3h", "--time");
  if (!(timeS > 0)) {
    throw new AtsmError({
      code: "INVALID_ARGUMENT",
      message: "--time must be > 0",
      value: timeS,
      field: "--time",
    });
  }
  const timesText = optionalString(values, "times");
  const washoutText = optionalString(values, "washout");
  const retentionText = optionalString(values, "retention");
  const activityText = optionalString(values, "activity");
  const r = runCellAssay({
    line,
    o2Percent,
    timeS,
    ...(timesText ? { timeCourseS: durationListS(timesText, "--times") } : {}),
    ...(values.cells !== undefined ? { cellsPerWell: num(values, "cells", 5e5) } : {}),
    ...(values["medium-ml"] !== undefined ? { mediumMl: num(values, "medium-ml", 1) } : {}),
    ...(activityText ? { activityBq: parseActivityBq(activityText, "--activity") } : {}),
    rho: num(values, "rho", 1),
    ...(washoutText ? { washoutAtS: durationS(washoutText, "--washout") } : {}),
    ...(retentionText ? { retentionTimesS: durationListS(retentionText, "--retention") } : {}),
  });
  if (values.json) {
    ctx.stdout(`${JSON.stringify(r)}\n`);
    return 0;
  }
  const lines = [
    `${r.line} at ${r.o2Percent} % O2 (pO2 ${fmt(r.pO2MmHg)} mmHg), ${minutes(r.timeS / 60)} min:`,
    `  uptake            ${fmt(r.uptakePercent)} % of added (${fmt(r.uptakePercentPerUgProtein)} %/µg protein)`,
    `  normoxic (21 %)   ${fmt(r.normoxicUptakePercent)} %`,
    `  ratio to normoxic ${fmt(r.ratioToNormoxic)}`,
    "  time course (min: % at this O2 / % normoxic):",
    ...r.timeCourse.map(
      (p) =>
        `    ${minutes(p.timeMin).padStart(6)}: ${fmt(p.uptakePercent)} / ${fmt(p.normoxicUptakePercent)}`,
    ),
  ];
  if (r.retention) {
    lines.push("  retention after medium change (min: % of added, fraction retained):");
    for (const p of r.retention)
      lines.push(
        `    ${minutes(p.timeAfterWashoutMin).padStart(6)}: ${fmt(p.cellPercent)} %, ${fmt(p.retainedFraction)}`,
      );
  }
  ctx.stdout(`${lines.join("\n")}\n`);
  return 0;
}

async function fit(argv: readonly string[], ctx: CliContext): Promise<number> {
  const { values } = parseCommandArgs(
    "twin fit",
    argv,
    {
      data: { type: "string" },
      start: { type: "string" },
      fit: { type: "string" },
      cells: { type: "string" },
      "medium-ml": { type: "string" },
      json: { type: "boolean" },
      help: { type: "boolean", short: "h" },
    },
    false,
  );
  if (values.help) {
    ctx.stdout(FIT_HELP);
    return 0;
  }
  const { runCellFit } = await import("../../app/twin/fit.js");
  const data = requireString(values, "data", "twin fit", "pass --data my-assay.csv");
  const fitList = optionalString(values, "fit");
  const r = await runCellFit({
    dataPath: data,
    cwd: ctx.cwd,
    start: optionalString(values, "start") ?? "MCF-7",
    ...(fitList ? { fit: fitList.split(",").map((s) => s.trim()) } : {}),
    ...(values.cells !== undefined ? { cellsPerWell: num(values, "cells", 5e5) } : {}),
    ...(values["medium-ml"] !== undefined ? { mediumMl: num(values, "medium-ml", 1) } : {}),
  });
  if (values.json) {
    ctx.stdout(`${JSON.stringify(r)}\n`);
    return 0;
  }
  const lines = [
    `fit of ${r.points.length} points (${r.converged ? "converged" : "NOT converged"}, ${r.iterations} iterations):`,
    ...r.parameters.map(
      (p) =>
        `  ${p.name.padEnd(22)} ${fmt(p.value, 4)} ± ${Number.isFinite(p.standardError) ? fmt(p.standardError, 2) : "– (not estimable)"}`,
    ),
    `  rms residual           ${fmt(r.rmsResidualPercent)} % of added`,
    "  condition  O2%  time(min)  measured  model  residual",
    ...r.points.map(
      (p) =>
        `  ${p.condition.padEnd(10)} ${String(p.o2Percent).padStart(4)} ${String(p.timeMin).padStart(9)}  ${fmt(p.uptakePercent).padStart(8)}  ${fmt(p.modelPercent).padStart(5)}  ${fmt(p.residual, 2)}`,
    ),
  ];
  ctx.stdout(`${lines.join("\n")}\n`);
  for (const w of r.warnings) ctx.stderr(`warning: ${w}\n`);
  return 0;
}

async function xenograft(argv: readonly string[], ctx: CliContext): Promise<number> {
  const { values } = parseCommandArgs(
    "twin xenograft",
    argv,
    {
      model: { type: "string" },
      times: { type: "string" },
      json: { type: "boolean" },
      help: { type: "boolean", short: "h" },
    },
    false,
  );
  if (values.help) {
    ctx.stdout(XENO_HELP);
    return 0;
  }
  const { runXenograft } = await import("../../app/twin/xenograft.js");
  const model = requireString(values, "model", "twin xenograft", "pass --model FaDu (or HT29, H727)");
  const timesText = optionalString(values, "times");
  const r = runXenograft({
    model,
    ...(timesText ? { timesS: durationListS(timesText, "--times") } : {}),
  });
  if (values.json) {
    ctx.stdout(`${JSON.stringify(r)}\n`);
    return 0;
  }
  const lines = [
    `${r.model} xenograft (${r.description}); T/M = mean tumour / mean muscle, decay-corrected`,
    "  time        T/M    tumour %ID/g  muscle %ID/g",
    ...r.timesS.map(
      (t, i) =>
        `  ${minutes(t / 60).padStart(6)} min ${fmt(r.tmr[i]!).padStart(6)}  ${fmt(r.tumourPercentIdPerG[i]!).padStart(12)}  ${fmt(r.musclePercentIdPerG[i]!).padStart(12)}`,
    ),
  ];
  ctx.stdout(`${lines.join("\n")}\n`);
  return 0;
}

async function patient(argv: readonly string[], ctx: CliContext): Promise<number> {
  const { values } = parseCommandArgs(
    "twin patient",
    argv,
    { preset: { type: "string" }, json: { type: "boolean" }, help: { type: "boolean", short: "h" } },
    false,
  );
  if (values.help) {
    ctx.stdout(PATIENT_HELP);
    return 0;
  }
  const { runPatient } = await import("../../app/twin/xenograft.js");
  const preset = requireString(values, "preset", "twin patient", "pass --preset cervix-hypoxic");
  const r = runPatient({ preset });
  if (values.json) {
    ctx.stdout(`${JSON.stringify(r)}\n`);
    return 0;
  }
  ctx.stdout(
    `${r.preset}: T/M ${fmt(r.tmr)} (${r.convention}); clinical cutoff ${r.cutoff} → ${r.tmr > r.cutoff ? "above (hypoxic)" : "below (non-hypoxic)"}\n`,
  );
  return 0;
}

async function study(argv: readonly string[], ctx: CliContext): Promise<number> {
  return runTwinStudy(argv, ctx);
}

const SUB: Readonly<Record<string, (argv: readonly string[], ctx: CliContext) => Promise<number>>> = {
  cell,
  xenograft,
  patient,
  fit,
  study,
};

export async function run(argv: readonly string[], ctx: CliContext): Promise<number> {
  const [sub, ...rest] = argv;
  if (sub === undefined || sub === "--help" || sub === "-h" || sub === "help") {
    ctx.stdout(USAGE);
    return sub === undefined ? 1 : 0;
  }
  const fn = SUB[sub];
  if (fn === undefined) {
    throw new AtsmError({
      code: "INVALID_ARGUMENT",
      message: "unknown twin subcommand",
      value: sub,
      hint: `one of ${Object.keys(SUB).join(", ")}; run 'atsm twin --help'`,
    });
  }
  return fn(rest, ctx);
}
