/**
 * The server as `atsm serve` runs it: uploads and stored series are parsed in worker threads
 * (src/app/library/offload.ts). Same answers as the in-thread path: the upload lands, the viewer
 * volume decodes, and live metrics equal `atsm quantify` on the same files exactly; a corrupt file
 * fails the upload naming the file and leaves nothing behind.
 * Fixture: the small analytic demo phantom (src/app/demo/synthetic.ts).
 */
import { mkdtemp, readdir, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { gunzipSync } from "node:zlib";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { writeDemoStudy } from "../../src/app/demo/synthetic.js";
import { quantifyStudy } from "../../src/app/quantify/run.js";
import { startTestServer, type TestServer } from "../helpers/server.js";
import { filesUnder, readParts, upload } from "./upload-helpers.js";

let s: TestServer;
let fixtureDir: string;
let parts: { name: string; bytes: Uint8Array }[];
let tumorSpec: string;
let referenceSpec: string;
let projectId: string;

beforeAll(async () => {
  fixtureDir = await mkdtemp(join(tmpdir(), "atsm-offthread-fixture-"));
  const demo = await writeDemoStudy(fixtureDir, { small: true, seed: 11 });
  tumorSpec = demo.tumorSpec;
  referenceSpec = demo.referenceSpec;
  parts = await readParts(await filesUnder(demo.studyDir));
  s = await startTestServer({ offThread: true });
  const r = await s.api("POST", "/api/projects", { body: { name: "Off-thread" } });
  projectId = ((await r.json()) as { id: string }).id;
}, 180_000);

afterAll(async () => {
  await s?.close();
  if (fixtureDir) await rm(fixtureDir, { recursive: true, force: true });
});

describe("worker-thread parsing in the server", () => {
  it("imports an upload, serves the viewer volume and gives the same metrics as atsm quantify", async () => {
    const r = await upload(`${s.url}/api/projects/${projectId}/uploads`, s.cookie, parts);
    const body = (await r.json()) as {
      studies: { id: string; series: { id: string; modality: string }[] }[];
    };
    expect(r.status, JSON.stringify(body)).toBe(201);
    const study = body.studies[0]!;
    expect(study.series.map((x) => x.modality).sort()).toEqual(["CT", "PT"]);

    const pet = study.series.find((x) => x.modality === "PT")!;
    const vol = await s.api("GET", `/api/series/${pet.id}/volume.nii.gz`);
    expect(vol.status).toBe(200);
    const nii = gunzipSync(new Uint8Array(await vol.arrayBuffer()));
    // NIfTI-1: sizeof_hdr 348 at byte 0 (little endian), magic "n+1\0" at 344.
    expect(new DataView(nii.buffer, nii.byteOffset).getInt32(0, true)).toBe(348);
    expect(new TextDecoder().decode(nii.subarray(344, 347))).toBe("n+1");

    const m = await s.api("POST", `/api/studies/${study.id}/metrics`, {
      body: { tumour: tumorSpec, reference: referenceSpec, cutoff: "cervix" },
    });
    const live = (await m.json()) as { tmrMax: number; tmrMean: number; tmrPeak: number };
    expect(m.status, JSON.stringify(live)).toBe(200);
    const { result } = await quantifyStudy({
      study: join(fixtureDir, "study"),
      tumor: tumorSpec,
      reference: referenceSpec,
      cutoff: "cervix",
    });
    expect([live.tmrMax, live.tmrMean, live.tmrPeak]).toEqual([
      result.tmrMax,
      result.tmrMean,
      result.tmrPeak,
    ]);
  });

  it("a corrupt DICOM file fails the upload naming the file; nothing is staged or stored", async () => {
    const blobsBefore = await countFiles(join(s.dataDir, "blobs"));
    const broken = parts.map((p, i) => (i === 3 ? { name: p.name, bytes: p.bytes.subarray(0, 400) } : p));
    const r = await upload(`${s.url}/api/projects/${projectId}/uploads`, s.cookie, broken);
    const body = (await r.json()) as { error: { code: string; message: string } };
    expect(r.status, JSON.stringify(body)).toBeGreaterThanOrEqual(400);
    expect(r.status).toBeLessThan(500);
    expect(body.error.message).toContain(broken[3]!.name.split("/").pop()!);
    expect(await countFiles(join(s.dataDir, "tmp"))).toBe(0);
    expect(await countFiles(join(s.dataDir, "blobs"))).toBe(blobsBefore);
  });
});

async function countFiles(dir: string): Promise<number> {
  let n = 0;
  let entries: { name: string; isDirectory(): boolean }[];
  try {
    entries = await readdir(dir, { withFileTypes: true });
  } catch {
    return 0;
  }
  for (const e of entries) n += e.isDirectory() ? await countFiles(join(dir, e.name)) : 1;
  return n;
}
