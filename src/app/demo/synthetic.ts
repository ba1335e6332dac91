/**
 * The analytic demo study (`atsm demo --phantom analytic`; the default demo is the digital twin,
 * `twin.ts`): the synthetic Cu-ATSM phantom (`image/phantom.ts`: uniform tumour sphere with a hotter
 * core, Gaussian blur) written as a DICOM PET/CT study (PET in Bq/mL with the injection in the
 * header, CT in HU), with the VOI specs and the truth that go with it.
 */
import { rmSync } from "node:fs";
import { join } from "node:path";
import type { Vec3 } from "../../core/types.js";
import { makeAtsmPhantom, type PhantomTruth } from "../../image/phantom.js";
import { newUid } from "../../io/dicom/uid.js";
import { writeDicomSeries } from "../../io/dicom/write.js";
import { getNuclide } from "../../physics/nuclides.js";

export interface DemoStudy {
  /** Folder holding the DICOM study (PET and CT series). */
  readonly studyDir: string;
  readonly tumorSpec: string;
  readonly referenceSpec: string;
  readonly cutoff: string;
  readonly truth: PhantomTruth;
  readonly description: string;
}

export interface DemoStudyOptions {
  /** Small grid (40×40×32 at 8 mm PET) for tests; default the full 80×80×64 at 4 mm. */
  readonly small?: boolean;
  readonly seed?: number;
}

/** Injection of the demo (illustrative clinical values): 370 MBq 64Cu-ATSM, 70 kg, scan 60–80 min p.i. */
export const DEMO_INJECTION = {
  nuclide: "Cu-64",
  injectedActivityBq: 370e6,
  weightKg: 70,
  injectionMs: Date.UTC(2024, 4, 14, 10, 0, 0),
  scanStartMs: Date.UTC(2024, 4, 14, 11, 0, 0),
  scanDurationS: 20 * 60,
} as const;

const fmtMm = (p: Vec3) => p.map((x) => String(x)).join(",");

/** Generate the phantom and write it as DICOM into `<dir>/study`. */
export async function writeDemoStudy(dir: string, opts: DemoStudyOptions = {}): Promise<DemoStudy> {
  const ph = makeAtsmPhantom(
    opts.small
      ? { dims: [40, 40, 32], spacingMm: 8, ctSpacingMm: 4, seed: opts.seed ?? 64 }
      : { dims: [80, 80, 64], spacingMm: 4, ctSpacingMm: 2, seed: opts.seed ?? 64 },
  );
  const inj = DEMO_INJECTION;
  const halfLifeS = getNuclide(inj.nuclide).halfLifeS;
  // SUVbw = C[Bq/mL] · W[g] / D_ref[Bq] with D_ref decayed to the scan start (DecayCorrection START).
  const dRefBq =
    inj.injectedActivityBq * Math.exp((-Math.LN2 * (inj.scanStartMs - inj.injectionMs)) / 1000 / halfLifeS);
  const bqPerSuv = dRefBq / (inj.weightKg * 1000);
  const pet = { ...ph.pet, data: ph.pet.data.map((v) => v * bqPerSuv), unit: "Bq/mL" };
  const studyDir = join(dir, "study");
  // A re-run must not mix with files of an earlier (e.g. larger) demo study.
  rmSync(studyDir, { recursive: true, force: true });
  const studyInstanceUid = newUid();
  const frameOfReferenceUid = newUid();
  const patient = {
    name: "Demo^Phantom",
    id: "ATSM-DEMO",
    sex: "F" as const,
    weightKg: inj.weightKg,
    birthDate: "19700101",
  };
  await writeDicomSeries(join(studyDir, "PT"), pet, {
    modality: "PT",
    patient,
    studyInstanceUid,
    frameOfReferenceUid,
    seriesNumber: 2,
    seriesDescription: "64Cu-ATSM PET (synthetic phantom)",
    studyDescription: "ATSM Workbench demo",
    pet: {
      nuclide: inj.nuclide,
      halfLifeS,
      injectedActivityBq: inj.injectedActivityBq,
      injectionDateTimeMs: inj.injectionMs,
      seriesDateTimeMs: inj.scanStartMs,
      frameDurationS: inj.scanDurationS,
      radiopharmaceutical: "Cu-64 ATSM",
    },
  });
  if (ph.ct) {
    await writeDicomSeries(join(studyDir, "CT"), ph.ct, {
      modality: "CT",
      patient,
      studyInstanceUid,
      frameOfReferenceUid,
      seriesNumber: 1,
      seriesDescription: "CT (synthetic phantom)",
      studyDescription: "ATSM Workbench demo",
      studyDateTimeMs: inj.scanStartMs,
    });
  }
  const t = ph.truth;
  return {
    studyDir,
    tumorSpec: `sphere:${fmtMm(t.tumourCentreMm)},${t.tumourRadiusMm}`,
    referenceSpec: `sphere:${fmtMm(t.muscleCentreMm)},12`,
    cutoff: "cervix",
    truth: t,
    description:
      `synthetic 64Cu-ATSM PET/CT: tumour sphere r=${t.tumourRadiusMm} mm (rim T/M ${t.tumourRimSuv / t.muscleSuv}, ` +
      `hypoxic core r=${t.coreRadiusMm} mm T/M ${t.tmrCoreTrue}), muscle SUV ${t.muscleSuv}, 7 mm FWHM blur, 4 % noise`,
  };
}
