/**
 * Regressions from the batch-record user test: malformed batch JSON crashed the renderer (exit 70),
 * an activity written as a bare number (400 → 400 Bq) gave an RCY of 88 000 000 % and was still
 * RELEASED, free-text release times were accepted, an unsigned record said RELEASED, and the
 * chromatogram lacked the TLC origin / solvent front and the PDF cut long lines ("β" as "??").
 */
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { describe, expect, it } from "vitest";
import { winAnsi } from "../../src/app/pdf/text.js";
import { cli } from "../helpers/cli.js";

const example = JSON.parse(readFileSync("examples/radiolabel/batch.json", "utf8"));
const tracePath = resolve("examples/radiolabel/tlc-pass.csv");
// biome-ignore lint/suspicious/noExplicitAny: tests mutate the batch JSON into malformed shapes
type Batch = any;

async function record(mutate: (b: Batch) => void) {
  const dir = mkdtempSync(join(tmpdir(), "atsm-batch-"));
  const b = structuredClone(example);
  b.qc.trace = tracePath;
  mutate(b);
  const file = join(dir, "batch.json");
  writeFileSync(file, JSON.stringify(b));
  const r = await cli(["radiolabel", "record", file, "--out", join(dir, "out"), "--json"]);
  return { ...r, dir };
}

describe("radiolabel record: malformed batch JSON", () => {
  const cases: [string, (b: Batch) => void, RegExp][] = [
    ["materials missing", (b) => delete b.materials, /materials is missing/],
    ["activities not an array", (b) => (b.activities = {}), /activities must be a JSON array/],
    ["material without lot", (b) => (b.materials = [{ name: "x" }]), /materials\[0\]\.lot is missing/],
    ["test without pass", (b) => (b.qc.otherTests = [{ test: "pH" }]), /otherTests\[0\]\.pass/],
    ["bare-number activity", (b) => (b.activities[0].activity = 400), /bare number \(400\).*"400MBq"/],
    ["free-text release time", (b) => (b.release.time = "tomorrow"), /release\.time "tomorrow"/],
    ["string ligand mass", (b) => (b.synthesis.ligandMassUg = "15"), /ligandMassUg must be a number/],
  ];
  for (const [name, mutate, message] of cases) {
    it(`${name}: exit 2 with the JSON path, no stack trace`, async () => {
      const r = await record(mutate);
      expect(r.code).toBe(2);
      expect(r.stderr).toMatch(message);
      expect(r.stderr).not.toMatch(/internal error|TypeError/);
    });
  }
  it("an RCY above 100 % rejects the batch", async () => {
    const r = await record((b) => (b.activities[2].activity = "600MBq"));
    expect(r.code).toBe(0);
    const j = JSON.parse(r.stdout);
    expect(j.release.decision).toBe("rejected");
    expect(j.release.reasons.join("\n")).toMatch(/RCY .* above 100 %/);
  });
  it("an unsigned record is pending, not released", async () => {
    const r = await record((b) => delete b.release);
    const j = JSON.parse(r.stdout);
    expect(j.release.decision).toBe("pending");
    expect(readFileSync(join(r.dir, "out", "record.html"), "utf8")).toMatch(/awaiting release signature/);
  });
});

describe("radiolabel record: printable views", () => {
  it("the HTML chromatogram marks origin and solvent front, with region units", async () => {
    const r = await record(() => {});
    expect(r.code).toBe(0);
    const html = readFileSync(join(r.dir, "out", "record.html"), "utf8");
    expect(html).toMatch(/origin 10 mm \(Rf 0\)/);
    expect(html).toMatch(/front 90 mm \(Rf 1\)/);
    expect(html).toMatch(/region \(mm\)/);
    expect(html).toMatch(/position on the plate \(mm\)/);
  });
  it("the PDF text mapping keeps Greek letters and signs readable (no '?')", async () => {
    const r = await record(() => {});
    const pdf = readFileSync(join(r.dir, "out", "record.pdf"));
    expect(pdf.subarray(0, 5).toString()).toBe("%PDF-");
    // The nuclide line of the record: "T½ 12.700 h; ... β⁺ 17.52 %, β⁻ 38.48 %" (ICRP/DDEP source text).
    expect(winAnsi("T½ 12.7 h, β⁺ 17.52 %, β⁻ 38.48 % → 2 µL ± 1")).toBe(
      "T1/2 12.7 h, beta^+ 17.52 %, beta^- 38.48 % -> 2 µL ± 1",
    );
  });
});

describe("chromatogram labels of close regions do not overlap", () => {
  it("labelRows stacks labels whose boxes would touch", async () => {
    const { labelRows } = await import("../../src/app/radiolabel/render.js");
    // Centres 100 and 120 px, 40 px wide → overlap → rows 0 and 1; a third far away → row 0.
    expect(labelRows([100, 120, 400], [40, 40, 40])).toEqual([0, 1, 0]);
    expect(labelRows([120, 100], [40, 40])).toEqual([1, 0]);
    expect(labelRows([100, 200], [40, 40])).toEqual([0, 0]);
  });
});
