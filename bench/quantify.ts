/**
 * bench/quantify: the whole hypoxia read-out (VOI rasterisation with partial-voxel weights, metrics,
 * SUVpeak search, T/M, hypoxic volume, histogram) of a 256×256×300 PET with a 50 mL tumour VOI,
 * ours vs a numpy/scipy implementation (bench/peers/quantify_numpy.py) on the same float32 data.
 * Then SUVpeak time for 5, 50 and 200 mL VOIs (ours: row-prefix-sum search; peer: scipy
 * ndimage.correlate over the VOI bounding box + margin) to show linear scaling in VOI size.
 *
 * Run: npx tsx bench/quantify.ts [nx ny nz]   (default 256 256 300)
 */
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { createRng } from "../src/core/rng.js";
import type { Volume } from "../src/core/types.js";
import { identityDirection } from "../src/core/types.js";
import { peakSearch } from "../src/quant/peak.js";
import { quantifyHypoxia } from "../src/quant/quantify.js";
import { rasterizeVoi } from "../src/quant/voi/resolve.js";

const here = dirname(fileURLToPath(import.meta.url));
const args = process.argv.slice(2).map(Number);
const dims: [number, number, number] = [args[0] || 256, args[1] || 256, args[2] || 300];
const spacingMm: [number, number, number] = [2.734, 2.734, 3.27]; // typical clinical PET voxel
const originMm: [number, number, number] = [0, 1, 2].map((a) => (-(dims[a]! - 1) / 2) * spacingMm[a]!) as [
  number,
  number,
  number,
];
const radiusForMl = (ml: number): number => Math.cbrt((3 * ml * 1000) / (4 * Math.PI));
const tumourR = radiusForMl(50); // 22.85 mm
const tumourC: [number, number, number] = [10.3, -20.1, 15.7];
const muscleC: [number, number, number] = [-50.2, 20.4, -15.9]; // inside the FOV for sizes ≥ 48³
const muscleR = 10;
const cutoffTm = 3.5;

function makeVolume(): Volume {
  const [nx, ny, nz] = dims;
  const data = new Float32Array(nx * ny * nz);
  const rng = createRng(42);
  let p = 0;
  for (let k = 0; k < nz; k++) {
    const z = originMm[2] + k * spacingMm[2];
    for (let j = 0; j < ny; j++) {
      const y = originMm[1] + j * spacingMm[1];
      for (let i = 0; i < nx; i++, p++) {
        const x = originMm[0] + i * spacingMm[0];
        const d = Math.hypot(x - tumourC[0], y - tumourC[1], z - tumourC[2]);
        const base = d <= 8 ? 6 : d <= tumourR ? 3 + 3 * Math.exp(-((d - 8) ** 2) / 50) : 1;
        data[p] = base * (1 + 0.1 * rng.normal());
      }
    }
  }
  return { data, dims, spacingMm, originMm, direction: identityDirection(), unit: "SUVbw" };
}

function best(n: number, f: () => void): number {
  let b = Infinity;
  for (let r = 0; r < n; r++) {
    const t0 = performance.now();
    f();
    b = Math.min(b, performance.now() - t0);
  }
  return b / 1000;
}

const sphere = (c: readonly number[], r: number): string => `sphere:${c.join(",")},${r}`;

console.log(`quantify bench: ${dims.join("×")} PET, voxel ${spacingMm.join("×")} mm, 50 mL tumour VOI`);
const volume = makeVolume();
const dir = mkdtempSync(join(tmpdir(), "atsm-bench-quantify-"));
try {
  const file = join(dir, "pet.f32");
  writeFileSync(file, new Uint8Array(volume.data.buffer));
  const scalingMl = [5, 50, 200];
  const params = {
    file,
    dims,
    spacingMm,
    originMm,
    tumour: { centerMm: tumourC, radiusMm: tumourR },
    reference: { centerMm: muscleC, radiusMm: muscleR },
    cutoffTm,
    repeats: 20,
    scalingRadiiMm: scalingMl.map(radiusForMl),
  };
  writeFileSync(join(dir, "params.json"), JSON.stringify(params));

  const input = {
    volume,
    tumor: sphere(tumourC, tumourR),
    reference: sphere(muscleC, muscleR),
    hypoxicCutoffTm: cutoffTm,
  };
  let res = quantifyHypoxia(input); // warm-up (JIT)
  const ours = best(20, () => {
    res = quantifyHypoxia(input);
  });

  const py = spawnSync(
    "/usr/bin/python3",
    [join(here, "peers/quantify_numpy.py"), join(dir, "params.json")],
    {
      encoding: "utf8",
      maxBuffer: 1 << 24,
    },
  );
  if (py.status !== 0) throw new Error(`peer failed: ${py.stderr}`);
  const peer = JSON.parse(py.stdout) as {
    seconds: number;
    result: { tumour: Record<string, number>; tmrPeak: number; hypoxicVolumeMl: number };
    scaling: { radiusMm: number; voxels: number; s: number }[];
  };

  const t = res.tumor;
  console.log(
    `results  ours: SUVmax ${t.suvMax!.toFixed(5)} SUVmean ${t.suvMean!.toFixed(5)} SUVpeak ${t.suvPeak!.toFixed(5)} ` +
      `vol ${t.volumeMl.toFixed(3)} mL T/Mpeak ${res.tmrPeak.toFixed(4)} hypoxic ${res.hypoxicVolumeMl.toFixed(3)} mL`,
  );
  const pt = peer.result.tumour;
  console.log(
    `results  peer: SUVmax ${pt.max!.toFixed(5)} SUVmean ${pt.mean!.toFixed(5)} SUVpeak ${pt.peak!.toFixed(5)} ` +
      `vol ${pt.volumeMl!.toFixed(3)} mL T/Mpeak ${peer.result.tmrPeak.toFixed(4)} hypoxic ${peer.result.hypoxicVolumeMl.toFixed(3)} mL`,
  );
  console.log(
    `whole quantify: ours ${ours.toFixed(4)} s, peer ${peer.seconds.toFixed(4)} s, ratio ${(ours / peer.seconds).toFixed(3)} (best of 20)`,
  );

  console.log(
    "SUVpeak search vs VOI size (best of 10; ours: row prefix sums, peer: ndimage.correlate on bbox+margin):",
  );
  scalingMl.forEach((ml, n) => {
    const voi = rasterizeVoi(sphere(tumourC, radiusForMl(ml)), { volume });
    peakSearch(volume.data, voi);
    const s = best(10, () => peakSearch(volume.data, voi));
    const ps = peer.scaling[n]!;
    console.log(
      `  ${String(ml).padStart(4)} mL, ${String(voi.insideCount).padStart(6)} voxels: ours ${(s * 1e3).toFixed(3)} ms ` +
        `(${((s / voi.insideCount) * 1e9).toFixed(0)} ns/voxel), peer ${(ps.s * 1e3).toFixed(3)} ms ` +
        `(${((ps.s / ps.voxels) * 1e9).toFixed(0)} ns/voxel), ratio ${(s / ps.s).toFixed(3)}`,
    );
  });
} finally {
  rmSync(dir, { recursive: true, force: true });
}
