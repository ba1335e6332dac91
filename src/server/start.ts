/**
 * Start the Workbench: open the store (PGlite in DIR/pglite, or PostgreSQL for a URL), build the
 * server, run start-up clean-up, make sure a site admin exists, seed the demo if asked, listen, and
 * issue the one-time sign-in link. Used by `atsm serve` and by the server tests.
 */
import { mkdir } from "node:fs/promises";
import { join, resolve } from "node:path";
import type { FastifyInstance } from "fastify";
import type { ProgressFn } from "../core/types.js";
import { openStore } from "../store/index.js";
import type { Store } from "../store/types.js";
import { buildServer } from "./app.js";
import { ensureAdmin, isLoopbackHost, oneTimeLink } from "./bootstrap.js";
import type { ServerDeps } from "./context.js";
import { DEMO_PROJECT, seedDemo } from "./demo-seed.js";

export interface StartOptions {
  readonly dataDir: string;
  readonly port: number;
  readonly host: string;
  /** postgres://… (else embedded PGlite in DIR/pglite). */
  readonly databaseUrl?: string;
  /** An already open store (tests); closed by `close()`. */
  readonly store?: Store;
  readonly dicomwebUrl?: string;
  readonly maxUploadBytes?: number;
  readonly webRoot?: string;
  readonly demo?: boolean;
  /** The small demo study (tests). */
  readonly demoSmall?: boolean;
  readonly onProgress?: ProgressFn;
  readonly logger?: boolean;
  /** Parse uploads and stored series in worker threads (default true; see BuildServerOptions). */
  readonly offThread?: boolean;
}

export interface RunningWorkbench {
  readonly url: string;
  readonly app: FastifyInstance;
  readonly store: Store;
  readonly deps: ServerDeps;
  /** One-time sign-in link for the site admin (first start, or any start on loopback), else null. */
  readonly loginLink: string | null;
  readonly firstStart: boolean;
  close(): Promise<void>;
}

export async function startWorkbench(opts: StartOptions): Promise<RunningWorkbench> {
  const dataDir = resolve(opts.dataDir);
  await mkdir(dataDir, { recursive: true });
  const store =
    opts.store ??
    (await openStore(
      opts.databaseUrl !== undefined && opts.databaseUrl !== ""
        ? { url: opts.databaseUrl }
        : { dataDir: join(dataDir, "pglite") },
    ));
  let app: FastifyInstance | null = null;
  try {
    app = buildServer({
      store,
      dataDir,
      ...(opts.dicomwebUrl !== undefined ? { dicomwebUrl: opts.dicomwebUrl } : {}),
      ...(opts.maxUploadBytes !== undefined ? { maxUploadBytes: opts.maxUploadBytes } : {}),
      ...(opts.webRoot !== undefined ? { webRoot: opts.webRoot } : {}),
      logger: opts.logger ?? false,
      ...(opts.offThread !== undefined ? { offThread: opts.offThread } : {}),
    });
    await app.ready();
    const deps = app.atsmDeps;
    const boot = await ensureAdmin(store);
    // With --demo the sign-in link opens the demo study in the viewer.
    let landing: string | undefined;
    if (opts.demo === true) {
      const seeded = await seedDemo(deps, boot.admin, {
        ...(opts.demoSmall === true ? { small: true } : {}),
        ...(opts.onProgress ? { onProgress: opts.onProgress } : {}),
      });
      const demoStudy = seeded ?? (await findDemoStudy(store));
      if (demoStudy !== null) landing = `/studies/${demoStudy.id}`;
    }
    await app.listen({ port: opts.port, host: opts.host });
    const addr = app.server.address();
    const port = typeof addr === "object" && addr !== null ? addr.port : opts.port;
    const shownHost = opts.host.includes(":")
      ? `[${opts.host}]`
      : opts.host === "0.0.0.0"
        ? "127.0.0.1"
        : opts.host;
    const url = `http://${shownHost}:${port}`;
    const loginLink =
      boot.created || isLoopbackHost(opts.host)
        ? await oneTimeLink(store, boot.admin.id, url, Date.now(), landing)
        : null;
    const running = app;
    let closed = false;
    return {
      url,
      app: running,
      store,
      deps,
      loginLink,
      firstStart: boot.created,
      async close() {
        if (closed) return;
        closed = true;
        await running.close();
        await store.close();
      },
    };
  } catch (e) {
    await app?.close().catch(() => undefined);
    await store.close().catch(() => undefined);
    throw e;
  }
}

/** The newest study of project "Demo", or null. */
async function findDemoStudy(store: Store): Promise<{ id: string } | null> {
  const project = (await store.projects.listFor(null)).find((p) => p.name === DEMO_PROJECT);
  if (project === undefined) return null;
  return (await store.studies.list(project.id, { limit: 1 }))[0] ?? null;
}
