/**
 * A tiny analytic PET study for the quantify tests (NIfTI + BIDS sidecar, no blur, no noise):
 * 32×32×32 voxels of 2 mm centred on 0; background 1000 Bq/mL; a muscle block of 2000 Bq/mL
 * (voxel centres with x in [-30,-8], |y|,|z| ≤ 14 mm); a tumour of 4000 Bq/mL (centres within
 * 14 mm of (10,0,0)) with a core of 8000 Bq/mL (centres within 4 mm).
 * Injection: 350 MBq Cu-64 at TimeZero, scan 3600 s later, 70 kg, decay-corrected to scan start.
 */
import { mkdirSync } from "node:fs";
import { join } from "node:path";
import { type DynamicVolume, identityDirection, type Volume } from "../../src/core/types.js";
import { writeNifti } from "../../src/io/nifti/index.js";

export const TUMOR_CENTRE = [10, 0, 0] as const;
export const CORE_BQML = 8000;
export const SHELL_BQML = 4000;
export const MUSCLE_BQML = 2000;
/** Cu-64 half-life 12.7 h (ICRP-107, src/physics/nuclide-data.ts). */
export const CU64_HALF_LIFE_S = 12.7 * 3600;
/** SUVbw factor = W[g] / (D · 2^(−t/T½)) with D = 350 MBq, t = 3600 s, W = 70 kg (calculate-suv formula). */
export const SUV_PER_BQML = 70000 / (350e6 * 2 ** (-3600 / CU64_HALF_LIFE_S));
export const TUMOR_SPEC = "sphere:10,0,0,12";
export const REFERENCE_SPEC = "box:-26,-10,-10,-12,10,10";

export function analyticPet(): { volume: Volume; coreVoxels: number } {
  const n = 32;
  const s = 2;
  const o = (-(n - 1) * s) / 2; // -31
  const data = new Float32Array(n * n * n);
  let coreVoxels = 0;
  for (let k = 0; k < n; k++)
    for (let j = 0; j < n; j++)
      for (let i = 0; i < n; i++) {
        const x = o + i * s;
        const y = o + j * s;
        const z = o + k * s;
        const d = Math.hypot(x - TUMOR_CENTRE[0], y - TUMOR_CENTRE[1], z - TUMOR_CENTRE[2]);
        let v = 1000;
        if (x >= -30 && x <= -8 && Math.abs(y) <= 14 && Math.abs(z) <= 14) v = MUSCLE_BQML;
        if (d <= 14) v = SHELL_BQML;
        if (d <= 4) {
          v = CORE_BQML;
          coreVoxels++;
        }
        data[i + n * (j + n * k)] = v;
      }
  return {
    volume: {
      data,
      dims: [n, n, n],
      spacingMm: [s, s, s],
      originMm: [o, o, o],
      direction: identityDirection(),
      unit: "Bq/mL",
    },
    coreVoxels,
  };
}

/** Write the study into `dir` as pet.nii.gz + pet.json; returns the PET path. */
export async function writeAnalyticStudy(dir: string): Promise<{ petPath: string; coreVoxels: number }> {
  mkdirSync(dir, { recursive: true });
  const { volume, coreVoxels } = analyticPet();
  const petPath = join(dir, "pet.nii.gz");
  await writeNifti(petPath, volume, {
    bidsSidecar: {
      Modality: "PT",
      Units: "Bq/mL",
      TracerName: "Cu-64 ATSM",
      TracerRadionuclide: "Cu64",
      InjectedRadioactivity: 350,
      InjectedRadioactivityUnits: "MBq",
      BodyWeight: 70,
      TimeZero: "10:00:00",
      ScanDate: "2024-05-14",
      InjectionStart: 0,
      ScanStart: 3600,
      FrameTimesStart: [3600],
      FrameDuration: [1200],
      ImageDecayCorrected: true,
      ImageDecayCorrectionTime: 3600,
      AttenuationCorrection: "CT-based",
    },
  });
  return { petPath, coreVoxels };
}

/**
 * Dynamic analytic study `dir/dyn.nii.gz` (+ BIDS sidecar): three frames 0–30, 30–45, 45–60 min;
 * frame f = (f+1) × the analytic phantom, decay-corrected to injection. Returns the path and the
 * static phantom it scales.
 */
export async function writeDynamicAnalyticPet(dir: string): Promise<{ petPath: string; volume: Volume }> {
  const { volume } = analyticPet();
  const n = volume.data.length;
  const data = new Float32Array(3 * n);
  for (let f = 0; f < 3; f++) for (let p = 0; p < n; p++) data[f * n + p] = volume.data[p]! * (f + 1);
  const dyn: DynamicVolume = {
    ...volume,
    data,
    frameStartS: new Float64Array([0, 1800, 2700]),
    frameDurationS: new Float64Array([1800, 900, 900]),
    decayCorrectedToS: 0,
  };
  const petPath = join(dir, "dyn.nii.gz");
  await writeNifti(petPath, dyn, {
    bidsSidecar: {
      Modality: "PT",
      TracerName: "Cu-64 ATSM",
      TracerRadionuclide: "Cu64",
      InjectedRadioactivity: 350,
      InjectedRadioactivityUnits: "MBq",
      BodyWeight: 70,
      TimeZero: "10:00:00",
      ScanDate: "2024-05-14",
      InjectionStart: 0,
      ScanStart: 0,
      AttenuationCorrection: "CT-based",
    },
  });
  return { petPath, volume };
}
