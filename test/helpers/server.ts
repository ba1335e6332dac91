/**
 * In-process Workbench for API tests: PGlite in memory, a temp data folder, listening on a free
 * loopback port. `cookie` is an admin session (signed in through the one-time link, which also
 * exercises it). `createUser` makes more users with a site role; `addMember` puts them in a project.
 */
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { FastifyInstance } from "fastify";
import { startWorkbench } from "../../src/server/start.js";
import { openStore } from "../../src/store/index.js";
import type { Role, Store } from "../../src/store/types.js";

export interface TestServer {
  readonly url: string;
  /** `Cookie` header value of a site-admin session. */
  readonly cookie: string;
  readonly dataDir: string;
  readonly store: Store;
  readonly app: FastifyInstance;
  /** Create a user with a site role via the API and sign in; returns its cookie header and id. */
  createUser(username: string, role: Role, password?: string): Promise<{ id: string; cookie: string }>;
  /** Add `username` to a project with `role` (as the admin). */
  addMember(projectId: string, username: string, role: Role): Promise<void>;
  /** fetch `path` (relative to url) with JSON body/headers; `cookie` defaults to the admin's. */
  api(method: string, path: string, opts?: { body?: unknown; cookie?: string | null }): Promise<Response>;
  close(): Promise<void>;
}

export interface TestServerOptions {
  readonly maxUploadBytes?: number;
  readonly dicomwebUrl?: string;
  readonly webRoot?: string;
  readonly demo?: boolean;
  /** Parse in worker threads as `atsm serve` does (default false here). */
  readonly offThread?: boolean;
}

/** Cookie header (`name=value`) from a response's Set-Cookie. */
export function sessionCookie(res: Response): string {
  const set = res.headers.getSetCookie().find((c) => c.startsWith("atsm_session="));
  if (set === undefined) throw new Error(`no session cookie (status ${res.status})`);
  return set.split(";")[0]!;
}

export async function startTestServer(opts: TestServerOptions = {}): Promise<TestServer> {
  const dataDir = await mkdtemp(join(tmpdir(), "atsm-server-test-"));
  const store = await openStore({ memory: true });
  const wb = await startWorkbench({
    dataDir,
    port: 0,
    host: "127.0.0.1",
    store,
    webRoot: opts.webRoot ?? join(dataDir, "no-web"),
    // In-process tests parse on this thread (a worker start costs 1-3 s under tsx); the spawned
    // servers of test/e2e and test/server/crash*.test.ts run the default worker path.
    offThread: opts.offThread ?? false,
    ...(opts.maxUploadBytes !== undefined ? { maxUploadBytes: opts.maxUploadBytes } : {}),
    ...(opts.dicomwebUrl !== undefined ? { dicomwebUrl: opts.dicomwebUrl } : {}),
    ...(opts.demo === true ? { demo: true, demoSmall: true } : {}),
  });
  const close = async (): Promise<void> => {
    await wb.close();
    await rm(dataDir, { recursive: true, force: true });
  };
  try {
    if (wb.loginLink === null) throw new Error("no one-time link on a loopback test server");
    const res = await fetch(wb.loginLink, { redirect: "manual" });
    if (res.status !== 302) throw new Error(`one-time link answered ${res.status}`);
    const cookie = sessionCookie(res);
    const api: TestServer["api"] = (method, path, o = {}) => {
      const c = o.cookie === undefined ? cookie : o.cookie;
      const headers: Record<string, string> = {};
      if (c !== null) headers.cookie = c;
      if (o.body !== undefined) headers["content-type"] = "application/json";
      return fetch(`${wb.url}${path}`, {
        method,
        headers,
        ...(o.body !== undefined ? { body: JSON.stringify(o.body) } : {}),
        redirect: "manual",
      });
    };
    return {
      url: wb.url,
      cookie,
      dataDir,
      store,
      app: wb.app,
      api,
      async createUser(username, role, password = `pw-${username}-123456`) {
        const r = await api("POST", "/api/users", { body: { username, password, role } });
        if (r.status !== 201) throw new Error(`create user ${username}: ${r.status} ${await r.text()}`);
        const user = (await r.json()) as { id: string };
        const login = await api("POST", "/api/auth/login", { body: { username, password }, cookie: null });
        if (login.status !== 200) throw new Error(`login ${username}: ${login.status} ${await login.text()}`);
        return { id: user.id, cookie: sessionCookie(login) };
      },
      async addMember(projectId, username, role) {
        const r = await api("POST", `/api/projects/${projectId}/members`, { body: { username, role } });
        if (r.status !== 201) throw new Error(`add member ${username}: ${r.status} ${await r.text()}`);
      },
      close,
    };
  } catch (e) {
    await close();
    throw e;
  }
}
