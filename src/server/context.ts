/**
 * What every route module gets: the store, the data folder's blob store and study cache, the
 * software version, and the options the server was started with. Also the request decoration
 * `req.user` (set by the session hook in app.ts) and the route config flag `public`.
 */
import type { BlobStore, StudyCache } from "../app/library/index.js";
import type { Store, UserRow } from "../store/types.js";
import type { RateLimiter } from "./auth/rate-limit.js";

export interface ServerDeps {
  readonly store: Store;
  readonly dataDir: string;
  readonly blobs: BlobStore;
  readonly cache: StudyCache;
  /** Parse uploads in a worker thread (see BuildServerOptions.offThread). */
  readonly offThread: boolean;
  /** package.json version, stored with every result and document. */
  readonly version: string;
  readonly dicomwebUrl: string | null;
  readonly maxUploadBytes: number;
  /** Failed sign-ins per username (10 per 15 min). */
  readonly loginLimiter: RateLimiter;
  /** Failed sign-ins per client address (100 per 15 min: slows password spraying, spares shared hosts). */
  readonly ipLimiter: RateLimiter;
  /** Blob hashes of imports not yet committed (count per hash): failure clean-up spares them. */
  readonly pendingBlobs: Map<string, number>;
  /** Clock (tests may pin it). */
  readonly nowMs: () => number;
}

declare module "fastify" {
  interface FastifyInstance {
    /** The dependencies the routes were built with (start-up code and tests use them). */
    atsmDeps: ServerDeps;
  }
  interface FastifyRequest {
    /** Signed-in user, or null (public routes only ever see null here without a cookie). */
    user: UserRow | null;
  }
  interface FastifyContextConfig {
    /** Route answers without a session (health, openapi, login, one-time). */
    public?: boolean;
  }
}
