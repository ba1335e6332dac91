/**
 * Server platform: OpenAPI coverage of every /api route, upload size cap (413, nothing kept),
 * static web app with SPA fallback, JSON 404s, lab documents, and PACS query/retrieve against a
 * real Orthanc with the DICOMweb plugin (skipped with a printed reason when Orthanc is absent
 * outside CI).
 */
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { writeDemoStudy } from "../../src/app/demo/synthetic.js";
import { openApiPath } from "../../src/server/openapi.js";
import { type OrthancHandle, startOrthanc } from "../helpers/orthanc.js";
import { startTestServer, type TestServer } from "../helpers/server.js";
import { filesUnder, readParts, upload } from "./upload-helpers.js";

const ROOT = new URL("../../", import.meta.url).pathname;
const CAP_BYTES = 300 * 1024;

let s: TestServer;
let orthanc: OrthancHandle | null = null;
let fixtureDir: string;
let webRoot: string;
let projectId: string;
let ptFiles: { name: string; bytes: Uint8Array }[];
let allFiles: { name: string; bytes: Uint8Array }[];

type Json = Record<string, unknown>;
async function json<T = Json>(r: Response): Promise<T> {
  return (await r.json()) as T;
}
async function expectError(r: Response, status: number, code: string, field?: string): Promise<void> {
  const body = await json<{ error: { code: string; field?: string } }>(r);
  expect({ status: r.status, code: body.error.code }).toEqual({ status, code });
  if (field !== undefined) expect(body.error.field).toBe(field);
}

async function listAll(dir: string): Promise<string[]> {
  try {
    const out: string[] = [];
    for (const e of await readdir(dir, { withFileTypes: true, recursive: true }))
      if (e.isFile()) out.push(e.name);
    return out;
  } catch {
    return [];
  }
}

beforeAll(async () => {
  fixtureDir = await mkdtemp(join(tmpdir(), "atsm-platform-"));
  const demo = await writeDemoStudy(join(fixtureDir, "demo"), { small: true, seed: 3 });
  allFiles = await readParts(await filesUnder(demo.studyDir));
  ptFiles = allFiles.filter((f) => f.name.startsWith("PT"));
  webRoot = join(fixtureDir, "web");
  await mkdir(join(webRoot, "assets"), { recursive: true });
  await writeFile(join(webRoot, "index.html"), "<!doctype html><title>Workbench SPA</title>");
  await writeFile(join(webRoot, "assets", "app.js"), "console.log('app')");
  orthanc = await startOrthanc();
  if (orthanc === null) console.warn("PACS tests skipped: Orthanc with the DICOMweb plugin is not installed");
  s = await startTestServer({
    maxUploadBytes: CAP_BYTES,
    webRoot,
    ...(orthanc !== null ? { dicomwebUrl: orthanc.url } : {}),
  });
  projectId = (
    await json<{ id: string }>(await s.api("POST", "/api/projects", { body: { name: "Platform" } }))
  ).id;
}, 120_000);

afterAll(async () => {
  await s?.close();
  await orthanc?.stop();
  if (fixtureDir) await rm(fixtureDir, { recursive: true, force: true });
});

describe("OpenAPI", () => {
  it("documents every registered /api route with its method (3.1, path params in braces)", async () => {
    const doc = await json<{
      openapi: string;
      paths: Record<string, Record<string, { parameters: { name: string; in: string }[] }>>;
    }>(await s.api("GET", "/api/openapi.json", { cookie: null }));
    expect(doc.openapi).toBe("3.1.0");
    // Every route Fastify knows (printRoutes lists them) must be in the document.
    // printRoutes draws a tree: 4 characters of indent per level; a child's segment extends its parent's path.
    const registered: string[] = [];
    const stack: string[] = [];
    for (const line of s.app.printRoutes({ commonPrefix: false }).split("\n")) {
      const m = /^([\s│├└─]*)(\S+) \(([A-Z, ]+)\)/.exec(line);
      if (m === null) continue;
      const depth = m[1]!.length / 4 - 1;
      stack[depth] = (depth > 0 ? stack[depth - 1]! : "") + m[2]!;
      const url = stack[depth]!;
      if (!url.startsWith("/api/")) continue;
      for (const method of m[3]!.split(", "))
        if (method !== "HEAD" && method !== "OPTIONS") registered.push(`${method} ${url}`);
    }
    expect(registered.length).toBeGreaterThan(40);
    const missing = registered.filter((r) => {
      const [method, url] = r.split(" ") as [string, string];
      return doc.paths[openApiPath(url)]?.[method.toLowerCase()] === undefined;
    });
    expect(missing).toEqual([]);
    // Path parameters are declared.
    expect(
      doc.paths["/api/projects/{pid}/subjects"]?.get?.parameters.map((p) => `${p.in}:${p.name}`),
    ).toEqual(["path:pid"]);
    // The contract's endpoints are all there.
    for (const p of [
      "/api/health",
      "/api/auth/login",
      "/api/auth/one-time",
      "/api/projects/{pid}/uploads",
      "/api/studies/{id}/viewer",
      "/api/series/{id}/volume.nii.gz",
      "/api/studies/{id}/metrics",
      "/api/results/{rid}/export/{format}",
      "/api/pacs/studies",
      "/api/projects/{pid}/pacs-import",
      "/api/projects/{pid}/radiolabel-batches",
      "/api/projects/{pid}/assays",
      "/api/audit",
    ]) {
      expect(doc.paths[p], p).toBeDefined();
    }
  });
});

describe("upload size cap", () => {
  it("answers 413 past --max-upload-mb and keeps nothing (tmp and blobs empty, no study)", async () => {
    const total = allFiles.reduce((n, f) => n + f.bytes.length, 0);
    expect(total).toBeGreaterThan(CAP_BYTES);
    const r = await upload(`${s.url}/api/projects/${projectId}/uploads`, s.cookie, allFiles);
    await expectError(r, 413, "LIMIT_EXCEEDED");
    expect(await listAll(join(s.dataDir, "tmp"))).toEqual([]);
    expect(await listAll(join(s.dataDir, "blobs"))).toEqual([]);
    expect(await json(await s.api("GET", `/api/projects/${projectId}/studies`))).toEqual([]);
  });

  it("a single file over the cap is refused the same way", async () => {
    const big = new Uint8Array(CAP_BYTES + 10);
    await expectError(
      await upload(`${s.url}/api/projects/${projectId}/uploads`, s.cookie, [{ name: "big.dcm", bytes: big }]),
      413,
      "LIMIT_EXCEEDED",
    );
    expect(await listAll(join(s.dataDir, "tmp"))).toEqual([]);
  });

  it("a corrupt DICOM upload is a 4xx and leaves no blobs", async () => {
    const bad = ptFiles.slice(0, 3).map((f, i) => (i === 1 ? { ...f, bytes: f.bytes.slice(0, 400) } : f));
    const r = await upload(`${s.url}/api/projects/${projectId}/uploads`, s.cookie, bad);
    expect(r.status).toBeGreaterThanOrEqual(400);
    expect(r.status).toBeLessThan(500);
    expect(await listAll(join(s.dataDir, "tmp"))).toEqual([]);
    expect(await listAll(join(s.dataDir, "blobs"))).toEqual([]);
  });
});

describe("static web app and 404s", () => {
  it("serves files, falls back to index.html for client routes, and JSON 404s under /api", async () => {
    const js = await fetch(`${s.url}/assets/app.js`);
    expect(await js.text()).toBe("console.log('app')");
    const page = await fetch(`${s.url}/studies/123`);
    expect(page.status).toBe(200);
    expect(page.headers.get("x-content-type-options")).toBe("nosniff");
    expect(page.headers.get("x-frame-options")).toBe("DENY");
    expect(await page.text()).toMatch(/Workbench SPA/);
    await expectError(await s.api("GET", "/api/nope"), 404, "NOT_FOUND");
    const trav = await fetch(`${s.url}/assets/..%2f..%2f..%2fetc%2fpasswd`);
    expect(await trav.text()).not.toMatch(/root:/);
  });

  it("one-time link redirects only to same-site paths", async () => {
    const { oneTimeLink } = await import("../../src/server/bootstrap.js");
    const admin = (await s.store.users.byUsername("admin"))!;
    const link = await oneTimeLink(s.store, admin.id, s.url, Date.now());
    const r = await fetch(`${link}&next=${encodeURIComponent("//evil.example/x")}`, { redirect: "manual" });
    expect(r.status).toBe(302);
    expect(r.headers.get("location")).toBe("/");
    const link2 = await oneTimeLink(s.store, admin.id, s.url, Date.now());
    const r2 = await fetch(`${link2}&next=${encodeURIComponent("/studies/abc")}`, { redirect: "manual" });
    expect(r2.headers.get("location")).toBe("/studies/abc");
    const again = await fetch(`${link2}`, { redirect: "manual" });
    expect(again.status).toBe(401); // used
  });
});

describe("lab documents", () => {
  const ex = (dir: string, f: string) => readFile(join(ROOT, "examples", dir, f), "utf8");

  it("stores a radiolabel batch record and an assay with computed results", async () => {
    const batch = JSON.parse(await ex("radiolabel", "batch.json")) as Json;
    const r = await s.api("POST", `/api/projects/${projectId}/radiolabel-batches`, {
      body: { ...batch, qcTraceText: await ex("radiolabel", "tlc-pass.csv") },
    });
    const doc = await json<{
      kind: string;
      name: string;
      result: { release: { decision: string } };
      softwareVersion: string;
    }>(r);
    expect(r.status, JSON.stringify(doc).slice(0, 300)).toBe(201);
    expect(doc.kind).toBe("radiolabel-batch");
    expect(doc.result.release.decision).toBe("released");
    const a = await s.api("POST", `/api/projects/${projectId}/assays`, {
      body: {
        layoutCsv: await ex("assay", "layout.csv"),
        countsText: await ex("assay", "counts-wizard2.csv"),
        proteinText: await ex("assay", "protein.csv"),
        options: { lysateMl: 0.5 },
      },
    });
    expect(a.status, (await a.clone().text()).slice(0, 300)).toBe(201);
    const lists = await Promise.all(
      ["radiolabel-batches", "assays"].map(async (p) =>
        json<{ kind: string }[]>(await s.api("GET", `/api/projects/${projectId}/${p}`)),
      ),
    );
    expect(lists.map((l) => l.map((d) => d.kind))).toEqual([["radiolabel-batch"], ["assay"]]);
    await expectError(
      await s.api("POST", `/api/projects/${projectId}/assays`, { body: { layoutCsv: "x" } }),
      400,
      "MISSING_INPUT",
    );
    await expectError(
      await s.api("GET", `/api/projects/${projectId}/assays`, { cookie: null }),
      401,
      "UNAUTHENTICATED",
    );
    const other = await s.createUser("doc-outsider", "analyst");
    await expectError(
      await s.api("GET", `/api/projects/${projectId}/assays`, { cookie: other.cookie }),
      404,
      "NOT_FOUND",
    );
    await expectError(
      await s.api("POST", `/api/projects/${projectId}/radiolabel-batches`, {
        body: batch,
        cookie: other.cookie,
      }),
      404,
      "NOT_FOUND",
    );
  });
});

describe("PACS (Orthanc DICOMweb)", () => {
  it("searches the PACS and imports one series through the upload path", async (ctx) => {
    if (orthanc === null) return ctx.skip();
    for (const f of allFiles) await orthanc.upload(f.bytes);
    const q = await s.api("GET", "/api/pacs/studies?PatientID=ATSM-DEMO");
    const studies = await json<{ StudyInstanceUID: string; ModalitiesInStudy: string[] }[]>(q);
    expect(q.status, JSON.stringify(studies)).toBe(200);
    expect(studies).toHaveLength(1);
    const studyUid = studies[0]!.StudyInstanceUID;
    await expectError(
      await s.api("GET", "/api/pacs/studies?PatientID=x&evil=1"),
      400,
      "INVALID_ARGUMENT",
      "querystring.evil",
    );
    await expectError(
      await s.api("POST", `/api/projects/${projectId}/pacs-import`, { body: { studyInstanceUid: "../1.2" } }),
      400,
      "INVALID_ARGUMENT",
      "body.studyInstanceUid",
    );
    // Find the PT series via QIDO on Orthanc directly, then import only it (fits the 300 KiB cap).
    const series = (await (await fetch(`${orthanc.url}/studies/${studyUid}/series`)).json()) as Record<
      string,
      { Value?: string[] }
    >[];
    const pt = series.find((x) => x["00080060"]?.Value?.[0] === "PT")!["0020000E"]!.Value![0]!;
    const r = await s.api("POST", `/api/projects/${projectId}/pacs-import`, {
      body: { studyInstanceUid: studyUid, seriesInstanceUid: pt },
    });
    const body = await json<{ studies: { series: { modality: string; fileCount: number }[] }[] }>(r);
    expect(r.status, JSON.stringify(body).slice(0, 400)).toBe(201);
    expect(body.studies[0]!.series.map((x) => [x.modality, x.fileCount])).toEqual([["PT", ptFiles.length]]);
    expect(await listAll(join(s.dataDir, "tmp"))).toEqual([]);
    const viewerUser = await s.createUser("pacs-viewer", "viewer");
    await expectError(
      await s.api("GET", "/api/pacs/studies", { cookie: viewerUser.cookie }),
      403,
      "FORBIDDEN",
    );
  });
});
