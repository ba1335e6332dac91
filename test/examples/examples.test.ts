/**
 * The runnable examples (STYLE.md §15: "runnable examples/ that CI also executes"). Each top-level
 * examples/*.ts runs in a child `node --import tsx` and must exit 0 and print the expected text.
 * The expected numbers are derived by hand in each example's header comment.
 */
import { execFile } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { afterAll, describe, expect, it } from "vitest";

const ROOT = resolve(import.meta.dirname, "../..");
const EXAMPLES = join(ROOT, "examples");
const tmp = mkdtempSync(join(tmpdir(), "atsm-examples-test-"));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

interface ExampleCase {
  readonly file: string;
  readonly args?: readonly string[];
  /** Substrings the output must contain (source of each number in the example's header). */
  readonly expect: readonly string[];
}

const CASES: readonly ExampleCase[] = [
  // T½(64Cu) 45 720 s (ICRP-107); 185 MBq × 2^(−2.5/12.7) = 161.4 MBq.
  { file: "decay.ts", expect: ["Cu-64 half-life 45720 s", "161.4 MBq", "43.6 MBq"] },
  // QIBA SUVbw = 70 000 g / (370 MBq · 2^(−3600/45720)) = 1.9980e-4, by hand in the example.
  { file: "suv.ts", expect: ["SUVbw scale factor 1.9980e-4 (by hand 1.9980e-4)", "SUVbw 2.00"] },
  // Noise-free phantom: T/Mmax = 5000/1000; hypoxic core 136 voxels × 8 µL = 1.09 mL.
  {
    file: "quantify-phantom.ts",
    expect: ["T/Mmax 5.00", "reference mean 1000 Bq/mL", "hypoxic volume (T/M ≥ 3) 1.09 mL"],
  },
  // tlc-pass.csv is made with RCP 98.8 % (test/fixtures/make/chromatogram_make.ts).
  { file: "radiolabel-qc.ts", expect: ["RCP 98.8", "PASS", "doses"] },
  // MCF-7 preset fitted to 1.1 % / 2.75 % uptake at 3 h (src/sim/presets/cell-lines.ts).
  { file: "cell-uptake.ts", expect: ["21 % O2: 1.10 %", "1 % O2: 2.75 %"] },
  // The app-layer example (writes the synthetic demo study into a temp folder).
  { file: "quantify.ts", args: [join(tmp, "quantify")], expect: ["T/Mmax", "report.html"] },
];

function runExample(file: string, args: readonly string[]): Promise<{ code: number; out: string }> {
  return new Promise((done) => {
    execFile(
      process.execPath,
      ["--import", "tsx", join(EXAMPLES, file), ...args],
      { cwd: ROOT, env: { ...process.env, TZ: "UTC", NO_COLOR: "1" }, maxBuffer: 16 * 1024 * 1024 },
      (err, stdout, stderr) => {
        const code = err ? (typeof err.code === "number" ? err.code : 1) : 0;
        done({ code, out: `${stdout}${stderr}` });
      },
    );
  });
}

describe("examples/", () => {
  it("every top-level example is run here and listed in examples/README.md", () => {
    const files = readdirSync(EXAMPLES)
      .filter((f) => f.endsWith(".ts"))
      .sort();
    expect(files).toEqual(CASES.map((c) => c.file).sort());
    const readme = readFileSync(join(EXAMPLES, "README.md"), "utf8");
    for (const f of files) expect(readme, `examples/README.md lists ${f}`).toContain(f);
  });

  for (const c of CASES) {
    it(`${c.file} runs and prints ${c.expect.map((e) => JSON.stringify(e)).join(", ")}`, async () => {
      const { code, out } = await runExample(c.file, c.args ?? []);
      expect(code, out).toBe(0);
      for (const e of c.expect) expect(out).toContain(e);
    });
  }
});
