/**
 * Benchmark (issue 4): Cu-ATSM tracer maps over 18 h from an N³ pO2 map.
 *
 * Input (seeded, deterministic): a sphere of FaDu tumour (pO2 drawn from the preset's log-normal
 * mixture, float32, so nearly every voxel has its own pO2) in mouse muscle (pO2 30 ± 5 mmHg),
 * outside a ball "no tissue". Output times 20 min, 90 min, 4 h, 18 h.
 *
 * - ours: `buildTracerGrid` + `buildPo2NodeTable` (64 exact ODE solves per region) + PCHIP
 *   interpolation per voxel and time (`simulateTracerMapRange`), one thread.
 * - peer (bench/peers/tracer_scipy.py, Debian /usr/bin/python3): the same method in numpy/scipy:
 *   node TACs by scipy.linalg.expm of the same first-order-hold augmented matrices on the same
 *   time grid, then scipy.interpolate.PchipInterpolator in w = ln(1 + pO2/P½) for all voxels.
 *   The two maps are compared voxel by voxel.
 * - ours with worker threads (`simulateTracerMapThreaded`, ≥ 2 threads), for information.
 * - Also: exact per-voxel solves (ours `simulateVoxel`, peer expm per voxel) timed on a subsample
 *   of distinct pO2 values and scaled up to the map's number of distinct (region, pO2) pairs:
 *   what the map would cost without the node grid.
 *
 *   npx tsx bench/tracer.ts [N=128]
 */
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { simulateTracerMapThreaded } from "../src/app/twin/tracer-map.js";
import { createRng } from "../src/core/rng.js";
import { XENOGRAFTS } from "../src/sim/presets/xenografts.js";
import {
  buildPo2NodeTable,
  buildTracerGrid,
  drawPo2,
  REGION_NONE,
  simulateTracerMapRange,
  simulateVoxel,
  type TracerMapInput,
  tissueRateMatrix,
} from "../src/sim/tumour/index.js";
import { defaultThreadCount } from "../src/workers/pool.js";

const N = Number(process.argv[2] ?? 128);
const TIMES_S = [1200, 5400, 4 * 3600, 18 * 3600];
const EXACT_SUBSAMPLE = 200;
const preset = XENOGRAFTS.FaDu!;
const regions = [preset.tumour, preset.muscle];

function phantom(n: number, seed: number): TracerMapInput {
  const rng = createRng(seed);
  const nVox = n ** 3;
  const pO2 = new Float32Array(nVox);
  const reg = new Uint8Array(nVox);
  const c = (n - 1) / 2;
  for (let k = 0; k < n; k++) {
    for (let j = 0; j < n; j++) {
      for (let i = 0; i < n; i++) {
        const v = i + n * (j + n * k);
        const r = Math.hypot(i - c, j - c, k - c) / n;
        if (r > 0.5) {
          reg[v] = REGION_NONE;
        } else if (r < 0.3) {
          reg[v] = 0;
          pO2[v] = drawPo2(preset.tumourPo2, rng);
        } else {
          reg[v] = 1;
          pO2[v] = Math.max(0, 30 + 5 * rng.normal());
        }
      }
    }
  }
  return { pO2MmHg: pO2, regionIndex: reg, regions };
}

/** Number of distinct (region, pO2) pairs among tissue voxels. */
function distinctPairs(m: TracerMapInput): number {
  let total = 0;
  for (let r = 0; r < m.regions.length; r++) {
    const vals: number[] = [];
    for (let v = 0; v < m.pO2MmHg.length; v++) if (m.regionIndex![v] === r) vals.push(m.pO2MmHg[v]!);
    total += new Set(vals).size;
  }
  return total;
}

function mapOnce(m: TracerMapInput): { out: Float32Array; tableS: number; interpS: number } {
  const t0 = performance.now();
  const grid = buildTracerGrid(preset.input, TIMES_S);
  const table = buildPo2NodeTable(m, grid);
  const t1 = performance.now();
  const n = m.pO2MmHg.length;
  const out = simulateTracerMapRange(m, grid, 0, n, new Float32Array(TIMES_S.length * n), table);
  const t2 = performance.now();
  return { out, tableS: (t1 - t0) / 1000, interpS: (t2 - t1) / 1000 };
}

const m = phantom(N, 1);
const nVox = m.pO2MmHg.length;
let tissue = 0;
for (let v = 0; v < nVox; v++) if (m.regionIndex![v] !== REGION_NONE) tissue++;
const pairs = distinctPairs(m);
console.log(
  `map ${N}³ = ${nVox} voxels (${tissue} tissue, ${pairs} distinct (region, pO2) pairs), times ${TIMES_S.map((t) => `${t / 60} min`).join(", ")}`,
);

// Warm-up (JIT) on a small map, then the timed run.
mapOnce(phantom(48, 2));
const ours = mapOnce(m);
const oursS = ours.tableS + ours.interpS;

// The app path with worker threads (table built here, interpolation split over workers; from
// TypeScript source each worker first loads tsx). Must be bit-identical to the single thread.
const threads = Math.max(2, defaultThreadCount());
const tw = performance.now();
const threaded = await simulateTracerMapThreaded(m, preset.input, TIMES_S, { threads });
const threadedS = (performance.now() - tw) / 1000;
let differ = 0;
for (let i = 0; i < threaded.length; i++) if (threaded[i] !== ours.out[i]) differ++;
console.log(
  `ours with ${threads} worker threads (incl. worker start): ${threadedS.toFixed(3)} s vs ${oursS.toFixed(3)} s in one thread; ${differ} values differ`,
);

// Exact per-voxel solves on a subsample of distinct tumour pO2 values (ours).
const grid = buildTracerGrid(preset.input, TIMES_S);
const sub = new Float64Array(EXACT_SUBSAMPLE);
for (let i = 0, v = 0; i < EXACT_SUBSAMPLE; v++) if (m.regionIndex![v] === 0) sub[i++] = m.pO2MmHg[v]!;
const tac = new Float64Array(TIMES_S.length);
for (let i = 0; i < 20; i++) simulateVoxel(preset.tumour, sub[i]!, grid, tac); // warm-up
const te = performance.now();
for (let i = 0; i < EXACT_SUBSAMPLE; i++) simulateVoxel(preset.tumour, sub[i]!, grid, tac);
const oursExactPerVoxelS = (performance.now() - te) / 1000 / EXACT_SUBSAMPLE;

const dir = mkdtempSync(join(tmpdir(), "atsm-bench-tracer-"));
try {
  const table = buildPo2NodeTable(m, grid);
  writeFileSync(join(dir, "po2.f32"), new Uint8Array(m.pO2MmHg.buffer));
  writeFileSync(join(dir, "region.u8"), m.regionIndex!);
  writeFileSync(join(dir, "subsample.f64"), new Uint8Array(sub.buffer));
  writeFileSync(
    join(dir, "problem.json"),
    JSON.stringify({
      timeCount: TIMES_S.length,
      nodesS: Array.from(grid.nodesS),
      cpAtNodes: Array.from(grid.cpAtNodes),
      outputIndex: Array.from(grid.outputIndex),
      bloodToPlasmaRatio: preset.input.bloodToPlasmaRatio,
      regions: regions.map((r, i) => {
        // A(pO2) = A0 + pO2·A1: pO2 enters the rate matrix linearly (k_ox·pO2, sim/tumour/tissue.ts).
        const a0 = tissueRateMatrix(r, 0);
        const a1 = tissueRateMatrix(r, 1).map((x, j) => x - a0[j]!);
        const t = table.regions[i];
        if (!t) throw new Error(`region ${r.name} not interpolated`);
        return {
          a0: Array.from(a0),
          a1: Array.from(a1),
          k1: r.tissue.k1MlPerMlPerS,
          bloodVolumeFraction: r.tissue.bloodVolumeFraction,
          scaleMmHg: t.scaleMmHg,
          nodesMmHg: Array.from(t.nodesMmHg),
        };
      }),
    }),
  );
  execFileSync("/usr/bin/python3", [join(import.meta.dirname, "peers/tracer_scipy.py"), dir], {
    stdio: "inherit",
  });
  const peer = JSON.parse(readFileSync(join(dir, "peer.json"), "utf8")) as {
    nodesS: number;
    interpS: number;
    exactPerVoxelS: number;
    scipy: string;
    numpy: string;
  };
  const peerMap = new Float32Array(readFileSync(join(dir, "peer_map.f32")).buffer.slice(0));
  let maxRel = 0;
  for (let i = 0; i < peerMap.length; i++) {
    const e = peerMap[i]!;
    if (e !== 0) maxRel = Math.max(maxRel, Math.abs(ours.out[i]! - e) / Math.abs(e));
    else if (ours.out[i] !== 0) maxRel = Number.POSITIVE_INFINITY;
  }
  const peerS = peer.nodesS + peer.interpS;
  console.log(
    `peer: scipy ${peer.scipy}, numpy ${peer.numpy}; max relative |ours − peer| over the map ${maxRel.toExponential(2)}`,
  );
  console.log(
    `  node TACs (${table.regions[0]!.nodesMmHg.length} nodes × ${regions.length} regions): ours ${ours.tableS.toFixed(3)} s, peer ${peer.nodesS.toFixed(3)} s`,
  );
  console.log(`  interpolation: ours ${ours.interpS.toFixed(3)} s, peer ${peer.interpS.toFixed(3)} s`);
  console.log(
    `tracer map ${N}³ over 18 h (node grid + PCHIP): ours ${oursS.toFixed(3)} s, peer ${peerS.toFixed(3)} s, ratio ${(oursS / peerS).toFixed(2)}`,
  );
  const oursExactS = oursExactPerVoxelS * pairs;
  const peerExactS = peer.exactPerVoxelS * pairs;
  console.log(
    `exact per distinct pO2 (${EXACT_SUBSAMPLE}-voxel subsample × ${pairs}): ours ${(oursExactPerVoxelS * 1e6).toFixed(0)} µs/voxel → ${oursExactS.toFixed(0)} s, peer ${(peer.exactPerVoxelS * 1e6).toFixed(0)} µs/voxel → ${peerExactS.toFixed(0)} s, ratio ${(oursExactS / peerExactS).toFixed(2)}`,
  );
} finally {
  rmSync(dir, { recursive: true, force: true });
}
