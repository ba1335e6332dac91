/**
 * DICOMweb client against a real Orthanc 1.10 + DICOMweb plugin (test/helpers/orthanc.ts):
 * a small PET/CT study written by our DICOM writer is uploaded over Orthanc's REST API, found with
 * QIDO-RS, retrieved with WADO-RS, and read back by our DICOM reader: same voxels as sent.
 */
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Volume } from "../../../src/core/types.js";
import { readDicom } from "../../../src/io/dicom/read.js";
import { writeDicomSeries } from "../../../src/io/dicom/write.js";
import { DicomwebClient, retrieveStudyToDir } from "../../../src/io/dicomweb/index.js";
import { expectAtsmErrorAsync } from "../../helpers/errors.js";
import { type OrthancHandle, startOrthanc } from "../../helpers/orthanc.js";

const TMP = mkdtempSync(join(tmpdir(), "atsm-dicomweb-orthanc-"));
const STUDY_UID = "1.2.826.0.1.3680043.10.1234.77.1";
const PET_UID = "1.2.826.0.1.3680043.10.1234.77.1.1";
const CT_UID = "1.2.826.0.1.3680043.10.1234.77.1.2";
const PATIENT = { name: "Twin^Orthanc", id: "ATSM-ORTHANC-01", sex: "F" as const, weightKg: 62 };

function volume(dims: [number, number, number], unit: string, fill: (i: number) => number): Volume {
  const data = new Float32Array(dims[0] * dims[1] * dims[2]);
  for (let i = 0; i < data.length; i++) data[i] = fill(i);
  return {
    data,
    dims,
    spacingMm: [4, 4, 3],
    originMm: [-14, -10, 30],
    direction: new Float64Array([1, 0, 0, 0, 1, 0, 0, 0, 1]),
    unit,
  };
}

let orthanc: OrthancHandle | null = null;
let client: DicomwebClient;
const sent: { pet: string; ct: string } = { pet: join(TMP, "sent/PT"), ct: join(TMP, "sent/CT") };

beforeAll(async () => {
  orthanc = await startOrthanc();
  if (orthanc === null) return;
  client = new DicomwebClient({ baseUrl: orthanc.url, timeoutMs: 20_000 });
  const pet = await writeDicomSeries(
    sent.pet,
    volume([8, 6, 4], "Bq/mL", (i) => 1000 + 37 * ((i * 7) % 23)),
    {
      modality: "PT",
      patient: PATIENT,
      studyInstanceUid: STUDY_UID,
      seriesInstanceUid: PET_UID,
      studyDescription: "DICOMweb round trip",
      seriesDescription: "PET Cu-64 ATSM",
      pet: {
        nuclide: "Cu-64",
        halfLifeS: 45720, // Cu-64 T½ 12.70 h (NNDC), s
        injectedActivityBq: 3.7e8,
        injectionDateTimeMs: Date.UTC(2025, 2, 1, 9, 0, 0),
        seriesDateTimeMs: Date.UTC(2025, 2, 1, 10, 0, 0),
        frameDurationS: 600,
      },
    },
  );
  const ct = await writeDicomSeries(
    sent.ct,
    volume([10, 8, 5], "HU", (i) => -1000 + ((i * 13) % 1400)),
    {
      modality: "CT",
      patient: PATIENT,
      studyInstanceUid: STUDY_UID,
      seriesInstanceUid: CT_UID,
      frameOfReferenceUid: pet.frameOfReferenceUid,
      studyDescription: "DICOMweb round trip",
      seriesDescription: "CT low dose",
      studyDateTimeMs: Date.UTC(2025, 2, 1, 10, 0, 0),
    },
  );
  for (const f of [...pet.files, ...ct.files]) await orthanc.upload(readFileSync(f));
}, 60_000);

afterAll(async () => {
  await orthanc?.stop();
  rmSync(TMP, { recursive: true, force: true });
});

describe("DicomwebClient against Orthanc", () => {
  it("QIDO-RS finds the study, its series and instances", async (ctx) => {
    if (orthanc === null) return ctx.skip();
    const studies = await client.searchStudies({ PatientID: PATIENT.id });
    expect(studies).toHaveLength(1);
    const s = studies[0]!;
    expect(s.StudyInstanceUID).toBe(STUDY_UID);
    expect(s.PatientName).toBe("Twin^Orthanc");
    expect(s.StudyDate).toBe("20250301");
    expect(s.StudyDescription).toBe("DICOMweb round trip");
    expect([...s.ModalitiesInStudy].sort()).toEqual(["CT", "PT"]);
    expect(s.NumberOfStudyRelatedSeries).toBe(2);
    expect(s.NumberOfStudyRelatedInstances).toBe(9); // 4 PET + 5 CT slices
    expect(await client.searchStudies({ PatientID: "NOBODY" })).toEqual([]);
    expect(await client.searchStudies({ ModalitiesInStudy: "PT", StudyDate: "20250301" })).toHaveLength(1);

    const series = await client.searchSeries(STUDY_UID);
    const byUid = new Map(series.map((x) => [x.SeriesInstanceUID, x]));
    expect(byUid.get(PET_UID)?.Modality).toBe("PT");
    expect(byUid.get(PET_UID)?.NumberOfSeriesRelatedInstances).toBe(4);
    expect(byUid.get(CT_UID)?.SeriesDescription).toBe("CT low dose");
    const inst = await client.searchInstances(STUDY_UID, CT_UID);
    expect(inst).toHaveLength(5);
    expect(inst.every((i) => i.SeriesInstanceUID === CT_UID && /^[0-9.]+$/.test(i.SOPInstanceUID))).toBe(
      true,
    );
  });

  it("WADO-RS retrieves the series: our reader gives the same voxels as were sent", async (ctx) => {
    if (orthanc === null) return ctx.skip();
    const progress: number[] = [];
    const files = await client.retrieveSeries(STUDY_UID, PET_UID, join(TMP, "got/PT"), {
      onProgress: (p) => progress.push(p.bytes),
    });
    expect(files).toHaveLength(4);
    expect(files.every((f) => /\/\d+\.dcm$/.test(f))).toBe(true);
    expect(progress.length).toBeGreaterThan(0);
    for (const [dir, got] of [
      [sent.pet, join(TMP, "got/PT")],
      [sent.ct, await retrieveCt()],
    ] as const) {
      const [a] = await readDicom(dir);
      const [b] = await readDicom(got);
      expect(b!.modality).toBe(a!.modality);
      expect(b!.volume.dims).toEqual(a!.volume.dims);
      expect(b!.volume.originMm).toEqual(a!.volume.originMm);
      // Lossless transfer: identical stored values → identical Float32 voxels (no tolerance).
      expect(Buffer.from(b!.volume.data.buffer).equals(Buffer.from(a!.volume.data.buffer))).toBe(true);
    }
  });

  it("retrieveStudyToDir fetches every series, or the one asked for", async (ctx) => {
    if (orthanc === null) return ctx.skip();
    const all = await retrieveStudyToDir(client, STUDY_UID, undefined, join(TMP, "study-all"));
    expect(all.map((s) => [s.seriesInstanceUid, s.files.length]).sort()).toEqual(
      [
        [PET_UID, 4],
        [CT_UID, 5],
      ].sort(),
    );
    const one = await retrieveStudyToDir(client, STUDY_UID, CT_UID, join(TMP, "study-ct"));
    expect(one.map((s) => s.seriesInstanceUid)).toEqual([CT_UID]);
    await expectAtsmErrorAsync(
      () => retrieveStudyToDir(client, STUDY_UID, "1.2.3.4", join(TMP, "study-none")),
      { code: "NOT_FOUND" },
    );
  });

  it("unknown series → NOT_FOUND (HTTP 404) naming the URL; bad UID never reaches the server", async (ctx) => {
    if (orthanc === null) return ctx.skip();
    const e = await expectAtsmErrorAsync(
      () => client.retrieveSeries(STUDY_UID, "1.2.3.999", join(TMP, "none")),
      { code: "NOT_FOUND", message: /HTTP 404/ },
    );
    expect(e.file).toContain("/dicom-web/studies/");
    await expectAtsmErrorAsync(() => client.searchSeries("../../system"), { code: "INVALID_ARGUMENT" });
  });

  it("a REST URL that is not the DICOMweb root → clear content-type error", async (ctx) => {
    if (orthanc === null) return ctx.skip();
    const wrong = new DicomwebClient({ baseUrl: `${orthanc.restUrl}/app` });
    await expectAtsmErrorAsync(() => wrong.searchStudies({}), { hint: /DICOMweb|dicom-web/ });
  });
});

async function retrieveCt(): Promise<string> {
  const dir = join(TMP, "got/CT");
  await client.retrieveSeries(STUDY_UID, CT_UID, dir);
  return dir;
}
