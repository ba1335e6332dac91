import { execFileSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { cli } from "../helpers/cli.js";

describe("atsm demo", () => {
  it("--help", async () => {
    const r = await cli(["demo", "--help"]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/--out DIR/);
    expect(r.stdout).toMatch(/--preset NAME/);
    expect(r.stdout).toMatch(/--phantom analytic/);
  });

  it("writes the twin study and the report, compares with the truth, says where (small study)", async () => {
    const dir = mkdtempSync(join(tmpdir(), "atsm-demo-"));
    const r = await cli(["demo", "--small", "--out", "demo-out"], dir);
    expect(r.code, r.stderr).toBe(0);
    const out = join(dir, "demo-out");
    expect(r.stdout).toContain(join(out, "report.html"));
    expect(r.stdout).toMatch(/digital twin patient-cervix-hypoxic-small, 60Cu-ATSM/);
    expect(r.stdout).toContain(
      "--tumor mask:study/truth/voi.nii.gz:1 --reference mask:study/truth/voi.nii.gz:2",
    );
    expect(r.stdout).toMatch(/prognosis\s+HYPOXIC/);
    expect(r.stdout).toMatch(/T\/Mmean\s+\d+\.\d+\s+\d+\.\d+\s+\d+\.\d+/);
    // 60Cu and the 30-60 min window are the cervix preset's convention: no nuclide/window warning.
    expect(r.stdout).not.toMatch(/differs from the preset/);
    for (const f of [
      "report.html",
      "report.pdf",
      "metrics.csv",
      "metrics.json",
      "vois.nii.gz",
      "vois-seg.dcm",
      "truth-comparison.json",
      "study/dicom/PT",
      "study/dicom/CT",
      "study/truth/truth.json",
      "study/truth/voi.nii.gz",
    ])
      expect(existsSync(join(out, f)), f).toBe(true);

    const metrics = JSON.parse(readFileSync(join(out, "metrics.json"), "utf8"));
    const truth = JSON.parse(readFileSync(join(out, "study/truth/truth.json"), "utf8"));
    const cmp = JSON.parse(readFileSync(join(out, "truth-comparison.json"), "utf8"));
    // The hypoxic preset's true T/M is above the cervix cutoff 3.5 (docs/twin-oxygen.md §5: 4.81)
    // and so is the measured T/Mpeak: class hypoxic.
    expect(truth.tmr).toBeGreaterThan(3.5);
    expect(metrics.prognosis.preset).toBe("cervix");
    expect(metrics.prognosis.class).toBe("hypoxic");
    // The VOI is the truth label map: its volume is the true tumour volume (truth grid = PET grid
    // for the patient presets, so exactly).
    expect(metrics.tumor.volumeMl).toBeCloseTo(truth.tumour.volumeMl, 6);
    // Partial-volume range of T/Mmean. A Gaussian PSF (σ = FWHM/2.3548) spills out of a sphere of
    // radius R a fraction ≈ 3σ/(R·√(2π)) of its excess over the background (surface × σ/√(2π) of
    // the edge profile over the volume); the edge is at most as hot as the mean in the hypoxic-core
    // preset, so noise-free recovery ≥ 1 − 3σ/(R√(2π))·(T−1)/T. For 5 mm FWHM, R = 25 mm, T = 4.81:
    // ≥ 0.92. Noise: ±2 % (the tumour mean averages ~10³ voxels; measured − noise-free was 0.2 %).
    const sigma = truth.scanner.fwhmMm / 2.3548;
    const R = truth.tumour.voi.radiusMm;
    const T = truth.tmr;
    const lowest = 1 - ((3 * sigma) / (R * Math.sqrt(2 * Math.PI))) * ((T - 1) / T);
    expect(lowest).toBeGreaterThan(0.9);
    expect(cmp.tmrMeanRecoveryNoiseFree).toBeGreaterThanOrEqual(lowest);
    expect(cmp.tmrMeanRecoveryNoiseFree).toBeLessThanOrEqual(1);
    const recovery = metrics.tmrMean / T;
    expect(recovery).toBeGreaterThanOrEqual(lowest - 0.02);
    expect(recovery).toBeLessThanOrEqual(1.02);
    expect(cmp.tmrMeanRecovery).toBeCloseTo(recovery, 12);
    // Blur lowers the rim below the cutoff: the measured hypoxic volume cannot exceed the truth's
    // (every true tumour voxel of this preset is above 3.5) and the tumour VOI.
    const hv = cmp.rows.find((x: { key: string }) => x.key === "hypoxicVolumeMl");
    expect(hv.truth).toBeCloseTo(truth.tumour.volumeMl, 6);
    expect(hv.measured).toBeLessThanOrEqual(hv.truth + 1e-9);
    expect(hv.measured).toBeGreaterThan(0.5 * hv.truth);

    // The SEG references the demo's DICOM PET series and is a valid Segmentation IOD.
    if (existsSync("/usr/bin/dciodvfy")) {
      const v = execFileSync("sh", ["-c", `/usr/bin/dciodvfy "${join(out, "vois-seg.dcm")}" 2>&1 || true`], {
        encoding: "utf8",
      });
      expect(v).not.toMatch(/^Error/m);
    }
  });

  it("--phantom analytic still runs the older analytic phantom (small)", async () => {
    const dir = mkdtempSync(join(tmpdir(), "atsm-demo-"));
    const r = await cli(["demo", "--phantom", "analytic", "--small", "--json", "--out", "d"], dir);
    expect(r.code, r.stderr).toBe(0);
    const j = JSON.parse(r.stdout);
    expect(j.comparison).toBeNull();
    expect(j.truth.tmrCoreTrue).toBe(5); // image/phantom.ts: hypoxic core T/M 5
    expect(existsSync(join(dir, "d", "study", "PT"))).toBe(true);
  });

  it("rejects an unknown preset or phantom, and twin options with the analytic phantom", async () => {
    const dir = mkdtempSync(join(tmpdir(), "atsm-demo-"));
    const cases: [string[], RegExp][] = [
      [["--preset", "patient-liver"], /unknown demo preset[\s\S]*patient-cervix-hypoxic/],
      [["--phantom", "cube"], /unknown --phantom[\s\S]*--phantom analytic/],
      [["--phantom", "analytic", "--preset", "mouse-fadu"], /--phantom analytic takes no --preset/],
      [["--seed", "1.5"], /invalid --seed/],
    ];
    for (const [args, msg] of cases) {
      const r = await cli(["demo", "--out", "x", ...args], dir);
      expect(r.code, args.join(" ")).toBe(2);
      expect(r.stderr).toMatch(msg);
    }
    // Nothing was written for a rejected run.
    expect(existsSync(join(dir, "x"))).toBe(false);
  });
});
