/** Load assay fixtures through the io readers (test helper). */
import { readFileSync } from "node:fs";
import { readAssayCounts } from "../../../src/io/lab/assay-counts.js";
import { readAssayLayout } from "../../../src/io/lab/assay-layout.js";
import { readPlateAbsorbance } from "../../../src/io/lab/platereader.js";

export const root = new URL("../../../", import.meta.url);
export const read = (p: string): string => readFileSync(new URL(p, root), "utf8");

export function loadHand() {
  return {
    layout: readAssayLayout(read("test/fixtures/data/assay/hand/layout.csv"), { file: "layout.csv" }),
    counts: readAssayCounts(read("test/fixtures/data/assay/hand/counts.csv"), { file: "counts.csv" }).records,
    protein: readPlateAbsorbance(read("test/fixtures/data/assay/hand/protein.csv"), { file: "protein.csv" }),
  };
}

export function loadExample(counts = "examples/assay/counts-wizard2.csv") {
  return {
    layout: readAssayLayout(read("examples/assay/layout.csv"), { file: "layout.csv" }),
    counts: readAssayCounts(read(counts), { file: "counts.csv" }).records,
    protein: readPlateAbsorbance(read("examples/assay/protein.csv"), { file: "protein.csv" }),
  };
}
