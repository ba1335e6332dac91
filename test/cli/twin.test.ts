import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { cli } from "../helpers/cli.js";
import { expectClose } from "../helpers/close.js";

describe("atsm twin", () => {
  it("--help lists the subcommands", async () => {
    const r = await cli(["twin", "--help"]);
    expect(r.code).toBe(0);
    for (const s of ["cell", "xenograft", "patient", "fit", "study"]) expect(r.stdout).toContain(s);
  });

  it("cell --line MCF-7 --o2 1 --time 3h --json → uptakePercent ≈ 2.75 (Table 1 [S], ±5 %)", async () => {
    const r = await cli(["twin", "cell", "--line", "MCF-7", "--o2", "1", "--time", "3h", "--json"]);
    expect(r.code).toBe(0);
    const j = JSON.parse(r.stdout);
    expectClose(j.uptakePercent, 2.75, { rel: 0.05 }, "hypoxic");
    expectClose(j.normoxicUptakePercent, 1.1, { rel: 0.05 }, "normoxic");
    expectClose(j.ratioToNormoxic, 2.5, { rel: 0.1 }, "ratio");
    expect(j.timeCourse.length).toBeGreaterThanOrEqual(5);
  });

  it("cell text output and washout retention", async () => {
    const r = await cli(["twin", "cell", "--line", "hek293", "--o2", "0.5", "--washout", "2h"]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/HEK-293 at 0.5 % O2/);
    expect(r.stdout).toMatch(/retention/);
  });

  it("cell with an unknown line names the known ones", async () => {
    const r = await cli(["twin", "cell", "--line", "HeLa"]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/unknown cell line/);
    expect(r.stderr).toMatch(/MCF-7/);
  });

  it("xenograft --model FaDu --times 20m,90m,18h --json → tmr ≈ [4, ·, 12] (Table 2 [S], ±20 %)", async () => {
    const r = await cli(["twin", "xenograft", "--model", "FaDu", "--times", "20m,90m,18h", "--json"]);
    expect(r.code).toBe(0);
    const j = JSON.parse(r.stdout);
    expect(j.tmr).toHaveLength(3);
    expectClose(j.tmr[0], 4, { rel: 0.2 }, "20 min");
    expectClose(j.tmr[2], 12, { rel: 0.2 }, "18 h");
  });

  it("patient --preset cervix-hypoxic is above 3.5, cervix-normoxic below", async () => {
    const h = JSON.parse((await cli(["twin", "patient", "--preset", "cervix-hypoxic", "--json"])).stdout);
    const n = JSON.parse((await cli(["twin", "patient", "--preset", "cervix-non-hypoxic", "--json"])).stdout);
    expect(h.tmr).toBeGreaterThan(3.5);
    expect(n.tmr).toBeLessThan(3.5);
    expect(h.aboveCutoff).toBe(true);
  });

  it("fit --data CSV --json reports parameters ± SE and residuals", async () => {
    const dir = mkdtempSync(join(tmpdir(), "atsm-twin-"));
    const file = join(dir, "assay.csv");
    // MCF-7 preset predictions (rounded to 3 digits) as a synthetic assay.
    const body = await cli(["twin", "cell", "--line", "MCF-7", "--o2", "1", "--json"]);
    const j = JSON.parse(body.stdout);
    const rows = j.timeCourse.flatMap(
      (p: { timeMin: number; uptakePercent: number; normoxicUptakePercent: number }) => [
        `hypoxic,1,${p.timeMin},${p.uptakePercent.toFixed(3)},0.02`,
        `normoxic,21,${p.timeMin},${p.normoxicUptakePercent.toFixed(3)},0.02`,
      ],
    );
    writeFileSync(file, `condition,o2Percent,timeMin,uptakePercent,sd\n${rows.join("\n")}\n`);
    const r = await cli(["twin", "fit", "--data", "assay.csv", "--json"], dir);
    expect(r.code).toBe(0);
    const f = JSON.parse(r.stdout);
    const kRed = f.parameters.find((p: { name: string }) => p.name === "kRedPerS");
    expectClose(kRed.value, 1.2601e-3, { rel: 0.02 }, "kRed back");
    expect(kRed.standardError).toBeGreaterThan(0);
    expect(f.points).toHaveLength(rows.length);
    const txt = await cli(["twin", "fit", "--data", file]);
    expect(txt.stdout).toMatch(/±/);
  });

  it("fit with a missing file says which", async () => {
    const r = await cli(["twin", "fit", "--data", "/nonexistent/a.csv"]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/a\.csv/);
  });

  it("study --help prints its usage", async () => {
    const r = await cli(["twin", "study", "--help"]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/usage: atsm twin study/);
  });

  it("every subcommand has --help", async () => {
    for (const sub of ["cell", "xenograft", "patient", "fit"]) {
      const r = await cli(["twin", sub, "--help"]);
      expect(r.code).toBe(0);
      expect(r.stdout).toMatch(new RegExp(`usage: atsm twin ${sub}`));
    }
  });

  it("unknown subcommand", async () => {
    const r = await cli(["twin", "cels"]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/cell, xenograft/);
  });
});
