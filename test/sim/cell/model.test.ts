import { describe, expect, it } from "vitest";
import {
  assayInfluxPerS,
  CELL_STATE,
  cellRateMatrix,
  gasPercentToPo2MmHg,
  netTrappingRatePerS,
  simulateAssay,
} from "../../../src/sim/cell/index.js";
import { expm } from "../../../src/sim/ode/expm.js";
import { matVec } from "../../../src/sim/ode/matrix.js";
import { CELL_LINES } from "../../../src/sim/presets/cell-lines.js";
import { expectClose } from "../../helpers/close.js";

const MCF7 = CELL_LINES["MCF-7"]!.kinetics;

describe("gas % → medium pO2", () => {
  it("uses (760 − 47.1)·fraction (atsm-science §1.3 [D]: 1 % ≈ 7.1, 21 % ≈ 150 mmHg)", () => {
    expectClose(gasPercentToPo2MmHg(1), 7.129, { abs: 1e-9 }, "1 %");
    expectClose(gasPercentToPo2MmHg(21), 149.709, { abs: 1e-9 }, "21 %");
    expect(gasPercentToPo2MmHg(0)).toBe(0);
  });
});

describe("cell rate matrix", () => {
  it("every column sums to zero (closed system)", () => {
    const a = cellRateMatrix(MCF7, 37, 1.7, 0.02);
    for (let c = 0; c < 6; c++) {
      let s = 0;
      for (let r = 0; r < 6; r++) s += a[r * 6 + c]!;
      expectClose(s, 0, { abs: 1e-15 }, `column ${c}`); // rounding of rates ~0.05/s
    }
  });
});

describe("mass conservation", () => {
  it("Σ states = added activity to 1e-9 at every time point, every O2 level, with washout", () => {
    for (const o2 of [21, 1, 0.5, 0]) {
      const r = simulateAssay(MCF7, {
        cellsPerWell: 2e6,
        mediumMl: 0.5,
        activityBq: 1e6,
        pO2MmHg: gasPercentToPo2MmHg(o2),
        rho: 3,
        timesS: [60, 900, 1800, 3600, 7200, 10_800, 86_400 * 3],
        washout: { atS: 7200, retentionTimesS: [600, 3600, 86_400] },
      });
      expect(r.massBalanceRelError).toBeLessThan(1e-9);
    }
  });

  it("stays conserved for extreme stiffness (rates 1e-8..1e3 /s) over a week", () => {
    const stiff = { ...MCF7, kOutPerS: 1e3, kDissPerS: 500, kEffluxPerS: 1e-8 };
    const r = simulateAssay(stiff, {
      cellsPerWell: 5e5,
      mediumMl: 1,
      activityBq: 1,
      pO2MmHg: 150,
      rho: 1,
      timesS: [1, 3600, 604_800],
    });
    expect(r.massBalanceRelError).toBeLessThan(1e-9);
  });
});

describe("quasi-steady-state limit", () => {
  it("with fast [Cu(I)ATSM]⁻ turnover, trapping flux = k_red/(1 + pO2/P½)·CI (atsm-science §1.4)", () => {
    // Make RED fast (k_diss large, P½ fixed ⇒ k_ox large) and no loss from the trap: then the trap
    // fills at rate k3_eff·CI. Compare the full model with the reduced 3-state model
    // EXT ⇄ CI → TRAPPED at k3_eff, both integrated exactly.
    for (const pO2 of [0, 2, 10, 40, 150]) {
      const k = { ...MCF7, kDissPerS: 1e4, kReleasePerS: 0, kEffluxPerS: 0, kBindPerS: 0 };
      const kIn = assayInfluxPerS(k, 5e5, 1);
      const t = 7200;
      const a = cellRateMatrix(k, pO2, 1, kIn);
      const e = expm(
        Float64Array.from(a, (v) => v * t),
        6,
      );
      const x = matVec(e, [1, 0, 0, 0, 0, 0], 6, new Float64Array(6));
      const k3 = netTrappingRatePerS(k, pO2);
      const b = new Float64Array([-kIn, k.kOutPerS, 0, kIn, -k.kOutPerS - k3, 0, 0, k3, 0]);
      const y = matVec(
        expm(
          Float64Array.from(b, (v) => v * t),
          3,
        ),
        [1, 0, 0],
        3,
        new Float64Array(3),
      );
      expectClose(x[CELL_STATE.TRAP]!, y[2]!, { rel: 1e-3 }, `trapped at pO2 ${pO2}`);
    }
  });

  it("k3_eff(P½) = k_red/2 and → k_red as pO2 → 0", () => {
    expectClose(netTrappingRatePerS(MCF7, MCF7.p50MmHg), MCF7.kRedPerS / 2, { rel: 1e-15 }, "at P½");
    expectClose(netTrappingRatePerS(MCF7, 0), MCF7.kRedPerS, { rel: 1e-15 }, "anoxic");
  });
});

describe("assay behaviour", () => {
  it("uptake orders anoxic > 0.5 % > 1 % > normoxic and rises with time", () => {
    const times = [900, 1800, 3600, 7200, 10_800];
    const u = [0, 0.5, 1, 21].map(
      (o2) =>
        simulateAssay(MCF7, {
          cellsPerWell: 5e5,
          mediumMl: 1,
          activityBq: 37e3,
          pO2MmHg: gasPercentToPo2MmHg(o2),
          rho: 1,
          timesS: times,
        }).uptakePercent,
    );
    for (let i = 0; i < times.length; i++) {
      expect(u[0]![i]!).toBeGreaterThan(u[1]![i]!);
      expect(u[1]![i]!).toBeGreaterThan(u[2]![i]!);
      expect(u[2]![i]!).toBeGreaterThan(u[3]![i]!);
      if (i > 0) expect(u[2]![i]!).toBeGreaterThan(u[2]![i - 1]!);
    }
  });

  it("washout: hypoxic cells retain a larger fraction than normoxic cells", () => {
    const ret = (o2: number): number =>
      simulateAssay(MCF7, {
        cellsPerWell: 5e5,
        mediumMl: 1,
        activityBq: 37e3,
        pO2MmHg: gasPercentToPo2MmHg(o2),
        rho: 1,
        timesS: [3600],
        washout: { atS: 3600, retentionTimesS: [3600] },
      }).retention!.retainedFraction[0]!;
    const h = ret(1);
    const n = ret(21);
    expect(h).toBeGreaterThan(n);
    expect(h).toBeLessThan(1);
  });

  it("reductive state ρ raises trapping (Donnelly 2012: impaired ETC → more retention)", () => {
    const at = (rho: number): number =>
      simulateAssay(MCF7, {
        cellsPerWell: 5e5,
        mediumMl: 1,
        activityBq: 1,
        pO2MmHg: 150,
        rho,
        timesS: [10_800],
      }).uptakePercent[0]!;
    expect(at(2)).toBeGreaterThan(at(1));
  });

  it("per-µg-protein value = % / (cells × protein per cell)", () => {
    const r = simulateAssay(MCF7, {
      cellsPerWell: 4e5,
      mediumMl: 1,
      activityBq: 1,
      pO2MmHg: 7,
      rho: 1,
      timesS: [3600],
    });
    expectClose(
      r.uptakePercentPerUgProtein[0]!,
      r.uptakePercent[0]! / ((4e5 * 250) / 1e6),
      { rel: 1e-12 },
      "%/µg",
    );
  });
});
