/** Welch/Student t-tests, two-way ANOVA (Type II/III), Fieller ratio CI vs scipy/numpy (stats_ref.json). */
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { AnovaNotEstimable, twoWayAnova } from "../../src/stats/anova.js";
import { mean, sd, summarize } from "../../src/stats/descriptive.js";
import { ratioOfMeansCi } from "../../src/stats/ratio.js";
import { studentTTest, welchTTest } from "../../src/stats/ttest.js";
import { expectClose } from "../helpers/close.js";

const ref = JSON.parse(
  readFileSync(new URL("../fixtures/data/assay/stats_ref.json", import.meta.url), "utf8"),
);

describe("descriptive", () => {
  it("mean and n−1 SD by hand: [1, 2, 3, 4] → 2.5, √(5/3)", () => {
    expectClose(mean([1, 2, 3, 4]), 2.5, { abs: 0 }, "mean");
    expectClose(sd([1, 2, 3, 4]), Math.sqrt(5 / 3), { rel: 1e-15 }, "sd");
    expect(summarize([7]).sd).toBeNull();
  });
});

describe("t-tests vs scipy.stats.ttest_ind", () => {
  it("Welch (equal_var=False): t, df, p", () => {
    for (const r of ref.welch) {
      const w = welchTTest(r.x, r.y);
      expectClose(w.t, r.t, { rel: 1e-12 }, "t");
      expectClose(w.df, r.df, { rel: 1e-12 }, "Welch–Satterthwaite df");
      expectClose(w.p, r.p, { rel: 1e-9 }, "p");
    }
  });
  it("Student (equal_var=True)", () => {
    const s = studentTTest(ref.student.x, ref.student.y);
    expectClose(s.t, ref.student.t, { rel: 1e-12 }, "t");
    expectClose(s.p, ref.student.p, { rel: 1e-9 }, "p");
  });
});

describe("two-way ANOVA vs explicit numpy OLS (effect coding)", () => {
  for (const name of ["anova_balanced", "anova_unbalanced"] as const) {
    for (const type of ["II", "III"] as const) {
      it(`${name} Type ${type}`, () => {
        const d = ref[name];
        const a = twoWayAnova(d.y, d.a, d.b, { ssType: type });
        expect(a.balanced).toBe(name === "anova_balanced");
        d[type].forEach((row: { ss: number; df: number; f?: number; p?: number }, i: number) => {
          const got = a.rows[i]!;
          expectClose(got.ss, row.ss, { rel: 1e-10, abs: 1e-12 }, `${a.rows[i]!.source} SS`);
          expect(got.df).toBe(row.df);
          if (row.f !== undefined) {
            expectClose(got.f!, row.f, { rel: 1e-9 }, `${got.source} F`);
            expectClose(got.p!, row.p!, { rel: 1e-8, abs: 1e-15 }, `${got.source} p`);
          }
        });
      });
    }
  }
  it("balanced: Type II = Type III (classical decomposition)", () => {
    const d = ref.anova_balanced;
    const t2 = twoWayAnova(d.y, d.a, d.b, { ssType: "II" });
    const t3 = twoWayAnova(d.y, d.a, d.b, { ssType: "III" });
    t2.rows.forEach((r, i) => {
      expectClose(r.ss, t3.rows[i]!.ss, { rel: 1e-10 }, r.source);
    });
  });
  it("empty cell is not estimable", () => {
    expect(() => twoWayAnova([1, 2, 3, 4], ["a", "a", "b", "b"], ["x", "y", "x", "x"])).toThrow(
      AnovaNotEstimable,
    );
  });
});

describe("Fieller CI of a ratio of means vs numpy root of the Fieller quadratic", () => {
  it("limits and df", () => {
    for (const r of ref.fieller) {
      const c = ratioOfMeansCi(r.x, r.y);
      expectClose(c.ratio, r.ratio, { rel: 1e-14 }, "ratio");
      expectClose(c.df!, r.df, { rel: 1e-12 }, "df");
      expectClose(c.ciLow!, r.lo, { rel: 1e-9 }, "lower");
      expectClose(c.ciHigh!, r.hi, { rel: 1e-9 }, "upper");
    }
  });
  it("unbounded interval (denominator not ≠ 0) gives null limits, not NaN", () => {
    const c = ratioOfMeansCi([1, 2, 3], [-1, 0.1, 1.2]);
    expect(c.ciLow).toBeNull();
    expect(c.ciHigh).toBeNull();
  });
});
