/**
 * Quantify a study from TypeScript (run: npx tsx examples/quantify.ts [outDir]).
 * Writes the synthetic demo study, quantifies it with a 41 %-of-max threshold VOI, prints the
 * read-out and writes the report files.
 */
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { writeDemoStudy } from "../src/app/demo/synthetic.js";
import { writeQuantifyOutputs } from "../src/app/quantify/outputs.js";
import { quantifyStudy } from "../src/app/quantify/run.js";

async function main(): Promise<void> {
  const out = process.argv[2] ?? mkdtempSync(join(tmpdir(), "atsm-example-"));
  const study = await writeDemoStudy(out, { small: true });
  const { result, images } = await quantifyStudy({
    study: study.studyDir,
    tumor: "component@threshold:41%max@sphere:45,-15,0,30",
    reference: study.referenceSpec,
    cutoff: "cervix",
  });
  console.log(
    `T/Mmax ${result.tmrMax.toFixed(2)}, T/Mpeak ${result.tmrPeak.toFixed(2)}, ` +
      `hypoxic volume ${result.hypoxicVolumeMl.toFixed(2)} mL, class ${result.prognosis?.class}`,
  );
  const files = await writeQuantifyOutputs(out, result, images);
  console.log(files.files.join("\n"));
}

main().catch((e) => {
  console.error(e);
  process.exitCode = 1;
});
