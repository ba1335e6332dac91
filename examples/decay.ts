/**
 * Decay arithmetic with the nuclide table (run: npx tsx examples/decay.ts).
 * Package form: import { getNuclide, activityAt, ... } from "atsm-workbench/physics";
 *
 * A 64Cu-ATSM dose of 185 MBq calibrated at 08:00 is injected at 10:30: how much is left, and what
 * does it decay to by a 24 h scan? T½(64Cu) = 12.7004 h = 45 720 s (ICRP-107).
 */
import { parseActivityBq, parseDurationS } from "../src/core/index.js";
import { activityAt, bqToMci, decayFactor, getNuclide } from "../src/physics/index.js";

const cu64 = getNuclide("Cu-64");
const calibratedBq = parseActivityBq("185MBq");
const toInjectionS = parseDurationS("2.5h");
const toScanS = parseDurationS("24h");

const atInjectionBq = activityAt(calibratedBq, cu64.halfLifeS, toInjectionS);
const atScanBq = activityAt(atInjectionBq, cu64.halfLifeS, toScanS);

console.log(`Cu-64 half-life ${cu64.halfLifeS} s (${(cu64.halfLifeS / 3600).toFixed(2)} h)`);
console.log(
  `185 MBq at calibration -> ${(atInjectionBq / 1e6).toFixed(1)} MBq (${bqToMci(atInjectionBq).toFixed(2)} mCi) at injection (+2.5 h)`,
);
console.log(
  `-> ${(atScanBq / 1e6).toFixed(1)} MBq at the 24 h scan (decay factor ${decayFactor(cu64.halfLifeS, toScanS).toFixed(4)})`,
);
