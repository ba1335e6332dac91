/**
 * Benchmark: read a PET series (N slices of 256×256) and a CT series (N slices of 512×512) from
 * DICOM and compute the SUVbw volume — ours (readDicom + computeSuvScaleFactors) vs pydicom+numpy
 * (bench/peers/io_pydicom.py) on the same files, in one run.
 *
 *   npx tsx bench/io.ts [slices=300]
 *
 * The series are written once by our DICOM writer under the OS temp folder (not committed) and
 * reused. Each side runs in its own process; times exclude interpreter start-up and imports. Peak
 * memory is the process's max RSS minus its RSS before reading, compared with the voxel bytes of
 * the float32 results (PET + CT + SUV).
 */
import { spawnSync } from "node:child_process";
import { existsSync, readdirSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import type { Volume } from "../src/core/types.js";
import { readDicom } from "../src/io/dicom/read.js";
import { writeDicomSeries } from "../src/io/dicom/write.js";
import { computeSuvScaleFactors } from "../src/quant/suv/index.js";

const SELF = fileURLToPath(import.meta.url);
const PEER = join(SELF, "..", "peers", "io_pydicom.py");

/** Deterministic smooth phantom + hash noise, no RNG state needed. */
function phantom(
  nx: number,
  ny: number,
  nz: number,
  unit: string,
  f: (x: number, y: number, z: number, h: number) => number,
): Volume {
  const data = new Float32Array(nx * ny * nz);
  let i = 0;
  for (let k = 0; k < nz; k++)
    for (let j = 0; j < ny; j++)
      for (let x = 0; x < nx; x++, i++) {
        const h = ((Math.imul(i ^ 0x9e3779b9, 0x85ebca6b) >>> 0) % 1000) / 1000;
        data[i] = f((x - nx / 2) / nx, (j - ny / 2) / ny, (k - nz / 2) / nz, h);
      }
  return {
    data,
    dims: [nx, ny, nz],
    spacingMm: [700 / nx, 700 / ny, 3],
    originMm: [-350, -350, -450],
    direction: new Float64Array([1, 0, 0, 0, 1, 0, 0, 0, 1]),
    unit,
  };
}

async function prepare(slices: number): Promise<{ pet: string; ct: string }> {
  const root = join(tmpdir(), `atsm-bench-io-${slices}`);
  const pet = join(root, "pet");
  const ct = join(root, "ct");
  const t0 = Date.UTC(2025, 2, 1, 10, 0, 0);
  if (!existsSync(pet) || readdirSync(pet).length !== slices) {
    process.stderr.write(`writing ${slices}-slice PET to ${pet} ...\n`);
    const v = phantom(256, 256, slices, "Bq/mL", (x, y, _z, h) =>
      x * x + y * y < 0.16 ? 5000 * (1 + 0.2 * h) + (x * x + y * y < 0.01 ? 20000 : 0) : 50 * h,
    );
    await writeDicomSeries(pet, v, {
      modality: "PT",
      seriesInstanceUid: "2.25.1001",
      pet: {
        nuclide: "Cu-64",
        halfLifeS: 45720,
        injectedActivityBq: 370e6,
        injectionDateTimeMs: t0 - 3 * 3600e3,
        seriesDateTimeMs: t0,
        frameDurationS: 600,
      },
      patient: { weightKg: 75, heightM: 1.75, sex: "M" },
    });
  }
  if (!existsSync(ct) || readdirSync(ct).length !== slices) {
    process.stderr.write(`writing ${slices}-slice CT to ${ct} ...\n`);
    const v = phantom(512, 512, slices, "HU", (x, y, _z, h) =>
      x * x + y * y < 0.16 ? Math.round(40 + 30 * h) : -1000 + Math.round(10 * h),
    );
    await writeDicomSeries(ct, v, { modality: "CT", seriesInstanceUid: "2.25.1002" });
  }
  return { pet, ct };
}

/** Child mode: our read + SUV, prints one JSON line. */
async function ours(petDir: string, ctDir: string): Promise<void> {
  const baseRss = process.memoryUsage().rss;
  const t0 = performance.now();
  const [pet] = await readDicom(petDir);
  const [ct] = await readDicom(ctDir);
  const f = computeSuvScaleFactors(pet!.petInstances).suvBwScaleFactor;
  const src = pet!.volume.data;
  const suv = new Float32Array(src.length);
  for (let i = 0; i < src.length; i++) suv[i] = src[i]! * f;
  const timeS = (performance.now() - t0) / 1000;
  let suvSum = 0;
  for (let i = 0; i < suv.length; i++) suvSum += suv[i]!;
  let ctSum = 0;
  for (let i = 0; i < ct!.volume.data.length; i++) ctSum += ct!.volume.data[i]!;
  process.stdout.write(
    `${JSON.stringify({ timeS, peakRssBytes: process.resourceUsage().maxRSS * 1024, baseRssBytes: baseRss, suvBwScaleFactor: f, suvSum, ctSum, voxelBytes: src.byteLength * 2 + ct!.volume.data.byteLength })}\n`,
  );
}

interface Result {
  timeS: number;
  peakRssBytes: number;
  baseRssBytes: number;
  suvBwScaleFactor: number;
  suvSum: number;
  ctSum: number;
  voxelBytes?: number;
}

function runChild(cmd: string, args: string[]): Result {
  const r = spawnSync(cmd, args, { encoding: "utf8", maxBuffer: 1 << 20 });
  if (r.status !== 0) throw new Error(`${cmd} failed: ${r.stderr}`);
  return JSON.parse(r.stdout.trim().split("\n").pop()!) as Result;
}

async function main(): Promise<void> {
  if (process.argv[2] === "--ours") {
    await ours(process.argv[3]!, process.argv[4]!);
    return;
  }
  const slices = Number(process.argv[2] ?? 300);
  const { pet, ct } = await prepare(slices);
  const mb = (b: number) => `${(b / 2 ** 20).toFixed(0)} MiB`;
  // warm the page cache once so neither side pays the first disk read
  runChild(process.execPath, [...process.execArgv, SELF, "--ours", pet, ct]);
  const us = runChild(process.execPath, [...process.execArgv, SELF, "--ours", pet, ct]);
  const peer = runChild("/usr/bin/python3", [PEER, pet, ct]);
  const voxelBytes = us.voxelBytes!;
  const ourMem = us.peakRssBytes - us.baseRssBytes;
  const peerMem = peer.peakRssBytes - peer.baseRssBytes;
  console.log(`io: PET 256×256×${slices} + CT 512×512×${slices} DICOM read + SUVbw volume`);
  console.log(
    `  SUVbw factor ours ${us.suvBwScaleFactor.toExponential(6)}, peer ${peer.suvBwScaleFactor.toExponential(6)}`,
  );
  console.log(
    `  checksums: SUV sum ours ${us.suvSum.toExponential(6)} peer ${peer.suvSum.toExponential(6)}; CT sum ours ${us.ctSum} peer ${peer.ctSum}`,
  );
  console.log(
    `ours ${us.timeS.toFixed(3)} s, peer ${peer.timeS.toFixed(3)} s, ratio ${(us.timeS / peer.timeS).toFixed(3)} (goal ≤ 0.5)`,
  );
  console.log(
    `memory: ours +${mb(ourMem)} (peak RSS ${mb(us.peakRssBytes)}), peer +${mb(peerMem)} (peak RSS ${mb(peer.peakRssBytes)}), voxel bytes ${mb(voxelBytes)}; ours/voxels ${(ourMem / voxelBytes).toFixed(2)} (goal ≤ 2)`,
  );
}

await main();
