/** Nonlinear fits vs scipy.optimize.curve_fit and linear/quadratic OLS vs numpy (stats_ref.json). */
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { aicc, curveValue, fitFourPl, fitLinear, fitQuadratic } from "../../src/stats/curves.js";
import { expFitValue, fitOnePhaseAssociation, fitOnePhaseDecay } from "../../src/stats/exponential.js";
import { levenbergMarquardt } from "../../src/stats/nls.js";
import { expectClose } from "../helpers/close.js";

const ref = JSON.parse(
  readFileSync(new URL("../fixtures/data/assay/stats_ref.json", import.meta.url), "utf8"),
);

describe("GraphPad exponential models vs curve_fit", () => {
  it("one-phase association, Y0 fixed at 0: Plateau, K and SEs", () => {
    const f = fitOnePhaseAssociation(ref.assoc.x, ref.assoc.y, { fixY0: 0 });
    expectClose(f.Plateau.value, ref.assoc.params[0], { rel: 1e-6 }, "Plateau");
    expectClose(f.K.value, ref.assoc.params[1], { rel: 1e-6 }, "K");
    expectClose(f.Plateau.se!, ref.assoc.se[0], { rel: 1e-4 }, "SE Plateau");
    expectClose(f.K.se!, ref.assoc.se[1], { rel: 1e-4 }, "SE K");
    expectClose(f.halfTime.value, Math.LN2 / ref.assoc.params[1], { rel: 1e-6 }, "half-time = ln2/K");
    expect(f.Y0).toEqual({ value: 0, se: 0, fixed: true });
  });
  it("plateau + one-phase decay (X0 = 0): Y0, Plateau, K and SEs", () => {
    const f = fitOnePhaseDecay(ref.decay.x, ref.decay.y);
    const names = ["Y0", "Plateau", "K"] as const;
    names.forEach((n, i) => {
      expectClose(f[n].value, ref.decay.params[i], { rel: 1e-6 }, n);
      expectClose(f[n].se!, ref.decay.se[i], { rel: 1e-4 }, `SE ${n}`);
    });
    expectClose(expFitValue(f, 0), f.Y0.value, { rel: 1e-15 }, "Y(X0) = Y0");
  });
  it("4PL vs curve_fit", () => {
    const f = fitFourPl(ref.fourpl.x, ref.fourpl.y);
    ["A", "B", "C", "D"].forEach((n, i) => {
      expectClose(f.params[i]!, ref.fourpl.params[i], { rel: 1e-4 }, n);
      expectClose(f.se[i]!, ref.fourpl.se[i], { rel: 5e-3 }, `SE ${n}`);
    });
  });
  it("linear and quadratic vs numpy lstsq with s²(XᵀX)⁻¹ SEs", () => {
    const x = ref.fourpl.x;
    const y = ref.fourpl.y;
    for (const [f, r] of [
      [fitLinear(x, y), ref.linear],
      [fitQuadratic(x, y), ref.quadratic],
    ] as const) {
      f.params.forEach((p, i) => {
        expectClose(p, r.params[i], { rel: 1e-10, abs: 1e-14 }, `${f.model} p${i}`);
      });
      f.se.forEach((s, i) => {
        expectClose(s, r.se[i], { rel: 1e-8 }, `${f.model} se${i}`);
      });
      expectClose(f.r2, r.r2, { rel: 1e-12 }, `${f.model} R²`);
    }
  });
});

describe("Levenberg–Marquardt", () => {
  it("recovers exact parameters from noiseless data (analytic invariant)", () => {
    const x = [0, 1, 2, 3, 4, 5];
    const y = x.map((v) => 3 * Math.exp(-0.4 * v) + 1);
    const r = levenbergMarquardt({
      x,
      y,
      model: (v, t) => t[0]! * Math.exp(-t[1]! * v) + t[2]!,
      initial: [1, 1, 0],
    });
    expectClose(r.params[0]!, 3, { rel: 1e-8 }, "amplitude");
    expectClose(r.params[1]!, 0.4, { rel: 1e-8 }, "rate");
    expectClose(r.params[2]!, 1, { rel: 1e-8 }, "offset");
    expect(r.converged).toBe(true);
  });
  it("AICc definition: n ln(SSR/n) + 2k + 2k(k+1)/(n−k−1), k = params + 1", () => {
    // n = 10, SSR = 1, 2 params → k = 3: 10 ln 0.1 + 6 + 24/6
    expectClose(aicc(10, 1, 2)!, 10 * Math.log(0.1) + 6 + 4, { rel: 1e-14 }, "AICc");
    expect(aicc(4, 1, 2)).toBeNull();
    expectClose(curveValue({ model: "linear", params: [1, 2] }, 3), 7, { abs: 0 }, "line");
  });
});
