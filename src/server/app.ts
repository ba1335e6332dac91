/**
 * The Workbench HTTP server (Fastify 5): JSON API under /api, the built web app (dist/web) for
 * everything else with an index.html fallback for client routes. `buildServer` does not listen,
 * so tests use `app.inject` or `listen({ port: 0 })`.
 *
 * Request pipeline: cookie → CSRF guard (state-changing requests need a JSON or multipart body or
 * none) → session lookup (`req.user`) → 401 unless the route is public → schema validation
 * (closed objects: unknown fields are a 400 naming them) → handler. Errors map through
 * src/server/errors.ts. Start-up (`onReady`): empty DIR/tmp, delete blobs no row references.
 */
import { existsSync, readFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import fastifyCookie from "@fastify/cookie";
import fastifyMultipart from "@fastify/multipart";
import fastifyStatic from "@fastify/static";
import Fastify, { type FastifyInstance, type FastifyReply } from "fastify";
import { BlobStore, StudyCache } from "../app/library/index.js";
import { AtsmError } from "../core/errors.js";
import type { Store } from "../store/types.js";
import { createRateLimiter } from "./auth/rate-limit.js";
import { SESSION_COOKIE, sessionUser } from "./auth/session.js";
import type { ServerDeps } from "./context.js";
import { errorBody, installErrorHandlers, unauthenticated } from "./errors.js";
import { recordRoutes, registerOpenApiRoute } from "./openapi.js";
import { withReadCache } from "./read-cache.js";
import { registerAuditRoutes } from "./routes/audit.js";
import { registerAuthRoutes } from "./routes/auth.js";
import { registerDocumentRoutes } from "./routes/documents.js";
import { registerHealthRoutes } from "./routes/health.js";
import { registerPacsRoutes } from "./routes/pacs.js";
import { registerProjectRoutes } from "./routes/projects.js";
import { registerResultRoutes } from "./routes/results.js";
import { registerStudyRoutes } from "./routes/studies.js";
import { registerSubjectRoutes } from "./routes/subjects.js";
import { registerUploadRoutes } from "./routes/uploads.js";
import { registerUserRoutes } from "./routes/users.js";
import { registerViewerRoutes } from "./routes/viewer.js";
import { registerVoiRoutes } from "./routes/vois.js";

export interface BuildServerOptions {
  readonly store: Store;
  /** Data folder: blobs/, tmp/, cache/ (and pglite/ when the store is embedded). */
  readonly dataDir: string;
  readonly dicomwebUrl?: string;
  /** Total bytes of one upload request (default 2 GiB). */
  readonly maxUploadBytes?: number;
  /** Built web app folder (default dist/web of the package). */
  readonly webRoot?: string;
  readonly logger?: boolean | { level: string };
  /**
   * Parse uploads and stored series in worker threads so one large study never blocks other
   * requests (default true; in-process tests turn it off to skip the worker start-up).
   */
  readonly offThread?: boolean;
  /** Study cache size (default 2 GiB). */
  readonly cacheBytes?: number;
  /** Clock (tests). */
  readonly nowMs?: () => number;
  /**
   * How long sessions, projects and member roles may be answered from memory (ms, default 3000;
   * 0 = always ask the database). Changes made through this server apply at once; see read-cache.ts.
   */
  readonly readCacheTtlMs?: number;
}

export const DEFAULT_MAX_UPLOAD_BYTES = 2 * 1024 ** 3;
/** JSON bodies (VOI masks as RLE, assay file texts) stay below this. */
const JSON_BODY_LIMIT_BYTES = 32 * 1024 ** 2;

const PACKAGE_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "..", "..");

/** package.json version of this build. */
export function softwareVersion(): string {
  try {
    const pkg = JSON.parse(readFileSync(join(PACKAGE_ROOT, "package.json"), "utf8")) as { version?: string };
    return pkg.version ?? "0.0.0";
  } catch {
    return "0.0.0";
  }
}

const STATE_CHANGING = new Set(["POST", "PUT", "PATCH", "DELETE"]);

export function buildServer(opts: BuildServerOptions): FastifyInstance {
  const dataDir = resolve(opts.dataDir);
  const blobs = new BlobStore(dataDir);
  const deps: ServerDeps = {
    store: withReadCache(opts.store, {
      ...(opts.readCacheTtlMs !== undefined ? { ttlMs: opts.readCacheTtlMs } : {}),
    }),
    dataDir,
    blobs,
    cache: new StudyCache(blobs, join(dataDir, "cache"), opts.cacheBytes, {
      offThread: opts.offThread ?? true,
    }),
    offThread: opts.offThread ?? true,
    version: softwareVersion(),
    dicomwebUrl: opts.dicomwebUrl ?? null,
    maxUploadBytes: opts.maxUploadBytes ?? DEFAULT_MAX_UPLOAD_BYTES,
    loginLimiter: createRateLimiter(10),
    ipLimiter: createRateLimiter(100),
    pendingBlobs: new Map(),
    nowMs: opts.nowMs ?? (() => Date.now()),
  };
  const app = Fastify({
    logger: opts.logger ?? false,
    bodyLimit: JSON_BODY_LIMIT_BYTES,
    // No coercion: a number where a string belongs (or the reverse) is a 400, not silently converted;
    // integer query parameters are digit-pattern strings read by `intQuery`.
    ajv: {
      customOptions: { removeAdditional: false, coerceTypes: false, useDefaults: true, allErrors: false },
    },
    // Malformed percent-encoding and over-long path parameters are answered by Fastify before routing:
    // give them the API's error shape too (and do not echo the path back).
    frameworkErrors: (e, _req, reply) => {
      const tooLong = e.code === "FST_ERR_MAX_PARAM_LENGTH";
      void (reply as FastifyReply).status(400).send(
        errorBody(
          new AtsmError({
            code: "INVALID_ARGUMENT",
            message: tooLong ? "a path parameter is too long" : "malformed URL (bad percent-encoding)",
            field: "url",
            hint: tooLong ? "ids are 36-character UUIDs" : "percent-encode reserved characters correctly",
          }),
        ),
      );
    },
  });
  // Responses are plain JSON.stringify: the response schemas document, they do not filter.
  app.setSerializerCompiler(() => (data) => JSON.stringify(data));
  // No simple-form bodies (CSRF): only JSON and multipart are parsed.
  app.removeContentTypeParser(["text/plain"]);
  installErrorHandlers(app);
  app.addHook("onSend", async (_req, reply) => {
    reply.header("x-content-type-options", "nosniff");
    reply.header("x-frame-options", "DENY");
    reply.header("referrer-policy", "no-referrer");
  });
  const routes = recordRoutes(app);
  app.decorateRequest("user", null);
  app.decorate("atsmDeps", deps);

  app.register(fastifyCookie);
  app.register(fastifyMultipart, {
    limits: {
      fileSize: deps.maxUploadBytes,
      files: 20_000,
      fields: 20,
      fieldSize: 4096,
      parts: 20_020,
      headerPairs: 100,
    },
  });

  app.register(async (api) => {
    api.addHook("onRequest", async (req, reply) => {
      if (STATE_CHANGING.has(req.method)) {
        const type = (req.headers["content-type"] ?? "").toLowerCase();
        const hasBody = type !== "" || (req.headers["content-length"] ?? "0") !== "0";
        if (hasBody && !type.startsWith("application/json") && !type.startsWith("multipart/form-data")) {
          const e = new AtsmError({
            code: "UNSUPPORTED",
            message: `unsupported Content-Type ${JSON.stringify(type)}`,
            field: "content-type",
            hint: "send application/json (or multipart/form-data for uploads)",
          });
          return reply.status(415).send(errorBody(e));
        }
      }
      req.user = await sessionUser(deps.store, req.cookies[SESSION_COOKIE], deps.nowMs());
      if (req.user === null && req.routeOptions.config.public !== true) throw unauthenticated();
      return undefined;
    });
    registerHealthRoutes(api, deps);
    registerOpenApiRoute(api, routes, deps.version);
    registerAuthRoutes(api, deps);
    registerUserRoutes(api, deps);
    registerProjectRoutes(api, deps);
    registerSubjectRoutes(api, deps);
    registerStudyRoutes(api, deps);
    registerUploadRoutes(api, deps);
    registerViewerRoutes(api, deps);
    registerVoiRoutes(api, deps);
    registerResultRoutes(api, deps);
    registerPacsRoutes(api, deps);
    registerDocumentRoutes(api, deps);
    registerAuditRoutes(api, deps);
  });

  const webRoot = resolve(opts.webRoot ?? join(PACKAGE_ROOT, "dist", "web"));
  const hasWeb = existsSync(join(webRoot, "index.html"));
  if (hasWeb)
    app.register(fastifyStatic, { root: webRoot, prefix: "/", wildcard: true, index: ["index.html"] });
  app.setNotFoundHandler((req, reply) => {
    const path = req.url.split("?")[0] ?? "";
    if (path === "/api" || path.startsWith("/api/") || req.method !== "GET") {
      return reply
        .status(404)
        .send(errorBody(new AtsmError({ code: "NOT_FOUND", message: `no route ${req.method} ${path}` })));
    }
    if (hasWeb) return reply.type("text/html").sendFile("index.html");
    return reply
      .type("text/html")
      .send(
        "<!doctype html><title>ATSM Workbench</title><p>The web app is not built. Run <code>npm run build</code>; the API is under <a href='/api/openapi.json'>/api</a>.</p>",
      );
  });

  app.addHook("onReady", async () => {
    await deps.store.sessions.deleteExpired(new Date(deps.nowMs()).toISOString());
    await blobs.cleanTmp();
    const removed = await blobs.removeOrphans(await deps.store.studies.referencedBlobs());
    if (removed > 0) app.log.info({ removed }, "removed orphan blobs");
  });
  return app;
}
