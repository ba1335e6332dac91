import { existsSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { parseCsv } from "../../src/io/csv.js";
import { REFERENCE_SPEC, SUV_PER_BQML, TUMOR_SPEC, writeAnalyticStudy } from "../app/study-fixture.js";
import { cli } from "../helpers/cli.js";
import { expectClose } from "../helpers/close.js";

let dir: string;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), "atsm-cli-q-"));
  await writeAnalyticStudy(join(dir, "a"));
  await writeAnalyticStudy(join(dir, "b"));
});

describe("atsm quantify", () => {
  it("--help lists the options and the VOI grammar", async () => {
    const r = await cli(["quantify", "--help"]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/--tumor SPEC/);
    expect(r.stdout).toMatch(/--batch CSV/);
    expect(r.stdout).toMatch(/sphere:X,Y,Z,R/);
  });

  it("--json prints the read-out with the fields of issue 3, equal to the analytic values", async () => {
    const r = await cli(
      [
        "quantify",
        "a/pet.nii.gz",
        "--tumor",
        TUMOR_SPEC,
        "--reference",
        REFERENCE_SPEC,
        "--cutoff",
        "cervix",
        "--json",
      ],
      dir,
    );
    expect(r.code, r.stderr).toBe(0);
    const j = JSON.parse(r.stdout);
    for (const k of ["suvMax", "suvMean", "suvPeak", "volumeMl"]) expect(typeof j.tumor[k], k).toBe("number");
    for (const k of ["suvMean", "volumeMl"]) expect(typeof j.reference[k], k).toBe("number");
    for (const k of ["tmrMax", "tmrMean", "tmrPeak", "hypoxicVolumeMl", "hypoxicFraction"])
      expect(typeof j[k], k).toBe("number");
    expect(j.prognosis.preset).toBe("cervix");
    expect(j.prognosis.cutoff).toBe(3.5);
    expect(["hypoxic", "non-hypoxic"]).toContain(j.prognosis.class);
    // analytic phantom (test/app/study-fixture.ts): core 8000 / muscle 2000 Bq/mL
    expectClose(j.tmrMax, 4, { rel: 1e-6 }, "tmrMax");
    expectClose(j.tumor.suvMax, 8000 * SUV_PER_BQML, { rel: 1e-6 }, "SUVmax");
  });

  it("--weight-kg overrides the header weight (SUV scales with weight, T/M does not)", async () => {
    const r = await cli(
      [
        "quantify",
        "a/pet.nii.gz",
        "--tumor",
        TUMOR_SPEC,
        "--reference",
        REFERENCE_SPEC,
        "--weight-kg",
        "35",
        "--json",
      ],
      dir,
    );
    expect(r.code, r.stderr).toBe(0);
    const j = JSON.parse(r.stdout);
    expectClose(j.tumor.suvMax, (8000 * SUV_PER_BQML) / 2, { rel: 1e-6 }, "SUVmax at half the weight");
    expectClose(j.tmrMax, 4, { rel: 1e-6 }, "tmrMax");
    expect(j.prognosis).toBe(null);
  });

  it("--out writes the six outputs and prints a summary", async () => {
    const r = await cli(
      ["quantify", "a/pet.nii.gz", "--tumor", TUMOR_SPEC, "--reference", REFERENCE_SPEC, "--out", "out"],
      dir,
    );
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/T\/M\s+max 4\.00/);
    for (const f of [
      "report.html",
      "report.pdf",
      "metrics.csv",
      "metrics.json",
      "vois.nii.gz",
      "vois-seg.dcm",
    ])
      expect(existsSync(join(dir, "out", f)), f).toBe(true);
  });

  it("missing --reference is a clear error (exit 2)", async () => {
    const r = await cli(["quantify", "a/pet.nii.gz", "--tumor", TUMOR_SPEC], dir);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/--reference/);
  });

  it("--batch: one bad row fills its error column; the other rows are quantified", async () => {
    writeFileSync(
      join(dir, "studies.csv"),
      [
        "id,study,tumor,reference,cutoff,weight-kg",
        `A,a/pet.nii.gz,${JSON.stringify(TUMOR_SPEC)},${JSON.stringify(REFERENCE_SPEC)},cervix,`,
        `bad,missing/pet.nii.gz,${JSON.stringify(TUMOR_SPEC)},${JSON.stringify(REFERENCE_SPEC)},cervix,`,
        `B,b/pet.nii.gz,${JSON.stringify(TUMOR_SPEC)},${JSON.stringify(REFERENCE_SPEC)},3,35`,
      ].join("\n"),
    );
    const r = await cli(["quantify", "--batch", "studies.csv", "--out", "batch"], dir);
    expect(r.code).toBe(1); // some rows failed
    expect(r.stderr).toMatch(/batch: 100%/);
    const t = parseCsv(readFileSync(join(dir, "batch", "batch-results.csv"), "utf8"));
    expect(t.rows.length).toBe(3);
    const get = (row: number, c: string) => t.text(t.rows[row]!, t.column(c));
    expect(get(0, "status")).toBe("ok");
    expect(get(1, "status")).toBe("error");
    expect(get(1, "error")).toMatch(/not found/);
    expect(get(2, "status")).toBe("ok");
    expectClose(Number(get(0, "tmrMax")), 4, { rel: 1e-5 }, "row A tmrMax");
    // weight column of row B halves SUV (35 kg vs header 70 kg)
    expectClose(
      Number(get(2, "tumorSuvMax")),
      Number(get(0, "tumorSuvMax")) / 2,
      { rel: 1e-5 },
      "row B SUVmax",
    );
    expect(get(0, "prognosisClass")).not.toBe("");
    expect(existsSync(join(dir, "batch", "A", "report.html"))).toBe(true);
    expect(r.stdout).toMatch(/2 of 3 studies quantified/);
  });
});
