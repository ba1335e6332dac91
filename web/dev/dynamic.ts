/**
 * Dev helper (not part of the build): write a small dynamic PET (4-D NIfTI + BIDS sidecar) whose
 * frames differ clearly, to check the viewer's frame selector.
 *   npx tsx web/dev/dynamic.ts <out-dir>
 * Frame f (0-based) has a hot cube of 1000·(f+1) Bq/mL at the centre over a 100 Bq/mL background.
 */
import { mkdirSync } from "node:fs";
import { join } from "node:path";
import { writeNifti } from "../../src/io/nifti/index.js";

const out = process.argv[2] ?? "/tmp/atsm-dynamic";
mkdirSync(out, { recursive: true });
const [nx, ny, nz, nt] = [32, 32, 24, 4];
const n = nx * ny * nz;
const data = new Float32Array(n * nt).fill(100);
for (let f = 0; f < nt; f++)
  for (let k = 9; k < 15; k++)
    for (let j = 13; j < 19; j++)
      for (let i = 13; i < 19; i++) data[f * n + i + nx * (j + ny * k)] = 1000 * (f + 1);
await writeNifti(
  join(out, "dyn_pet.nii.gz"),
  {
    data,
    unit: "Bq/mL",
    dims: [nx, ny, nz],
    spacingMm: [2, 2, 2],
    originMm: [-31, -31, -23],
    direction: new Float64Array([1, 0, 0, 0, 1, 0, 0, 0, 1]),
    frameStartS: new Float64Array([0, 300, 600, 900]),
    frameDurationS: new Float64Array([300, 300, 300, 300]),
    decayCorrectedToS: 0,
  },
  { description: "dynamic test PET", modality: "PT" },
);
console.log(`wrote ${join(out, "dyn_pet.nii.gz")} (+ .json), ${nt} frames`);
