/**
 * Regression: `--out PATH` where PATH is an existing file (or below one) crashed with
 * "internal error: Error: EEXIST: file already exists, mkdir" (exit 70) in `atsm radiolabel record`
 * and `atsm assay analyze`. Both now exit 2 naming the path and the flag.
 */
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { cli } from "../helpers/cli.js";

describe("--out pointing at a file", () => {
  const dir = mkdtempSync(join(tmpdir(), "atsm-out-"));
  const file = join(dir, "afile");
  writeFileSync(file, "x");
  it("radiolabel record", async () => {
    const r = await cli(["radiolabel", "record", "examples/radiolabel/batch.json", "--out", file]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/--out must be a folder, but a file of that name exists/);
    expect(r.stderr).not.toMatch(/internal error/);
  });
  it("assay analyze (a folder below a file)", async () => {
    const H = "test/fixtures/data/assay/hand";
    const r = await cli(
      ["assay", "analyze", "--layout", `${H}/layout.csv`, "--counts", `${H}/counts.csv`].concat([
        "--out",
        join(file, "sub"),
      ]),
    );
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/cannot create the --out folder \(ENOTDIR\)/);
  });
});
