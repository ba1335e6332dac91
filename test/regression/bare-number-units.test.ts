/**
 * Regressions: flags whose bare number silently meant Bq or seconds (core/units' default) gave
 * results off by 10^6 or more without a word, e.g. `atsm suv --dose 370` → SUVbw factor 204 (370 Bq),
 * `--half-life 12.7` → factor 2e60 (12.7 s), `--height-cm 1.68` → SUL 3e-8, `radiolabel plan
 * --dose 8` → 39 million doses, `assay --efficiency 45` (percent) accepted. Each now exits 2 with
 * the fix in the hint; `--dose-mbq 370MBq` gets a hint about the unit instead of "decimal comma".
 */
import { describe, expect, it } from "vitest";
import { cli } from "../helpers/cli.js";

const PET = "test/fixtures/data/dicom/pet_axial";

describe("bare numbers where a unit matters", () => {
  const suvCases: [string[], RegExp][] = [
    [["--dose", "370"], /--dose 370MBq/],
    [["--half-life", "12.7"], /--half-life 12\.7h/],
    [["--height-cm", "1.68"], /looks like metres: write --height-cm 168/],
    [["--dose-mbq", "370MBq"], /--dose-mbq 370, or --dose 370MBq/],
  ];
  for (const [args, hint] of suvCases) {
    it(`suv ${args.join(" ")} → exit 2`, async () => {
      const r = await cli(["suv", PET, ...args]);
      expect(r.code).toBe(2);
      expect(r.stderr).toMatch(hint);
    });
  }
  it("suv with units still works: --dose 370MBq equals the header (370 MBq)", async () => {
    const a = JSON.parse((await cli(["suv", PET, "--json"])).stdout);
    const b = JSON.parse(
      (await cli(["suv", PET, "--json", "--dose", "370MBq", "--half-life", "12.7h"])).stdout,
    );
    expect(b.suvBwScaleFactor).toBe(a.suvBwScaleFactor);
  });
  it("radiolabel plan --dose 8 → exit 2 asking for MBq", async () => {
    const r = await cli(
      ["radiolabel", "plan", "--stock", "1GBq", "--stock-ml", "0.5"]
        .concat([
          "--calibrated",
          "2025-03-01T08:00:00Z",
          "--draw",
          "2025-03-01T09:30:00Z",
          "--want",
          "400MBq",
        ])
        .concat(["--eos", "2025-03-01T09:45:00Z", "--inject", "2025-03-01T11:00:00Z", "--dose", "8"]),
    );
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/--dose needs a unit.*\nhint: write e\.g\. --dose 8MBq/);
  });
  it("assay --efficiency 45 (percent) → exit 2 suggesting 0.45", async () => {
    const H = "test/fixtures/data/assay/hand";
    const r = await cli(
      ["assay", "analyze", "--layout", `${H}/layout.csv`, "--counts", `${H}/counts.csv`].concat([
        "--efficiency",
        "45",
      ]),
    );
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/--efficiency 0\.45/);
  });
});

describe("suv: residual time before the injection", () => {
  it("is warned about (usually a date or zone typo)", async () => {
    const r = await cli([
      "suv",
      PET,
      "--json",
      "--residual-mbq",
      "10",
      "--residual-time",
      "2025-03-01T08:20:00",
    ]);
    expect(r.code).toBe(0);
    const j = JSON.parse(r.stdout);
    // Header injection 09:15 (fixture), residual 08:20 → 55 min before.
    expect(j.warnings.join("\n")).toMatch(/residual activity measured 55\.0 min before the injection/);
  });
});
