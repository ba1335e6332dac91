/** Issue 5 "Bad input": errors and warnings that name the row and column, never a silent NaN. */
import { describe, expect, it } from "vitest";
import { readAssayCounts } from "../../../src/io/lab/assay-counts.js";
import { readAssayLayout } from "../../../src/io/lab/assay-layout.js";
import { readPlateAbsorbance } from "../../../src/io/lab/platereader.js";
import { analyzeAssay } from "../../../src/lab/assay/analyze.js";
import type { AssayOptions, CountRecord } from "../../../src/lab/assay/types.js";
import { expectAtsmError } from "../../helpers/errors.js";
import { loadHand } from "./helpers.js";

const opts: AssayOptions = {
  halfLifeS: 12.7 * 3600,
  counterDecayCorrected: false,
  lysateVolumeMl: 0.5,
  proteinModel: "linear",
};
const counts = (text: string): CountRecord[] =>
  readAssayCounts(`well,counts,countTimeS,countEndTime\n${text}`, { file: "C.csv" }).records;
const noNaN = (v: unknown): void => {
  JSON.stringify(v, (_k, x) => {
    if (typeof x === "number" && Number.isNaN(x)) throw new Error("NaN in result");
    return x;
  });
};

describe("bad input", () => {
  it("a counted well missing from the layout is an error naming the counts row", () => {
    const d = loadHand();
    expectAtsmError(
      () =>
        analyzeAssay({
          ...d,
          counts: [...d.counts, ...counts("X9,100,60,2025-03-12T22:43:00Z")],
          options: opts,
        }),
      {
        code: "INCONSISTENT",
        message: /well "X9" is not in the plate layout \(C\.csv, row 2, field well\)/,
      },
    );
  });
  it("a layout sample with no counts is a warning naming the layout row", () => {
    const d = loadHand();
    const r = analyzeAssay({ ...d, counts: d.counts.filter((c) => c.well !== "N2"), options: opts });
    const w = r.warnings.find((x) => x.code === "NOT_COUNTED")!;
    expect(w).toMatchObject({ well: "N2", row: 5, file: "layout.csv" });
    noNaN(r);
  });
  it("negative net counts: warning naming the row and column, value kept (not clipped)", () => {
    const d = loadHand();
    const low = counts("N1,30,60,2025-03-12T22:43:00Z");
    const r = analyzeAssay({
      ...d,
      counts: [...d.counts.filter((c) => c.well !== "N1"), ...low],
      options: opts,
    });
    expect(r.warnings.find((x) => x.code === "NEGATIVE_NET")).toMatchObject({
      well: "N1",
      row: 2,
      field: "counts",
      file: "C.csv",
    });
    expect(r.wells.find((w) => w.well === "N1")!.uptakePercent).toBeLessThan(0);
    noNaN(r);
  });
  it("count time before the assay start is an error naming row and countEndTime", () => {
    const d = loadHand();
    expectAtsmError(
      () => analyzeAssay({ ...d, options: { ...opts, assayStartMs: Date.UTC(2025, 2, 12, 12, 0, 0) } }),
      {
        code: "INCONSISTENT",
        message: /started .* min before the assay start .*row 3, field countEndTime/,
        hint: /--assay-start/,
      },
    );
  });
  it("protein standards out of range: extrapolation warned, unreadable absorbance → null + warning (no NaN)", () => {
    const d = loadHand();
    const protein = readPlateAbsorbance(
      "well,absorbance\nPS0,0.1\nPS1,0.6\nPS2,1.1\nPS3,1.6\nN1,1.9\nN2,0.35\nH1,0.25\nH2,0.28\n",
      { file: "P.csv" },
    );
    const r = analyzeAssay({ ...d, protein, options: opts });
    expect(r.warnings.find((x) => x.code === "PROTEIN_EXTRAPOLATED")).toMatchObject({
      well: "N1",
      row: 6,
      field: "absorbance",
    });
    const q = analyzeAssay({ ...d, protein, options: { ...opts, proteinModel: "quadratic" } });
    noNaN(q);
  });
  it("no standards, no lysate volume, duplicate layout wells: clear errors with hints", () => {
    const d = loadHand();
    expectAtsmError(
      () => analyzeAssay({ ...d, counts: d.counts.filter((c) => c.well !== "STD1"), options: opts }),
      { code: "MISSING_INPUT", hint: /role standard/ },
    );
    const { lysateVolumeMl: _l, ...noLysate } = opts;
    expectAtsmError(() => analyzeAssay({ ...d, options: noLysate }), {
      message: /no lysate volume for sample well N1.*layout\.csv, row 4/,
      hint: /--lysate-ml/,
    });
    expectAtsmError(() => analyzeAssay({ ...d, layout: [...d.layout, d.layout[2]!], options: opts }), {
      message: /appears twice/,
    });
  });
  it("protein reading for a well not in the layout names the protein file row", () => {
    const d = loadHand();
    const protein = readPlateAbsorbance("well,absorbance\nPS0,0.1\nZZ1,0.5\n", { file: "P.csv" });
    expectAtsmError(() => analyzeAssay({ ...d, protein, options: opts }), {
      message: /"ZZ1".*P\.csv, row 3, field well/,
    });
  });
  it("non-numeric cell, wrong delimiter and decimal comma in the inputs", () => {
    expectAtsmError(() => counts("A1,12k,60,2025-03-12T22:43:00Z"), {
      message: /"12k".*row 2, field counts/,
    });
    expectAtsmError(
      () => readAssayLayout("well|role|condition|timeMin|replicate\nA1|sample|n|15|1\n", { file: "L.csv" }),
      {
        code: "MISSING_INPUT",
        hint: /found: "well\|role\|condition\|timeMin\|replicate"/,
      },
    );
    expectAtsmError(
      () =>
        readAssayCounts("well;counts;countTimeS;countEndTime\nA1;12,5;60;2025-03-12T22:43:00Z\n", {
          file: "C.csv",
        }),
      {
        message: /decimal comma.*"12,5".*row 2, field counts/,
        hint: /--decimal-comma/,
      },
    );
  });
  it("negative gross rate from a counter that subtracted its own background: warning, not NaN", () => {
    const d = loadHand();
    const neg = counts("N1,-6,60,2025-03-12T22:43:00Z");
    const r = analyzeAssay({
      ...d,
      counts: [...d.counts.filter((c) => c.well !== "N1"), ...neg],
      options: opts,
    });
    expect(r.warnings.find((x) => x.code === "NEGATIVE_GROSS")).toMatchObject({
      well: "N1",
      row: 2,
      field: "counts",
    });
    noNaN(r);
  });
});
