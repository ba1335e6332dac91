/**
 * Sign-in and sessions: POST /api/auth/login, POST /api/auth/logout, GET /api/auth/me,
 * GET /api/auth/one-time?token=T[&next=/path] (the link printed at first start).
 */
import type { FastifyInstance } from "fastify";
import { AtsmError } from "../../core/errors.js";
import { requireUser } from "../access.js";
import { audit } from "../audit.js";
import { verifyPassword } from "../auth/password.js";
import { SESSION_COOKIE, startSession, tokenHash } from "../auth/session.js";
import type { ServerDeps } from "../context.js";
import { errorBody } from "../errors.js";
import { obj, responses, USER } from "../schemas.js";

/** A syntactically valid hash that no password matches: failed lookups cost the same as failed checks. */
const DUMMY_HASH = `scrypt$32768$8$1$${Buffer.alloc(16).toString("base64")}$${Buffer.alloc(32).toString("base64")}`;

/** Only same-site, path-only redirect targets (no `//host`, no scheme). */
/** True when the client (a browser navigation) prefers HTML over JSON. */
function wantsHtml(accept: string | undefined): boolean {
  return accept !== undefined && /\btext\/html\b/.test(accept) && !/\bapplication\/json\b/.test(accept);
}

export function safeNext(next: string | undefined): string {
  if (next === undefined || !/^\/[A-Za-z0-9/_\-.?=&%]*$/.test(next) || next.startsWith("//")) return "/";
  return next;
}

export function registerAuthRoutes(app: FastifyInstance, deps: ServerDeps): void {
  const { store } = deps;
  app.post(
    "/api/auth/login",
    {
      config: { public: true },
      schema: {
        summary: "sign in; sets the atsm_session cookie (12 h)",
        tags: ["auth"],
        body: obj(
          {
            username: { type: "string", minLength: 1, maxLength: 64 },
            password: { type: "string", maxLength: 1024 },
          },
          ["username", "password"],
        ),
        response: responses({ 200: { type: "object", properties: { user: USER } }, 429: { type: "object" } }),
      },
    },
    async (req, reply) => {
      const { username, password } = req.body as { username: string; password: string };
      const now = deps.nowMs();
      const limits = [
        { limiter: deps.loginLimiter, key: username.toLowerCase() },
        { limiter: deps.ipLimiter, key: req.ip },
      ];
      const wait = Math.max(...limits.map((l) => l.limiter.retryAfterS(l.key, now)));
      if (wait > 0) {
        const e = new AtsmError({
          code: "LIMIT_EXCEEDED",
          message: "too many failed sign-in attempts",
          hint: `wait ${wait} s before trying again`,
        });
        return reply.status(429).header("retry-after", String(wait)).send(errorBody(e));
      }
      const found = await store.users.byUsername(username);
      const ok = await verifyPassword(password, found?.passwordHash ?? DUMMY_HASH);
      if (found === null || !ok || found.disabled) {
        for (const l of limits) l.limiter.fail(l.key, now);
        throw new AtsmError({
          code: "UNAUTHENTICATED",
          message: "wrong username or password",
          field: "password",
        });
      }
      limits[0]!.limiter.reset(limits[0]!.key);
      await startSession(store, reply, found.id, now);
      const { passwordHash: _h, ...user } = found;
      await store.transaction((tx) =>
        audit(tx, user, { action: "login", entityType: "user", entityId: user.id, projectId: null }),
      );
      return { user };
    },
  );

  app.post(
    "/api/auth/logout",
    {
      schema: { summary: "end the session", tags: ["auth"], response: responses({ 204: { type: "null" } }) },
    },
    async (req, reply) => {
      const token = req.cookies[SESSION_COOKIE];
      if (token !== undefined) await store.sessions.delete(tokenHash(token));
      reply.clearCookie(SESSION_COOKIE, { path: "/" });
      return reply.status(204).send();
    },
  );

  app.get(
    "/api/auth/me",
    {
      schema: {
        summary: "the signed-in user",
        tags: ["auth"],
        response: responses({ 200: { type: "object", properties: { user: USER } } }),
      },
    },
    async (req) => ({ user: requireUser(req) }),
  );

  app.get(
    "/api/auth/one-time",
    {
      config: { public: true },
      schema: {
        summary: "sign in with a one-time link (printed at first start), then redirect",
        tags: ["auth"],
        querystring: obj(
          {
            token: { type: "string", minLength: 16, maxLength: 128, pattern: "^[A-Za-z0-9_-]+$" },
            next: { type: "string", maxLength: 300 },
          },
          ["token"],
        ),
        response: responses({ 302: {} }),
      },
    },
    async (req, reply) => {
      const q = req.query as { token: string; next?: string };
      const now = deps.nowMs();
      const userId = await store.loginTokens.consume(tokenHash(q.token), new Date(now).toISOString());
      if (userId === null) {
        // A person who clicks an old link gets the sign-in page rather than a JSON error.
        if (wantsHtml(req.headers.accept)) return reply.redirect("/?signin=link-expired", 302);
        throw new AtsmError({
          code: "UNAUTHENTICATED",
          message: "this sign-in link is unknown, used or expired",
          field: "token",
          hint: "sign in with your username and password",
        });
      }
      await startSession(store, reply, userId, now);
      const user = await store.users.byId(userId);
      await store.transaction((tx) =>
        audit(tx, user, { action: "login-one-time", entityType: "user", entityId: userId, projectId: null }),
      );
      return reply.redirect(safeNext(q.next), 302);
    },
  );
}
