import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { isAtsmError } from "../../../src/core/errors.js";
import { parseChromatogram, readChromatogram } from "../../../src/io/lab/chromatogram.js";
import { expectAtsmError, expectAtsmErrorAsync } from "../../helpers/errors.js";

describe("chromatogram import", () => {
  it("reads the generic CSV with extra columns in any order", () => {
    const r = parseChromatogram("lane,counts,positionMm\nA,5,0\nA,7,0.5\nA,9,1\n", "t.csv");
    expect(r.format).toBe("generic-csv");
    expect(r.trace.axis).toBe("positionMm");
    expect(Array.from(r.trace.x)).toEqual([0, 0.5, 1]);
    expect(Array.from(r.trace.counts)).toEqual([5, 7, 9]);
  });
  it("reads a scanner export with metadata, ';' and decimal comma, cm and minutes converted", () => {
    const tlc = parseChromatogram("Sample;X\nOperator;Y\n\nDistance [cm];Counts\n0,5;10\n1,0;12\n", "s.txt");
    expect(tlc.format).toBe("scanner-text");
    expect(Array.from(tlc.trace.x)).toEqual([5, 10]); // cm -> mm
    expect(tlc.metadata["Sample"]).toBe("X");
    const hplc = parseChromatogram("Retention time (min)\tCPS\n1,5\t3\n2\t4\n", "h.txt");
    expect(hplc.trace.axis).toBe("timeS");
    expect(Array.from(hplc.trace.x)).toEqual([90, 120]); // min -> s
  });
  it("reads the committed example export identically to its CSV twin", async () => {
    const a = await readChromatogram("examples/radiolabel/tlc-pass.csv");
    const b = await readChromatogram("examples/radiolabel/tlc-scanner-export.txt");
    expect(Array.from(b.trace.x)).toEqual(Array.from(a.trace.x));
    expect(Array.from(b.trace.counts)).toEqual(Array.from(a.trace.counts));
  });
  it("names row and column of a bad cell, and spots a decimal comma in a ',' file", () => {
    expectAtsmError(() => parseChromatogram("positionMm,counts\n0,1\n0.5,abc\n", "t.csv"), {
      code: "PARSE_ERROR",
      message: /row 3.*counts|counts.*row 3/,
    });
    expectAtsmError(() => parseChromatogram("positionMm,counts\n0,1\n0,5,3\n", "t.csv"), {
      hint: /decimal comma/,
    });
    expectAtsmError(() => parseChromatogram("a,b\n1,2\n", "t.csv"), {
      message: /no chromatogram header/,
      hint: /positionMm,counts/,
    });
    expectAtsmError(() => parseChromatogram("positionMm,counts\n", "t.csv"), { message: /no data rows/ });
  });
  it("reports a missing file clearly", async () => {
    await expectAtsmErrorAsync(() => readChromatogram("/nonexistent/trace.csv"), { code: "NOT_FOUND" });
  });
  it("fuzz: arbitrary text gives a trace or an AtsmError, never another exception", () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 400 }), (s) => {
        try {
          parseChromatogram(`positionMm,counts\n${s}`, "fuzz.csv");
          parseChromatogram(s, "fuzz.csv");
        } catch (e) {
          if (!isAtsmError(e)) throw e;
        }
      }),
      { numRuns: 300, seed: 42 },
    );
  });
});
