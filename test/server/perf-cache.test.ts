/**
 * The server's read cache (src/server/read-cache.ts): sessions, projects and member roles are
 * served from memory for a few seconds, study series are kept, yet every change made through the
 * server applies at once: sign-out, a removed member, a role change, a disabled user, a deleted
 * study. Changes made behind the server's back (another process on the same PostgreSQL) apply
 * after at most the TTL, which the unit tests pin with a fake clock.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { withReadCache } from "../../src/server/read-cache.js";
import type { Repositories, Store, StudyRow } from "../../src/store/types.js";
import { startTestServer, type TestServer } from "../helpers/server.js";

let s: TestServer;
let projectId: string;
let adminId: string;

beforeAll(async () => {
  s = await startTestServer();
  const p = await s.api("POST", "/api/projects", { body: { name: "Cache" } });
  projectId = ((await p.json()) as { id: string }).id;
  adminId = (await s.store.users.byUsername("admin"))!.id;
}, 120_000);

afterAll(async () => {
  await s?.close();
});

/** Status of a few requests in a burst (the first fills the cache, the rest are served from it). */
async function burst(path: string, cookie: string, n = 3): Promise<number[]> {
  const out: number[] = [];
  for (let i = 0; i < n; i++) out.push((await s.api("GET", path, { cookie })).status);
  return out;
}

describe("through the server, changes apply at once", () => {
  it("refuses a signed-out session on the very next request", async () => {
    const u = await s.createUser("cache-logout", "viewer");
    expect(await burst("/api/auth/me", u.cookie)).toEqual([200, 200, 200]);
    expect((await s.api("POST", "/api/auth/logout", { cookie: u.cookie })).status).toBe(204);
    expect(await burst("/api/auth/me", u.cookie)).toEqual([401, 401, 401]);
  });

  it("a removed member loses access at once (404, like a missing project)", async () => {
    const u = await s.createUser("cache-removed", "viewer");
    await s.addMember(projectId, "cache-removed", "viewer");
    expect(await burst(`/api/projects/${projectId}`, u.cookie)).toEqual([200, 200, 200]);
    await s.app.atsmDeps.store.projects.removeMember(projectId, u.id);
    expect(await burst(`/api/projects/${projectId}`, u.cookie)).toEqual([404, 404, 404]);
  });

  it("a role change (POST members again) applies to the next request, both ways", async () => {
    const u = await s.createUser("cache-role", "analyst");
    await s.addMember(projectId, "cache-role", "viewer");
    const addSubject = (label: string) =>
      s.api("POST", `/api/projects/${projectId}/subjects`, {
        body: { label, kind: "animal" },
        cookie: u.cookie,
      });
    expect((await addSubject("m-1")).status).toBe(403);
    await s.addMember(projectId, "cache-role", "analyst");
    expect((await addSubject("m-2")).status).toBe(201);
    await s.addMember(projectId, "cache-role", "viewer");
    expect((await addSubject("m-3")).status).toBe(403);
  });

  it("a disabled user and a site-role change apply at once", async () => {
    const u = await s.createUser("cache-disabled", "viewer");
    expect(await burst("/api/auth/me", u.cookie, 2)).toEqual([200, 200]);
    await s.app.atsmDeps.store.users.setRole(u.id, "analyst");
    const me = (await (await s.api("GET", "/api/auth/me", { cookie: u.cookie })).json()) as {
      user: { role: string };
    };
    expect(me.user.role).toBe("analyst");
    await s.app.atsmDeps.store.users.setDisabled!(u.id, true);
    expect(await burst("/api/auth/me", u.cookie, 2)).toEqual([401, 401]);
  });
});

/** The raw store with a counter on the statements the cache should save. */
function counting(raw: Store): { store: Store; calls: Record<string, number> } {
  const calls: Record<string, number> = { lookup: 0, roleOf: 0, projectById: 0, studyById: 0, head: 0 };
  const count =
    <A extends unknown[], R>(name: string, f: (...a: A) => Promise<R>) =>
    (...a: A): Promise<R> => {
      calls[name] = (calls[name] ?? 0) + 1;
      return f(...a);
    };
  const sessions: Repositories["sessions"] = {
    ...raw.sessions,
    lookup: count("lookup", raw.sessions.lookup),
  };
  const projects: Repositories["projects"] = {
    ...raw.projects,
    byId: count("projectById", raw.projects.byId),
    roleOf: count("roleOf", raw.projects.roleOf),
  };
  const studies: Repositories["studies"] = {
    ...raw.studies,
    byId: count("studyById", raw.studies.byId),
    head: count("head", raw.studies.head),
  };
  return { store: { ...raw, sessions, projects, studies }, calls };
}

describe("withReadCache (fake clock, TTL 3 s)", () => {
  it("serves a burst from memory and sees changes made elsewhere after the TTL", async () => {
    let nowMs = 0;
    const { store, calls } = counting(s.store);
    const cached = withReadCache(store, { ttlMs: 3000, clockMs: () => nowMs });
    const u = await s.createUser("cache-ttl", "viewer");
    await s.addMember(projectId, "cache-ttl", "viewer");
    const n0 = { ...calls };
    const roles = await Promise.all([1, 2, 3, 4].map(() => cached.projects.roleOf(projectId, u.id)));
    expect(roles).toEqual(["viewer", "viewer", "viewer", "viewer"]);
    expect(calls["roleOf"]! - n0["roleOf"]!).toBe(1);
    // Removed by "another process" (the raw store): still cached until the TTL has passed.
    await s.store.projects.removeMember(projectId, u.id);
    nowMs = 2999;
    expect(await cached.projects.roleOf(projectId, u.id)).toBe("viewer");
    nowMs = 3001;
    expect(await cached.projects.roleOf(projectId, u.id)).toBeNull();
    // Through the cached store (or its transactions): at once.
    await cached.transaction((tx) => tx.projects.addMember(projectId, u.id, "analyst"));
    expect(await cached.projects.roleOf(projectId, u.id)).toBe("analyst");
  });

  it("refuses an expired session at once although it is cached", async () => {
    const cached = withReadCache(s.store, { ttlMs: 3000, clockMs: () => 0 });
    const t0 = Date.parse("2030-01-01T00:00:00Z");
    await cached.sessions.create({
      tokenHash: "e".repeat(64),
      userId: adminId,
      createdAt: new Date(t0).toISOString(),
      expiresAt: new Date(t0 + 1000).toISOString(),
    });
    const at = (ms: number) => cached.sessions.lookup("e".repeat(64), new Date(ms).toISOString());
    expect((await at(t0 + 999))?.user.id).toBe(adminId);
    expect(await at(t0 + 1000)).toBeNull();
    await cached.sessions.delete("e".repeat(64));
  });

  it("reads a study's series once, keeps its columns for the TTL, forgets a deleted study", async () => {
    let nowMs = 0;
    const { store, calls } = counting(s.store);
    const cached = withReadCache(store, { ttlMs: 3000, clockMs: () => nowMs });
    const created = await createStudy("cache study");
    const head = await s.store.studies.head(created.id);
    expect(head).toEqual({ ...created, series: undefined, seriesCount: 1 });
    const n0 = { ...calls };
    for (let i = 0; i < 3; i++) expect(await cached.studies.byId(created.id)).toEqual(created);
    expect(calls["studyById"]! - n0["studyById"]!).toBe(1);
    expect(calls["head"]! - n0["head"]!).toBe(1);
    nowMs = 3001; // head read again, series still from memory
    expect(await cached.studies.byId(created.id)).toEqual(created);
    expect(calls["studyById"]! - n0["studyById"]!).toBe(1);
    expect(calls["head"]! - n0["head"]!).toBe(2);
    const seriesId = created.series[0]!.id;
    expect(await s.store.studies.seriesStudyId(seriesId)).toBe(created.id);
    expect(await cached.studies.seriesById(seriesId)).toEqual({ ...created.series[0], projectId });
    expect(calls["studyById"]! - n0["studyById"]!).toBe(1);
    // Deleted by another process: gone once the TTL has passed.
    await s.store.studies.delete(created.id);
    nowMs = 6002;
    expect(await cached.studies.byId(created.id)).toBeNull();
    expect(await cached.studies.seriesById(seriesId)).toBeNull();
    expect(await s.store.studies.head(created.id)).toBeNull();
    expect(await s.store.studies.head("not-a-uuid")).toBeNull();
    expect(await s.store.studies.seriesStudyId(seriesId)).toBeNull();
  });
});

describe("studies through the server", () => {
  it("a deleted study and a deleted subject's link apply at once", async () => {
    const subj = await s.api("POST", `/api/projects/${projectId}/subjects`, {
      body: { label: "cache-subject", kind: "animal" },
    });
    const subjectId = ((await subj.json()) as { id: string }).id;
    const study = await createStudy("linked", subjectId);
    const get = async () => s.api("GET", `/api/studies/${study.id}`);
    expect(((await (await get()).json()) as { subjectId: string | null }).subjectId).toBe(subjectId);
    expect((await s.api("DELETE", `/api/subjects/${subjectId}`)).status).toBe(204);
    expect(((await (await get()).json()) as { subjectId: string | null }).subjectId).toBeNull();
    expect((await s.api("DELETE", `/api/studies/${study.id}`)).status).toBe(204);
    expect((await get()).status).toBe(404);
  });
});

/** A one-series study written straight to the store (no blobs needed for these reads). */
function createStudy(description: string, subjectId: string | null = null): Promise<StudyRow> {
  return s.store.studies.create({
    projectId,
    subjectId,
    injectionId: null,
    description,
    studyInstanceUid: null,
    studyDate: null,
    createdBy: adminId,
    series: [
      {
        modality: "PT",
        format: "nifti",
        description: "pet",
        seriesInstanceUid: null,
        dims: [2, 3, 4],
        frames: 1,
        spacingMm: [1.5, 2.25, 3],
        unit: "Bq/mL",
        meta: { order: 0 },
        files: [{ sha256: "c".repeat(64), name: "pet.nii", sizeBytes: 448 }],
      },
    ],
  });
}
