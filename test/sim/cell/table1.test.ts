/**
 * The cell-line presets reproduce the brief's Table 1 [S] (shared/reference/brief.md) within ±5 %,
 * with the default well (5e5 cells, 1 mL) and "hypoxic" = 1 % O2.
 */
import { describe, it } from "vitest";
import { fitCellLine, uptakePercentAt } from "../../../src/sim/cell/index.js";
import { ASSUMED_CELL_DEFAULTS, CELL_LINES } from "../../../src/sim/presets/cell-lines.js";
import { expectClose } from "../../helpers/close.js";

const H3 = 3 * 3600;
const M30 = 30 * 60;

describe("Table 1 (brief) at 3 h", () => {
  it("MCF-7: normoxic ≈ 1.1 %, hypoxic ≈ 2.75 % (±5 %)", () => {
    const k = CELL_LINES["MCF-7"]!.kinetics;
    expectClose(uptakePercentAt(k, 21, H3), 1.1, { rel: 0.05 }, "MCF-7 normoxic");
    expectClose(uptakePercentAt(k, 1, H3), 2.75, { rel: 0.05 }, "MCF-7 hypoxic");
  });
  it("HEK-293: normoxic ≈ 0.65 %, hypoxic ≈ 3.35 % (±5 %)", () => {
    const k = CELL_LINES["HEK-293"]!.kinetics;
    expectClose(uptakePercentAt(k, 21, H3), 0.65, { rel: 0.05 }, "HEK-293 normoxic");
    expectClose(uptakePercentAt(k, 1, H3), 3.35, { rel: 0.05 }, "HEK-293 hypoxic");
  });
});

describe("Table 1 (brief) relative hypoxic uptake at 30 min", () => {
  for (const [line, ratio] of [
    ["H1299", 2.5],
    ["HCT15", 1.5],
  ] as const) {
    it(`${line}: hypoxic/normoxic ≈ ${ratio} (±5 %)`, () => {
      const k = CELL_LINES[line]!.kinetics;
      expectClose(uptakePercentAt(k, 1, M30) / uptakePercentAt(k, 21, M30), ratio, { rel: 0.05 }, line);
    });
  }
});

describe("fitCellLine re-derives the [F] preset values", () => {
  it("MCF-7 k_red and P½ from the two Table 1 points (±1 %)", () => {
    const r = fitCellLine(
      [
        { condition: "normoxic", o2Percent: 21, timeMin: 180, uptakePercent: 1.1 },
        { condition: "hypoxic", o2Percent: 1, timeMin: 180, uptakePercent: 2.75 },
      ],
      { start: ASSUMED_CELL_DEFAULTS },
    );
    const k = CELL_LINES["MCF-7"]!.kinetics;
    expectClose(r.kinetics.kRedPerS, k.kRedPerS, { rel: 0.01 }, "kRed");
    expectClose(r.kinetics.p50MmHg, k.p50MmHg, { rel: 0.01 }, "P½");
    expectClose(r.rmsResidualPercent, 0, { abs: 1e-6 }, "rms residual");
  });
});
