/**
 * Accounts, sessions and projects over HTTP: login/logout/me/one-time, users, projects, members,
 * tumour models, subjects, injections, audit. One server for the file (PGlite in memory).
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { hashPassword, verifyPassword } from "../../src/server/auth/password.js";
import { createRateLimiter } from "../../src/server/auth/rate-limit.js";
import { sessionCookie, startTestServer, type TestServer } from "../helpers/server.js";

let s: TestServer;
let projectId: string;
let viewer: { id: string; cookie: string };
let analyst: { id: string; cookie: string };
let outsider: { id: string; cookie: string };

async function json<T = Record<string, unknown>>(r: Response): Promise<T> {
  return (await r.json()) as T;
}

async function expectError(r: Response, status: number, code: string, field?: string): Promise<void> {
  const body = await json<{ error: { code: string; field?: string; message: string } }>(r);
  expect({ status: r.status, code: body.error.code }).toEqual({ status, code });
  if (field !== undefined) expect(body.error.field).toBe(field);
}

beforeAll(async () => {
  s = await startTestServer();
  const p = await s.api("POST", "/api/projects", { body: { name: "P1", description: "first" } });
  expect(p.status).toBe(201);
  projectId = (await json<{ id: string }>(p)).id;
  viewer = await s.createUser("vera", "viewer");
  analyst = await s.createUser("anna", "analyst");
  outsider = await s.createUser("otto", "analyst");
  await s.addMember(projectId, "vera", "viewer");
  await s.addMember(projectId, "anna", "analyst");
}, 120_000);

afterAll(async () => {
  await s?.close();
});

describe("passwords and rate limit", () => {
  it("hashes with scrypt params and verifies only the right password", async () => {
    const h = await hashPassword("correct horse");
    expect(h).toMatch(/^scrypt\$32768\$8\$1\$[A-Za-z0-9+/=]+\$[A-Za-z0-9+/=]+$/);
    expect(await verifyPassword("correct horse", h)).toBe(true);
    expect(await verifyPassword("correct horsf", h)).toBe(false);
    expect(await verifyPassword("x", "scrypt$3$8$1$AAAA$AAAA")).toBe(false); // N not a power of 2
    expect(await verifyPassword("x", "bcrypt$whatever")).toBe(false);
    expect(await hashPassword("correct horse")).not.toBe(h); // per-user salt
  });
  it("blocks a key after maxFailures in the window and forgets it afterwards", () => {
    const rl = createRateLimiter(3, 1000);
    for (let i = 0; i < 3; i++) rl.fail("k", 100);
    expect(rl.retryAfterS("k", 200)).toBe(1); // ceil((100+1000-200)/1000)
    expect(rl.retryAfterS("k", 1101)).toBe(0);
    expect(rl.retryAfterS("other", 200)).toBe(0);
  });
});

describe("auth endpoints", () => {
  it("health and openapi are public; everything else is 401 without a session", async () => {
    const h = await s.api("GET", "/api/health", { cookie: null });
    expect(h.status).toBe(200);
    expect(await json(h)).toEqual({ ok: true, database: "pglite", version: expect.any(String) });
    expect((await s.api("GET", "/api/openapi.json", { cookie: null })).status).toBe(200);
    for (const path of ["/api/projects", "/api/auth/me", "/api/users", "/api/audit"]) {
      await expectError(await s.api("GET", path, { cookie: null }), 401, "UNAUTHENTICATED");
    }
    await expectError(
      await s.api("GET", "/api/projects", { cookie: "atsm_session=forged-token-value-1234567890" }),
      401,
      "UNAUTHENTICATED",
    );
  });

  it("login sets an httpOnly SameSite=Strict cookie; me, logout", async () => {
    const r = await s.api("POST", "/api/auth/login", {
      body: { username: "vera", password: "pw-vera-123456" },
      cookie: null,
    });
    expect(r.status).toBe(200);
    const set = r.headers.getSetCookie().join("\n");
    expect(set).toMatch(/atsm_session=[A-Za-z0-9_-]{43}/);
    expect(set).toMatch(/HttpOnly/i);
    expect(set).toMatch(/SameSite=Strict/i);
    expect(set).toMatch(/Path=\//);
    const cookie = sessionCookie(r);
    const me = await json<{ user: { username: string; role: string; passwordHash?: string } }>(
      await s.api("GET", "/api/auth/me", { cookie }),
    );
    expect(me.user.username).toBe("vera");
    expect(me.user.passwordHash).toBeUndefined();
    expect((await s.api("POST", "/api/auth/logout", { cookie })).status).toBe(204);
    await expectError(await s.api("GET", "/api/auth/me", { cookie }), 401, "UNAUTHENTICATED");
  });

  it("wrong password 401; bad body 400 naming the field; unknown field 400", async () => {
    await expectError(
      await s.api("POST", "/api/auth/login", { body: { username: "vera", password: "nope" }, cookie: null }),
      401,
      "UNAUTHENTICATED",
    );
    await expectError(
      await s.api("POST", "/api/auth/login", { body: { username: "vera" }, cookie: null }),
      400,
      "MISSING_INPUT",
      "body.password",
    );
    await expectError(
      await s.api("POST", "/api/auth/login", {
        body: { username: "vera", password: "x", admin: true },
        cookie: null,
      }),
      400,
      "INVALID_ARGUMENT",
      "body.admin",
    );
    await expectError(
      await s.api("POST", "/api/auth/login", { body: { username: 5, password: "x" }, cookie: null }),
      400,
      "INVALID_ARGUMENT",
      "body.username",
    );
  });

  it("rate-limits repeated failures for a username (429 with Retry-After)", async () => {
    let last: Response | null = null;
    for (let i = 0; i < 11; i++) {
      last = await s.api("POST", "/api/auth/login", {
        body: { username: "ratelimited", password: `guess${i}` },
        cookie: null,
      });
    }
    expect(last?.status).toBe(429);
    expect(Number(last?.headers.get("retry-after"))).toBeGreaterThan(0);
    // The IP key is also full now for this client; other tests log in via the helper's cookies only.
  });

  it("one-time links work once and reject bad tokens", async () => {
    const bad = await s.api("GET", "/api/auth/one-time?token=AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA", {
      cookie: null,
    });
    await expectError(bad, 401, "UNAUTHENTICATED", "token");
    // A browser navigation (Accept: text/html) to a used link lands on the sign-in page instead.
    const page = await fetch(`${s.url}/api/auth/one-time?token=AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA`, {
      headers: { accept: "text/html,application/xhtml+xml,*/*;q=0.8" },
      redirect: "manual",
    });
    expect(page.status).toBe(302);
    expect(page.headers.get("location")).toBe("/?signin=link-expired");
    expect(page.headers.get("set-cookie")).toBeNull();
    await expectError(
      await s.api("GET", "/api/auth/one-time?token=../../etc/passwd", { cookie: null }),
      400,
      "INVALID_ARGUMENT",
      "querystring.token",
    );
    await expectError(
      await s.api("GET", "/api/auth/one-time", { cookie: null }),
      400,
      "MISSING_INPUT",
      "querystring.token",
    );
  });

  it("refuses simple-form bodies (CSRF) with 415", async () => {
    const r = await fetch(`${s.url}/api/projects`, {
      method: "POST",
      headers: { cookie: s.cookie, "content-type": "application/x-www-form-urlencoded" },
      body: "name=evil",
    });
    await expectError(r, 415, "UNSUPPORTED");
    const t = await fetch(`${s.url}/api/projects`, {
      method: "POST",
      headers: { cookie: s.cookie, "content-type": "text/plain" },
      body: '{"name":"evil"}',
    });
    expect(t.status).toBe(415);
  });
});

describe("users", () => {
  it("site admins list and create users; others get 403; duplicates 409", async () => {
    const list = await json<{ username: string }[]>(await s.api("GET", "/api/users"));
    expect(list.map((u) => u.username).sort()).toEqual(["admin", "anna", "otto", "vera"]);
    await expectError(await s.api("GET", "/api/users", { cookie: analyst.cookie }), 403, "FORBIDDEN");
    await expectError(
      await s.api("POST", "/api/users", {
        body: { username: "x1", password: "password1", role: "admin" },
        cookie: analyst.cookie,
      }),
      403,
      "FORBIDDEN",
    );
    await expectError(
      await s.api("POST", "/api/users", {
        body: { username: "vera", password: "password1", role: "viewer" },
      }),
      409,
      "CONFLICT",
      "username",
    );
    await expectError(
      await s.api("POST", "/api/users", {
        body: { username: "../evil", password: "password1", role: "viewer" },
      }),
      400,
      "INVALID_ARGUMENT",
      "body.username",
    );
    await expectError(
      await s.api("POST", "/api/users", { body: { username: "short", password: "1234", role: "viewer" } }),
      400,
      "INVALID_ARGUMENT",
      "body.password",
    );
    await expectError(
      await s.api("POST", "/api/users", { body: { username: "r", password: "password1", role: "root" } }),
      400,
      "INVALID_ARGUMENT",
      "body.role",
    );
  });
});

describe("projects and members", () => {
  it("lists only visible projects; outsiders get 404 (not 403) for another project", async () => {
    const mine = await json<{ id: string; role: string }[]>(
      await s.api("GET", "/api/projects", { cookie: viewer.cookie }),
    );
    expect(mine.map((p) => [p.id, p.role])).toEqual([[projectId, "viewer"]]);
    expect(await json(await s.api("GET", "/api/projects", { cookie: outsider.cookie }))).toEqual([]);
    await expectError(
      await s.api("GET", `/api/projects/${projectId}`, { cookie: outsider.cookie }),
      404,
      "NOT_FOUND",
    );
    await expectError(await s.api("GET", `/api/projects/${crypto.randomUUID()}`), 404, "NOT_FOUND");
    const got = await json<{ name: string; role: string }>(
      await s.api("GET", `/api/projects/${projectId}`, { cookie: viewer.cookie }),
    );
    expect([got.name, got.role]).toEqual(["P1", "viewer"]);
  });

  it("rejects ids that are not UUIDs (path traversal) with 400 naming the param", async () => {
    await expectError(
      await s.api("GET", "/api/projects/..%2F..%2Fetc"),
      400,
      "INVALID_ARGUMENT",
      "params.pid",
    );
    await expectError(await s.api("GET", "/api/projects/1;DROP"), 400, "INVALID_ARGUMENT", "params.pid");
    const r = await s.api("GET", "/api/projects/../users");
    expect(r.status).toBe(200); // fetch normalises /api/projects/../users to /api/users
  });

  it("viewers cannot create projects; names are unique", async () => {
    await expectError(
      await s.api("POST", "/api/projects", { body: { name: "V" }, cookie: viewer.cookie }),
      403,
      "FORBIDDEN",
    );
    await expectError(
      await s.api("POST", "/api/projects", { body: { name: "P1" } }),
      409,
      "CONFLICT",
      "name",
    );
    await expectError(
      await s.api("POST", "/api/projects", { body: { name: "" } }),
      400,
      "INVALID_ARGUMENT",
      "body.name",
    );
  });

  it("members: list for members, add for project admins only", async () => {
    const m = await json<{ username: string; role: string }[]>(
      await s.api("GET", `/api/projects/${projectId}/members`, { cookie: viewer.cookie }),
    );
    expect(m.map((x) => `${x.username}:${x.role}`).sort()).toEqual([
      "admin:admin",
      "anna:analyst",
      "vera:viewer",
    ]);
    await expectError(
      await s.api("POST", `/api/projects/${projectId}/members`, {
        body: { username: "otto", role: "viewer" },
        cookie: analyst.cookie,
      }),
      403,
      "FORBIDDEN",
    );
    await expectError(
      await s.api("GET", `/api/projects/${projectId}/members`, { cookie: outsider.cookie }),
      404,
      "NOT_FOUND",
    );
    await expectError(
      await s.api("POST", `/api/projects/${projectId}/members`, {
        body: { username: "nobody", role: "viewer" },
      }),
      404,
      "NOT_FOUND",
      "username",
    );
  });

  it("tumour models: analysts create, viewers read", async () => {
    const r = await s.api("POST", `/api/projects/${projectId}/tumour-models`, {
      body: { name: "FaDu", cellLine: "FaDu", site: "flank" },
      cookie: analyst.cookie,
    });
    expect(r.status).toBe(201);
    await expectError(
      await s.api("POST", `/api/projects/${projectId}/tumour-models`, {
        body: { name: "X" },
        cookie: viewer.cookie,
      }),
      403,
      "FORBIDDEN",
    );
    const list = await json<{ name: string }[]>(
      await s.api("GET", `/api/projects/${projectId}/tumour-models`, { cookie: viewer.cookie }),
    );
    expect(list.map((x) => x.name)).toEqual(["FaDu"]);
    await expectError(
      await s.api("GET", `/api/projects/${projectId}/tumour-models`, { cookie: outsider.cookie }),
      404,
      "NOT_FOUND",
    );
  });
});

describe("subjects and injections", () => {
  let subjectId: string;
  it("create, read, patch, conflict, delete", async () => {
    const r = await s.api("POST", `/api/projects/${projectId}/subjects`, {
      body: { label: "M-01", kind: "animal", species: "mouse", strain: "nude", sex: "F", weightKg: 0.025 },
      cookie: analyst.cookie,
    });
    expect(r.status).toBe(201);
    subjectId = (await json<{ id: string }>(r)).id;
    await expectError(
      await s.api("POST", `/api/projects/${projectId}/subjects`, {
        body: { label: "M-01", kind: "animal" },
        cookie: analyst.cookie,
      }),
      409,
      "CONFLICT",
      "label",
    );
    await expectError(
      await s.api("POST", `/api/projects/${projectId}/subjects`, {
        body: { label: "M-02", kind: "animal", weightKg: -1 },
        cookie: analyst.cookie,
      }),
      400,
      "INVALID_ARGUMENT",
      "body.weightKg",
    );
    await expectError(
      await s.api("POST", `/api/projects/${projectId}/subjects`, {
        body: { label: "M-02", kind: "animal" },
        cookie: viewer.cookie,
      }),
      403,
      "FORBIDDEN",
    );
    const list = await json<{ label: string }[]>(
      await s.api("GET", `/api/projects/${projectId}/subjects`, { cookie: viewer.cookie }),
    );
    expect(list.map((x) => x.label)).toEqual(["M-01"]);
    const one = await json<{ weightKg: number }>(
      await s.api("GET", `/api/subjects/${subjectId}`, { cookie: viewer.cookie }),
    );
    expect(one.weightKg).toBe(0.025);
    await expectError(
      await s.api("GET", `/api/subjects/${subjectId}`, { cookie: outsider.cookie }),
      404,
      "NOT_FOUND",
    );
    const p = await s.api("PATCH", `/api/subjects/${subjectId}`, {
      body: { weightKg: 0.027, notes: "weighed" },
      cookie: analyst.cookie,
    });
    expect(p.status).toBe(200);
    expect((await json<{ weightKg: number }>(p)).weightKg).toBe(0.027);
    await expectError(
      await s.api("PATCH", `/api/subjects/${subjectId}`, { body: {}, cookie: analyst.cookie }),
      400,
      "INVALID_ARGUMENT",
    );
    await expectError(
      await s.api("PATCH", `/api/subjects/${subjectId}`, { body: { projectId }, cookie: analyst.cookie }),
      400,
      "INVALID_ARGUMENT",
      "body.projectId",
    );
    await expectError(
      await s.api("PATCH", `/api/subjects/${subjectId}`, { body: { notes: "x" }, cookie: outsider.cookie }),
      404,
      "NOT_FOUND",
    );
  });

  it("injections: canonical nuclide, ISO times; bad nuclide 400", async () => {
    const body = {
      radiopharmaceutical: "Cu-ATSM",
      nuclide: "64Cu",
      activityBq: 10e6,
      activityTime: "2024-05-01T09:00:00Z",
      injectionTime: "2024-05-01T09:10:00Z",
      route: "iv",
    };
    const r = await s.api("POST", `/api/subjects/${subjectId}/injections`, { body, cookie: analyst.cookie });
    expect(r.status).toBe(201);
    const inj = await json<{ nuclide: string; injectionTime: string }>(r);
    expect(inj.nuclide).toBe("Cu-64");
    expect(Date.parse(inj.injectionTime)).toBe(Date.parse("2024-05-01T09:10:00Z"));
    await expectError(
      await s.api("POST", `/api/subjects/${subjectId}/injections`, {
        body: { ...body, nuclide: "Xx-999" },
        cookie: analyst.cookie,
      }),
      400,
      "UNKNOWN_NUCLIDE",
      "nuclide",
    );
    await expectError(
      await s.api("POST", `/api/subjects/${subjectId}/injections`, {
        body: { ...body, injectionTime: "yesterday morning" },
        cookie: analyst.cookie,
      }),
      400,
      "INVALID_ARGUMENT",
      "injectionTime",
    );
    await expectError(
      await s.api("POST", `/api/subjects/${subjectId}/injections`, { body, cookie: viewer.cookie }),
      403,
      "FORBIDDEN",
    );
    const list = await json<unknown[]>(
      await s.api("GET", `/api/subjects/${subjectId}/injections`, { cookie: viewer.cookie }),
    );
    expect(list).toHaveLength(1);
    await expectError(
      await s.api("GET", `/api/subjects/${subjectId}/injections`, { cookie: outsider.cookie }),
      404,
      "NOT_FOUND",
    );
  });

  it("delete", async () => {
    const r = await s.api("POST", `/api/projects/${projectId}/subjects`, {
      body: { label: "tmp", kind: "patient" },
      cookie: analyst.cookie,
    });
    const id = (await json<{ id: string }>(r)).id;
    await expectError(
      await s.api("DELETE", `/api/subjects/${id}`, { cookie: viewer.cookie }),
      403,
      "FORBIDDEN",
    );
    expect((await s.api("DELETE", `/api/subjects/${id}`, { cookie: analyst.cookie })).status).toBe(204);
    await expectError(await s.api("GET", `/api/subjects/${id}`), 404, "NOT_FOUND");
  });
});

describe("PACS without a configured DICOMweb server", () => {
  it("answers 501 naming the missing setting", async () => {
    const r = await s.api("GET", "/api/pacs/studies", { cookie: analyst.cookie });
    expect(r.status).toBe(501);
    expect((await json<{ error: { hint: string } }>(r)).error.hint).toMatch(/--dicomweb/);
    const i = await s.api("POST", `/api/projects/${projectId}/pacs-import`, {
      body: { studyInstanceUid: "1.2.3" },
      cookie: analyst.cookie,
    });
    expect(i.status).toBe(501);
    await expectError(
      await s.api("POST", `/api/projects/${projectId}/pacs-import`, {
        body: { studyInstanceUid: "1.2.3" },
        cookie: outsider.cookie,
      }),
      404,
      "NOT_FOUND",
    );
  });
});

describe("audit", () => {
  it("records every change with actor and project; site admins or project admins only", async () => {
    const rows = await json<
      { action: string; entityType: string; actorId: string | null; projectId: string | null }[]
    >(await s.api("GET", `/api/audit?projectId=${projectId}`));
    const kinds = new Set(rows.map((r) => `${r.action}:${r.entityType}`));
    for (const k of [
      "create:project",
      "add-member:project",
      "create:tumour-model",
      "create:subject",
      "update:subject",
      "delete:subject",
      "create:injection",
    ]) {
      expect(kinds.has(k), k).toBe(true);
    }
    expect(rows.every((r) => r.projectId === projectId)).toBe(true);
    expect(rows.find((r) => r.action === "update")?.actorId).toBe(analyst.id);
    const all = await json<{ action: string; entityType: string }[]>(await s.api("GET", "/api/audit"));
    expect(all.some((r) => r.action === "create" && r.entityType === "user")).toBe(true);
    await expectError(await s.api("GET", "/api/audit", { cookie: analyst.cookie }), 403, "FORBIDDEN");
    await expectError(
      await s.api("GET", `/api/audit?projectId=${projectId}`, { cookie: analyst.cookie }),
      403,
      "FORBIDDEN",
    );
    await expectError(
      await s.api("GET", `/api/audit?projectId=${projectId}`, { cookie: outsider.cookie }),
      404,
      "NOT_FOUND",
    );
    await expectError(
      await s.api("GET", "/api/audit?projectId=nope"),
      400,
      "INVALID_ARGUMENT",
      "querystring.projectId",
    );
  });
});
