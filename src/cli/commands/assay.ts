/**
 * `atsm assay analyze`: in-vitro uptake/retention assay from a plate layout, gamma counts and an
 * optional protein plate. Prints one JSON object with --json, a text summary otherwise, and writes
 * an HTML + PDF report with --out DIR.
 */
import { AtsmError } from "../../core/errors.js";
import { parseDurationS, parseFiniteNumber, parseIsoTimeMs } from "../../core/units.js";
import type { ProteinModelChoice } from "../../lab/assay/types.js";
import type { CliContext } from "../context.js";
import { optionalString, parseCommandArgs, requireString } from "../context.js";

const HELP = `usage: atsm assay analyze --layout L.csv --counts C.csv [--protein P.csv] [options]

In-vitro 64Cu-ATSM uptake and retention (brief protocol 2): uptake as % of added activity and per
µg protein, retention after medium replacement, hypoxic/normoxic ratios with Fieller 95 % CIs,
Welch t-tests per time point, two-way ANOVA (condition × time, Type III SS), one-phase
association / decay fits (GraphPad parameter names).

inputs
  --layout FILE              well,role,condition,timeMin,replicate [,standardFraction,proteinUgPerMl,
                             lysateVolumeMl,o2Percent,phase]; roles sample|background|standard|protein-standard
  --counts FILE              well,counts,countTimeS,countEndTime (ISO) or a Wizard2 CSV export
  --protein FILE             well,absorbance (or an 8×12 grid) for BCA/Bradford
options
  --lysate-ml ML             lysate volume per sample well (when the layout has no lysateVolumeMl)
  --nuclide NAME             default Cu-64 (T½ 12.700 h, ICRP-107), or the Wizard2 column prefix
  --half-life DURATION       override the half-life (e.g. 12.7h)
  --reference-time ISO       decay-correct to this time (default: --assay-start, else first count)
  --assay-start ISO          time the tracer was added; earlier counts are rejected
  --counter-decay-corrected yes|no   the counter already decay-corrected (Wizard2 option); asked when the data say so
  --counter-utc-offset +HH:MM        zone of Wizard2 times (default UTC)
  --wizard-time start|end    whether Wizard2 "Measurement date & time" is the start or end of counting (default end)
  --window NAME              Wizard2 CPM column prefix when there are several
  --dead-time-s S            non-paralysable dead time (default 0)
  --efficiency E             counts per decay, to report Bq
  --protein-model auto|linear|quadratic|4pl   (default auto: lowest AICc)
  --reference-condition C    denominator of ratios and tests (default: highest o2Percent / "normoxic")
  --decimal-comma            numbers use a decimal comma (semicolon- or tab-delimited files)
  --json                     print one JSON object
  --out DIR                  write report.html, report.pdf and result.json into DIR
`;

const OPTIONS = {
  layout: { type: "string" },
  counts: { type: "string" },
  protein: { type: "string" },
  "lysate-ml": { type: "string" },
  nuclide: { type: "string" },
  "half-life": { type: "string" },
  "reference-time": { type: "string" },
  "assay-start": { type: "string" },
  "counter-decay-corrected": { type: "string" },
  "counter-utc-offset": { type: "string" },
  "wizard-time": { type: "string" },
  window: { type: "string" },
  "dead-time-s": { type: "string" },
  efficiency: { type: "string" },
  "protein-model": { type: "string" },
  "reference-condition": { type: "string" },
  "decimal-comma": { type: "boolean" },
  json: { type: "boolean" },
  out: { type: "string" },
  help: { type: "boolean", short: "h" },
} as const;

function choice<T extends string>(v: string | undefined, allowed: readonly T[], flag: string): T | undefined {
  if (v === undefined) return undefined;
  if (!(allowed as readonly string[]).includes(v)) {
    throw new AtsmError({
      code: "INVALID_ARGUMENT",
      message: `invalid ${flag}`,
      value: v,
      field: flag,
      hint: `one of ${allowed.join(", ")}`,
    });
  }
  return v as T;
}

function num(values: Record<string, unknown>, name: string, positive: boolean): number | undefined {
  const s = optionalString(values, name);
  if (s === undefined) return undefined;
  const v = parseFiniteNumber(s, `--${name}`);
  if (positive ? !(v > 0) : v < 0) {
    throw new AtsmError({
      code: "INVALID_ARGUMENT",
      message: `--${name} must be ${positive ? "> 0" : "≥ 0"}`,
      value: s,
      field: `--${name}`,
    });
  }
  return v;
}

export async function run(argv: readonly string[], ctx: CliContext): Promise<number> {
  const [sub, ...rest] = argv;
  if (sub === undefined || sub === "--help" || sub === "-h" || sub === "help") {
    ctx.stdout(HELP);
    return sub === undefined ? 1 : 0;
  }
  // British spelling accepted: the brief's labs write "analyse".
  if (sub !== "analyze" && sub !== "analyse") {
    throw new AtsmError({
      code: "INVALID_ARGUMENT",
      message: "unknown assay subcommand",
      value: sub,
      hint: "atsm assay analyze --help",
    });
  }
  const { values } = parseCommandArgs("assay analyze", rest, OPTIONS, false);
  if (values.help === true) {
    ctx.stdout(HELP);
    return 0;
  }
  const { resolve } = await import("node:path");
  const layoutPath = resolve(ctx.cwd, requireString(values, "layout", "assay analyze"));
  const countsPath = resolve(ctx.cwd, requireString(values, "counts", "assay analyze"));
  const proteinArg = optionalString(values, "protein");
  const dcc = choice(
    optionalString(values, "counter-decay-corrected"),
    ["yes", "no"] as const,
    "--counter-decay-corrected",
  );
  const halfLife = optionalString(values, "half-life");
  const ref = optionalString(values, "reference-time");
  const start = optionalString(values, "assay-start");
  const model = choice(
    optionalString(values, "protein-model"),
    ["auto", "linear", "quadratic", "4pl"] as const,
    "--protein-model",
  );
  const wizardTime = choice(
    optionalString(values, "wizard-time"),
    ["start", "end"] as const,
    "--wizard-time",
  );
  if (halfLife !== undefined && /^\s*[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?\s*$/.test(halfLife)) {
    // A bare number would be seconds (12.7 → 12.7 s): every count would be decay-corrected wrongly.
    throw new AtsmError({
      code: "INVALID_ARGUMENT",
      message: "--half-life needs a unit",
      value: halfLife,
      field: "--half-life",
      hint: `write e.g. --half-life ${halfLife.trim()}h (s, m, h, d accepted)`,
    });
  }
  const efficiency = num(values, "efficiency", true);
  if (efficiency !== undefined && efficiency > 1) {
    throw new AtsmError({
      code: "INVALID_ARGUMENT",
      message: "--efficiency is counts per decay, at most 1",
      value: efficiency,
      field: "--efficiency",
      hint:
        efficiency <= 100
          ? `looks like percent: write --efficiency ${efficiency / 100}`
          : "give a fraction, e.g. 0.45",
    });
  }
  const opt = <K extends string, V>(k: K, v: V | undefined): { [P in K]?: V } =>
    v === undefined ? {} : ({ [k]: v } as { [P in K]: V });
  const { runAssayJob, assayJson } = await import("../../app/assay/run.js");
  const job = await runAssayJob({
    layoutPath,
    countsPath,
    ...opt("proteinPath", proteinArg === undefined ? undefined : resolve(ctx.cwd, proteinArg)),
    ...opt("nuclide", optionalString(values, "nuclide")),
    ...opt("halfLifeS", halfLife === undefined ? undefined : parseDurationS(halfLife, "--half-life")),
    ...opt("referenceMs", ref === undefined ? undefined : parseIsoTimeMs(ref, "--reference-time")),
    ...opt("assayStartMs", start === undefined ? undefined : parseIsoTimeMs(start, "--assay-start")),
    ...opt("counterDecayCorrected", dcc === undefined ? undefined : dcc === "yes"),
    ...opt("counterUtcOffset", optionalString(values, "counter-utc-offset")),
    ...opt("wizardTimeIs", wizardTime),
    ...opt("window", optionalString(values, "window")),
    ...opt("deadTimeS", num(values, "dead-time-s", false)),
    ...opt("efficiency", efficiency),
    ...opt("lysateVolumeMl", num(values, "lysate-ml", true)),
    ...opt("proteinModel", model as ProteinModelChoice | undefined),
    ...opt("referenceCondition", optionalString(values, "reference-condition")),
    ...opt("decimalComma", values["decimal-comma"] === true ? true : undefined),
  });
  const json = assayJson(job);
  const out = optionalString(values, "out");
  if (out !== undefined) {
    const { writeAssayReport } = await import("../../app/assay/report.js");
    const files = await writeAssayReport(job, resolve(ctx.cwd, out));
    if (values.json !== true) ctx.stderr(`wrote ${files.join(", ")}\n`);
  }
  if (values.json === true) {
    ctx.stdout(`${JSON.stringify(json, null, 2)}\n`);
    return 0;
  }
  const { assayText } = await import("../../app/assay/text.js");
  ctx.stdout(assayText(job));
  return 0;
}
