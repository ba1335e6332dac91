/**
 * Benchmark: 3-D steady-state oxygen solve, ours (Newton + multigrid-preconditioned CG) vs
 * scipy.sparse.linalg.cg (Debian /usr/bin/python3) on the SAME linear system: the zero-order
 * problem on an N³ grid of 10 µm voxels with one seeded random vessel network, relative residual
 * 1e-8. The vessel map is passed to the peer as raw files in a temp dir; the two solutions are
 * compared voxel by voxel. Also times the full Michaelis–Menten (nonlinear) solve, which has no
 * scipy counterpart.
 *
 *   npx tsx bench/twin.ts [N=128]
 */
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { consumptionMmHgPerUm2, DEFAULT_OXYGEN_PARAMS } from "../src/sim/oxygen/params.js";
import { solveOxygen } from "../src/sim/oxygen/solve.js";
import { po2Histogram } from "../src/sim/oxygen/stats.js";
import { generateVesselNetwork } from "../src/sim/vessels/index.js";

const N = Number(process.argv[2] ?? 128);
const REL_TOL = 1e-8;
const spacingUm = [10, 10, 10] as const;
const dims = [N, N, N] as const;
const vessels = generateVesselNetwork({
  dims,
  spacingUm,
  lengthDensityMmPerMm3: 200,
  shape: "straight",
  seed: 1,
});
const zeroOrder = { ...DEFAULT_OXYGEN_PARAMS, law: "zero-order" as const };
const dir = mkdtempSync(join(tmpdir(), "atsm-bench-twin-"));
try {
  writeFileSync(join(dir, "mask.u8"), vessels.mask);
  writeFileSync(join(dir, "po2.f32"), new Uint8Array(vessels.po2MmHg.buffer));
  writeFileSync(
    join(dir, "problem.json"),
    JSON.stringify({
      dims,
      spacingUm,
      consumptionMmHgPerUm2: consumptionMmHgPerUm2(zeroOrder),
      relTol: REL_TOL,
    }),
  );
  console.log(
    `grid ${N}³ at 10 µm, ${vessels.vesselCount} vessels, Lv ${vessels.lengthDensityMmPerMm3.toFixed(0)} mm/mm³, vessel fraction ${(100 * vessels.vesselVolumeFraction).toFixed(2)} %`,
  );
  const problem = { dims, spacingUm, vesselMask: vessels.mask, vesselPo2MmHg: vessels.po2MmHg };
  // Warm-up on a small grid so JIT compilation is not timed.
  solveOxygen(
    {
      dims: [24, 24, 24],
      spacingUm,
      vesselMask: vessels.mask.subarray(0, 24 ** 3),
      vesselPo2MmHg: vessels.po2MmHg.subarray(0, 24 ** 3),
    },
    { params: zeroOrder },
  );
  const t0 = performance.now();
  const ours = solveOxygen(problem, { params: zeroOrder, linearRelTol: REL_TOL });
  const oursS = (performance.now() - t0) / 1000;
  const t1 = performance.now();
  execFileSync("/usr/bin/python3", [join(import.meta.dirname, "peers/twin_oxygen.py"), dir], {
    stdio: "inherit",
  });
  const peerWallS = (performance.now() - t1) / 1000;
  const peer = JSON.parse(readFileSync(join(dir, "peer.json"), "utf8")) as {
    assembleS: number;
    solveS: number;
    iterations: number;
    relResidual: number;
    scipy: string;
  };
  const peerSol = new Float32Array(readFileSync(join(dir, "peer_solution.f32")).buffer.slice(0));
  let maxDiff = 0;
  let range = 0;
  for (let u = 0; u < peerSol.length; u++) {
    maxDiff = Math.max(maxDiff, Math.abs(peerSol[u]! - ours.po2MmHg[u]!));
    range = Math.max(range, Math.abs(peerSol[u]!));
  }
  console.log(
    `ours: MGCG ${ours.linearIterations} iterations, ${ours.multigridLevels} levels; peer: scipy ${peer.scipy} cg ${peer.iterations} iterations (rel. residual ${peer.relResidual.toExponential(2)}), assembly ${peer.assembleS.toFixed(2)} s not counted, python wall ${peerWallS.toFixed(1)} s`,
  );
  console.log(`max |ours − peer| = ${maxDiff.toExponential(2)} mmHg (max |P| ${range.toFixed(0)} mmHg)`);
  console.log(
    `zero-order linear solve: ours ${oursS.toFixed(2)} s, peer ${peer.solveS.toFixed(2)} s, ratio ${(oursS / peer.solveS).toFixed(2)}`,
  );
  const t2 = performance.now();
  const mm = solveOxygen(problem);
  const mmS = (performance.now() - t2) / 1000;
  console.log(
    `Michaelis–Menten (nonlinear) solve: ours ${mmS.toFixed(2)} s (${mm.newtonIterations} Newton, ${mm.linearIterations} CG iterations, converged ${mm.converged}); no scipy counterpart`,
  );
  const h = po2Histogram(mm.po2MmHg, { vesselMask: vessels.mask });
  console.log(
    `tissue pO2: mean ${h.meanMmHg.toFixed(1)} mmHg, median ${h.medianMmHg.toFixed(1)} mmHg, HF10 ${(100 * h.hypoxicFraction10).toFixed(1)} %, HF2.5 ${(100 * h.hypoxicFraction2p5).toFixed(1)} %`,
  );
} finally {
  rmSync(dir, { recursive: true, force: true });
}
