/**
 * Regressions from the `atsm assay analyze` user test:
 * - `--decimal-comma` (for a European ;-delimited counter export) refused the comma-delimited
 *   layout of the same run ("a decimal comma cannot be used in a comma-delimited file");
 * - the text summary printed "ratio hypoxic/normoxic (uptake, 15 min): 1.99" beside a table whose
 *   uptake % gives 1.72: the ratio is of %/µg protein, and now says so; ANOVA F lacked its
 *   residual df; fit plateaus had no unit; an undefined Fieller CI printed "–––".
 */
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { cli } from "../helpers/cli.js";
import { expectClose } from "../helpers/close.js";

const HAND = "test/fixtures/data/assay/hand";

describe("assay: --decimal-comma with a mixed set of files", () => {
  it("reads a ;-delimited decimal-comma counts file beside a comma-delimited layout", async () => {
    const dir = mkdtempSync(join(tmpdir(), "atsm-dc-"));
    // Same counts as the hand plate, semicolon-delimited with decimal commas ("60,0").
    const lines = readFileSync(join(HAND, "counts.csv"), "utf8").trim().split("\n");
    const dc = [lines[0]!.replaceAll(",", ";")].concat(
      lines.slice(1).map((l) => {
        const [w, c, t, e] = l.split(",");
        return [w, c, `${t},0`, e].join(";");
      }),
    );
    writeFileSync(join(dir, "counts.csv"), `${dc.join("\n")}\n`);
    const args = [
      "assay",
      "analyze",
      "--layout",
      join(HAND, "layout.csv"),
      "--counts",
      join(dir, "counts.csv"),
    ].concat(["--lysate-ml", "0.5", "--reference-time", "2025-03-12T10:00:00Z", "--json"]);
    const refused = await cli(args);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toMatch(/decimal comma in column countTimeS.*--decimal-comma/s);
    const r = await cli([...args, "--decimal-comma"]);
    expect(r.code).toBe(0);
    const j = JSON.parse(r.stdout);
    const n = j.groups.find((g: { condition: string }) => g.condition === "normoxic");
    // docs/assay.md hand-computed plate: normoxic uptake 1.10 %.
    expectClose(n.uptakePercent, 1.1, { rel: 1e-9 }, "normoxic uptake %");
  });
});

describe("assay: the text summary says what each number is of", () => {
  it("ratios, tests, ANOVA df and fit units are labelled", async () => {
    const r = await cli(
      ["assay", "analyze", "--layout", "examples/assay/layout.csv"]
        .concat(["--counts", "examples/assay/counts-wizard2.csv", "--protein", "examples/assay/protein.csv"])
        .concat(["--lysate-ml", "0.5"]),
    );
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(
      /ratio hypoxic\/normoxic of uptake, % of added per µg protein \(uptake, 15 min\)/,
    );
    expect(r.stdout).toMatch(
      /ratio hypoxic\/normoxic of retention, % of activity at washout \(efflux, 30 min\)/,
    );
    expect(r.stdout).toMatch(/condition F\(1, 16\) = /);
    expect(r.stdout).toMatch(/Plateau = [\d.]+ ± [\de.-]+ %\/µg, K = /);
  });
  it("an unbounded Fieller interval is explained, not printed as dashes", async () => {
    const dir = mkdtempSync(join(tmpdir(), "atsm-n1-"));
    const counts = readFileSync(join(HAND, "counts.csv"), "utf8")
      .split("\n")
      .filter((l) => !l.startsWith("H2"))
      .join("\n");
    writeFileSync(join(dir, "counts.csv"), counts);
    const r = await cli(
      ["assay", "analyze", "--layout", join(HAND, "layout.csv")].concat([
        "--counts",
        join(dir, "counts.csv"),
        "--lysate-ml",
        "0.5",
      ]),
    );
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/CI unbounded/);
    expect(r.stdout).not.toMatch(/–––/);
    expect(r.stdout).toMatch(/warning: layout well H2 \(sample\) has no counts/);
  });
});

describe("assay: Wizard2 clock zone", () => {
  it("--counter-utc-offset +25:00 (a typo) is refused, +01:00 accepted", async () => {
    const { parseUtcOffsetMin } = await import("../../src/io/lab/wizard2.js");
    expect(parseUtcOffsetMin("+01:00")).toBe(60);
    expect(parseUtcOffsetMin("+14:00")).toBe(840); // Kiribati, the easternmost zone
    expect(() => parseUtcOffsetMin("+25:00")).toThrow(/cannot parse UTC offset/);
    expect(() => parseUtcOffsetMin("+01:75")).toThrow(/cannot parse UTC offset/);
  });
});

describe("assay layout: condition typos", () => {
  it("'hypoxic' and 'Hypoxic' are refused instead of making two groups of n = 1", async () => {
    const dir = mkdtempSync(join(tmpdir(), "atsm-case-"));
    const layout = readFileSync(join(HAND, "layout.csv"), "utf8").replace(
      "H2,sample,hypoxic",
      "H2,sample,Hypoxic",
    );
    writeFileSync(join(dir, "layout.csv"), layout);
    const r = await cli([
      "assay",
      "analyze",
      "--layout",
      join(dir, "layout.csv"),
      "--counts",
      join(HAND, "counts.csv"),
    ]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/conditions "hypoxic" \(row 6\) and "Hypoxic" differ only in case/);
  });
});

describe("assay: British spelling", () => {
  it("`atsm assay analyse` works like analyze", async () => {
    const r = await cli([
      "assay",
      "analyse",
      "--layout",
      `${HAND}/layout.csv`,
      "--counts",
      `${HAND}/counts.csv`,
    ]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/In-vitro uptake assay/);
  });
});
