import { describe, expect, it } from "vitest";
import {
  checkInputFunction,
  getInputPreset,
  INPUT_PRESETS,
  plasmaConcentration,
  plasmaIntegral,
} from "../../../src/sim/input/index.js";
import { expectClose } from "../../helpers/close.js";
import { expectAtsmError } from "../../helpers/errors.js";

describe("plasma input functions", () => {
  for (const name of Object.keys(INPUT_PRESETS)) {
    const f = getInputPreset(name);
    it(`${name}: valid, continuous at the peak, integral matches the trapezoid rule`, () => {
      checkInputFunction(f);
      expectClose(
        plasmaConcentration(f, f.tPeakS - 1e-9),
        plasmaConcentration(f, f.tPeakS),
        { rel: 1e-6 },
        "peak continuity",
      );
      let trap = 0;
      const h = 0.5;
      for (let t = 0; t < 7200; t += h)
        trap += (h * (plasmaConcentration(f, t) + plasmaConcentration(f, t + h))) / 2;
      expectClose(plasmaIntegral(f, 7200), trap, { rel: 1e-4 }, "∫Cp");
    });
    it(`${name}: every parameter has a provenance note`, () => {
      for (const v of Object.values(INPUT_PRESETS[name]!.provenance))
        expect(v).toMatch(/^\[(V|D|M|S|F|A)\] /);
    });
  }

  it("rejects mismatched amplitudes and rates", () => {
    expectAtsmError(
      () =>
        checkInputFunction({
          name: "x",
          tPeakS: 10,
          amplitudesPerMl: [1, 2],
          ratesPerS: [1],
          bloodToPlasmaRatio: 1,
        }),
      { code: "INVALID_ARGUMENT", hint: /one rate per amplitude/ },
    );
    expectAtsmError(() => getInputPreset("rat"), { hint: /mouse, human/ });
  });
});
