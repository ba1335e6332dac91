import { readFileSync } from "node:fs";
import { describe, it } from "vitest";
import { expm } from "../../../src/sim/ode/expm.js";
import { rampPropagator, stepRamp } from "../../../src/sim/ode/linear.js";
import { expectClose } from "../../helpers/close.js";

const REF = JSON.parse(
  readFileSync(new URL("../../fixtures/data/twin/expm.json", import.meta.url), "utf8"),
) as { tool: string; cases: { name: string; n: number; a: number[]; expm: number[]; eig?: number[] }[] };

describe("expm (Padé-13 scaling and squaring)", () => {
  it("diagonal: exp(diag(d)) = diag(e^d) (hand-derived)", () => {
    const e = expm(new Float64Array([-1, 0, 0, 2]), 2);
    expectClose(e[0]!, Math.exp(-1), { rel: 1e-14 }, "e00");
    expectClose(e[3]!, Math.exp(2), { rel: 1e-14 }, "e11");
    expectClose(e[1]!, 0, { abs: 1e-16 }, "e01");
  });

  it("rotation generator: exp([[0,-θ],[θ,0]]) = [[cos,-sin],[sin,cos]] (hand-derived)", () => {
    const th = 7.3;
    const e = expm(new Float64Array([0, -th, th, 0]), 2);
    expectClose(e[0]!, Math.cos(th), { abs: 1e-13 }, "cos");
    expectClose(e[2]!, Math.sin(th), { abs: 1e-13 }, "sin");
  });

  it("nilpotent: exp([[0,1],[0,0]]·t) = [[1,t],[0,1]]", () => {
    const e = expm(new Float64Array([0, 1e3, 0, 0]), 2);
    expectClose(e[1]!, 1e3, { rel: 1e-14 }, "t");
    expectClose(e[0]!, 1, { rel: 1e-14 }, "1");
  });

  for (const c of REF.cases) {
    it(`matches ${REF.tool} on ${c.name}`, () => {
      const e = expm(Float64Array.from(c.a), c.n);
      // Tolerance: both tools square s ≈ log2(‖A‖₁/5.37) times (s = 21 for the 1-day case), which
      // amplifies rounding to ~2^s·u ≈ 2e-10 relative; the three references (ours, scipy, numpy eig)
      // differ by up to 5e-10 there, so we ask for agreement to 1e-9 of the largest entry.
      const scale = Math.max(...c.expm.map(Math.abs));
      for (let i = 0; i < c.n * c.n; i++)
        expectClose(e[i]!, c.expm[i]!, { abs: 1e-9 * scale }, `${c.name}[${i}]`);
      // Independent check where given: eigendecomposition V·exp(Λ)·V⁻¹ (numpy; cond(V) ≈ 4).
      if (c.eig)
        for (let i = 0; i < c.n * c.n; i++)
          expectClose(e[i]!, c.eig[i]!, { abs: 1e-9 * scale }, `${c.name} eig[${i}]`);
    });
  }
});

describe("expm conservative mode", () => {
  it("keeps column sums at 1 to 1e-14 for a stiff closed chain over 1 day and still matches scipy", () => {
    const c = REF.cases.find((x) => x.name === "stiff-chain-t86400")!;
    const e = expm(Float64Array.from(c.a), c.n, true);
    for (let col = 0; col < c.n; col++) {
      let s = 0;
      for (let r = 0; r < c.n; r++) s += e[r * c.n + col]!;
      expectClose(s, 1, { abs: 1e-14 }, `column ${col} sum`);
    }
    for (let i = 0; i < c.n * c.n; i++) expectClose(e[i]!, c.expm[i]!, { abs: 1e-9 }, `entry ${i}`);
  });
});

describe("ramp propagator (first-order hold)", () => {
  it("dx/dt = −k·x + u(t), u linear: exact against the analytic solution", () => {
    // x(0)=x0, u(t)=u0+s·t: x(h) = x0 e^{−kh} + u0(1−e^{−kh})/k + s(h/k − (1−e^{−kh})/k²)
    const k = 0.37;
    const h = 4.2;
    const [x0, u0, u1] = [2, 0.5, 1.7];
    const s = (u1 - u0) / h;
    const e = Math.exp(-k * h);
    const exact = x0 * e + (u0 * (1 - e)) / k + s * (h / k - (1 - e) / (k * k));
    const p = rampPropagator(new Float64Array([-k]), [1], 1, h);
    const x = new Float64Array([x0]);
    stepRamp(p, x, u0, u1, new Float64Array(1));
    expectClose(x[0]!, exact, { rel: 1e-13 }, "x(h)");
  });
});
