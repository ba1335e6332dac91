/**
 * Regressions from the `atsm twin fit` user test:
 * - a semicolon file with decimal commas ("normoxic;21;30;0,44") was split on every , ; and tab,
 *   read as uptake 0 and fitted without a word; a decimal comma in a comma file was silently cut;
 * - uptake given in the wrong unit (40–95 "%") drove parameters to their search bounds, printed
 *   as "1.000e-12 ± NaN" and "converged";
 * - with as many points as parameters the SEs printed as NaN.
 */
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { parseAssayCsv } from "../../src/sim/cell/assay-csv.js";
import { cli } from "../helpers/cli.js";
import { expectAtsmError } from "../helpers/errors.js";

describe("twin fit: assay CSV", () => {
  it("a ;-delimited file with decimal commas reads 0,44 as 0.44", () => {
    const obs = parseAssayCsv(
      "condition;o2Percent;timeMin;uptakePercent\nnormoxic;21;30;0,44\nhypoxic;1;30;0,75\n",
    );
    expect(obs.map((o) => o.uptakePercent)).toEqual([0.44, 0.75]);
  });
  it("a decimal comma in a comma file is an error naming the row", () => {
    expectAtsmError(
      () => parseAssayCsv("condition,o2Percent,timeMin,uptakePercent\nnormoxic,21,30,0,44\n", "a.csv"),
      {
        code: "PARSE_ERROR",
        message: /row has 5 fields but the header has 4.*row 2/,
        hint: /decimal comma/,
      },
    );
  });
  it("uptake above 100 % of added is refused", () => {
    expectAtsmError(() => parseAssayCsv("condition,o2Percent,timeMin,uptakePercent\nnormoxic,21,30,110\n"), {
      message: /uptakePercent above 100/,
    });
  });
});

describe("twin fit: untrustworthy fits are flagged", () => {
  it("bounds hit and too few points give warnings, SEs print as not estimable", async () => {
    const dir = mkdtempSync(join(tmpdir(), "atsm-fit-"));
    const f = join(dir, "two.csv");
    writeFileSync(f, "condition,o2Percent,timeMin,uptakePercent\nnormoxic,21,30,0.44\nhypoxic,1,30,0.75\n");
    const r = await cli(["twin", "fit", "--data", f]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/± – \(not estimable\)/);
    expect(r.stdout).not.toMatch(/NaN/);
    expect(r.stderr).toMatch(/2 points for 2 parameters/);
  });
});
