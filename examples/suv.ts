/**
 * SUV scale factors of a PET series the QIBA / calculate-suv way (run: npx tsx examples/suv.ts).
 * Package form: import { computeSuvScaleFactors, emptyPetInstanceMetadata } from "atsm-workbench/quant/suv";
 *
 * One BQML instance, decay-corrected to the series start (START), 70 kg, 1.75 m, male, 370 MBq of
 * 64Cu-ATSM injected 60 min before the scan. By hand (QIBA): D_ref = 370 MBq · 2^(−3600/45720) =
 * 350.37 MBq, SUVbw factor = 70 000 g / 3.5037e8 Bq = 1.998e-4 mL/Bq (i.e. SUV = Bq/mL × 1.998e-4).
 */
import { parseIsoTimeMs } from "../src/core/index.js";
import { getNuclide } from "../src/physics/index.js";
import { computeSuvScaleFactors, emptyPetInstanceMetadata } from "../src/quant/suv/index.js";

const injectionMs = parseIsoTimeMs("2025-03-01T09:00:00Z");
const scanMs = parseIsoTimeMs("2025-03-01T10:00:00Z");
const instance = {
  ...emptyPetInstanceMetadata(),
  Units: "BQML",
  CorrectedImage: ["DECY", "ATTN"],
  DecayCorrection: "START",
  SeriesDateTimeMs: scanMs,
  AcquisitionDateTimeMs: scanMs,
  RadiopharmaceuticalStartDateTimeMs: injectionMs,
  RadionuclideTotalDose: 370e6,
  RadionuclideHalfLife: getNuclide("Cu-64").halfLifeS,
  PatientWeight: 70,
  PatientSize: 1.75,
  PatientSex: "M",
};
const r = computeSuvScaleFactors([instance], {});
const handFactor = 70_000 / (370e6 * 2 ** (-3600 / 45_720));
console.log(
  `SUVbw scale factor ${r.suvBwScaleFactor.toExponential(4)} (by hand ${handFactor.toExponential(4)})`,
);
console.log(
  `SUL (Janmahasatian) factor ${r.suvLbmJanmaScaleFactor?.toExponential(4)}, scan time rule "${r.scanTimeRule}"`,
);
console.log(`a voxel of 10 kBq/mL is SUVbw ${(10_000 * r.suvBwScaleFactor).toFixed(2)}`);
