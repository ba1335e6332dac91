/**
 * `atsm demo`: write a synthetic study, quantify it with its VOIs and write the report.
 *
 * Default study: the digital twin (`twin.ts`, preset patient-cervix-hypoxic, 60Cu-ATSM, cervix
 * cutoff), quantified with the truth label map and compared with the truth (`compare.ts`). The
 * older analytic phantom (`synthetic.ts`, image/phantom.ts: uniform spheres, Gaussian blur) stays
 * available as `phantom: "analytic"`.
 */
import { writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { AtsmError } from "../../core/errors.js";
import type { ProgressFn } from "../../core/types.js";
import { jsonSafe } from "../quantify/flatten.js";
import { writeQuantifyOutputs } from "../quantify/outputs.js";
import { quantifyStudy } from "../quantify/run.js";
import type { QuantifyResult } from "../quantify/types.js";
import { compareWithTruth, type TruthComparison } from "./compare.js";
import { type DemoStudy, writeDemoStudy } from "./synthetic.js";
import { type TwinDemoOptions, type TwinDemoStudy, writeTwinDemoStudy } from "./twin.js";

export { type ComparedRow, comparisonText, type TruthComparison } from "./compare.js";
export { DEFAULT_DEMO_PRESET, defaultCutoffFor, defaultNuclideFor, smallPreset } from "./twin.js";

export type AnalyticDemoStudy = DemoStudy & { readonly kind: "analytic" };

export interface DemoOptions extends Omit<TwinDemoOptions, "onProgress"> {
  /** `twin` (default) or `analytic` (the image/phantom.ts spheres). */
  readonly phantom?: "twin" | "analytic";
  readonly onProgress?: ProgressFn;
  /** Report date (tests). */
  readonly now?: Date;
}

export interface DemoRun {
  readonly outDir: string;
  readonly study: TwinDemoStudy | AnalyticDemoStudy;
  readonly result: QuantifyResult;
  /** Measured vs truth (twin studies only; also written to `truth-comparison.json`). */
  readonly comparison: TruthComparison | null;
  /** report.html first, then the other outputs. */
  readonly files: readonly string[];
}

function checkAnalyticOptions(opts: DemoOptions): void {
  const twinOnly = (["preset", "nuclide", "cutoff", "noiseFree"] as const).filter(
    (k) => opts[k] !== undefined,
  );
  if (twinOnly.length > 0) {
    throw new AtsmError({
      code: "INVALID_ARGUMENT",
      message: `--phantom analytic takes no ${twinOnly.map((k) => (k === "noiseFree" ? "--noise-free" : `--${k}`)).join(", ")}`,
      field: "--phantom",
      hint: "drop those options, or use the twin study (the default) with --preset NAME",
    });
  }
}

/** Run the demo into `outDir` (created). */
export async function runDemo(outDir: string, opts: DemoOptions = {}): Promise<DemoRun> {
  const dir = resolve(outDir);
  const progress = opts.onProgress ?? (() => {});
  const phantom = opts.phantom ?? "twin";
  let study: TwinDemoStudy | AnalyticDemoStudy;
  if (phantom === "analytic") {
    checkAnalyticOptions(opts);
    progress(0, "generating the analytic phantom");
    const s = await writeDemoStudy(dir, {
      ...(opts.small !== undefined ? { small: opts.small } : {}),
      ...(opts.seed !== undefined ? { seed: opts.seed } : {}),
    });
    study = { ...s, kind: "analytic" };
  } else {
    const { onProgress: _p, now: _n, phantom: _ph, ...twinOpts } = opts;
    study = await writeTwinDemoStudy(dir, {
      ...twinOpts,
      onProgress: (f, l) => progress(0.5 * f, `twin study: ${l ?? ""}`),
    });
  }
  progress(0.5, "quantifying");
  const { result, images } = await quantifyStudy({
    study: study.studyDir,
    tumor: study.tumorSpec,
    reference: study.referenceSpec,
    cutoff: study.cutoff,
    baseDir: dir,
    onProgress: (f, l) => progress(0.5 + 0.3 * f, l),
  });
  const comparison = study.kind === "twin" ? compareWithTruth(study, result) : null;
  progress(0.85, "writing report");
  const out = await writeQuantifyOutputs(dir, result, images, opts.now ? { now: opts.now } : {});
  const files = [...out.files];
  if (comparison !== null) {
    const p = join(dir, "truth-comparison.json");
    writeFileSync(p, `${JSON.stringify(comparison, jsonSafe, 2)}\n`);
    files.push(p);
  }
  progress(1, "done");
  return { outDir: dir, study, result, comparison, files };
}
