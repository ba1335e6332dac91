import { describe, expect, it } from "vitest";
import {
  bodyMassIndex,
  bodySurfaceAreaDuBoisM2,
  leanBodyMassJamesKg,
  leanBodyMassJanmahasatianKg,
} from "../../../src/quant/suv/index.js";
import { expectClose } from "../../helpers/close.js";

describe("body-size normalisers (hand computations, W 80 kg, H 1.75 m)", () => {
  it("BMI = 80/1.75² = 26.1224 kg/m²", () => {
    expectClose(bodyMassIndex(80, 1.75), 26.12244898, { rel: 1e-9 }, "BMI");
  });

  it("Janmahasatian 2005 (Clin Pharmacokinet 44:1051): M 9270·80/(6680+216·26.1224) = 60.1828 kg; F 9270·80/(8780+244·26.1224) = 48.9380 kg", () => {
    expectClose(
      leanBodyMassJanmahasatianKg(80, 1.75, "M"),
      741600 / (6680 + 216 * (80 / 1.75 ** 2)),
      { rel: 1e-14 },
      "M",
    );
    expectClose(leanBodyMassJanmahasatianKg(80, 1.75, "M"), 60.18284, { abs: 1e-5 }, "M hand");
    expectClose(leanBodyMassJanmahasatianKg(80, 1.75, "F"), 48.93797, { abs: 1e-5 }, "F hand");
  });

  it("James 1976: M 1.10·80 − 128·(80/175)² = 61.2506 kg; F 1.07·80 − 148·(80/175)² = 54.6710 kg", () => {
    expectClose(leanBodyMassJamesKg(80, 1.75, "M"), 88 - 128 * (80 / 175) ** 2, { rel: 1e-14 }, "M");
    expectClose(leanBodyMassJamesKg(80, 1.75, "M"), 61.25061, { abs: 1e-5 }, "M hand");
    expectClose(leanBodyMassJamesKg(80, 1.75, "F"), 54.67102, { abs: 1e-5 }, "F hand");
    // The James paradox: an obese male (200 kg, 1.50 m) gets a negative LBM.
    expect(leanBodyMassJamesKg(200, 1.5, "M")).toBeLessThan(0);
  });

  it("Du Bois 1916: 0.007184·W^0.425·H_cm^0.725; 70 kg/170 cm → 1.8097 m² (the textbook 1.81 m²)", () => {
    expectClose(bodySurfaceAreaDuBoisM2(70, 1.7), 1.809708, { abs: 1e-6 }, "70/170");
    expectClose(bodySurfaceAreaDuBoisM2(80, 1.75), 1.95606, { abs: 1e-6 }, "80/175");
    // calculate-suv test: 75 kg, 1.85 m → 19813.758427117766 cm².
    expectClose(
      bodySurfaceAreaDuBoisM2(75, 1.85) * 1e4,
      19813.758427117766,
      { rel: 1e-12 },
      "calculate-suv BSA",
    );
  });
});
