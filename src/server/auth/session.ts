/**
 * Sessions: the cookie `atsm_session` holds 32 random bytes (base64url); the database holds only
 * their SHA-256, so a leaked database row cannot be replayed. 12 h lifetime, httpOnly,
 * SameSite=Strict, Path=/. One-time login links use the same token scheme with a 24 h lifetime.
 */
import { createHash, randomBytes } from "node:crypto";
import type { FastifyReply } from "fastify";
import type { Store, UserRow } from "../../store/types.js";

export const SESSION_COOKIE = "atsm_session";
export const SESSION_LIFETIME_MS = 12 * 3600_000;
export const ONE_TIME_LIFETIME_MS = 24 * 3600_000;

/** A fresh random token (32 bytes, base64url). */
export function newToken(): string {
  return randomBytes(32).toString("base64url");
}

/** SHA-256 hex of a token, the only form that is stored. */
export function tokenHash(token: string): string {
  return createHash("sha256").update(token, "utf8").digest("hex");
}

/** Create a session for `userId` and set its cookie on `reply`. */
export async function startSession(
  store: Store,
  reply: FastifyReply,
  userId: string,
  nowMs: number,
): Promise<void> {
  const token = newToken();
  await store.sessions.create({
    tokenHash: tokenHash(token),
    userId,
    createdAt: new Date(nowMs).toISOString(),
    expiresAt: new Date(nowMs + SESSION_LIFETIME_MS).toISOString(),
  });
  reply.setCookie(SESSION_COOKIE, token, {
    httpOnly: true,
    sameSite: "strict",
    path: "/",
    maxAge: SESSION_LIFETIME_MS / 1000,
  });
}

/** The session's user for a cookie value, or null (unknown, expired, disabled user). */
export async function sessionUser(
  store: Store,
  token: string | undefined,
  nowMs: number,
): Promise<UserRow | null> {
  if (token === undefined || token.length < 16 || token.length > 128) return null;
  const found = await store.sessions.lookup(tokenHash(token), new Date(nowMs).toISOString());
  return found === null ? null : found.user;
}

/** A one-time login token for `userId` (stored hashed); returns the token. */
export async function createOneTimeToken(store: Store, userId: string, nowMs: number): Promise<string> {
  const token = newToken();
  await store.loginTokens.create({
    tokenHash: tokenHash(token),
    userId,
    expiresAt: new Date(nowMs + ONE_TIME_LIFETIME_MS).toISOString(),
  });
  return token;
}
