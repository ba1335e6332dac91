/**
 * Studies over HTTP: upload (multipart) → list/get → viewer volumes → VOIs → live metrics →
 * stored results and exports → delete, with auth failures, other-project 404s and bad input.
 * Fixture: the small analytic demo phantom (src/app/demo/synthetic.ts, 40×40×32 PET + CT DICOM).
 */
import { mkdtemp, rm } from "node:fs/promises";
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
let subjectId: string;
let studyId: string;
let viewer: { cookie: string };
let analyst: { id: string; cookie: string };
let outsider: { cookie: string };

type Json = Record<string, unknown>;
async function json<T = Json>(r: Response): Promise<T> {
  return (await r.json()) as T;
}
async function expectError(r: Response, status: number, code: string, field?: string): Promise<void> {
  const body = await json<{ error: { code: string; field?: string; message: string } }>(r);
  expect({ status: r.status, code: body.error.code, message: body.error.message }).toMatchObject({
    status,
    code,
  });
  if (field !== undefined) expect(body.error.field).toBe(field);
}

beforeAll(async () => {
  fixtureDir = await mkdtemp(join(tmpdir(), "atsm-server-fixture-"));
  const demo = await writeDemoStudy(fixtureDir, { small: true, seed: 7 });
  tumorSpec = demo.tumorSpec;
  referenceSpec = demo.referenceSpec;
  parts = await readParts(await filesUnder(demo.studyDir));
  s = await startTestServer();
  projectId = (
    await json<{ id: string }>(await s.api("POST", "/api/projects", { body: { name: "Studies" } }))
  ).id;
  viewer = await s.createUser("vic", "viewer");
  analyst = await s.createUser("ada", "analyst");
  outsider = await s.createUser("oz", "analyst");
  await s.addMember(projectId, "vic", "viewer");
  await s.addMember(projectId, "ada", "analyst");
  const subj = await s.api("POST", `/api/projects/${projectId}/subjects`, {
    body: { label: "P-01", kind: "patient", weightKg: 70 },
  });
  subjectId = (await json<{ id: string }>(subj)).id;
}, 120_000);

afterAll(async () => {
  await s?.close();
  if (fixtureDir) await rm(fixtureDir, { recursive: true, force: true });
});

describe("uploads", () => {
  const url = () => `${s.url}/api/projects/${projectId}/uploads`;

  it("refuses without session (401), for other projects (404) and for viewers (403)", async () => {
    const one = parts.slice(0, 1);
    await expectError(await upload(url(), null, one), 401, "UNAUTHENTICATED");
    await expectError(await upload(url(), outsider.cookie, one), 404, "NOT_FOUND");
    await expectError(await upload(url(), viewer.cookie, one), 403, "FORBIDDEN");
  });

  it("rejects empty uploads, unknown fields and bad subject ids naming the field", async () => {
    await expectError(await upload(url(), analyst.cookie, []), 400, "MISSING_INPUT", "file");
    await expectError(
      await upload(url(), analyst.cookie, parts.slice(0, 1), { evil: "1" }),
      400,
      "INVALID_ARGUMENT",
      "evil",
    );
    await expectError(
      await upload(url(), analyst.cookie, parts.slice(0, 1), { subjectId: "../../x" }),
      400,
      "INVALID_ARGUMENT",
      "subjectId",
    );
    await expectError(
      await upload(url(), analyst.cookie, parts.slice(0, 1), { subjectId: crypto.randomUUID() }),
      404,
      "NOT_FOUND",
      "subjectId",
    );
    await expectError(
      await upload(url(), analyst.cookie, [{ name: "notes.txt", bytes: new TextEncoder().encode("hello") }]),
      415,
      "UNSUPPORTED",
    );
  });

  it("imports a DICOM PET/CT upload into one study with its subject and injection (201 after commit)", async () => {
    // File names with traversal are kept only as sanitised labels.
    const named = parts.map((p, i) =>
      i === 0 ? { ...p, name: `../../../etc/${p.name.split("/").pop()}` } : p,
    );
    const r = await upload(url(), analyst.cookie, named, { subjectId });
    const body = await json<{
      studies: {
        id: string;
        subjectId: string;
        injectionId: string | null;
        series: { modality: string; fileCount: number }[];
      }[];
      skipped: unknown[];
    }>(r);
    expect(r.status, JSON.stringify(body)).toBe(201);
    expect(body.studies).toHaveLength(1);
    const st = body.studies[0]!;
    studyId = st.id;
    expect(st.subjectId).toBe(subjectId);
    expect(st.injectionId).not.toBeNull();
    expect(st.series.map((x) => x.modality).sort()).toEqual(["CT", "PT"]);
    expect(st.series.reduce((n, x) => n + x.fileCount, 0)).toBe(parts.length);
    const full = await json<{ series: { files: { name: string; sha256: string }[] }[] }>(
      await s.api("GET", `/api/studies/${studyId}`, { cookie: viewer.cookie }),
    );
    const names = full.series.flatMap((x) => x.files.map((f) => f.name));
    expect(names.some((n) => n.includes(".."))).toBe(false);
    expect(
      full.series.flatMap((x) => x.files.map((f) => f.sha256)).every((h) => /^[0-9a-f]{64}$/.test(h)),
    ).toBe(true);
    const inj = await json<{ nuclide: string }[]>(
      await s.api("GET", `/api/subjects/${subjectId}/injections`),
    );
    expect(inj.map((i) => i.nuclide)).toEqual(["Cu-64"]);
  });

  it("lists and gets studies; other projects 404; bad ids 400", async () => {
    const list = await json<{ id: string; series: Json[] }[]>(
      await s.api("GET", `/api/projects/${projectId}/studies`, { cookie: viewer.cookie }),
    );
    expect(list.map((x) => x.id)).toEqual([studyId]);
    expect(list[0]!.series.every((x) => !("meta" in x))).toBe(true);
    await expectError(
      await s.api("GET", `/api/projects/${projectId}/studies?limit=0`),
      400,
      "INVALID_ARGUMENT",
      "limit",
    );
    await expectError(
      await s.api("GET", `/api/projects/${projectId}/studies`, { cookie: outsider.cookie }),
      404,
      "NOT_FOUND",
    );
    await expectError(
      await s.api("GET", `/api/studies/${studyId}`, { cookie: outsider.cookie }),
      404,
      "NOT_FOUND",
    );
    await expectError(
      await s.api("GET", `/api/studies/${studyId}`, { cookie: null }),
      401,
      "UNAUTHENTICATED",
    );
    await expectError(
      await s.api("GET", "/api/studies/..%2f..%2fpglite"),
      400,
      "INVALID_ARGUMENT",
      "params.id",
    );
  });
});

describe("viewer", () => {
  it("describes PET and CT volumes and serves them as gzipped NIfTI", async () => {
    const info = await json<{
      pet: { url: string; dims: number[]; unit: string };
      ct: { url: string } | null;
      hasSuv: boolean;
    }>(await s.api("GET", `/api/studies/${studyId}/viewer`, { cookie: viewer.cookie }));
    expect(info.pet.dims).toEqual([40, 40, 32]);
    expect(info.ct).not.toBeNull();
    expect(info.hasSuv).toBe(true);
    const r = await s.api("GET", info.pet.url, { cookie: viewer.cookie });
    expect(r.status).toBe(200);
    expect(r.headers.get("content-type")).toMatch(/gzip/);
    expect(r.headers.get("x-atsm-unit")).toBe(info.pet.unit);
    const nii = gunzipSync(Buffer.from(await r.arrayBuffer()));
    expect(nii.readInt32LE(0)).toBe(348); // NIfTI-1 sizeof_hdr
    expect([nii.readInt16LE(42), nii.readInt16LE(44), nii.readInt16LE(46)]).toEqual([40, 40, 32]);
    const petId = info.pet.url.split("/")[3]!;
    await expectError(
      await s.api("GET", `${info.pet.url}?frame=x`),
      400,
      "INVALID_ARGUMENT",
      "querystring.frame",
    );
    await expectError(
      await s.api("GET", `/api/series/${petId}/volume.nii.gz`, { cookie: outsider.cookie }),
      404,
      "NOT_FOUND",
    );
    await expectError(
      await s.api("GET", `/api/studies/${studyId}/viewer`, { cookie: outsider.cookie }),
      404,
      "NOT_FOUND",
    );
  });
});

describe("VOIs, metrics and results", () => {
  let tumourVoi: string;
  let referenceVoi: string;
  let resultId: string;

  it("creates VOIs from specs; rejects bad specs, server paths and foreign blobs", async () => {
    const base = `/api/studies/${studyId}/vois`;
    const t = await s.api("POST", base, {
      body: { name: "tumour", role: "tumour", spec: tumorSpec },
      cookie: analyst.cookie,
    });
    expect(t.status).toBe(201);
    tumourVoi = (await json<{ id: string }>(t)).id;
    const m = await s.api("POST", base, {
      body: { name: "muscle", role: "reference", spec: referenceSpec },
      cookie: analyst.cookie,
    });
    referenceVoi = (await json<{ id: string }>(m)).id;
    await expectError(
      await s.api("POST", base, {
        body: { name: "x", role: "tumour", spec: "sphere:1,2" },
        cookie: analyst.cookie,
      }),
      400,
      "INVALID_ARGUMENT",
      "spec",
    );
    await expectError(
      await s.api("POST", base, {
        body: { name: "x", role: "tumour", spec: "mask:../../../etc/passwd:1" },
        cookie: analyst.cookie,
      }),
      400,
      "INVALID_ARGUMENT",
      "spec",
    );
    await expectError(
      await s.api("POST", base, {
        body: { name: "x", role: "tumour", spec: `mask:blob:${"a".repeat(64)}:1` },
        cookie: analyst.cookie,
      }),
      404,
      "NOT_FOUND",
      "spec",
    );
    await expectError(
      await s.api("POST", base, {
        body: { name: "x", role: "tumour", spec: "mask:blob:../../x:1" },
        cookie: analyst.cookie,
      }),
      400,
      "INVALID_ARGUMENT",
      "spec",
    );
    await expectError(
      await s.api("POST", base, {
        body: { name: "x", role: "boss", spec: tumorSpec },
        cookie: analyst.cookie,
      }),
      400,
      "INVALID_ARGUMENT",
      "body.role",
    );
    await expectError(
      await s.api("POST", base, { body: { name: "x", role: "tumour" }, cookie: analyst.cookie }),
      400,
      "INVALID_ARGUMENT",
      "spec",
    );
    await expectError(
      await s.api("POST", base, {
        body: { name: "x", role: "tumour", spec: tumorSpec },
        cookie: viewer.cookie,
      }),
      403,
      "FORBIDDEN",
    );
    await expectError(
      await s.api("POST", base, {
        body: { name: "x", role: "tumour", spec: tumorSpec },
        cookie: outsider.cookie,
      }),
      404,
      "NOT_FOUND",
    );
    const list = await json<{ name: string }[]>(await s.api("GET", base, { cookie: viewer.cookie }));
    expect(list.map((v) => v.name).sort()).toEqual(["muscle", "tumour"]);
    await expectError(await s.api("GET", base, { cookie: outsider.cookie }), 404, "NOT_FOUND");
  });

  it("stores a brush mask (RLE) as a blob VOI; edits and deletes VOIs", async () => {
    const n = 40 * 40 * 32;
    const start = 16 * 1600 + 20 * 40 + 18; // a short run of voxels near the centre
    const r = await s.api("POST", `/api/studies/${studyId}/vois`, {
      body: {
        name: "brush",
        role: "other",
        maskRle: { dims: [40, 40, 32], runs: [start, 4, n - start - 4] },
      },
      cookie: analyst.cookie,
    });
    const voi = await json<{ id: string; spec: string }>(r);
    expect(r.status, JSON.stringify(voi)).toBe(201);
    expect(voi.spec).toMatch(/^mask:blob:[0-9a-f]{64}:1$/);
    await expectError(
      await s.api("POST", `/api/studies/${studyId}/vois`, {
        body: { name: "b", role: "other", maskRle: { dims: [4, 4, 4], runs: [64] } },
        cookie: analyst.cookie,
      }),
      400,
      "INVALID_ARGUMENT",
    );
    const put = await s.api("PUT", `/api/vois/${voi.id}`, {
      body: { name: "brush 2" },
      cookie: analyst.cookie,
    });
    expect((await json<{ name: string; spec: string }>(put)).name).toBe("brush 2");
    await expectError(
      await s.api("PUT", `/api/vois/${voi.id}`, { body: { name: "z" }, cookie: viewer.cookie }),
      403,
      "FORBIDDEN",
    );
    await expectError(
      await s.api("PUT", `/api/vois/${voi.id}`, { body: { name: "z" }, cookie: outsider.cookie }),
      404,
      "NOT_FOUND",
    );
    await expectError(
      await s.api("PUT", `/api/vois/${voi.id}`, { body: {}, cookie: analyst.cookie }),
      400,
      "INVALID_ARGUMENT",
    );
    await expectError(
      await s.api("DELETE", `/api/vois/${voi.id}`, { cookie: outsider.cookie }),
      404,
      "NOT_FOUND",
    );
    expect((await s.api("DELETE", `/api/vois/${voi.id}`, { cookie: analyst.cookie })).status).toBe(204);
    await expectError(
      await s.api("DELETE", `/api/vois/${voi.id}`, { cookie: analyst.cookie }),
      404,
      "NOT_FOUND",
    );
  });

  it("live metrics equal `atsm quantify` on the same files and VOIs (exactly: same code path)", async () => {
    const r = await s.api("POST", `/api/studies/${studyId}/metrics`, {
      body: { tumour: `voi:${tumourVoi}`, reference: referenceSpec, cutoff: "cervix" },
      cookie: viewer.cookie,
    });
    const live = await json<{ tmrMax: number; tmrMean: number; hypoxicVolumeMl: number }>(r);
    expect(r.status, JSON.stringify(live)).toBe(200);
    const { result } = await quantifyStudy({
      study: join(fixtureDir, "study"),
      tumor: tumorSpec,
      reference: referenceSpec,
      cutoff: "cervix",
    });
    expect(live.tmrMax).toBe(result.tmrMax);
    expect(live.tmrMean).toBe(result.tmrMean);
    expect(live.hypoxicVolumeMl).toBe(result.hypoxicVolumeMl);
    await expectError(
      await s.api("POST", `/api/studies/${studyId}/metrics`, {
        body: { tumour: tumorSpec },
        cookie: viewer.cookie,
      }),
      400,
      "MISSING_INPUT",
      "body.reference",
    );
    await expectError(
      await s.api("POST", `/api/studies/${studyId}/metrics`, {
        body: { tumour: `voi:${crypto.randomUUID()}`, reference: referenceSpec },
        cookie: viewer.cookie,
      }),
      404,
      "NOT_FOUND",
      "tumour",
    );
    await expectError(
      await s.api("POST", `/api/studies/${studyId}/metrics`, {
        body: { tumour: tumorSpec, reference: referenceSpec },
        cookie: outsider.cookie,
      }),
      404,
      "NOT_FOUND",
    );
  });

  it("stores a result with its exact inputs and software version; exports", async () => {
    const r = await s.api("POST", `/api/studies/${studyId}/results`, {
      body: { tumourVoiId: tumourVoi, referenceVoiId: referenceVoi, cutoff: "cervix" },
      cookie: analyst.cookie,
    });
    const row = await json<{
      id: string;
      inputs: Json & { series: { files: { sha256: string }[] }[] };
      result: { tmrMax: number };
      softwareVersion: string;
    }>(r);
    expect(r.status, JSON.stringify(row).slice(0, 300)).toBe(201);
    resultId = row.id;
    expect(row.softwareVersion).toMatch(/^\d+\.\d+\.\d+/);
    expect(row.inputs).toMatchObject({
      tumour: tumorSpec,
      reference: referenceSpec,
      cutoff: "cervix",
      tumourVoiId: tumourVoi,
    });
    expect(row.inputs.series.flatMap((x) => x.files).length).toBe(parts.length);
    await expectError(
      await s.api("POST", `/api/studies/${studyId}/results`, {
        body: { tumourVoiId: tumourVoi, referenceVoiId: referenceVoi },
        cookie: viewer.cookie,
      }),
      403,
      "FORBIDDEN",
    );
    await expectError(
      await s.api("POST", `/api/studies/${studyId}/results`, {
        body: { tumourVoiId: "x", referenceVoiId: referenceVoi },
        cookie: analyst.cookie,
      }),
      400,
      "INVALID_ARGUMENT",
      "body.tumourVoiId",
    );
    const list = await json<{ id: string }[]>(
      await s.api("GET", `/api/studies/${studyId}/results`, { cookie: viewer.cookie }),
    );
    expect(list.map((x) => x.id)).toEqual([resultId]);
    const one = await json<{ result: { tmrMax: number } }>(
      await s.api("GET", `/api/results/${resultId}`, { cookie: viewer.cookie }),
    );
    expect(one.result.tmrMax).toBe(row.result.tmrMax);
    await expectError(
      await s.api("GET", `/api/results/${resultId}`, { cookie: outsider.cookie }),
      404,
      "NOT_FOUND",
    );
    await expectError(
      await s.api("GET", `/api/studies/${studyId}/results`, { cookie: outsider.cookie }),
      404,
      "NOT_FOUND",
    );
  });

  it("exports csv, json, seg.dcm, report.html and report.pdf", async () => {
    const expectType: Record<string, RegExp> = {
      csv: /text\/csv/,
      json: /application\/json/,
      "seg.dcm": /application\/dicom/,
      "report.html": /text\/html/,
      "report.pdf": /application\/pdf/,
    };
    for (const [format, type] of Object.entries(expectType)) {
      const r = await s.api("GET", `/api/results/${resultId}/export/${format}`, { cookie: viewer.cookie });
      const bytes = new Uint8Array(await r.arrayBuffer());
      expect(r.status, `${format}: ${new TextDecoder().decode(bytes.slice(0, 300))}`).toBe(200);
      expect(r.headers.get("content-type")).toMatch(type);
      expect(r.headers.get("content-disposition")).toMatch(/^attachment; filename="[A-Za-z0-9._-]+"$/);
      expect(bytes.length).toBeGreaterThan(20);
    }
    await expectError(
      await s.api("GET", `/api/results/${resultId}/export/exe`),
      400,
      "INVALID_ARGUMENT",
      "params.format",
    );
    await expectError(
      await s.api("GET", `/api/results/${resultId}/export/csv`, { cookie: outsider.cookie }),
      404,
      "NOT_FOUND",
    );
  });
});

describe("delete and audit", () => {
  it("writes audit rows for import, VOI and result changes", async () => {
    const rows = await json<{ action: string; entityType: string; actorId: string }[]>(
      await s.api("GET", `/api/audit?projectId=${projectId}`),
    );
    const seen = new Set(rows.map((r) => `${r.action}:${r.entityType}`));
    for (const k of ["import:study", "create:voi", "update:voi", "delete:voi", "create:result"])
      expect(seen.has(k), k).toBe(true);
    expect(rows.find((r) => r.action === "import")?.actorId).toBe(analyst.id);
  });

  it("deletes a study (analysts); then 404", async () => {
    await expectError(
      await s.api("DELETE", `/api/studies/${studyId}`, { cookie: viewer.cookie }),
      403,
      "FORBIDDEN",
    );
    await expectError(
      await s.api("DELETE", `/api/studies/${studyId}`, { cookie: outsider.cookie }),
      404,
      "NOT_FOUND",
    );
    expect((await s.api("DELETE", `/api/studies/${studyId}`, { cookie: analyst.cookie })).status).toBe(204);
    await expectError(await s.api("GET", `/api/studies/${studyId}`), 404, "NOT_FOUND");
  });
});
