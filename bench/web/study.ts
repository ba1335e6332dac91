/**
 * A clinical-size synthetic PET/CT study for bench/web.ts, written as DICOM (what a PACS or a
 * scanner export gives): PET N×N×S at 4 mm × 4 mm × 3 mm in Bq/mL (60Cu-ATSM, 300 MBq, 75 kg,
 * uptake 30 min) and CT M×M×S at (4·N/M) mm in-plane (same field of view), in HU.
 * Body: elliptic cylinder (soft tissue, 40 HU) with a bone ring (700 HU) in air (−1000 HU); PET:
 * background 1 SUV, a 50 mL tumour (SUV 4 core, 3 rim), 8 % noise; the reference sphere lies in the
 * 1-SUV background inside the body.
 * The tumour and muscle sphere specs (LPS mm) are returned for the metrics load test.
 */
import { join } from "node:path";
import { createRng } from "../../src/core/rng.js";
import { identityDirection, type Volume } from "../../src/core/types.js";
import { uidFromSeed } from "../../src/io/dicom/uid.js";
import { writeDicomSeries } from "../../src/io/dicom/write.js";

export interface BenchStudy {
  readonly petDir: string;
  readonly ctDir: string;
  readonly tumourSpec: string;
  readonly referenceSpec: string;
  readonly petDims: readonly [number, number, number];
  readonly ctDims: readonly [number, number, number];
}

const PET_PIXEL_MM = 4;
const SLICE_MM = 3;
const INJECTED_BQ = 300e6;
const WEIGHT_KG = 75;
const SUV1_BQ_PER_ML = INJECTED_BQ / (WEIGHT_KG * 1000); // Bq/mL at SUV 1 (1 g/mL tissue)

function grid(n: number, slices: number, pixelMm: number): Omit<Volume, "data" | "unit"> {
  const dims: [number, number, number] = [n, n, slices];
  const spacingMm: [number, number, number] = [pixelMm, pixelMm, SLICE_MM];
  const originMm = [0, 1, 2].map((a) => (-(dims[a]! - 1) / 2) * spacingMm[a]!) as [number, number, number];
  return { dims, spacingMm, originMm, direction: identityDirection() };
}

/** Write the study into `dir/PT` and `dir/CT`. */
export async function writeBenchStudy(
  dir: string,
  o: { petN: number; ctN: number; slices: number },
): Promise<BenchStudy> {
  const fovMm = o.petN * PET_PIXEL_MM;
  const pg = grid(o.petN, o.slices, PET_PIXEL_MM);
  const cg = grid(o.ctN, o.slices, fovMm / o.ctN);
  // Body: a 38 × 28 cm elliptic cylinder (pelvis), shrunk to fit smaller fields of view.
  const bodyA = Math.min(190, fovMm * 0.45); // semi-axes of the body ellipse, mm (L-R, A-P)
  const bodyB = Math.min(140, fovMm * 0.33);
  const tumour = { c: [0.2 * bodyA, 0.15 * bodyB, 0], r: Math.cbrt((3 * 50_000) / (4 * Math.PI)) }; // 50 mL
  const muscle = { c: [-0.6 * bodyA, 0.3 * bodyB, 30], r: 15 };
  const rng = createRng(7);

  const petData = new Float32Array(pg.dims[0] * pg.dims[1] * pg.dims[2]);
  let p = 0;
  for (let k = 0; k < pg.dims[2]; k++) {
    const z = pg.originMm[2] + k * pg.spacingMm[2];
    for (let j = 0; j < pg.dims[1]; j++) {
      const y = pg.originMm[1] + j * pg.spacingMm[1];
      for (let i = 0; i < pg.dims[0]; i++, p++) {
        const x = pg.originMm[0] + i * pg.spacingMm[0];
        if ((x / bodyA) ** 2 + (y / bodyB) ** 2 > 1) continue;
        const dt = Math.hypot(x - tumour.c[0]!, y - tumour.c[1]!, z - tumour.c[2]!);
        const suv = dt < tumour.r * 0.5 ? 4 : dt < tumour.r ? 3 : 1;
        petData[p] = Math.max(0, suv * SUV1_BQ_PER_ML * (1 + 0.08 * rng.normal()));
      }
    }
  }
  const pet: Volume = { ...pg, data: petData, unit: "Bq/mL" };

  const ctData = new Float32Array(cg.dims[0] * cg.dims[1] * cg.dims[2]);
  p = 0;
  for (let k = 0; k < cg.dims[2]; k++) {
    for (let j = 0; j < cg.dims[1]; j++) {
      const y = cg.originMm[1] + j * cg.spacingMm[1];
      for (let i = 0; i < cg.dims[0]; i++, p++) {
        const x = cg.originMm[0] + i * cg.spacingMm[0];
        const e = (x / bodyA) ** 2 + (y / bodyB) ** 2;
        const ring = (x / (bodyA * 0.6)) ** 2 + (y / (bodyB * 0.6)) ** 2;
        ctData[p] = e > 1 ? -1000 : Math.abs(ring - 1) < 0.06 ? 700 : 40 + 10 * rng.normal();
      }
    }
  }
  const ct: Volume = { ...cg, data: ctData, unit: "HU" };

  const injectionMs = Date.UTC(2024, 4, 14, 9, 0, 0);
  const seriesMs = injectionMs + 30 * 60_000;
  const studyUid = uidFromSeed("atsm-bench-web/study");
  const forUid = uidFromSeed("atsm-bench-web/for");
  const patient = { name: "Bench^Web", id: "BENCH-WEB", sex: "F" as const, weightKg: WEIGHT_KG };
  const petDir = join(dir, "PT");
  const ctDir = join(dir, "CT");
  await writeDicomSeries(petDir, pet, {
    modality: "PT",
    pet: {
      nuclide: "Cu-60",
      halfLifeS: 1422,
      injectedActivityBq: INJECTED_BQ,
      injectionDateTimeMs: injectionMs,
      seriesDateTimeMs: seriesMs,
      frameDurationS: 1800,
      radiopharmaceutical: "Cu-ATSM",
      decayCorrection: "START",
    },
    patient,
    studyInstanceUid: studyUid,
    seriesInstanceUid: uidFromSeed("atsm-bench-web/pt"),
    frameOfReferenceUid: forUid,
    seriesNumber: 1,
    seriesDescription: "bench PET",
    studyDescription: `bench/web ${o.slices}-slice PET/CT`,
    studyDateTimeMs: seriesMs,
  });
  await writeDicomSeries(ctDir, ct, {
    modality: "CT",
    patient,
    studyInstanceUid: studyUid,
    seriesInstanceUid: uidFromSeed("atsm-bench-web/ct"),
    frameOfReferenceUid: forUid,
    seriesNumber: 2,
    seriesDescription: "bench CT",
    studyDescription: `bench/web ${o.slices}-slice PET/CT`,
    studyDateTimeMs: seriesMs,
  });
  const spec = (s: { c: number[]; r: number }) => `sphere:${s.c.join(",")},${Math.round(s.r * 1000) / 1000}`;
  return {
    petDir,
    ctDir,
    tumourSpec: spec(tumour),
    referenceSpec: spec(muscle),
    petDims: pg.dims as [number, number, number],
    ctDims: cg.dims as [number, number, number],
  };
}
