import { existsSync, mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { cli } from "../helpers/cli.js";
import { expectClose } from "../helpers/close.js";

describe("atsm radiolabel", () => {
  it("qc --json prints rcpPercent, peaks with rf/area/percent, pass (issue 5 example)", async () => {
    const r = await cli([
      "radiolabel",
      "qc",
      "examples/radiolabel/tlc-pass.csv",
      "--origin-mm",
      "10",
      "--front-mm",
      "90",
      "--product-rf",
      "0.45:0.75",
      "--json",
    ]);
    expect(r.code).toBe(0);
    const j = JSON.parse(r.stdout);
    // Generated with areas 1200 (Rf 0.0125) and 98800 (Rf 0.6): RCP 98.8 % (fixture script).
    expectClose(j.rcpPercent, 98.8, { abs: 0.15 }, "RCP");
    expect(j.pass).toBe(true);
    expect(j.peaks.length).toBe(2);
    for (const p of j.peaks)
      expect(Object.keys(p)).toEqual(expect.arrayContaining(["rf", "area", "percent"]));
  });
  it("qc exits 1 on a failing batch and says FAIL", async () => {
    const r = await cli([
      "radiolabel",
      "qc",
      "examples/radiolabel/tlc-fail.csv",
      "--origin-mm",
      "10",
      "--front-mm",
      "90",
      "--product-rf",
      "0.45:0.75",
    ]);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/FAIL/);
  });
  it("qc on HPLC uses --product-time and reports timeS", async () => {
    const r = await cli([
      "radiolabel",
      "qc",
      "examples/radiolabel/hplc.csv",
      "--product-time",
      "500:580",
      "--json",
    ]);
    const j = JSON.parse(r.stdout);
    expectClose(j.rcpPercent, 99.0, { abs: 0.15 }, "RCP");
    expect(j.peaks[1].timeS).toBeCloseTo(540, 0);
  });
  it("qc without the product window names the flag", async () => {
    const r = await cli([
      "radiolabel",
      "qc",
      "examples/radiolabel/tlc-pass.csv",
      "--origin-mm",
      "10",
      "--front-mm",
      "90",
    ]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/--product-rf/);
  });
  it("plan --json gives draw volume and doses", async () => {
    const r = await cli([
      "radiolabel",
      "plan",
      "--stock",
      "1GBq",
      "--stock-ml",
      "0.5",
      "--calibrated",
      "2025-03-01T08:00:00Z",
      "--draw",
      "2025-03-01T20:42:00Z",
      "--want",
      "200MBq",
      "--eos",
      "2025-03-01T21:12:00Z",
      "--inject",
      "2025-03-01T21:12:00Z",
      "--dose",
      "10MBq",
      "--rcy",
      "0.9",
      "--json",
    ]);
    expect(r.code).toBe(0);
    const j = JSON.parse(r.stdout);
    // 12 h 42 min = one Cu-64 half-life (12.700 h): 500 MBq left in 0.5 mL -> 0.2 mL for 200 MBq.
    expectClose(j.drawVolumeMl, 0.2, { rel: 1e-9 }, "draw volume");
    expect(j.injections[0].doses).toBe(17);
  });
  it("record writes JSON, HTML and PDF with the release decision", async () => {
    const out = mkdtempSync(join(tmpdir(), "atsm-rec-"));
    const r = await cli(["radiolabel", "record", "examples/radiolabel/batch.json", "--out", out]);
    expect(r.code).toBe(0);
    const j = JSON.parse(readFileSync(join(out, "record.json"), "utf8"));
    expect(j.release.decision).toBe("released");
    // 400 MBq at 09:30, 352 MBq at 09:45: RCY = 88 %, decay-corrected 88 % · 2^(900/45720) = 89.21 %.
    expectClose(j.rcyNonDecayCorrectedPercent, 88, { rel: 1e-12 });
    expectClose(j.rcyDecayCorrectedPercent, 88 * 2 ** (900 / 45720), { rel: 1e-12 });
    expect(readFileSync(join(out, "record.pdf")).subarray(0, 5).toString()).toBe("%PDF-");
    expect(readFileSync(join(out, "record.html"), "utf8")).toMatch(/<svg/);
    expect(existsSync(join(out, "record.html"))).toBe(true);
  });
});
