/**
 * `atsm demo`: write the synthetic study, quantify it with fixed VOIs and write the report.
 */
import { resolve } from "node:path";
import type { ProgressFn } from "../../core/types.js";
import { writeQuantifyOutputs } from "../quantify/outputs.js";
import { quantifyStudy } from "../quantify/run.js";
import type { QuantifyResult } from "../quantify/types.js";
import { type DemoStudy, type DemoStudyOptions, writeDemoStudy } from "./synthetic.js";

export interface DemoRun {
  readonly outDir: string;
  readonly study: DemoStudy;
  readonly result: QuantifyResult;
  readonly files: readonly string[];
}

/** Run the demo into `outDir` (created). */
export async function runDemo(
  outDir: string,
  opts: DemoStudyOptions & { onProgress?: ProgressFn; now?: Date } = {},
): Promise<DemoRun> {
  const dir = resolve(outDir);
  const progress = opts.onProgress ?? (() => {});
  progress(0, "generating synthetic study");
  const study = await writeDemoStudy(dir, opts);
  progress(0.3, "quantifying");
  const { result, images } = await quantifyStudy({
    study: study.studyDir,
    tumor: study.tumorSpec,
    reference: study.referenceSpec,
    cutoff: study.cutoff,
    baseDir: dir,
    onProgress: (f, l) => progress(0.3 + 0.5 * f, l),
  });
  progress(0.8, "writing report");
  const out = await writeQuantifyOutputs(dir, result, images, opts.now ? { now: opts.now } : {});
  progress(1, "done");
  return { outDir: dir, study, result, files: out.files };
}
