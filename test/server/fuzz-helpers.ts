/**
 * Shared checks of the API fuzz tests (test/server/fuzz-*.test.ts): every answer is a 2xx or a
 * 4xx with the error body `{error: {code, message}}` (never 5xx, never a hang), and a failed upload
 * leaves DIR/tmp empty and the blob count unchanged.
 */
import { readdir } from "node:fs/promises";
import { join } from "node:path";
import { expect } from "vitest";

/** Per-request limit: a request that has not answered by then counts as a hang. */
export const REQUEST_TIMEOUT_MS = 20_000;

/** Codes of docs/server.md "Errors" that a client may cause. */
const CLIENT_CODES = new Set([
  "INVALID_ARGUMENT",
  "MISSING_INPUT",
  "PARSE_ERROR",
  "TRUNCATED",
  "INCONSISTENT",
  "EMPTY_VOI",
  "NUMERIC",
  "UNKNOWN_NUCLIDE",
  "UNAUTHENTICATED",
  "FORBIDDEN",
  "NOT_FOUND",
  "CONFLICT",
  "LIMIT_EXCEEDED",
  "UNSUPPORTED",
]);

export interface Answer {
  readonly status: number;
  readonly text: string;
}

/** Read a response fully (bounded by the request's own abort signal). */
export async function answer(res: Response): Promise<Answer> {
  return { status: res.status, text: await res.text() };
}

/**
 * Assert `a` is a success or a 4xx with the documented error body. `what` describes the request,
 * so a failure prints the exact reproduction. `allow5xx` lists documented 5xx statuses (501 for
 * PACS routes without --dicomweb).
 */
export function expectNoServerError(a: Answer, what: string, allow5xx: readonly number[] = []): void {
  const repro = `${what}\n→ ${a.status} ${a.text.slice(0, 400)}`;
  if (a.status >= 500 && !allow5xx.includes(a.status)) expect.fail(`server error: ${repro}`);
  if (a.status < 400) return;
  let body: unknown;
  try {
    body = JSON.parse(a.text);
  } catch {
    expect.fail(`error body is not JSON: ${repro}`);
  }
  const err = (body as { error?: { code?: unknown; message?: unknown } } | null)?.error;
  expect(typeof err?.code, repro).toBe("string");
  expect(typeof err?.message, repro).toBe("string");
  if (a.status < 500) expect(CLIENT_CODES.has(err?.code as string), repro).toBe(true);
}

/** Number of files under `dir` (0 when it does not exist). */
export async function countFiles(dir: string): Promise<number> {
  let n = 0;
  const walk = async (d: string): Promise<void> => {
    let entries: import("node:fs").Dirent[];
    try {
      entries = await readdir(d, { withFileTypes: true });
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === "ENOENT") return;
      throw e;
    }
    for (const e of entries) {
      if (e.isDirectory()) await walk(join(d, e.name));
      else n++;
    }
  };
  await walk(dir);
  return n;
}

/** Entries left in DIR/tmp (staging must be empty between requests). */
export async function tmpEntries(dataDir: string): Promise<string[]> {
  try {
    return await readdir(join(dataDir, "tmp"));
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === "ENOENT") return [];
    throw e;
  }
}

/** Deterministic byte source for mutations (xorshift32), so fast-check seeds reproduce bytes. */
export function xorshift(seed: number): () => number {
  let x = seed | 0 || 0x9e3779b9;
  return () => {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    return (x >>> 0) / 2 ** 32;
  };
}

/** Copy of `bytes` with `count` bytes at offsets in [from, to) replaced by random values. */
export function flipBytes(
  bytes: Uint8Array,
  seed: number,
  count: number,
  from = 0,
  to = bytes.length,
): Uint8Array {
  const out = bytes.slice();
  const rnd = xorshift(seed);
  const hi = Math.min(to, out.length);
  if (hi <= from) return out;
  for (let i = 0; i < count; i++) out[from + Math.floor(rnd() * (hi - from))] = Math.floor(rnd() * 256);
  return out;
}

/** A 348-byte NIfTI-1 single-file header (+ 4 extension bytes + `dataBytes` zero bytes). */
export function niftiBytes(h: {
  dims: readonly number[];
  datatype: number;
  bitpix: number;
  pixdim: readonly number[];
  voxOffset: number;
  dataBytes: number;
  sizeofHdr?: number;
}): Uint8Array {
  const out = new Uint8Array(352 + h.dataBytes);
  const v = new DataView(out.buffer);
  v.setInt32(0, h.sizeofHdr ?? 348, true);
  for (let i = 0; i < 8; i++) v.setInt16(40 + 2 * i, h.dims[i] ?? 1, true);
  v.setInt16(70, h.datatype, true);
  v.setInt16(72, h.bitpix, true);
  for (let i = 0; i < 8; i++) v.setFloat32(76 + 4 * i, h.pixdim[i] ?? 1, true);
  v.setFloat32(108, h.voxOffset, true);
  v.setFloat32(112, 1, true); // scl_slope
  v.setInt16(254, 1, true); // sform_code
  v.setFloat32(280, 1, true); // srow_x
  v.setFloat32(300, 1, true); // srow_y
  v.setFloat32(320, 1, true); // srow_z
  out.set([0x6e, 0x2b, 0x31, 0], 344); // "n+1\0"
  return out;
}

/** Ids of a seeded project: the small demo study uploaded with a subject, two VOIs and a result. */
export interface Seeded {
  readonly projectId: string;
  readonly subjectId: string;
  readonly studyId: string;
  readonly seriesIds: readonly string[];
  readonly tumourVoiId: string;
  readonly referenceVoiId: string;
  readonly resultId: string;
  readonly tumourSpec: string;
  readonly referenceSpec: string;
}

async function created<T>(r: Response, what: string): Promise<T> {
  if (r.status !== 201) throw new Error(`${what}: ${r.status} ${await r.text()}`);
  return (await r.json()) as T;
}

/** Upload the small analytic demo (PET/CT DICOM, written under `fixtureDir`) and create records on it. */
export async function seedStudy(
  s: {
    url: string;
    cookie: string;
    api(method: string, path: string, opts?: { body?: unknown }): Promise<Response>;
  },
  fixtureDir: string,
): Promise<Seeded> {
  const { writeDemoStudy } = await import("../../src/app/demo/synthetic.js");
  const { filesUnder, readParts, upload } = await import("./upload-helpers.js");
  const demo = await writeDemoStudy(fixtureDir, { small: true, seed: 5 });
  const parts = await readParts(await filesUnder(demo.studyDir));
  const p = await created<{ id: string }>(
    await s.api("POST", "/api/projects", { body: { name: "Fuzz" } }),
    "project",
  );
  const subj = await created<{ id: string }>(
    await s.api("POST", `/api/projects/${p.id}/subjects`, {
      body: { label: "F-01", kind: "patient", weightKg: 70 },
    }),
    "subject",
  );
  const up = await created<{ studies: { id: string; series: { id: string }[] }[] }>(
    await upload(`${s.url}/api/projects/${p.id}/uploads`, s.cookie, parts, { subjectId: subj.id }),
    "upload",
  );
  const study = up.studies[0];
  if (study === undefined) throw new Error("upload made no study");
  const voi = (name: string, role: string, spec: string) =>
    s
      .api("POST", `/api/studies/${study.id}/vois`, { body: { name, role, spec } })
      .then((r) => created<{ id: string }>(r, name));
  const t = await voi("tumour", "tumour", demo.tumorSpec);
  const ref = await voi("muscle", "reference", demo.referenceSpec);
  const res = await created<{ id: string }>(
    await s.api("POST", `/api/studies/${study.id}/results`, {
      body: { tumourVoiId: t.id, referenceVoiId: ref.id },
    }),
    "result",
  );
  return {
    projectId: p.id,
    subjectId: subj.id,
    studyId: study.id,
    seriesIds: study.series.map((x) => x.id),
    tumourVoiId: t.id,
    referenceVoiId: ref.id,
    resultId: res.id,
    tumourSpec: demo.tumorSpec,
    referenceSpec: demo.referenceSpec,
  };
}
