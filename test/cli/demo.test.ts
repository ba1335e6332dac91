import { execFileSync } from "node:child_process";
import { existsSync, mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { cli } from "../helpers/cli.js";

describe("atsm demo", () => {
  it("--help", async () => {
    const r = await cli(["demo", "--help"]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/--out DIR/);
  });

  it("writes the synthetic study and the report, and says where (small study)", async () => {
    const dir = mkdtempSync(join(tmpdir(), "atsm-demo-"));
    const r = await cli(["demo", "--small", "--out", "demo-out"], dir);
    expect(r.code, r.stderr).toBe(0);
    const out = join(dir, "demo-out");
    expect(r.stdout).toContain(join(out, "report.html"));
    expect(r.stdout).toMatch(/prognosis\s+(HYPOXIC|NON-HYPOXIC)/);
    for (const f of [
      "report.html",
      "report.pdf",
      "metrics.csv",
      "metrics.json",
      "vois.nii.gz",
      "vois-seg.dcm",
      "study/PT",
      "study/CT",
    ])
      expect(existsSync(join(out, f)), f).toBe(true);
    // The SEG references the demo's DICOM PET series and is a valid Segmentation IOD.
    if (existsSync("/usr/bin/dciodvfy")) {
      const v = execFileSync("sh", ["-c", `/usr/bin/dciodvfy "${join(out, "vois-seg.dcm")}" 2>&1 || true`], {
        encoding: "utf8",
      });
      expect(v).not.toMatch(/^Error/m);
    }
  });
});
