/**
 * Assay documents: computeAssay on file texts gives exactly the `atsm assay analyze --json` object
 * for the same files and flags (example Wizard2 plate, hand plate of docs/assay.md).
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { computeAssay } from "../../../src/app/documents/index.js";
import { cli } from "../../helpers/cli.js";
import { expectClose } from "../../helpers/close.js";
import { expectAtsmErrorAsync } from "../../helpers/errors.js";

const ROOT = new URL("../../../", import.meta.url).pathname;
const ex = (f: string) => join(ROOT, "examples/assay", f);
const hand = (f: string) => join(ROOT, "test/fixtures/data/assay/hand", f);
const text = (p: string) => readFileSync(p, "utf8");

async function cliJson(args: string[]): Promise<unknown> {
  const r = await cli(["assay", "analyze", ...args, "--json"]);
  expect(r.code, r.stderr).toBe(0);
  return JSON.parse(r.stdout);
}

describe("computeAssay", () => {
  it("example Wizard2 plate + protein, lysate 0.5 mL: same JSON as the CLI", async () => {
    const expected = await cliJson([
      "--layout",
      ex("layout.csv"),
      "--counts",
      ex("counts-wizard2.csv"),
      "--protein",
      ex("protein.csv"),
      "--lysate-ml",
      "0.5",
    ]);
    const got = await computeAssay({
      layoutCsv: text(ex("layout.csv")),
      countsText: text(ex("counts-wizard2.csv")),
      proteinText: text(ex("protein.csv")),
      layoutName: "layout.csv",
      countsName: "counts-wizard2.csv",
      proteinName: "protein.csv",
      options: { lysateMl: 0.5 },
    });
    expect(got.result).toEqual(expected);
    expect(got.name).toMatch(/^Assay \d{4}-\d{2}-\d{2}$/);
  });

  it("hand plate with options at the top level: the documented numbers (docs/assay.md)", async () => {
    const flags = [
      "--lysate-ml",
      "0.5",
      "--reference-time",
      "2025-03-12T10:00:00Z",
      "--protein-model",
      "linear",
    ];
    const expected = await cliJson([
      "--layout",
      hand("layout.csv"),
      "--counts",
      hand("counts.csv"),
      "--protein",
      hand("protein.csv"),
      ...flags,
    ]);
    const got = await computeAssay({
      name: "Hand plate",
      layoutCsv: text(hand("layout.csv")),
      countsText: text(hand("counts.csv")),
      proteinText: text(hand("protein.csv")),
      lysateMl: 0.5,
      referenceTime: "2025-03-12T10:00:00Z",
      proteinModel: "linear",
    });
    const r = got.result as {
      ratios: { ratio: number }[];
      groups: { condition: string; uptakePercentPerUgProtein: number }[];
    };
    // Whole object: every number, warning and file name as the CLI prints them.
    expect(got.result).toEqual(expected);
    expect(got.name).toBe("Hand plate");
    expectClose(r.ratios[0]!.ratio, 4.7619, { rel: 1e-4 }, "ratio (hand: 0.046667/0.0098, docs/assay.md)");
    const n = r.groups.find((g) => g.condition === "normoxic")!;
    expectClose(n.uptakePercentPerUgProtein, 0.0098, { rel: 1e-6 }, "normoxic %/µg (hand)");
  });

  it("bad input: CLI's checks with JSON field names", async () => {
    const base = { layoutCsv: text(hand("layout.csv")), countsText: text(hand("counts.csv")) };
    await expectAtsmErrorAsync(() => computeAssay({ countsText: "x" }), {
      code: "MISSING_INPUT",
      message: /layoutCsv/,
    });
    await expectAtsmErrorAsync(() => computeAssay({ ...base, halfLife: "12.7" }), {
      code: "INVALID_ARGUMENT",
      hint: /12\.7h/,
    });
    await expectAtsmErrorAsync(() => computeAssay({ ...base, efficiency: 45 }), { hint: /0\.45/ });
    await expectAtsmErrorAsync(() => computeAssay({ ...base, lysateVolumeMl: 0.5 }), {
      code: "INVALID_ARGUMENT",
      message: /unknown assay option lysateVolumeMl/,
    });
    await expectAtsmErrorAsync(() => computeAssay({ ...base, lysateMl: "0.5" }), {
      code: "INVALID_ARGUMENT",
    });
    await expectAtsmErrorAsync(() => computeAssay({ ...base, proteinModel: "cubic" }), { hint: /4pl/ });
    await expectAtsmErrorAsync(() => computeAssay("nope"), { code: "INVALID_ARGUMENT" });
    const e = await expectAtsmErrorAsync(
      () => computeAssay({ ...base, layoutCsv: "well,nothing\nA1,2\n" }),
      {},
    );
    expect(e.message).not.toMatch(/atsm-doc-/);
  });
});
