/** Layout, counts (generic + Wizard2) and plate-reader readers: formats, errors naming row/column, fuzz. */
import { readFileSync } from "node:fs";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { readAssayCounts, readGenericCounts } from "../../../src/io/lab/assay-counts.js";
import { readAssayLayout } from "../../../src/io/lab/assay-layout.js";
import { readPlateAbsorbance } from "../../../src/io/lab/platereader.js";
import { parseCounterLocalTime, parseUtcOffsetMin, readWizard2 } from "../../../src/io/lab/wizard2.js";
import { expectClose } from "../../helpers/close.js";
import { expectAtsmError } from "../../helpers/errors.js";

const ex = (f: string) => readFileSync(new URL(`../../../examples/assay/${f}`, import.meta.url), "utf8");

describe("layout", () => {
  it("reads the example plate with optional columns", () => {
    const l = readAssayLayout(ex("layout.csv"), { file: "layout.csv" });
    expect(l.length).toBe(70);
    const std = l.find((w) => w.well === "STD1")!;
    expect(std.role).toBe("standard");
    expect(std.standardFraction).toBe(0.1);
    expect(l.find((w) => w.well === "P2A1")!.phase).toBe("efflux");
    expect(l.find((w) => w.well === "BSA500a")!.proteinUgPerMl).toBe(500);
    expect(l.find((w) => w.well === "P1A1")!.o2Percent).toBe(21);
  });
  it("unknown role, missing column and bad number name row and column", () => {
    expectAtsmError(
      () => readAssayLayout("well,role,condition,timeMin,replicate\nA1,blank,n,15,1\n", { file: "L.csv" }),
      {
        message: /unknown role.*"blank".*L\.csv, row 2, field role/,
        hint: /sample, background, standard, protein-standard/,
      },
    );
    expectAtsmError(() => readAssayLayout("well,role,condition,replicate\nA1,sample,n,1\n"), {
      code: "MISSING_INPUT",
      message: /timeMin/,
    });
    expectAtsmError(
      () =>
        readAssayLayout("well,role,condition,timeMin,replicate\nA1,sample,n,15 min,1\n", { file: "L.csv" }),
      {
        message: /not a number in column timeMin: "15 min" \(L\.csv, row 2, field timeMin\)/,
      },
    );
    expectAtsmError(
      () => readAssayLayout("well,role,condition,timeMin,replicate\nP1,protein-standard,,,1\n"),
      { message: /proteinUgPerMl/ },
    );
  });
});

describe("counts", () => {
  it("generic: rate = counts / countTimeS, end time with zone", () => {
    const r = readGenericCounts("well,counts,countTimeS,countEndTime\nA1,600,60,2025-03-12T10:01:00+01:00\n");
    expect(r[0]!.grossRatePerS).toBe(10);
    expect(r[0]!.countEndMs).toBe(Date.UTC(2025, 2, 12, 9, 1, 0));
  });
  it("generic: a time without a zone is rejected naming the row", () => {
    expectAtsmError(
      () =>
        readGenericCounts("well,counts,countTimeS,countEndTime\nA1,600,60,2025-03-12 10:01\n", {
          file: "C.csv",
        }),
      {
        message: /countEndTime.*C\.csv, row 2/,
        hint: /2025-03-01T10:15:00Z/,
      },
    );
  });
  it("Wizard2: detected, CPM/60 as the rate, nuclide prefix found, local time + offset", () => {
    const r = readAssayCounts(ex("counts-wizard2.csv"), { file: "w.csv", utcOffset: "+01:00" });
    expect(r.format).toBe("wizard2");
    expect(r.nuclidePrefix).toBe("Cu-64");
    const p = r.records.find((x) => x.well === "P1A1")!;
    expectClose(p.grossRatePerS, 3329.33 / 60, { rel: 1e-15 }, "CPM/60 (file row 5)");
    expect(p.rawCounts).toBe(3329);
    expect(p.countEndMs).toBe(Date.UTC(2025, 2, 12, 12, 31, 0)); // 13:31:00 at +01:00
    expect(p.detector).toBe(4);
  });
  it("Wizard2 real header from lab-formats.md §1.1 (I-125 protocol), empty Sample code → rack-pos", () => {
    const text =
      "Protocol ID,Protocol name,Measurement date & time,Completion status,Run ID,Rack,Det,Pos,Time,Sample code,I-125 Counts,I-125 CPM,I-125 Error %,I-125 Info\n" +
      "65,TELLING 5 min,2024-03-06 12:42:48,0,4640,1,1,1,300.02,,24614.1,4919.63,1.43,\n";
    const r = readWizard2(text);
    expect(r.nuclidePrefix).toBe("I-125");
    expect(r.records[0]!.well).toBe("1-1");
    expect(r.records[0]!.countTimeS).toBe(300.02);
  });
  it("counter local times: ISO order and European dotted dates; slash dates rejected", () => {
    expect(parseCounterLocalTime("2024-03-06 12:42:48")).toEqual([2024, 3, 6, 12, 42, 48]);
    expect(parseCounterLocalTime("06.03.2024 12:42:48")).toEqual([2024, 3, 6, 12, 42, 48]);
    expect(parseCounterLocalTime("3/6/2024 12:42")).toBeNull();
    expect(parseCounterLocalTime("2024-13-06 12:42:48")).toBeNull();
  });
  it("UTC offsets", () => {
    expect(parseUtcOffsetMin("+01:00")).toBe(60);
    expect(parseUtcOffsetMin("-0530")).toBe(-330);
    expect(parseUtcOffsetMin("Z")).toBe(0);
    expectAtsmError(() => parseUtcOffsetMin("CET"), { code: "INVALID_ARGUMENT" });
  });
});

describe("plate reader", () => {
  it("Gen5 text export: raw read of the Results matrix (structure of allotropy's endpoint_stdcurve_singleplate_2.txt)", () => {
    // First rows of the Results block as in lab-formats.md §2.1 (values from that file).
    const gen5 = [
      "",
      "Software Version\t3.12.08",
      "Read\t450nm",
      "",
      "Results",
      "\t1\t2\t3",
      "A\t3.411\t3.329\t3.343\t450nm:450",
      "\t3.410\t3.329\t3.342\tBlank 450nm:450",
      "\t1014.822\t990.579\t994.599\t[Concentration]",
      "B\t1.137\t?????\t1.114\t450nm:450",
      "\t1.136\t1.109\t1.114\tBlank 450nm:450",
      "",
      "StdCurve Fitting Results",
    ].join("\n");
    const r = readPlateAbsorbance(gen5, { file: "bca.txt" });
    expect(r.map((x) => `${x.well}=${x.absorbance}`)).toEqual([
      "A1=3.411",
      "A2=3.329",
      "A3=3.343",
      "B1=1.137",
      "B3=1.114",
    ]);
    expect(r[3]!.source.row).toBe(10);
    expectAtsmError(() => readPlateAbsorbance(gen5.replace("1.137", "high"), { file: "bca.txt" }), {
      message: /well B1: "high" \(bca\.txt, row 10, field B1\)/,
    });
  });
  it("long and grid layouts", () => {
    expect(readPlateAbsorbance("well,absorbance\nA1,0.25\n")[0]).toMatchObject({
      well: "A1",
      absorbance: 0.25,
    });
    const g = readPlateAbsorbance(",1,2,3\nA,0.1,0.2,\nB,0.3,,0.5\n");
    expect(g.map((r) => `${r.well}=${r.absorbance}`)).toEqual(["A1=0.1", "A2=0.2", "B1=0.3", "B3=0.5"]);
  });
  it("semicolon + decimal comma export needs the option", () => {
    expectAtsmError(() => readPlateAbsorbance("well;absorbance\nA1;0,25\n", { file: "p.csv" }), {
      hint: /--decimal-comma/,
    });
    expect(readPlateAbsorbance("well;absorbance\nA1;0,25\n", { decimalComma: true })[0]!.absorbance).toBe(
      0.25,
    );
  });
});

describe("reader fuzz (fast-check, 200 runs): only AtsmErrors, never NaN", () => {
  const lines = fc.array(
    fc.array(
      fc.oneof(
        fc.string({ maxLength: 8 }),
        fc.double().map(String),
        fc.constantFrom("", "A1", "2025-03-12T10:00:00Z", "1,5"),
      ),
      { maxLength: 5 },
    ),
    { maxLength: 6 },
  );
  it("layout / counts / plate", () => {
    fc.assert(
      fc.property(fc.constantFrom("layout", "counts", "plate"), lines, (kind, rows) => {
        const header =
          kind === "layout"
            ? "well,role,condition,timeMin,replicate"
            : kind === "counts"
              ? "well,counts,countTimeS,countEndTime"
              : "well,absorbance";
        const text = [header, ...rows.map((r) => r.join(","))].join("\n");
        try {
          const out =
            kind === "layout"
              ? readAssayLayout(text)
              : kind === "counts"
                ? readAssayCounts(text).records
                : readPlateAbsorbance(text);
          for (const o of out as object[])
            for (const v of Object.values(o)) if (typeof v === "number") expect(Number.isNaN(v)).toBe(false);
        } catch (e) {
          expect((e as Error).name).toBe("AtsmError");
        }
      }),
      { numRuns: 200, seed: 11 },
    );
  });
  it("Gen5 Results block with random cells", () => {
    const cell = fc.oneof(
      fc.constantFrom("", "A", "B", "1", "2", "?????", "450nm:450", "x"),
      fc.double().map(String),
    );
    fc.assert(
      fc.property(fc.array(fc.array(cell, { maxLength: 5 }), { maxLength: 8 }), (rows) => {
        const text = ["Software Version\t3", "Results", "\t1\t2\t3", ...rows.map((r) => r.join("\t"))].join(
          "\n",
        );
        try {
          for (const o of readPlateAbsorbance(text)) expect(Number.isFinite(o.absorbance)).toBe(true);
        } catch (e) {
          expect((e as Error).name).toBe("AtsmError");
        }
      }),
      { numRuns: 200, seed: 13 },
    );
  });
});
