import { describe, it } from "vitest";
import { levenbergMarquardt } from "../../../src/sim/ode/levenberg-marquardt.js";
import { expectClose } from "../../helpers/close.js";

describe("Levenberg–Marquardt", () => {
  it("recovers y = a·exp(−b·t) from exact data", () => {
    const t = [0, 1, 2, 3, 4, 5, 6];
    const y = t.map((x) => 3 * Math.exp(-0.4 * x));
    const r = levenbergMarquardt(
      (p) => Float64Array.from(t, (x, i) => p[0]! * Math.exp(-p[1]! * x) - y[i]!),
      [1, 1],
    );
    expectClose(r.params[0]!, 3, { rel: 1e-8 }, "a");
    expectClose(r.params[1]!, 0.4, { rel: 1e-8 }, "b");
  });

  it("linear regression SEs equal the textbook OLS formula", () => {
    // y = α + β·x with noise; OLS: SE(β) = s/√Σ(x−x̄)², s² = SSR/(n−2) (any statistics text).
    const x = [1, 2, 3, 4, 5, 6, 7, 8];
    const y = [2.1, 3.9, 6.2, 7.8, 10.1, 12.2, 13.8, 16.1];
    const r = levenbergMarquardt((p) => Float64Array.from(x, (xi, i) => p[0]! + p[1]! * xi - y[i]!), [0, 0]);
    const n = x.length;
    const xm = x.reduce((a, b) => a + b) / n;
    const sxx = x.reduce((a, b) => a + (b - xm) ** 2, 0);
    const s2 = r.ssr / (n - 2);
    expectClose(r.standardErrors[1]!, Math.sqrt(s2 / sxx), { rel: 1e-4 }, "SE(β)");
  });
});
