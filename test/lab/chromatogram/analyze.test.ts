/**
 * Chromatogram analysis against synthetic traces with known peak areas: Gaussian peaks
 * (area = height·σ·√(2π)/Δx counts on a Δx grid) on a linear background.
 */
import { describe, expect, it } from "vitest";
import { createRng } from "../../../src/core/rng.js";
import { analyzeChromatogram, type Trace } from "../../../src/lab/chromatogram/analyze.js";
import { snipBaseline } from "../../../src/lab/chromatogram/baseline.js";
import { expectClose } from "../../helpers/close.js";
import { expectAtsmError } from "../../helpers/errors.js";

interface G {
  readonly mu: number;
  readonly sigma: number;
  readonly area: number;
}

/** TLC trace 0..100 mm at 0.5 mm bins, peaks given by their area in counts, background a + b·x. */
function tlc(peaks: readonly G[], bgA = 50, bgB = 0.2, noiseSeed?: number): Trace {
  const dx = 0.5;
  const n = 201;
  const x = new Float64Array(n);
  const y = new Float64Array(n);
  const rng = noiseSeed === undefined ? null : createRng(noiseSeed);
  for (let i = 0; i < n; i++) {
    x[i] = i * dx;
    let v = bgA + bgB * x[i]!;
    for (const p of peaks)
      v +=
        ((p.area * dx) / (p.sigma * Math.sqrt(2 * Math.PI))) *
        Math.exp(-0.5 * ((x[i]! - p.mu) / p.sigma) ** 2);
    y[i] = rng ? rng.poisson(v) : v;
  }
  return { axis: "positionMm", x, counts: y };
}

describe("SNIP baseline", () => {
  it("recovers a linear background to 1 % beside and 2.5 % under a narrow peak (LLS-transform bias)", () => {
    const t = tlc([{ mu: 50, sigma: 2, area: 1e5 }], 100, 0.5);
    const b = snipBaseline(t.counts, 30);
    for (const i of [40, 160])
      expectClose(b[i]!, 100 + 0.5 * t.x[i]!, { rel: 0.01 }, `baseline at ${t.x[i]} mm`);
    expectClose(b[100]!, 125, { rel: 0.025 }, "baseline under the peak");
  });
});

describe("analyzeChromatogram", () => {
  // Free Cu at the origin (Rf 0) and Cu-ATSM near the front (lab-formats.md §3.4 [M]); origin 10, front 90 mm.
  const opts = { originMm: 10, frontMm: 90, productRange: [0.45, 0.75] as const };

  it("finds two peaks and computes RCP = product area / total (noise-free, analytic areas)", () => {
    const t = tlc([
      { mu: 12, sigma: 1.5, area: 2000 },
      { mu: 58, sigma: 2, area: 98000 },
    ]);
    const r = analyzeChromatogram(t, opts);
    expect(r.peaks.length).toBe(2);
    const prod = r.peaks.find((p) => p.isProduct)!;
    // Rf of a symmetric peak at 58 mm: (58 − 10)/(90 − 10) = 0.6.
    expectClose(prod.rf!, 0.6, { abs: 0.005 }, "product Rf");
    expectClose(prod.area, 98000, { rel: 0.01 }, "product area");
    // RCP = 98000 / 100000 = 98 %; baseline and tails cost < 0.3 % points.
    expectClose(r.rcpPercent, 98, { abs: 0.3 }, "RCP");
  });

  it("passes only above the release limit (strict >)", () => {
    const good = analyzeChromatogram(
      tlc([
        { mu: 12, sigma: 1.5, area: 500 },
        { mu: 58, sigma: 2, area: 99500 },
      ]),
      opts,
    );
    expect(good.pass).toBe(true);
    const bad = analyzeChromatogram(
      tlc([
        { mu: 12, sigma: 1.5, area: 5000 },
        { mu: 58, sigma: 2, area: 95000 },
      ]),
      opts,
    );
    expectClose(bad.rcpPercent, 95, { abs: 0.3 }, "RCP");
    expect(bad.pass).toBe(false);
  });

  it("reports a counting uncertainty consistent with Poisson scatter over seeds", () => {
    const peaks = [
      { mu: 12, sigma: 1.5, area: 3000 },
      { mu: 58, sigma: 2, area: 20000 },
    ];
    const rcps: number[] = [];
    let sd = 0;
    for (let seed = 1; seed <= 40; seed++) {
      const r = analyzeChromatogram(tlc(peaks, 20, 0.05, seed), {
        ...opts,
        rois: [
          [5, 20],
          [48, 68],
        ],
      });
      rcps.push(r.rcpPercent);
      sd += r.rcpSdPercent / 40;
    }
    const mean = rcps.reduce((a, b) => a + b, 0) / rcps.length;
    const empSd = Math.sqrt(rcps.reduce((a, b) => a + (b - mean) ** 2, 0) / (rcps.length - 1));
    expectClose(mean, (100 * 20000) / 23000, { abs: 0.5 }, "mean RCP");
    // Reported σ is conservative (gross + baseline variance): between 0.5× and 2.5× the scatter.
    expect(sd).toBeGreaterThan(0.5 * empSd);
    expect(sd).toBeLessThan(2.5 * empSd);
  });

  it("manual ROIs override automatic detection", () => {
    const t = tlc([
      { mu: 12, sigma: 1.5, area: 2000 },
      { mu: 58, sigma: 2, area: 98000 },
    ]);
    const r = analyzeChromatogram(t, {
      ...opts,
      rois: [
        [6, 18],
        [50, 66],
      ],
    });
    expect(r.peaks.map((p) => p.source)).toEqual(["manual", "manual"]);
    expectClose(r.rcpPercent, 98, { abs: 0.3 }, "RCP");
  });

  it("HPLC traces use retention time windows", () => {
    const n = 600;
    const x = new Float64Array(n);
    const y = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      x[i] = i; // s
      y[i] = 10 + 800 * Math.exp(-0.5 * ((i - 120) / 4) ** 2) + 20000 * Math.exp(-0.5 * ((i - 400) / 6) ** 2);
    }
    const r = analyzeChromatogram({ axis: "timeS", x, counts: y }, { productRange: [380, 420] });
    const prod = r.peaks.find((p) => p.isProduct)!;
    expectClose(prod.timeS!, 400, { abs: 0.5 }, "retention time");
    // Areas ∝ height·σ: 20000·6 / (20000·6 + 800·4) = 97.40 %.
    expectClose(r.rcpPercent, (100 * 120000) / (120000 + 3200), { abs: 0.2 }, "RCP");
  });

  it("rejects bad input with named fields", () => {
    const t = tlc([{ mu: 58, sigma: 2, area: 1000 }]);
    expectAtsmError(() => analyzeChromatogram(t, { productRange: [0.45, 0.75] }), {
      code: "MISSING_INPUT",
      hint: /--origin-mm/,
    });
    expectAtsmError(() => analyzeChromatogram(t, { ...opts, productRange: [0.8, 0.2] }), {
      field: undefined,
      message: /LOW < HIGH/,
    } as never);
    const unsorted: Trace = {
      axis: "positionMm",
      x: new Float64Array([0, 1, 3, 2, 4]),
      counts: new Float64Array(5),
    };
    expectAtsmError(() => analyzeChromatogram(unsorted, opts), { message: /increase strictly/ });
    const neg: Trace = {
      axis: "positionMm",
      x: new Float64Array([0, 1, 2, 3, 4]),
      counts: new Float64Array([1, 2, -3, 4, 5]),
    };
    expectAtsmError(() => analyzeChromatogram(neg, opts), { message: /negative counts/ });
    const flat = tlc([], 10, 0);
    expectAtsmError(() => analyzeChromatogram(flat, opts), { code: "NUMERIC", hint: /--roi/ });
  });
});
