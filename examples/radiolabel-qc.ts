/**
 * Plan a 64Cu-ATSM labelling and release it on radio-TLC (run: npx tsx examples/radiolabel-qc.ts).
 * Package form: import { planLabelling, analyzeChromatogram } from "atsm-workbench/lab";
 *               import { readChromatogram } from "atsm-workbench/io";
 *
 * Plan: 1 GBq of 64CuCl2 in 0.5 mL calibrated at t = 0, 400 MBq drawn 1.5 h later, 15 µg H2ATSM,
 * 85 % decay-corrected yield, doses of 8 MBq at 1, 3 and 6 h after synthesis. QC: the radio-TLC
 * trace examples/radiolabel/tlc-pass.csv (origin 10 mm, front 90 mm, product Rf 0.45–0.75); its
 * generator (test/fixtures/make/chromatogram_make.ts) puts the RCP at 98.8 %.
 */
import { join } from "node:path";
import { readChromatogram } from "../src/io/index.js";
import { analyzeChromatogram, planLabelling } from "../src/lab/index.js";
import { getNuclide } from "../src/physics/index.js";

const H = 3600;
const plan = planLabelling({
  halfLifeS: getNuclide("Cu-64").halfLifeS,
  stockActivityBq: 1e9,
  stockVolumeMl: 0.5,
  calibrationTimeS: 0,
  drawTimeS: 1.5 * H,
  wantedActivityBq: 400e6,
  ligandMassUg: 15,
  endOfSynthesisTimeS: 1.75 * H,
  expectedRcyDecayCorrected: 0.85,
  injectionTimesS: [2.75 * H, 4.75 * H, 7.75 * H],
  doseActivityBq: 8e6,
});
console.log(
  `draw ${(plan.drawVolumeMl * 1000).toFixed(1)} µL of stock; product at EOS ${(plan.productActivityAtEosBq / 1e6).toFixed(0)} MBq; ` +
    `Cu:ligand ${plan.metalToLigandRatio.toExponential(2)}`,
);
for (const inj of plan.injections)
  console.log(
    `  t = ${(inj.timeS / H).toFixed(2)} h: ${(inj.productActivityBq / 1e6).toFixed(0)} MBq, ${inj.doses} doses`,
  );

const { trace } = await readChromatogram(join(import.meta.dirname, "radiolabel", "tlc-pass.csv"));
const qc = analyzeChromatogram(trace, { originMm: 10, frontMm: 90, productRange: [0.45, 0.75] });
console.log(
  `radio-TLC RCP ${qc.rcpPercent.toFixed(1)} ± ${qc.rcpSdPercent.toFixed(2)} % -> ${qc.pass ? "PASS" : "FAIL"} (limit > ${qc.releaseLimitPercent} %)`,
);
