import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { AtsmError } from "../../../src/core/errors.js";
import { fitCellLine, parseAssayCsv, predictObservations } from "../../../src/sim/cell/index.js";
import { CELL_LINES } from "../../../src/sim/presets/cell-lines.js";
import { expectClose } from "../../helpers/close.js";
import { expectAtsmError } from "../../helpers/errors.js";

const HEK = CELL_LINES["HEK-293"]!.kinetics;

describe("fitCellLine", () => {
  it("recovers k_red, P½ and λ of a synthetic line from a noise-free time course", () => {
    const truth = { ...HEK, kRedPerS: 1.7e-3, p50MmHg: 15, partitionCoefficient: 4.5 };
    const grid = [21, 1, 0.5].flatMap((o2) =>
      [15, 30, 60, 120, 180].map((t) => ({
        condition: `${o2}%`,
        o2Percent: o2,
        timeMin: t,
        uptakePercent: 0,
      })),
    );
    const pred = predictObservations(truth, grid);
    const obs = grid.map((o, i) => ({ ...o, uptakePercent: pred[i]!, sd: 0.05 }));
    const r = fitCellLine(obs, { start: HEK });
    const got = Object.fromEntries(r.fitted.map((p) => [p.name, p]));
    expectClose(got.kRedPerS!.value, 1.7e-3, { rel: 1e-4 }, "kRed");
    expectClose(got.p50MmHg!.value, 15, { rel: 1e-4 }, "P½");
    expectClose(got.partitionCoefficient!.value, 4.5, { rel: 1e-4 }, "λ");
    expect(r.converged).toBe(true);
    expect(r.points).toHaveLength(15);
  });

  it("rejects too few points with a hint", () => {
    expectAtsmError(
      () => fitCellLine([{ condition: "n", o2Percent: 21, timeMin: 60, uptakePercent: 1 }], { start: HEK }),
      {
        code: "INVALID_ARGUMENT",
        hint: /O2 levels or times/,
      },
    );
  });
});

describe("parseAssayCsv", () => {
  it("reads columns in any order, skips comments, optional sd", () => {
    const obs = parseAssayCsv(
      "# my assay\ntimeMin,condition,uptakePercent,o2Percent,sd\n180,normoxic,1.1,21,0.1\n180,hypoxic,2.75,1,\n",
    );
    expect(obs).toEqual([
      { condition: "normoxic", o2Percent: 21, timeMin: 180, uptakePercent: 1.1, sd: 0.1 },
      { condition: "hypoxic", o2Percent: 1, timeMin: 180, uptakePercent: 2.75 },
    ]);
  });

  it("names the row and column of a bad cell", () => {
    const e = expectAtsmError(
      () => parseAssayCsv("condition,o2Percent,timeMin,uptakePercent\nn,21,180,1.1\nh,1,180,2.7x\n", "a.csv"),
      {
        code: "PARSE_ERROR",
        message: /uptakepercent/,
        hint: /decimal point/,
      },
    );
    expect(e.row).toBe(3);
    expect(e.file).toBe("a.csv");
    // "1,1%" in a comma file used to be read as 1 (the extra cell dropped); now row 2 is refused.
    const d = expectAtsmError(
      () => parseAssayCsv("condition,o2Percent,timeMin,uptakePercent\nn,21,180,1,1%\n", "a.csv"),
      { code: "PARSE_ERROR", hint: /decimal comma/ },
    );
    expect(d.row).toBe(2);
  });

  it("rejects a header without the required columns", () => {
    expectAtsmError(() => parseAssayCsv("time,value\n1,2\n"), {
      code: "PARSE_ERROR",
      hint: /condition,o2Percent/,
    });
  });

  it("fuzz: any text either parses to valid rows or throws AtsmError (200 runs)", () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 300 }), fc.boolean(), (body, withHeader) => {
        const text = withHeader ? `condition,o2Percent,timeMin,uptakePercent\n${body}` : body;
        try {
          const rows = parseAssayCsv(text);
          for (const r of rows) {
            expect(r.o2Percent).toBeGreaterThanOrEqual(0);
            expect(r.o2Percent).toBeLessThanOrEqual(100);
            expect(r.timeMin).toBeGreaterThan(0);
            expect(Number.isFinite(r.uptakePercent)).toBe(true);
          }
        } catch (e) {
          if (!(e instanceof AtsmError)) throw e;
        }
      }),
      { numRuns: 200, seed: 4 },
    );
  });
});
