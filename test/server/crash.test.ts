/**
 * Crash safety of `atsm serve` (issue 6): the real server process, PGlite in a temp data folder, is
 * killed with SIGKILL (no shutdown hooks run) (a) in the middle of a streamed upload, (b) right
 * after an upload's last byte and while it is being imported, and (c) while many concurrent
 * writes are in flight. After each kill the server is restarted on the same folder and must:
 * answer /api/health; hold every row whose request was acknowledged with a 2xx before the kill
 * ("nothing acknowledged is lost"); hold no half-written upload (no study without series, no
 * series without files); have every referenced blob on disk with the right SHA-256, no orphan blob
 * and an empty DIR/tmp; and have an audit row for every row (audit is written in the same
 * transaction). The kill moments are fixed and few (bounded run time, ~1–2 min).
 */

import { readdirSync, readFileSync } from "node:fs";
import { request } from "node:http";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { writeTwinDemoStudy } from "../../src/app/demo/twin.js";
import { checkDataFolder, listFiles } from "../e2e/data-folder.js";
import {
  api,
  login,
  loginWithOneTimeUrl,
  removeDir,
  type ServerProcess,
  sleep,
  startServer,
  tempDataDir,
} from "../e2e/harness.js";

const USER = { username: "crash-admin", password: "crash-test-password-1", role: "admin" } as const;

let dataDir = "";
let demoDir = "";
let server: ServerProcess | null = null;
let cookie = "";
let projectId = "";
/** Multipart body of the small demo study's DICOM files. */
let studyBody: { boundary: string; bytes: Buffer } | null = null;
/** Subject ids whose POST was answered 2xx before a kill. */
const acknowledgedSubjects: string[] = [];
/** Study ids whose upload was answered 201. */
const acknowledgedStudies: string[] = [];
/** VOI ids (on the baseline study) whose POST was answered 2xx before a kill. */
const acknowledgedVois: string[] = [];
/** Baseline upload: time from its last byte to the 201 (import + commit), ms. */
let importMs = 0;

function multipart(files: { name: string; bytes: Buffer }[]): { boundary: string; bytes: Buffer } {
  const boundary = `----atsm-crash-${Date.now().toString(36)}`;
  const parts: Buffer[] = [];
  for (const f of files) {
    parts.push(
      Buffer.from(
        `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${f.name}"\r\n` +
          "Content-Type: application/octet-stream\r\n\r\n",
      ),
      f.bytes,
      Buffer.from("\r\n"),
    );
  }
  parts.push(Buffer.from(`--${boundary}--\r\n`));
  return { boundary, bytes: Buffer.concat(parts) };
}

interface RawUpload {
  /** Resolves with the status (or "error: …" once the connection dies). */
  readonly done: Promise<number | string>;
  /** Write `bytes`; resolves when they are handed to the socket. */
  write(bytes: Buffer): Promise<void>;
  end(): void;
}

/** A raw POST /api/projects/:pid/uploads whose body we feed by hand (declared length `totalBytes`). */
function rawUpload(boundary: string, totalBytes: number): RawUpload {
  if (server === null) throw new Error("no server");
  const req = request(`${server.url}/api/projects/${projectId}/uploads`, {
    method: "POST",
    headers: {
      cookie,
      "content-type": `multipart/form-data; boundary=${boundary}`,
      "content-length": String(totalBytes),
    },
  });
  const done = new Promise<number | string>((ok) => {
    req.on("response", (res) => {
      let text = "";
      res.on("data", (b: Buffer) => {
        text += b.toString();
      });
      res.on("end", () => {
        if (res.statusCode === 201) {
          const body = JSON.parse(text) as { studies: { id: string }[] };
          for (const s of body.studies) acknowledgedStudies.push(s.id);
        }
        ok(res.statusCode ?? 0);
      });
      res.on("error", (e) => ok(`error: ${e.message}`));
    });
    req.on("error", (e) => ok(`error: ${e.message}`));
  });
  return {
    done,
    write: (bytes) => new Promise((ok) => req.write(bytes, () => ok())),
    end: () => req.end(),
  };
}

async function restart(): Promise<void> {
  if (server !== null) await server.stop("SIGKILL");
  server = await startServer({ dataDir });
  cookie = await login(server.url, USER.username, USER.password);
}

/** The invariants every restart must satisfy (see the file comment). */
async function expectConsistent(label: string): Promise<void> {
  if (server === null) throw new Error("no server");
  const health = await api<{ ok: boolean; database: string }>(server.url, cookie, "GET", "/health");
  expect(health).toMatchObject({ ok: true, database: "pglite" });
  const r = await checkDataFolder(server.url, cookie, dataDir);
  const summary = { label, missing: r.missing, orphans: r.orphans, corrupt: r.corrupt, tmp: r.tmpFiles };
  expect(r.seriesWithoutFiles, `${label}: series/studies without files`).toEqual([]);
  expect(r.missing, `${label}: referenced blobs missing on disk ${JSON.stringify(summary)}`).toEqual([]);
  expect(r.corrupt, `${label}: blobs whose bytes do not match their name`).toEqual([]);
  expect(r.orphans, `${label}: orphan blobs not removed at start-up`).toEqual([]);
  expect(r.strayBlobPaths, `${label}: files in blobs/ that are not blobs`).toEqual([]);
  expect(r.tmpFiles, `${label}: DIR/tmp not emptied at start-up`).toEqual([]);
  const studyIds = new Set(r.studies.map((s) => s.id));
  for (const id of acknowledgedStudies)
    expect(studyIds.has(id), `${label}: acknowledged study ${id} lost`).toBe(true);
  const subjects = await api<{ id: string }[]>(server.url, cookie, "GET", `/projects/${projectId}/subjects`);
  const subjectIds = new Set(subjects.map((s) => s.id));
  /** Every row that must have its audit row (written in the same transaction). */
  const rowIds = [...subjectIds, ...studyIds];
  const lost = acknowledgedSubjects.filter((id) => !subjectIds.has(id));
  expect(lost, `${label}: acknowledged subjects lost after SIGKILL`).toEqual([]);
  const baseline = acknowledgedStudies[0];
  if (baseline !== undefined) {
    const vois = await api<{ id: string }[]>(server.url, cookie, "GET", `/studies/${baseline}/vois`);
    const voiIds = new Set(vois.map((v) => v.id));
    const lostVois = acknowledgedVois.filter((id) => !voiIds.has(id));
    expect(lostVois, `${label}: acknowledged VOIs lost after SIGKILL`).toEqual([]);
    for (const v of vois) rowIds.push(v.id);
  }
  const audit = await api<{ entityType: string; entityId: string | null }[]>(
    server.url,
    cookie,
    "GET",
    `/audit?projectId=${projectId}&limit=10000`,
  );
  const audited = new Set(audit.map((a) => a.entityId));
  const unaudited = rowIds.filter((id) => !audited.has(id));
  expect(unaudited, `${label}: rows without an audit row`).toEqual([]);
}

beforeAll(async () => {
  dataDir = tempDataDir("atsm-crash-");
  demoDir = tempDataDir("atsm-crash-demo-");
  const demo = await writeTwinDemoStudy(demoDir, { small: true });
  const files: { name: string; bytes: Buffer }[] = [];
  for (const sub of ["PT", "CT"]) {
    for (const f of readdirSync(join(demo.studyDir, sub)).sort()) {
      files.push({ name: `${sub}/${f}`, bytes: readFileSync(join(demo.studyDir, sub, f)) });
    }
  }
  studyBody = multipart(files);
  server = await startServer({ dataDir });
  if (server.oneTimeUrl === null) throw new Error(`no one-time link printed:\n${server.output()}`);
  const adminCookie = await loginWithOneTimeUrl(server.oneTimeUrl);
  await api(server.url, adminCookie, "POST", "/users", USER);
  cookie = await login(server.url, USER.username, USER.password);
  projectId = (await api<{ id: string }>(server.url, cookie, "POST", "/projects", { name: "Crash" })).id;
}, 120_000);

afterAll(async () => {
  await server?.stop("SIGKILL");
  removeDir(dataDir);
  removeDir(demoDir);
});

describe("SIGKILL during an upload", () => {
  it("a complete upload is acknowledged and consistent (baseline)", async () => {
    if (server === null || studyBody === null) throw new Error("setup failed");
    const up = rawUpload(studyBody.boundary, studyBody.bytes.length);
    await up.write(studyBody.bytes);
    up.end();
    const t0 = performance.now();
    expect(await up.done).toBe(201);
    importMs = performance.now() - t0;
    console.info(
      `[crash] baseline upload: ${studyBody.bytes.length} bytes, import + commit ${importMs.toFixed(0)} ms`,
    );
    expect(acknowledgedStudies.length).toBe(1);
    await expectConsistent("baseline");
  }, 180_000);

  it("mid-stream: nothing from the upload is kept, tmp is emptied", async () => {
    if (server === null) throw new Error("no server");
    const before = acknowledgedStudies.length;
    const studiesBefore = (await checkDataFolder(server.url, cookie, dataDir)).studies.length;
    const blobsBefore = listFiles(join(dataDir, "blobs")).length;
    const boundary = "----atsm-crash-big";
    const head = Buffer.from(
      `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="big.zip"\r\n` +
        "Content-Type: application/zip\r\n\r\n",
    );
    const declared = 512 * 1024 * 1024; // a 512 MB upload that never finishes
    const up = rawUpload(boundary, declared);
    await up.write(head);
    const chunk = Buffer.alloc(1024 * 1024, 0x5a);
    let staged: string[] = [];
    for (let i = 0; i < 200 && staged.length === 0; i++) {
      await up.write(chunk);
      if (i >= 8) staged = listFiles(join(dataDir, "tmp"));
      await sleep(10);
    }
    // The contract stages uploads in DIR/tmp; record whether the kill really hit a staged upload.
    expect(staged.length, "upload was not staged in DIR/tmp while streaming").toBeGreaterThan(0);
    await restart();
    expect(typeof (await up.done)).toBe("string"); // the connection died, no answer
    expect(acknowledgedStudies.length).toBe(before);
    expect(
      (await checkDataFolder(server.url, cookie, dataDir)).studies.length,
      "studies after the kill",
    ).toBe(studiesBefore);
    expect(listFiles(join(dataDir, "blobs")).length, "blob files after the kill").toBe(blobsBefore);
    await expectConsistent("mid-stream kill");
  }, 180_000);

  // Kill moments as fractions of the baseline import time: just after the body, mid-import, and
  // around the commit (where an all-or-nothing bug would show).
  it.each([0, 0.5, 0.9, 1.0])(
    "at %f × the import time after the last byte: all-or-nothing",
    async (fraction) => {
      if (server === null || studyBody === null) throw new Error("setup failed");
      const delayMs = Math.round(fraction * importMs);
      const studiesBefore = (await checkDataFolder(server.url, cookie, dataDir)).studies.length;
      const up = rawUpload(studyBody.boundary, studyBody.bytes.length);
      await up.write(studyBody.bytes);
      up.end();
      await sleep(delayMs);
      const answered = await Promise.race([up.done, sleep(0).then(() => null)]);
      await restart();
      const status = answered ?? (await up.done);
      const r = await checkDataFolder(server.url, cookie, dataDir);
      // Acknowledged ⇒ present (checked in expectConsistent); not acknowledged ⇒ absent or complete.
      expect(r.studies.length - studiesBefore).toBeLessThanOrEqual(1);
      console.info(
        `[crash] kill ${delayMs} ms after upload end: answer ${status}, +${r.studies.length - studiesBefore} study`,
      );
      await expectConsistent(`kill ${delayMs} ms after upload end`);
    },
    180_000,
  );
});

describe("SIGKILL during concurrent writes", () => {
  it.each([1, 8, 30])(
    "kill after %i acknowledged creations: none is lost",
    async (killAfter) => {
      if (server === null) throw new Error("no server");
      const url = server.url;
      const total = 60;
      let acked = 0;
      let killed: Promise<void> | null = null;
      const one = async (i: number): Promise<void> => {
        try {
          // Alternate two kinds of write: subjects (project) and VOIs (baseline study).
          const voi = i % 2 === 1 && acknowledgedStudies[0] !== undefined;
          const r = await fetch(
            voi
              ? `${url}/api/studies/${acknowledgedStudies[0]}/vois`
              : `${url}/api/projects/${projectId}/subjects`,
            {
              method: "POST",
              headers: { cookie, "content-type": "application/json" },
              body: JSON.stringify(
                voi
                  ? { name: `crash-${killAfter}-${i}`, role: "other", spec: `sphere:0,0,-10,${5 + (i % 20)}` }
                  : { label: `crash-${killAfter}-${i}`, kind: "animal", species: "mouse" },
              ),
            },
          );
          if (r.status >= 200 && r.status < 300) {
            const body = (await r.json()) as { id: string };
            (voi ? acknowledgedVois : acknowledgedSubjects).push(body.id);
            acked++;
            if (acked === killAfter && server !== null) killed = server.stop("SIGKILL");
          } else if (killed === null) {
            throw new Error(`POST ${voi ? "VOI" : "subject"} → ${r.status}: ${await r.text()}`);
          }
        } catch (e) {
          if (killed === null) throw e; // a failure before the kill is a real error
        }
      };
      const ackedBefore = acknowledgedSubjects.length + acknowledgedVois.length;
      // 16 in flight at a time (the browser's and autocannon's usual fan-out).
      const queue = Array.from({ length: total }, (_, i) => i);
      await Promise.all(
        Array.from({ length: 16 }, async () => {
          for (let i = queue.shift(); i !== undefined; i = queue.shift()) await one(i);
        }),
      );
      expect(killed, "the server was never killed (too few writes acknowledged)").not.toBeNull();
      await killed;
      const acks = acknowledgedSubjects.length + acknowledgedVois.length - ackedBefore;
      console.info(`[crash] kill after ${killAfter} acks: ${acks} acknowledged (subjects + VOIs)`);
      await restart();
      await expectConsistent(`kill after ${killAfter} acknowledged writes`);
    },
    180_000,
  );
});
