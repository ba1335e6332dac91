/**
 * Hypoxia read-out on an in-memory phantom, through a NIfTI file and back
 * (run: npx tsx examples/quantify-phantom.ts).
 * Package form: import { writeNifti, loadStudy, pickPetSeries } from "atsm-workbench/io";
 *               import { quantifyHypoxia } from "atsm-workbench/quant";
 *
 * Phantom (LPS mm, 2 mm voxels, 64×64×32): muscle 1000 Bq/mL everywhere, a 15 mm tumour sphere at
 * (20, 0, 0) holding 2500 Bq/mL with a 6 mm hypoxic core of 5000 Bq/mL. With no blur and no noise
 * the expected read-out is exact: T/Mmax = 5000/1000 = 5.00, reference mean 1000 Bq/mL, and the
 * hypoxic volume at T/M ≥ 3 is the core's voxels: 136 voxel centres lie within 6 mm of (20, 0, 0)
 * (the centre falls on a voxel corner), 136 × 8 µL = 1.09 mL (the ideal sphere is 0.90 mL).
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { identityDirection, type Volume, voxelIndex, voxelToWorld } from "../src/core/index.js";
import { loadStudy, pickPetSeries, writeNifti } from "../src/io/index.js";
import { quantifyHypoxia } from "../src/quant/index.js";

const dims = [64, 64, 32] as const;
const spacingMm = [2, 2, 2] as const;
const originMm = [-63, -63, -31] as const; // centre of voxel 0 → grid centred on (0, 0, 0)
const volume: Volume = {
  data: new Float32Array(dims[0] * dims[1] * dims[2]),
  dims,
  spacingMm,
  originMm,
  direction: identityDirection(),
  unit: "Bq/mL",
};
const tumourMm = [20, 0, 0] as const;
const p = [0, 0, 0]; // scratch world position, mm
for (let k = 0; k < dims[2]; k++)
  for (let j = 0; j < dims[1]; j++)
    for (let i = 0; i < dims[0]; i++) {
      voxelToWorld(volume, i, j, k, p);
      const r = Math.hypot(p[0]! - tumourMm[0], p[1]! - tumourMm[1], p[2]! - tumourMm[2]);
      volume.data[voxelIndex(dims, i, j, k)] = r <= 6 ? 5000 : r <= 15 ? 2500 : 1000;
    }

const dir = mkdtempSync(join(tmpdir(), "atsm-example-"));
try {
  const file = join(dir, "phantom-pet.nii.gz");
  await writeNifti(file, volume, { modality: "PT" });
  const pet = pickPetSeries(await loadStudy(file));
  const r = quantifyHypoxia({
    volume: pet.volume,
    tumor: "sphere:20,0,0,15",
    reference: "sphere:-30,-30,0,10",
    hypoxicCutoffTm: 3,
  });
  console.log(`read back ${pet.volume.dims.join("×")} voxels (${pet.format}, ${pet.volume.unit})`);
  console.log(
    `T/Mmax ${r.tmrMax.toFixed(2)}, T/Mmean ${r.tmrMean.toFixed(2)}, T/Mpeak ${r.tmrPeak.toFixed(2)}; ` +
      `reference mean ${r.reference.native.mean.toFixed(0)} Bq/mL`,
  );
  console.log(
    `hypoxic volume (T/M ≥ 3) ${r.hypoxicVolumeMl.toFixed(2)} mL = ${(100 * r.hypoxicFraction).toFixed(1)} % of the tumour VOI ` +
      `(core sphere: ${((4 / 3) * Math.PI * 0.6 ** 3).toFixed(2)} mL)`,
  );
} finally {
  rmSync(dir, { recursive: true, force: true });
}
