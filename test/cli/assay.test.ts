/** `atsm assay analyze` end to end on the example plate and the hand-computed plate. */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { cli } from "../helpers/cli.js";
import { expectClose } from "../helpers/close.js";

const ROOT = new URL("../../", import.meta.url).pathname;
const ex = (f: string) => join(ROOT, "examples/assay", f);
const hand = (f: string) => join(ROOT, "test/fixtures/data/assay/hand", f);
const tmp = mkdtempSync(join(tmpdir(), "atsm-assay-"));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

describe("atsm assay analyze", () => {
  it("--help", async () => {
    const r = await cli(["assay", "analyze", "--help"]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/--counter-decay-corrected/);
  });
  it("--json on the hand plate prints the documented numbers (docs/assay.md)", async () => {
    const r = await cli([
      "assay",
      "analyze",
      "--layout",
      hand("layout.csv"),
      "--counts",
      hand("counts.csv"),
      "--protein",
      hand("protein.csv"),
      "--lysate-ml",
      "0.5",
      "--reference-time",
      "2025-03-12T10:00:00Z",
      "--protein-model",
      "linear",
      "--json",
    ]);
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
    const j = JSON.parse(r.stdout);
    const n = j.groups.find((g: { condition: string }) => g.condition === "normoxic");
    expect(n).toMatchObject({ condition: "normoxic", timeMin: 60, uptakePercent: 1.1, n: 2 });
    expectClose(n.uptakePercentPerUgProtein, 0.0098, { rel: 1e-6 }, "normoxic %/µg");
    expectClose(j.ratios[0].ratio, 4.7619, { rel: 1e-4 }, "ratio (hand: 0.046667/0.0098)");
    expect(j.referenceTime).toBe("2025-03-12T10:00:00.000Z");
    expect(Array.isArray(j.tests) && Array.isArray(j.fits) && Array.isArray(j.warnings)).toBe(true);
  });
  it("example plate (Wizard2) with --out writes HTML, PDF and JSON with no NaN", async () => {
    const out = join(tmp, "report");
    const r = await cli([
      "assay",
      "analyze",
      "--layout",
      ex("layout.csv"),
      "--counts",
      ex("counts-wizard2.csv"),
      "--protein",
      ex("protein.csv"),
      "--lysate-ml",
      "0.5",
      "--out",
      out,
      "--json",
    ]);
    expect(r.code).toBe(0);
    expect(r.stdout).not.toMatch(/NaN/);
    const j = JSON.parse(r.stdout);
    expect(j.countsFormat).toBe("wizard2");
    expect(j.groups.length).toBe(16);
    expect(j.tests.filter((t: { kind: string }) => t.kind === "two-way-anova").length).toBe(2);
    expect(j.fits.map((f: { model: string }) => f.model)).toEqual([
      "one-phase-association",
      "one-phase-association",
      "one-phase-decay",
      "one-phase-decay",
    ]);
    const html = readFileSync(join(out, "report.html"), "utf8");
    expect(html).toMatch(/<svg/);
    expect(html).toMatch(/Table 1/);
    expect(readFileSync(join(out, "report.pdf")).subarray(0, 5).toString()).toBe("%PDF-");
  });
  it("generic counts give the same groups as Wizard2 within the per-detector CPM normalisation (±1.6 %)", async () => {
    const args = [
      "--layout",
      ex("layout.csv"),
      "--protein",
      ex("protein.csv"),
      "--lysate-ml",
      "0.5",
      "--json",
    ];
    const a = JSON.parse(
      (await cli(["assay", "analyze", "--counts", ex("counts-wizard2.csv"), ...args])).stdout,
    );
    const b = JSON.parse(
      (await cli(["assay", "analyze", "--counts", ex("counts-generic.csv"), ...args])).stdout,
    );
    a.groups.forEach((g: { uptakePercent: number }, i: number) => {
      expectClose(b.groups[i].uptakePercent, g.uptakePercent, { rel: 0.03 }, `group ${i}`);
    });
  });
  it("counter-side decay correction: asks for the flag, then does not correct twice", async () => {
    const counts = join(ROOT, "test/fixtures/data/assay/wizard2-counter-decay-corrected.csv");
    const base = ["assay", "analyze", "--layout", ex("layout.csv"), "--counts", counts, "--lysate-ml", "0.5"];
    const r = await cli([...base, "--json"]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/decay-corrected its CPM already/);
    expect(r.stderr).toMatch(/hint: pass --counter-decay-corrected yes/);
    const ok = await cli([...base, "--counter-decay-corrected", "yes", "--json"]);
    expect(ok.code).toBe(0);
    expect(JSON.parse(ok.stdout).counterDecayCorrected).toBe(true);
  });
  it("user errors exit 2 with message and hint", async () => {
    const r = await cli(["assay", "analyze", "--layout", ex("layout.csv")]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/missing --counts/);
    const bad = await cli([
      "assay",
      "analyze",
      "--layout",
      ex("layout.csv"),
      "--counts",
      ex("counts-generic.csv"),
      "--protein-model",
      "cubic",
    ]);
    expect(bad.stderr).toMatch(/invalid --protein-model.*\nhint: one of auto, linear, quadratic, 4pl/);
  });
  it("semicolon files with decimal commas: error with a hint, then read with --decimal-comma", async () => {
    const semi = (f: string) => {
      const p = join(tmp, `semi-${f}`);
      writeFileSync(
        p,
        readFileSync(hand(f), "utf8")
          .replace(/,/g, ";")
          .replace(/(\d)\.(\d)/g, "$1,$2"),
      );
      return p;
    };
    const args = [
      "assay",
      "analyze",
      "--layout",
      semi("layout.csv"),
      "--counts",
      semi("counts.csv"),
      "--protein",
      semi("protein.csv"),
      "--lysate-ml",
      "0.5",
      "--reference-time",
      "2025-03-12T10:00:00Z",
      "--protein-model",
      "linear",
      "--json",
    ];
    const bad = await cli(args);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(
      /decimal comma in column standardFraction: "0,1" \(semi-layout\.csv, row 3, field standardFraction\)/,
    );
    const ok = await cli([...args, "--decimal-comma"]);
    expect(ok.code).toBe(0);
    expect(JSON.parse(ok.stdout).groups[0].uptakePercent).toBe(1.1);
  });
  it("--efficiency and --dead-time-s: Bq reported; --reference-condition must exist", async () => {
    const base = [
      "assay",
      "analyze",
      "--layout",
      hand("layout.csv"),
      "--counts",
      hand("counts.csv"),
      "--reference-time",
      "2025-03-12T10:00:00Z",
    ];
    const r = await cli([...base, "--efficiency", "0.5", "--dead-time-s", "1e-6", "--json"]);
    expect(r.code).toBe(0);
    const j = JSON.parse(r.stdout);
    // hand: STD1 gross 1001 cps → 1001/(1 − 1001e-6) = 1002.003 cps; − background 1.000001 cps;
    // ÷ 0.1 × decay-during-count factor 1.000455; ÷ ε 0.5 ⇒ ≈ 20,049 Bq added per well
    const lt = (Math.LN2 / (12.7 * 3600)) * 60;
    const added = ((1001 / (1 - 1001e-6) - 1 / (1 - 1e-6)) / 0.1) * (lt / -Math.expm1(-lt));
    expectClose(j.added.ratePerS, added, { rel: 1e-5 }, "added rate with dead time");
    expectClose(j.added.activityBq, added / 0.5, { rel: 1e-5 }, "added Bq");
    expect(j.response).toBe("uptakePercent"); // no protein file
    const bad = await cli([...base, "--reference-condition", "anoxic"]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/hint: one of "normoxic", "hypoxic"/);
  });
});
