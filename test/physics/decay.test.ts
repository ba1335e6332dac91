import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  activityAt,
  bqToMci,
  cumulatedActivityBqS,
  decayCorrectionFactor,
  decayFactor,
  decayFactorBetweenMs,
  frameDecayCorrectionFactor,
  frameIntegratedActivityBqS,
  frameMeanActivityBq,
  getNuclide,
  meanLifeS,
} from "../../src/physics/index.js";
import { expectClose } from "../helpers/close.js";
import { expectAtsmError } from "../helpers/errors.js";

const CU64_T = 12.7 * 3600; // ICRP-107

describe("decay", () => {
  it("halves per half-life, forwards and backwards", () => {
    expectClose(decayFactor(CU64_T, CU64_T), 0.5, { rel: 1e-15 }, "1 T½");
    expectClose(decayFactor(CU64_T, 2 * CU64_T), 0.25, { rel: 1e-15 }, "2 T½");
    expectClose(decayFactor(CU64_T, -CU64_T), 2, { rel: 1e-15 }, "−1 T½");
    expect(decayFactor(CU64_T, 0)).toBe(1);
    expectClose(activityAt(185e6, CU64_T, CU64_T), 92.5e6, { rel: 1e-14 }, "185 MBq after T½");
    expectClose(decayCorrectionFactor(CU64_T, CU64_T), 2, { rel: 1e-15 }, "correction");
    expectClose(
      decayFactorBetweenMs(CU64_T, Date.UTC(2025, 2, 1, 8), Date.UTC(2025, 2, 1, 20, 42)),
      0.5,
      { rel: 1e-15 },
      "08:00 → 20:42 is 12.7 h",
    );
  });

  it("F-18 after 60 min: 2^(−60/109.77) = 0.684633 (hand: ln2·60/109.77 = 0.378879, e^−x)", () => {
    expectClose(decayFactor(getNuclide("F-18").halfLifeS, 3600), 0.684633, { rel: 1e-6 }, "F-18 1h");
  });

  it("frame integral equals numeric quadrature and the correction factor", () => {
    const a0 = 100e6;
    const ts = 600;
    const dt = 1800;
    const integral = frameIntegratedActivityBqS(a0, CU64_T, ts, dt);
    // Simpson's rule, 2000 intervals.
    const n = 2000;
    const h = dt / n;
    let s = 0;
    for (let i = 0; i <= n; i++) {
      const w = i === 0 || i === n ? 1 : i % 2 === 1 ? 4 : 2;
      s += w * activityAt(a0, CU64_T, ts + i * h);
    }
    expectClose(integral, (s * h) / 3, { rel: 1e-12 }, "∫A dt vs Simpson");
    // Frame mean × λΔt/(1−e^{−λΔt}) = activity at frame start.
    const mean = frameMeanActivityBq(a0, CU64_T, ts, dt);
    expectClose(
      mean * frameDecayCorrectionFactor(CU64_T, dt),
      activityAt(a0, CU64_T, ts),
      { rel: 1e-14 },
      "frame",
    );
    // Hand: x = λΔt = ln2·1800/45720 = 0.02728926; x/(1−e^{−x}) = 1 + x/2 + x²/12 − x⁴/720 + …
    // = 1.01370669 (series to x⁴; next term O(x⁶) ~ 1e-12).
    const x = (Math.LN2 * 1800) / 45720;
    expectClose(
      frameDecayCorrectionFactor(CU64_T, 1800),
      1 + x / 2 + x ** 2 / 12 - x ** 4 / 720,
      { rel: 1e-11 },
      "series",
    );
    expectClose(frameDecayCorrectionFactor(CU64_T, 1800), 1.01370669, { abs: 1e-8 }, "hand value");
    expect(frameDecayCorrectionFactor(CU64_T, 0)).toBe(1);
    expectClose(frameDecayCorrectionFactor(CU64_T, 1e-9), 1, { abs: 1e-12 }, "tiny frame");
    expect(frameMeanActivityBq(a0, CU64_T, ts, 0)).toBe(activityAt(a0, CU64_T, ts));
  });

  it("cumulated activity: complete decay = A0·T½/ln2; pieces add up", () => {
    expectClose(cumulatedActivityBqS(1e6, CU64_T), (1e6 * CU64_T) / Math.LN2, { rel: 1e-15 }, "Ã∞");
    expectClose(meanLifeS(CU64_T), CU64_T / Math.LN2, { rel: 1e-15 }, "τ");
    const whole = cumulatedActivityBqS(1e6, CU64_T, 0, 7200);
    const a = cumulatedActivityBqS(1e6, CU64_T, 0, 3000);
    const b = frameIntegratedActivityBqS(1e6, CU64_T, 3000, 4200);
    expectClose(a + b, whole, { rel: 1e-13 }, "additivity");
  });

  it("unit conversions: 1 mCi = 37 MBq (curie definition)", () => {
    expectClose(bqToMci(37e6), 1, { rel: 1e-15 }, "mCi");
  });

  it("rejects non-positive half-lives and negative durations", () => {
    expectAtsmError(() => decayFactor(0, 1), { code: "INVALID_ARGUMENT", message: /half-life/ });
    expectAtsmError(() => decayFactor(Number.NaN, 1), { code: "INVALID_ARGUMENT" });
    expectAtsmError(() => frameIntegratedActivityBqS(1, 10, 0, -1), { code: "INVALID_ARGUMENT" });
  });

  it("decay factors compose: f(a)·f(b) = f(a+b) (property)", () => {
    fc.assert(
      fc.property(
        fc.double({ min: 1, max: 1e7, noNaN: true }),
        fc.double({ min: -20, max: 20, noNaN: true }),
        fc.double({ min: -20, max: 20, noNaN: true }),
        (t, ua, ub) => {
          // elapsed times within ±20 half-lives (factors stay well inside double range)
          const a = ua * t;
          const b = ub * t;
          expectClose(decayFactor(t, a) * decayFactor(t, b), decayFactor(t, a + b), { rel: 1e-9 }, "compose");
        },
      ),
      { numRuns: 200 },
    );
  });
});
