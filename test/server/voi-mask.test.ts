/**
 * GET /api/vois/:vid/mask.nii.gz: a VOI rasterised on the PET grid as a gzipped NIfTI uint8 label
 * map with the PET viewer volume's geometry. Its voxel count must equal the metrics' voxelCount of
 * the same VOI exactly (same rasteriser), for a sphere and for a stored brush mask.
 * Fixture: the small analytic demo phantom (40×40×32 PET + CT DICOM).
 */
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { gunzipSync } from "node:zlib";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { writeDemoStudy } from "../../src/app/demo/synthetic.js";
import { decodeNifti } from "../../src/io/nifti/index.js";
import { decodeLabelMap } from "../../web/src/viewer/serverMask.js";
import { startTestServer, type TestServer } from "../helpers/server.js";
import { filesUnder, readParts, upload } from "./upload-helpers.js";

let s: TestServer;
let fixtureDir: string;
let tumorSpec: string;
let referenceSpec: string;
let studyId: string;
let petUrl: string;
let petGrid: {
  dims: [number, number, number];
  spacingMm: [number, number, number];
  originMm: [number, number, number];
  direction: number[];
};
let outsider: { cookie: string };
let viewer: { cookie: string };

type Json = Record<string, unknown>;
async function json<T = Json>(r: Response): Promise<T> {
  return (await r.json()) as T;
}

async function addVoi(body: Json): Promise<{ id: string; spec: string }> {
  const r = await s.api("POST", `/api/studies/${studyId}/vois`, { body });
  const v = await json<{ id: string; spec: string }>(r);
  expect(r.status, JSON.stringify(v)).toBe(201);
  return v;
}

async function tumourVoxels(voiId: string): Promise<number> {
  const r = await s.api("POST", `/api/studies/${studyId}/metrics`, {
    body: { tumour: `voi:${voiId}`, reference: referenceSpec },
  });
  const m = await json<{ tumor: { voxelCount: number } }>(r);
  expect(r.status, JSON.stringify(m)).toBe(200);
  return m.tumor.voxelCount;
}

/** Raw (gunzipped) NIfTI-1 bytes of a route, with status and content type checked. */
async function niftiOf(path: string, cookie?: string): Promise<{ raw: Uint8Array; res: Response }> {
  const res = await s.api("GET", path, cookie !== undefined ? { cookie } : {});
  expect(res.status).toBe(200);
  expect(res.headers.get("content-type")).toMatch(/^application\/gzip/);
  return { raw: new Uint8Array(gunzipSync(new Uint8Array(await res.arrayBuffer()))), res };
}

/** dims, pixdim, qform/sform codes, quatern and srow of a NIfTI-1 header (the geometry). */
function geometry(raw: Uint8Array): number[] {
  const v = new DataView(raw.buffer, raw.byteOffset, raw.byteLength);
  const out: number[] = [];
  for (let i = 0; i < 4; i++) out.push(v.getInt16(40 + 2 * i, true));
  for (let i = 1; i < 4; i++) out.push(v.getFloat32(76 + 4 * i, true));
  out.push(v.getInt16(252, true), v.getInt16(254, true));
  for (let i = 0; i < 18; i++) out.push(v.getFloat32(256 + 4 * i, true));
  return out;
}

beforeAll(async () => {
  fixtureDir = await mkdtemp(join(tmpdir(), "atsm-voimask-fixture-"));
  const demo = await writeDemoStudy(fixtureDir, { small: true, seed: 11 });
  tumorSpec = demo.tumorSpec;
  referenceSpec = demo.referenceSpec;
  const parts = await readParts(await filesUnder(demo.studyDir));
  s = await startTestServer();
  const project = await json<{ id: string }>(
    await s.api("POST", "/api/projects", { body: { name: "Masks" } }),
  );
  viewer = await s.createUser("vera", "viewer");
  outsider = await s.createUser("otto", "analyst");
  await s.addMember(project.id, "vera", "viewer");
  const r = await upload(`${s.url}/api/projects/${project.id}/uploads`, s.cookie, parts);
  const body = await json<{ studies: { id: string }[] }>(r);
  expect(r.status, JSON.stringify(body)).toBe(201);
  studyId = body.studies[0]!.id;
  const info = await json<{ pet: { url: string } & typeof petGrid }>(
    await s.api("GET", `/api/studies/${studyId}/viewer`),
  );
  petUrl = info.pet.url;
  petGrid = info.pet;
}, 120_000);

afterAll(async () => {
  await s?.close();
  if (fixtureDir) await rm(fixtureDir, { recursive: true, force: true });
});

describe("GET /api/vois/:vid/mask.nii.gz", () => {
  it("rasterises a sphere VOI on the PET grid: same geometry, voxel count = metrics voxelCount", async () => {
    const voi = await addVoi({ name: "tumour", role: "tumour", spec: tumorSpec });
    const { raw, res } = await niftiOf(`/api/vois/${voi.id}/mask.nii.gz`, viewer.cookie);
    const pet = await niftiOf(petUrl);
    expect(geometry(raw)).toEqual(geometry(pet.raw));
    const vol = decodeNifti(raw, "mask").volume;
    let n = 0;
    for (const x of vol.data) {
      expect(x === 0 || x === 1).toBe(true);
      n += x;
    }
    const expected = await tumourVoxels(voi.id);
    expect(expected).toBeGreaterThan(10);
    expect(n).toBe(expected);
    expect(res.headers.get("x-atsm-voxels")).toBe(String(expected));
    // The viewer's decoder (web/src/viewer/serverMask.ts) reads the same voxels on the PET grid.
    const web = decodeLabelMap(raw.slice().buffer, petGrid);
    expect(Array.from(web)).toEqual(Array.from(vol.data, (x) => (x !== 0 ? 1 : 0)));
    expect(() => decodeLabelMap(raw.slice().buffer, { ...petGrid, dims: [1, 2, 3] })).toThrow(/PET grid/);
  });

  it("draws a stored brush mask (mask:blob) voxel for voxel", async () => {
    const [nx, ny, nz] = [40, 40, 32];
    // Two runs: 6 voxels on row (j=20, k=16) and 3 on the next slice.
    const a = 16 * nx * ny + 20 * nx + 15;
    const b = 17 * nx * ny + 20 * nx + 15;
    const runs = [a, 6, b - a - 6, 3, nx * ny * nz - b - 3];
    const voi = await addVoi({ name: "brush", role: "other", maskRle: { dims: [nx, ny, nz], runs } });
    expect(voi.spec).toMatch(/^mask:blob:[0-9a-f]{64}:1$/);
    const { raw } = await niftiOf(`/api/vois/${voi.id}/mask.nii.gz`);
    const data = decodeNifti(raw, "mask").volume.data;
    const on: number[] = [];
    data.forEach((x, p) => {
      if (x !== 0) on.push(p);
    });
    expect(on).toEqual([a, a + 1, a + 2, a + 3, a + 4, a + 5, b, b + 1, b + 2]);
    expect(await tumourVoxels(voi.id)).toBe(9);
  });

  it("answers 401 without a session, 404 for other projects and unknown ids, 400 for bad ids", async () => {
    const voi = await addVoi({ name: "t2", role: "tumour", spec: tumorSpec });
    const path = `/api/vois/${voi.id}/mask.nii.gz`;
    expect((await s.api("GET", path, { cookie: null })).status).toBe(401);
    const other = await s.api("GET", path, { cookie: outsider.cookie });
    expect(other.status).toBe(404);
    expect((await json<{ error: { code: string } }>(other)).error.code).toBe("NOT_FOUND");
    expect((await s.api("GET", `/api/vois/${crypto.randomUUID()}/mask.nii.gz`)).status).toBe(404);
    expect((await s.api("GET", "/api/vois/..%2F..%2Fetc/mask.nii.gz")).status).toBe(400);
    const bad = await s.api("GET", `${path}?evil=1`);
    expect(bad.status).toBe(400);
  });

  it("is described in /api/openapi.json", async () => {
    const doc = await json<{ paths: Record<string, Record<string, unknown>> }>(
      await s.api("GET", "/api/openapi.json"),
    );
    const key = Object.keys(doc.paths).find((k) => /^\/api\/vois\/[{:]vid}?\/mask\.nii\.gz$/.test(k));
    expect(key, Object.keys(doc.paths).join(" ")).toBeDefined();
    expect(doc.paths[key!]!.get).toBeDefined();
  });
});
