/**
 * Digital twin, cell level: Cu-ATSM uptake of MCF-7 cells in normoxia and in 1 % O2
 * (run: npx tsx examples/cell-uptake.ts).
 * Package form: import { getCellLine, uptakePercentAt } from "atsm-workbench/sim";
 *
 * The MCF-7 preset is fitted to 1.1 % (21 % O2) and 2.75 % (1 % O2) uptake at 3 h
 * (src/sim/presets/cell-lines.ts provenance, Table 1 of its source).
 */
import { getCellLine, uptakePercentAt } from "../src/sim/index.js";

const mcf7 = getCellLine("MCF-7");
const tS = 3 * 3600;
const normoxic = uptakePercentAt(mcf7.kinetics, 21, tS);
const hypoxic = uptakePercentAt(mcf7.kinetics, 1, tS);
console.log(`MCF-7 (${mcf7.tissue}) uptake at 3 h, % of added activity:`);
console.log(
  `  21 % O2: ${normoxic.toFixed(2)} %   1 % O2: ${hypoxic.toFixed(2)} %   ratio ${(hypoxic / normoxic).toFixed(2)}`,
);
