/**
 * Assay document (POST /api/projects/:pid/assays): the same analysis and JSON as
 * `atsm assay analyze --json`, from the texts of the layout, counts and protein files and the
 * options as JSON (camelCase of the CLI flags, same units and checks):
 *
 * | JSON                    | flag                        |
 * |-------------------------|-----------------------------|
 * | lysateMl: 0.5           | --lysate-ml 0.5             |
 * | nuclide: "Cu-64"        | --nuclide                   |
 * | halfLife: "12.7h"       | --half-life (unit required) |
 * | referenceTime: ISO      | --reference-time            |
 * | assayStart: ISO         | --assay-start               |
 * | counterDecayCorrected: "yes"/"no" or true/false | --counter-decay-corrected |
 * | counterUtcOffset: "+01:00" | --counter-utc-offset     |
 * | wizardTime: "start"/"end" | --wizard-time             |
 * | window: "Cu-64"         | --window                    |
 * | deadTimeS: 1e-6         | --dead-time-s               |
 * | efficiency: 0.45        | --efficiency                |
 * | proteinModel: "auto"/"linear"/"quadratic"/"4pl" | --protein-model |
 * | referenceCondition: "normoxic" | --reference-condition |
 * | decimalComma: true      | --decimal-comma             |
 *
 * Options may be given at the top level or in an `options` object.
 */
import { join } from "node:path";
import { AtsmError } from "../../core/errors.js";
import { parseDurationS, parseIsoTimeMs } from "../../core/units.js";
import type { ProteinModelChoice } from "../../lab/assay/types.js";
import { type AssayJobInput, assayJson, runAssayJob } from "../assay/run.js";
import type { ComputedDocument } from "./radiolabel.js";
import { checkText, safeFileName, withTextFiles } from "./temp.js";

export interface AssayDocumentOptions {
  readonly lysateMl?: number;
  readonly nuclide?: string;
  readonly halfLife?: string;
  readonly referenceTime?: string;
  readonly assayStart?: string;
  readonly counterDecayCorrected?: "yes" | "no" | boolean;
  readonly counterUtcOffset?: string;
  readonly wizardTime?: "start" | "end";
  readonly window?: string;
  readonly deadTimeS?: number;
  readonly efficiency?: number;
  readonly proteinModel?: ProteinModelChoice;
  readonly referenceCondition?: string;
  readonly decimalComma?: boolean;
}

export interface AssayDocumentInput extends AssayDocumentOptions {
  /** Text of the plate layout CSV. */
  readonly layoutCsv: string;
  /** Text of the counts file (generic CSV or Wizard2 export). */
  readonly countsText: string;
  /** Text of the protein plate (optional). */
  readonly proteinText?: string;
  /** Original file names (shown in results and errors; reduced to safe base names). */
  readonly layoutName?: string;
  readonly countsName?: string;
  readonly proteinName?: string;
  /** Document name (default: "Assay <reference date>"). */
  readonly name?: string;
  readonly options?: AssayDocumentOptions;
}

const TEXT_KEYS = [
  "layoutCsv",
  "countsText",
  "proteinText",
  "layoutName",
  "countsName",
  "proteinName",
  "name",
  "options",
];
const OPTION_KEYS = [
  "lysateMl",
  "nuclide",
  "halfLife",
  "referenceTime",
  "assayStart",
  "counterDecayCorrected",
  "counterUtcOffset",
  "wizardTime",
  "window",
  "deadTimeS",
  "efficiency",
  "proteinModel",
  "referenceCondition",
  "decimalComma",
];

function bad(field: string, message: string, value: unknown, hint?: string): AtsmError {
  return new AtsmError({ code: "INVALID_ARGUMENT", message, value, field, ...(hint ? { hint } : {}) });
}

const isObj = (v: unknown): v is Record<string, unknown> =>
  typeof v === "object" && v !== null && !Array.isArray(v);

function str(o: Record<string, unknown>, k: string): string | undefined {
  const v = o[k];
  if (v === undefined || v === null) return undefined;
  if (typeof v !== "string" || v.trim() === "") throw bad(k, `${k} must be a non-empty string`, v);
  return v;
}

function num(o: Record<string, unknown>, k: string, positive: boolean): number | undefined {
  const v = o[k];
  if (v === undefined || v === null) return undefined;
  if (typeof v !== "number" || !Number.isFinite(v) || (positive ? !(v > 0) : v < 0))
    throw bad(k, `${k} must be a number ${positive ? "> 0" : "≥ 0"}`, v, "a JSON number, not a string");
  return v;
}

function choice<T extends string>(
  o: Record<string, unknown>,
  k: string,
  allowed: readonly T[],
): T | undefined {
  const v = o[k];
  if (v === undefined || v === null) return undefined;
  if (typeof v !== "string" || !(allowed as readonly string[]).includes(v))
    throw bad(k, `invalid ${k}`, v, `one of ${allowed.join(", ")}`);
  return v as T;
}

/** Options → the job input, with the CLI's checks (units required, efficiency a fraction). */
function jobOptions(
  o: Record<string, unknown>,
): Omit<AssayJobInput, "layoutPath" | "countsPath" | "proteinPath"> {
  for (const k of Object.keys(o)) {
    if (!OPTION_KEYS.includes(k) && !TEXT_KEYS.includes(k))
      throw bad(k, `unknown assay option ${k}`, o[k], `options: ${OPTION_KEYS.join(", ")}`);
  }
  const halfLife = str(o, "halfLife");
  if (halfLife !== undefined && /^\s*[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?\s*$/.test(halfLife)) {
    // A bare number would be seconds (12.7 → 12.7 s), as on the CLI.
    throw bad("halfLife", "halfLife needs a unit", halfLife, `write e.g. "${halfLife.trim()}h" (s, m, h, d)`);
  }
  const efficiency = num(o, "efficiency", true);
  if (efficiency !== undefined && efficiency > 1) {
    throw bad(
      "efficiency",
      "efficiency is counts per decay, at most 1",
      efficiency,
      efficiency <= 100 ? `looks like percent: write ${efficiency / 100}` : "give a fraction, e.g. 0.45",
    );
  }
  const dccRaw = o.counterDecayCorrected;
  let dcc: boolean | undefined;
  if (typeof dccRaw === "boolean") dcc = dccRaw;
  else if (dccRaw !== undefined && dccRaw !== null)
    dcc = choice(o, "counterDecayCorrected", ["yes", "no"]) === "yes";
  if (o.decimalComma !== undefined && typeof o.decimalComma !== "boolean")
    throw bad("decimalComma", "decimalComma must be true or false", o.decimalComma);
  const ref = str(o, "referenceTime");
  const start = str(o, "assayStart");
  const set = <K extends string, V>(k: K, v: V | undefined): { [P in K]?: V } =>
    v === undefined ? {} : ({ [k]: v } as { [P in K]: V });
  return {
    ...set("nuclide", str(o, "nuclide")),
    ...set("halfLifeS", halfLife === undefined ? undefined : parseDurationS(halfLife, "halfLife")),
    ...set("referenceMs", ref === undefined ? undefined : parseIsoTimeMs(ref, "referenceTime")),
    ...set("assayStartMs", start === undefined ? undefined : parseIsoTimeMs(start, "assayStart")),
    ...set("counterDecayCorrected", dcc),
    ...set("counterUtcOffset", str(o, "counterUtcOffset")),
    ...set("wizardTimeIs", choice(o, "wizardTime", ["start", "end"] as const)),
    ...set("window", str(o, "window")),
    ...set("deadTimeS", num(o, "deadTimeS", false)),
    ...set("efficiency", efficiency),
    ...set("lysateVolumeMl", num(o, "lysateMl", true)),
    ...set("proteinModel", choice(o, "proteinModel", ["auto", "linear", "quadratic", "4pl"] as const)),
    ...set("referenceCondition", str(o, "referenceCondition")),
    ...set("decimalComma", o.decimalComma === true ? true : undefined),
  };
}

/**
 * Run the assay analysis on file texts; `result` is exactly the `atsm assay analyze --json`
 * object for the same files and flags. `tmpDir`: parent of the temporary folder (default OS temp).
 */
export async function computeAssay(
  input: unknown,
  opts: { tmpDir?: string } = {},
): Promise<ComputedDocument> {
  if (!isObj(input)) {
    throw bad(
      "body",
      "the assay input must be a JSON object",
      typeof input,
      "send {layoutCsv, countsText, ...}",
    );
  }
  if (input.options !== undefined && !isObj(input.options))
    throw bad("options", "options must be an object", input.options);
  const merged = { ...input, ...(isObj(input.options) ? input.options : {}) };
  const options = jobOptions(merged);
  const layout = checkText(input.layoutCsv, "layoutCsv", true)!;
  const counts = checkText(input.countsText, "countsText", true)!;
  const protein = checkText(input.proteinText, "proteinText", false);
  const names = {
    layout: safeFileName(input.layoutName, "layout.csv"),
    counts: safeFileName(input.countsName, "counts.csv"),
    protein: safeFileName(input.proteinName, "protein.csv"),
  };
  if (names.counts === names.layout) names.counts = `counts-${names.counts}`;
  if (names.protein === names.layout || names.protein === names.counts)
    names.protein = `protein-${names.protein}`;
  const files: Record<string, string> = { [names.layout]: layout, [names.counts]: counts };
  if (protein !== undefined) files[names.protein] = protein;
  const job = await withTextFiles(
    files,
    async (dir) =>
      runAssayJob({
        ...options,
        layoutPath: join(dir, names.layout),
        countsPath: join(dir, names.counts),
        ...(protein !== undefined ? { proteinPath: join(dir, names.protein) } : {}),
      }),
    opts.tmpDir,
  );
  const result = assayJson(job);
  const name =
    typeof input.name === "string" && input.name.trim() !== ""
      ? input.name.trim()
      : `Assay ${typeof result.referenceTime === "string" ? result.referenceTime.slice(0, 10) : names.layout}`;
  return { name, result };
}
