/**
 * Radiolabel batch documents: the server-side computation (trace text inline) gives exactly the
 * record `atsm radiolabel record BATCH.json --json` prints for the same batch and trace file.
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { computeRadiolabelBatch } from "../../../src/app/documents/index.js";
import { cli } from "../../helpers/cli.js";
import { expectAtsmErrorAsync } from "../../helpers/errors.js";

const ROOT = new URL("../../../", import.meta.url).pathname;
const ex = (f: string) => join(ROOT, "examples/radiolabel", f);
const TMP = mkdtempSync(join(tmpdir(), "atsm-doc-radiolabel-"));
afterAll(() => rmSync(TMP, { recursive: true, force: true }));
const batch = () => JSON.parse(readFileSync(ex("batch.json"), "utf8")) as Record<string, unknown>;

async function cliRecord(b: Record<string, unknown>, traceFile?: string): Promise<unknown> {
  const dir = mkdtempSync(join(TMP, "cli-"));
  if (traceFile !== undefined) writeFileSync(join(dir, "tlc-pass.csv"), readFileSync(ex(traceFile)));
  writeFileSync(join(dir, "batch.json"), JSON.stringify(b));
  const r = await cli(["radiolabel", "record", join(dir, "batch.json"), "--out", join(dir, "out"), "--json"]);
  expect(r.code, r.stderr).toBe(0);
  return JSON.parse(r.stdout);
}

describe("computeRadiolabelBatch", () => {
  it("example batch + TLC trace text = the CLI's record JSON (every number)", async () => {
    const expected = await cliRecord(batch(), "tlc-pass.csv");
    const docTmp = mkdtempSync(join(TMP, "doc-"));
    const got = await computeRadiolabelBatch(
      { ...batch(), qcTraceText: readFileSync(ex("tlc-pass.csv"), "utf8") },
      { tmpDir: docTmp },
    );
    expect(got.result).toEqual(expected);
    expect(got.name).toBe("CuATSM-2025-03-01-A — [64Cu]Cu-ATSM for preclinical PET");
    const r = got.result as {
      release: { decision: string };
      rcpPercent: number;
      rcyDecayCorrectedPercent: number;
    };
    expect(r.release.decision).toBe("released");
    expect(r.rcpPercent).toBeGreaterThan(98);
    expect(readdirSync(docTmp)).toEqual([]); // temporary folder removed
  });

  it("the failing trace: same rejection as the CLI; opts.qcTraceText overrides the field", async () => {
    const expected = await cliRecord(batch(), "tlc-fail.csv");
    const got = await computeRadiolabelBatch(
      { ...batch(), qcTraceText: "ignored" },
      { qcTraceText: readFileSync(ex("tlc-fail.csv"), "utf8") },
    );
    expect(got.result).toEqual(expected);
    expect((got.result as { release: { decision: string } }).release.decision).toBe("rejected");
  });

  it("no qc.trace and no text: RCP missing, as on the CLI", async () => {
    const b = batch();
    b.qc = { ...(b.qc as object), trace: undefined };
    const got = await computeRadiolabelBatch(b);
    expect(got.result).toEqual(await cliRecord(JSON.parse(JSON.stringify(b))));
    expect((got.result as { rcpPercent: unknown }).rcpPercent).toBeNull();
  });

  it("qc.trace named but no text → MISSING_INPUT; a path in qc.trace never reads the server's files", async () => {
    await expectAtsmErrorAsync(() => computeRadiolabelBatch(batch()), {
      code: "MISSING_INPUT",
      hint: /qcTraceText/,
    });
    const b = batch();
    b.qc = { ...(b.qc as object), trace: "../../../../etc/passwd" };
    const got = await computeRadiolabelBatch({ ...b, qcTraceText: readFileSync(ex("tlc-pass.csv"), "utf8") });
    expect((got.result as { input: { qc: { trace: string } } }).input.qc.trace).toBe("passwd");
    expect((got.result as { rcpPercent: number }).rcpPercent).toBeGreaterThan(98);
  });

  it("bad input → INVALID_ARGUMENT / PARSE_ERROR without the temporary path", async () => {
    await expectAtsmErrorAsync(() => computeRadiolabelBatch([1, 2]), { code: "INVALID_ARGUMENT" });
    await expectAtsmErrorAsync(() => computeRadiolabelBatch({ product: "x" }), {
      code: "INVALID_ARGUMENT",
      message: /batchNumber is missing/,
    });
    const e = await expectAtsmErrorAsync(
      () => computeRadiolabelBatch({ ...batch(), qcTraceText: "this is not a trace\n1;2;3\n" }),
      {},
    );
    expect(e.message).not.toMatch(/atsm-doc-/);
    await expectAtsmErrorAsync(() => computeRadiolabelBatch({ ...batch(), qcTraceText: 42 }), {
      code: "INVALID_ARGUMENT",
      message: /qcTraceText must be a string/,
    });
  });
});
