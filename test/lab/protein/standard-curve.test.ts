/** BCA/Bradford standard curves: model choice by AICc, inversion, out-of-range flags. */
import { describe, expect, it } from "vitest";
import { fitStandardCurve, interpolateConcentration } from "../../../src/lab/protein/standard-curve.js";
import { expectClose } from "../../helpers/close.js";

const conc = [0, 125, 250, 500, 750, 1000, 1500, 2000];

describe("protein standard curve", () => {
  it("exact line: linear fit, R² = 1, inversion exact (hand: A = 0.1 + 0.001c)", () => {
    const c = fitStandardCurve(
      conc.map((x) => ({ concentrationUgPerMl: x, absorbance: 0.1 + 0.001 * x })),
      "linear",
    );
    expectClose(c.fit.r2, 1, { abs: 1e-12 }, "R²");
    const i = interpolateConcentration(c, 0.35);
    expectClose(i.concentrationUgPerMl!, 250, { rel: 1e-10 }, "250 µg/mL");
    expect(i.extrapolated).toBe(false);
    expect(interpolateConcentration(c, 2.5).extrapolated).toBe(true);
  });
  it("auto picks the quadratic for a curved BCA-like response and inverts on the rising branch", () => {
    const a = (x: number) => 0.095 + 1.05e-3 * x - 1.6e-7 * x * x;
    const noise = [0.002, -0.001, 0.0015, -0.002, 0.001, -0.0005, 0.0012, -0.001];
    const c = fitStandardCurve(
      conc.flatMap((x, i) => [
        { concentrationUgPerMl: x, absorbance: a(x) + noise[i]! },
        { concentrationUgPerMl: x, absorbance: a(x) - noise[i]! },
      ]),
    );
    expect(c.fit.model).toBe("quadratic");
    expect(c.candidates.map((k) => k.model)).toEqual(["linear", "quadratic", "4pl"]);
    expectClose(interpolateConcentration(c, a(600)).concentrationUgPerMl!, 600, { rel: 5e-3 }, "600 µg/mL");
  });
  it("4PL: read back within range; above the top asymptote → null with a reason (no NaN)", () => {
    const f = (x: number) => 1.8 + (0.05 - 1.8) / (1 + (x / 800) ** 1.3);
    const c = fitStandardCurve(
      conc.map((x) => ({ concentrationUgPerMl: x, absorbance: f(x) })),
      "4pl",
    );
    expectClose(interpolateConcentration(c, f(300)).concentrationUgPerMl!, 300, { rel: 1e-4 }, "300 µg/mL");
    const out = interpolateConcentration(c, 5);
    expect(out.concentrationUgPerMl).toBeNull();
    expect(out.reason).toMatch(/outside/);
  });
});
