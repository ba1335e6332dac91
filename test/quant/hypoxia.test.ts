/**
 * Sphere with a hypoxic core: tumour r = 20 mm (value 3), core r = 10 mm (value 6), muscle 1.
 * Analytic truth: T/Mmax = T/Mpeak = 6, hypoxic volume (T/M > 4) = 4/3·π·10³ mm³ = 4.18879 mL,
 * hypoxic fraction = (10/20)³ = 0.125, T/Mmean ≈ 3 + 3·0.125 = 3.375. Tolerances state the voxel
 * discretisation at 1 mm (core = voxels with centre within 10 mm; rim voxels of the VOI with centres
 * outside 20 mm hold muscle value 1).
 */
import { describe, expect, it } from "vitest";
import { hypoxicVolume } from "../../src/quant/hypoxic.js";
import { computeVoiMetrics } from "../../src/quant/metrics.js";
import {
  classifyPrognosis,
  customPreset,
  PROGNOSIS_PRESETS,
  parseCutoff,
} from "../../src/quant/prognosis.js";
import { quantifyHypoxia } from "../../src/quant/quantify.js";
import { tumourToReference } from "../../src/quant/ratio.js";
import { rasterizeVoi } from "../../src/quant/voi/resolve.js";
import { expectClose } from "../helpers/close.js";
import { expectAtsmError } from "../helpers/errors.js";
import { phantom, sphereVolumeMl } from "./phantom.js";

const g = {
  dims: [80, 48, 48] as const,
  spacingMm: [1, 1, 1] as const,
  originMm: [-23.5, -23.5, -23.5] as const,
};
const vol = phantom(g, (x, y, z) => {
  const r = Math.hypot(x, y, z);
  return r <= 10 ? 6 : r <= 20 ? 3 : 1;
});
const nCore = vol.data.reduce((a, v) => a + (v === 6 ? 1 : 0), 0);
const tumourSpec = "sphere:0,0,0,20";
const muscleSpec = "sphere:40,0,0,8"; // centred 40 mm away: all voxels hold 1

describe("T/M ratios", () => {
  const t = computeVoiMetrics(vol, rasterizeVoi(tumourSpec, { volume: vol }));
  const m = computeVoiMetrics(vol, rasterizeVoi(muscleSpec, { volume: vol }), { skipPeak: true });
  const r = tumourToReference(t, m);
  it("T/Mmax = T/Mpeak = 6 exactly, T/Mmean ≈ 3.375 (1 %)", () => {
    expect(r.tmrMax).toBe(6);
    expectClose(r.tmrPeak, 6, { rel: 1e-12 }, "T/Mpeak");
    expectClose(r.tmrMean, 3.375, { rel: 0.01 }, "T/Mmean");
  });
  it("carries the reference VOI and statistic", () => {
    expect(r.reference).toMatchObject({ spec: muscleSpec, statistic: "mean", meanNative: 1 });
  });
  it("zero muscle mean is an error naming the reference", () => {
    const zero = phantom(g, (x, y, z) => (Math.hypot(x, y, z) <= 20 ? 3 : 0));
    const mz = computeVoiMetrics(zero, rasterizeVoi(muscleSpec, { volume: zero }), { skipPeak: true });
    expectAtsmError(() => tumourToReference(t, mz), {
      code: "NUMERIC",
      message: /reference VOI sphere:40,0,0,8 has mean 0/,
      hint: /normal muscle/,
    });
  });
});

describe("hypoxic volume", () => {
  const tv = rasterizeVoi(tumourSpec, { volume: vol });
  const h = hypoxicVolume(vol, tv, { spec: muscleSpec, meanNative: 1 }, { cutoffTm: 4 });
  it("hypoxic volume = core voxels exactly, and 4/3·π·10³ within 1 %", () => {
    expectClose(h.hypoxicVolumeMl, nCore / 1000, { rel: 1e-9 }, "voxel count");
    expectClose(h.hypoxicVolumeMl, sphereVolumeMl(10), { rel: 0.01 }, "analytic");
    expect(h.hypoxicVoxelCount).toBe(nCore);
  });
  it("hypoxic fraction = 0.125 within 1.5 %", () => {
    expectClose(h.hypoxicFraction, 0.125, { rel: 0.015 }, "fraction");
    expectClose(h.tumourVolumeMl, sphereVolumeMl(20), { rel: 0.003 }, "tumour volume");
  });
  it("histogram sums to the tumour volume; cumulative curve at T/M 4 equals the fraction", () => {
    const { binEdgesTm, volumeMl, fractionAtLeast } = h.histogram;
    expectClose(
      volumeMl.reduce((a, b) => a + b, 0),
      h.tumourVolumeMl,
      { rel: 1e-12 },
      "Σ histogram",
    );
    const b4 = binEdgesTm.findIndex((e) => Math.abs(e - 4) < 1e-9);
    expect(b4).toBeGreaterThan(0);
    expectClose(fractionAtLeast[b4]!, h.hypoxicFraction, { rel: 1e-9 }, "cumulative at 4");
    expectClose(fractionAtLeast[0]!, 1, { rel: 1e-12 }, "cumulative at min");
    expect(fractionAtLeast[fractionAtLeast.length - 1]).toBe(0);
  });
  it("hypoxic volume falls monotonically with the cutoff", () => {
    let prev = Infinity;
    for (const c of [0.5, 1, 2, 2.9, 3, 3.1, 4, 5.9, 6, 7]) {
      const r = hypoxicVolume(vol, tv, { spec: muscleSpec, meanNative: 1 }, { cutoffTm: c });
      expect(r.hypoxicVolumeMl).toBeLessThanOrEqual(prev);
      prev = r.hypoxicVolumeMl;
    }
    expect(prev).toBe(0);
  });
  it("rejects a non-positive cutoff", () => {
    expectAtsmError(() => hypoxicVolume(vol, tv, { spec: "m", meanNative: 1 }, { cutoffTm: 0 }), {
      code: "INVALID_ARGUMENT",
    });
  });
});

describe("prognosis presets", () => {
  it("cutoffs and citations (brief Table 3; atsm-science.md §3.1)", () => {
    expect(PROGNOSIS_PRESETS.cervix.cutoffTm).toBe(3.5);
    expect(PROGNOSIS_PRESETS.rectum.cutoffTm).toBe(2.6);
    expect(PROGNOSIS_PRESETS.nsclc.cutoffTm).toBe(3.0);
    expect(PROGNOSIS_PRESETS.cervix.citation).toMatch(/2003;55:1233/);
    expect(PROGNOSIS_PRESETS.rectum.citation).toMatch(/2008;51:1641/);
    expect(PROGNOSIS_PRESETS.nsclc.citation).toMatch(/2003;30:844/);
    expect(parseCutoff("Cervical").id).toBe("cervix");
    expect(parseCutoff("3.2")).toMatchObject({ id: "custom", cutoffTm: 3.2 });
    expectAtsmError(() => parseCutoff("brain"), {
      code: "INVALID_ARGUMENT",
      hint: /cervix .*rectum .*nsclc/,
    });
    expectAtsmError(() => customPreset(-1), { code: "INVALID_ARGUMENT" });
  });
  const tmr = {
    tumourSpec: "t",
    tmrMax: 6,
    tmrMean: 3.375,
    tmrPeak: 3.2,
    reference: { spec: "m", statistic: "mean" as const, meanNative: 1, unit: "SUVbw", volumeMl: 2 },
  };
  it("class, margin and ratio use the preset's statistic (peak)", () => {
    const p = classifyPrognosis(PROGNOSIS_PRESETS.cervix, tmr, {
      nuclide: "60Cu",
      windowStartS: 1800,
      windowEndS: 3600,
    });
    expect(p).toMatchObject({ preset: "cervix", class: "non-hypoxic", statistic: "peak", value: 3.2 });
    expectClose(p.margin, -0.3, { abs: 1e-12 }, "margin");
    expectClose(p.ratio, 3.2 / 3.5, { rel: 1e-12 }, "ratio");
    expect(p.warnings).toEqual([]);
    expect(classifyPrognosis(PROGNOSIS_PRESETS.rectum, tmr).class).toBe("hypoxic");
    expect(classifyPrognosis(customPreset(3.3, "mean"), tmr).class).toBe("hypoxic");
  });
  it("comparison as published: cervix T/M > 3.5, nsclc T/M >= 3.0 (abstracts, 2026-11)", () => {
    // IJROBP 2003;55:1233 (PubMed 12654432): normoxic "T/M < 3.5", hypoxic "T/M > 3.5"; J Nucl Med
    // 2008;49:201: normoxic "T/M of ≤3.5". EJNMMI 2003;30:844: "all six nonresponders had a T/M ≥3.0".
    expect(PROGNOSIS_PRESETS.cervix.comparison).toBe(">");
    expect(PROGNOSIS_PRESETS.nsclc.comparison).toBe(">=");
    const at = (v: number) => ({ ...tmr, tmrPeak: v });
    expect(classifyPrognosis(PROGNOSIS_PRESETS.cervix, at(3.5)).class).toBe("non-hypoxic");
    expect(classifyPrognosis(PROGNOSIS_PRESETS.nsclc, at(3.0)).class).toBe("hypoxic");
    expect(classifyPrognosis(PROGNOSIS_PRESETS.nsclc, at(2.999)).class).toBe("non-hypoxic");
    expect(classifyPrognosis(PROGNOSIS_PRESETS.nsclc, at(3.0)).comparison).toBe(">=");
    expect(customPreset(3, "peak", ">=").label).toBe("custom T/M >= 3");
    expect(classifyPrognosis(customPreset(3), at(3)).class).toBe("non-hypoxic");
  });
  it("provenance: 60Cu-ATSM and DOIs verified; statistic, muscle region and window marked assumed", () => {
    for (const p of Object.values(PROGNOSIS_PRESETS)) {
      expect(p.nuclide, p.id).toBe("Cu-60");
      expect(p.citation, p.id).toMatch(/doi:10\./);
      expect(p.provenance.verified.join(" "), p.id).toMatch(/60Cu-ATSM/);
      const assumed = p.provenance.assumed.join("\n");
      expect(assumed, p.id).toMatch(/tumour statistic/);
      expect(assumed, p.id).toMatch(/muscle/);
      expect(assumed, p.id).toMatch(/30-60 min/);
    }
    // Rectal cutoff 2.6 was not found in the stored abstract (cut before the results).
    expect(PROGNOSIS_PRESETS.rectum.provenance.assumed.join(" ")).toMatch(/cutoff 2\.6/);
    expect(PROGNOSIS_PRESETS.cervix.citation).toMatch(/10\.2967\/jnumed\.107\.048520/);
    expect(PROGNOSIS_PRESETS.rectum.citation).toMatch(/PMC4962601/);
    expect(PROGNOSIS_PRESETS.nsclc.patients).toBe(14); // 19 imaged, 14 evaluated for response
    const r = classifyPrognosis(PROGNOSIS_PRESETS.cervix, tmr);
    expect(r.assumptions).toEqual(PROGNOSIS_PRESETS.cervix.provenance.assumed);
    expect(classifyPrognosis(customPreset(3), tmr).assumptions).toEqual([]);
  });
  it("warns when the nuclide or uptake window differ", () => {
    const p = classifyPrognosis(PROGNOSIS_PRESETS.nsclc, tmr, {
      nuclide: "Cu-64",
      windowStartS: 3 * 3600,
      windowEndS: 3.5 * 3600,
    });
    expect(p.warnings.join("\n")).toMatch(/nuclide Cu-64 differs from the preset's Cu-60/);
    expect(p.warnings.join("\n")).toMatch(/window 180-210 min p.i. differs from the preset's 30-60 min/);
  });
});

describe("quantifyHypoxia", () => {
  it("whole read-out with a preset", () => {
    const r = quantifyHypoxia({ volume: vol, tumor: tumourSpec, reference: muscleSpec, cutoff: "cervix" });
    expect(r.tmrMax).toBe(6);
    expectClose(r.hypoxicFraction, 0.125, { rel: 0.015 }, "fraction at cutoff 3.5 (core only)");
    expect(r.prognosis).toMatchObject({ preset: "cervix", cutoff: 3.5, class: "hypoxic" });
    expect(r.warnings.some((w) => /nuclide unknown/.test(w))).toBe(true);
  });
  it("tumour VOI in T/M units: threshold:4tm selects the core", () => {
    const r = quantifyHypoxia({ volume: vol, tumor: `threshold:4tm@${tumourSpec}`, reference: muscleSpec });
    expect(r.tumor.voxelCount).toBe(nCore);
    expect(r.hypoxia.cutoffTm).toBe(2);
  });
  it("missing reference VOI and zero muscle mean are clear errors", () => {
    expectAtsmError(() => quantifyHypoxia({ volume: vol, tumor: tumourSpec, reference: null }), {
      code: "MISSING_INPUT",
      message: /no reference \(muscle\) VOI/,
      hint: /--reference/,
    });
    expectAtsmError(
      () => quantifyHypoxia({ volume: vol, tumor: tumourSpec, reference: `threshold:1tm@${muscleSpec}` }),
      {
        code: "INVALID_ARGUMENT",
        message: /reference VOI cannot use T\/M/,
      },
    );
    const zero = phantom(g, (x, y, z) => (Math.hypot(x, y, z) <= 20 ? 3 : 0));
    expectAtsmError(() => quantifyHypoxia({ volume: zero, tumor: tumourSpec, reference: muscleSpec }), {
      code: "NUMERIC",
      message: /reference VOI sphere:40,0,0,8 has mean 0/,
    });
  });
});
