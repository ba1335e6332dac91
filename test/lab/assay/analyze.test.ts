/**
 * Assay core: the hand-computed plate of docs/assay.md, the example plate against an independent
 * numpy/scipy computation (example_ref.json from test/fixtures/make/assay_stats_ref.py), and the
 * corrections (decay, dead time, counter-side decay correction).
 */
import { describe, expect, it } from "vitest";
import { deadTimeCorrect, decayCorrectionFactor } from "../../../src/lab/assay/activity.js";
import { analyzeAssay } from "../../../src/lab/assay/analyze.js";
import { checkCounterDecayCorrection } from "../../../src/lab/assay/counter-decay.js";
import { expectClose } from "../../helpers/close.js";
import { loadExample, loadHand, read } from "./helpers.js";

const CU64_HALF_LIFE_S = 12.7 * 3600; // ICRP-107
const ref = JSON.parse(read("test/fixtures/data/assay/example_ref.json"));

describe("hand-computed plate (docs/assay.md, worked example)", () => {
  const d = loadHand();
  const r = analyzeAssay({
    ...d,
    options: {
      halfLifeS: CU64_HALF_LIFE_S,
      referenceMs: Date.UTC(2025, 2, 12, 10, 0, 0),
      counterDecayCorrected: false,
      lysateVolumeMl: 0.5,
      proteinModel: "linear",
    },
  });
  it("background 60 counts / 60 s = 1 cps; added = (60060/60 − 1)·f / 0.1 = 10000·f cps", () => {
    expectClose(r.background.ratePerS, 1, { rel: 1e-15 }, "background");
    // f = λT/(1 − e^−λT) with λ = ln2/45720 s, T = 60 s = 1.000454856… (decay during the count)
    const lt = (Math.LN2 / CU64_HALF_LIFE_S) * 60;
    expectClose(r.added.ratePerS, (10000 * lt) / -Math.expm1(-lt), { rel: 1e-12 }, "added");
  });
  it("uptake %: N1 1.0, N2 1.2, H1 4.0, H2 3.6 (counted one half-life later ⇒ ×2)", () => {
    const u = Object.fromEntries(r.wells.map((w) => [w.well, w.uptakePercent]));
    expectClose(u.N1!, 1.0, { rel: 1e-12 }, "N1 = 100·(51−1)·2/10000");
    expectClose(u.N2!, 1.2, { rel: 1e-12 }, "N2 = 100·(61−1)·2/10000");
    expectClose(u.H1!, 4.0, { rel: 1e-12 }, "H1 = 100·(201−1)·2/10000");
    expectClose(u.H2!, 3.6, { rel: 1e-12 }, "H2 = 100·(181−1)·2/10000");
  });
  it("protein: A = 0.1 + 0.001·c ⇒ N1 200 µg/mL × 0.5 mL = 100 µg; per µg = uptake/µg", () => {
    const w = Object.fromEntries(r.wells.map((x) => [x.well, x]));
    expectClose(w.N1!.proteinUg!, 100, { rel: 1e-9 }, "N1 µg");
    expectClose(w.N2!.proteinUg!, 125, { rel: 1e-9 }, "N2 µg");
    expectClose(w.H1!.proteinUg!, 75, { rel: 1e-9 }, "H1 µg");
    expectClose(w.H2!.proteinUg!, 90, { rel: 1e-9 }, "H2 µg");
    expectClose(w.H1!.uptakePercentPerUgProtein!, 4 / 75, { rel: 1e-9 }, "H1 %/µg");
  });
  it("groups: mean ± SD; ratio hypoxic/normoxic of per-µg means = (0.046667)/(0.0098) = 4.7619", () => {
    const n = r.groups.find((g) => g.condition === "normoxic")!;
    const h = r.groups.find((g) => g.condition === "hypoxic")!;
    expectClose(n.uptakePercent, 1.1, { rel: 1e-12 }, "normoxic mean");
    expectClose(n.sd!, Math.SQRT2 * 0.1, { rel: 1e-10 }, "normoxic SD = √((0.1² + 0.1²)/1)");
    expectClose(h.uptakePercent, 3.8, { rel: 1e-12 }, "hypoxic mean");
    expectClose(h.sd!, Math.SQRT2 * 0.2, { rel: 1e-10 }, "hypoxic SD");
    expectClose(n.uptakePercentPerUgProtein!, (0.01 + 0.0096) / 2, { rel: 1e-9 }, "normoxic %/µg");
    expect(r.response).toBe("uptakePercentPerUgProtein");
    expectClose(r.ratios[0]!.ratio, (4 / 75 + 0.04) / 2 / 0.0098, { rel: 1e-9 }, "ratio");
    expect(r.referenceCondition).toBe("normoxic"); // highest o2Percent
  });
});

describe("example plate vs independent numpy/scipy pipeline (example_ref.json)", () => {
  const r = analyzeAssay({
    ...loadExample(),
    options: { halfLifeS: CU64_HALF_LIFE_S, counterDecayCorrected: false, lysateVolumeMl: 0.5 },
  });
  it("background, added activity, BCA model and per-well values", () => {
    expectClose(r.background.ratePerS, ref.backgroundRatePerS, { rel: 1e-12 }, "background");
    expectClose(r.added.ratePerS, ref.addedRatePerS, { rel: 1e-12 }, "added");
    expect(r.protein!.curve.fit.model).toBe("quadratic"); // lowest AICc of linear/quadratic/4PL
    r.protein!.curve.fit.params.forEach((p, i) => {
      expectClose(p, ref.bca[i], { rel: 1e-9 }, `BCA p${i}`);
    });
    for (const w of ref.wells) {
      const got = r.wells.find((x) => x.well === w.well)!;
      expectClose(got.uptakePercent, w.uptakePercent, { rel: 1e-10 }, `${w.well} uptake %`);
      expectClose(got.proteinUg!, w.proteinUg, { rel: 1e-8 }, `${w.well} µg`);
      if (w.retention !== undefined)
        expectClose(got.retentionPercent!, w.retention, { rel: 1e-8 }, `${w.well} retention`);
    }
  });
  it("group means/SD, Welch t-tests and Fieller ratios", () => {
    for (const g of ref.groups) {
      const got = r.groups.find(
        (x) => x.phase === g.phase && x.condition === g.condition && x.timeMin === g.timeMin,
      )!;
      expectClose(got.uptakePercent, g.uptakePercent, { rel: 1e-10 }, "mean");
      expectClose(got.sd!, g.sd, { rel: 1e-8 }, "sd");
      expect(got.n).toBe(g.n);
    }
    for (const w of ref.welch) {
      const t = r.tests.find((x) => x.kind === "welch-t" && x.phase === w.phase && x.timeMin === w.timeMin);
      if (t?.kind !== "welch-t") throw new Error("missing test");
      expectClose(t.t, w.t, { rel: 1e-8 }, `t ${w.phase} ${w.timeMin}`);
      expectClose(t.p, w.p, { rel: 1e-6 }, `p ${w.phase} ${w.timeMin}`);
      const q = r.ratios.find((x) => x.phase === w.phase && x.timeMin === w.timeMin)!;
      expectClose(q.ciLow!, w.ratio.lo, { rel: 1e-8 }, "Fieller low");
      expectClose(q.ciHigh!, w.ratio.hi, { rel: 1e-8 }, "Fieller high");
    }
  });
  it("two-way ANOVA (Type III) per phase", () => {
    for (const phase of ["uptake", "efflux"] as const) {
      const a = r.tests.find((x) => x.kind === "two-way-anova" && x.phase === phase);
      if (a?.kind !== "two-way-anova") throw new Error("missing ANOVA");
      expect(a.balanced).toBe(true);
      ref[`anova_${phase}`].forEach((row: { ss: number; f?: number; p?: number }, i: number) => {
        expectClose(a.rows[i]!.ss, row.ss, { rel: 1e-8 }, `${phase} ${a.rows[i]!.source} SS`);
        if (row.f !== undefined) expectClose(a.rows[i]!.f!, row.f, { rel: 1e-8 }, "F");
      });
    }
  });
  it("time-course fits vs curve_fit (params rel 1e-5, SEs rel 1e-3)", () => {
    for (const f of r.fits) {
      const c = ref.fits[`${f.phase}/${f.condition}`];
      const names = f.phase === "uptake" ? (["Plateau", "K"] as const) : (["Y0", "Plateau", "K"] as const);
      names.forEach((n, i) => {
        expectClose(f.fit[n].value, c.params[i], { rel: 1e-5 }, `${f.phase} ${f.condition} ${n}`);
        expectClose(f.fit[n].se!, c.se[i], { rel: 1e-3 }, `${f.phase} ${f.condition} SE ${n}`);
      });
    }
  });
  it("hypoxic uptake at 120 min ≈ 2.75 % of added activity (brief Table 1, MCF-7 ~2.75 %)", () => {
    const h = r.groups.find((g) => g.phase === "uptake" && g.condition === "hypoxic" && g.timeMin === 120)!;
    expectClose(h.uptakePercent, 2.75, { abs: 0.3 }, "hypoxic 120 min");
  });
});

describe("corrections", () => {
  it("decay factor: one half-life later doubles; during-count factor λT/(1−e^−λT)", () => {
    expectClose(
      decayCorrectionFactor(CU64_HALF_LIFE_S * 1000, 1e-9, 0, CU64_HALF_LIFE_S),
      2,
      { rel: 1e-9 },
      "×2",
    );
    const T = CU64_HALF_LIFE_S; // counting for a whole half-life: mean rate is A0/(2 ln2)
    expectClose(decayCorrectionFactor(0, T, 0, CU64_HALF_LIFE_S), 2 * Math.LN2, { rel: 1e-12 }, "2 ln 2");
  });
  it("dead time m/(1−mτ)", () => {
    expectClose(deadTimeCorrect(1e5, 1e-6), 1e5 / 0.9, { rel: 1e-15 }, "10 % loss");
  });
  it("counter-side decay correction is detected from CPM/counts and not applied twice", () => {
    const plain = loadExample().counts;
    const corrected = loadExample("test/fixtures/data/assay/wizard2-counter-decay-corrected.csv").counts;
    expect(checkCounterDecayCorrection(plain, CU64_HALF_LIFE_S).verdict).toBe("not-corrected");
    const c = checkCounterDecayCorrection(corrected, CU64_HALF_LIFE_S);
    expect(c.verdict).toBe("corrected");
    // counter corrected to the tracer addition 2025-03-12T09:00Z (assay_example.py T_START)
    expectClose(
      c.impliedReferenceMs!,
      Date.UTC(2025, 2, 12, 9, 0, 0),
      { abs: 5 * 60e3 },
      "implied reference",
    );
    const base = { halfLifeS: CU64_HALF_LIFE_S, lysateVolumeMl: 0.5 };
    const a = analyzeAssay({ ...loadExample(), options: { ...base, counterDecayCorrected: false } });
    const b = analyzeAssay({
      ...loadExample("test/fixtures/data/assay/wizard2-counter-decay-corrected.csv"),
      options: { ...base, counterDecayCorrected: true },
    });
    // same physics, different Poisson draws: group means agree to counting noise (< 6 %)
    a.groups.forEach((g, i) => {
      expectClose(b.groups[i]!.uptakePercent, g.uptakePercent, { rel: 0.06 }, `${g.condition} ${g.timeMin}`);
    });
  });
});
