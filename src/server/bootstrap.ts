/**
 * First start: with no users, create the site admin `admin` with a random password (never shown;
 * it can be changed later) and a one-time login link (24 h). On a loopback-only server a fresh
 * link is issued at every start, since whoever can start it already owns the data folder.
 */
import { randomBytes } from "node:crypto";
import type { Store, UserRow } from "../store/types.js";
import { audit } from "./audit.js";
import { hashPassword } from "./auth/password.js";
import { createOneTimeToken } from "./auth/session.js";

export interface Bootstrap {
  /** The site admin the link signs in as. */
  readonly admin: UserRow;
  /** True when the admin was created now (first start). */
  readonly created: boolean;
}

/** The site admin, created with a random password when there are no users yet. */
export async function ensureAdmin(store: Store): Promise<Bootstrap> {
  if ((await store.users.count()) === 0) {
    const passwordHash = await hashPassword(randomBytes(24).toString("base64url"));
    const admin = await store.transaction(async (tx) => {
      const u = await tx.users.create({ username: "admin", role: "admin", passwordHash });
      await audit(tx, null, {
        action: "create",
        entityType: "user",
        entityId: u.id,
        projectId: null,
        detail: { username: "admin", role: "admin", reason: "first start" },
      });
      return u;
    });
    return { admin, created: true };
  }
  const users = await store.users.list();
  const admin =
    users.find((u) => u.username === "admin" && u.role === "admin" && !u.disabled) ??
    users.find((u) => u.role === "admin" && !u.disabled);
  if (admin === undefined) throw new Error("no enabled site admin; create one with the store tools");
  return { admin, created: false };
}

/** `http://HOST:PORT/api/auth/one-time?token=…` for `userId` (valid 24 h, one use). */
export async function oneTimeLink(
  store: Store,
  userId: string,
  baseUrl: string,
  nowMs: number,
  /** Same-site path to open after signing in (e.g. `/studies/ID`). */
  next?: string,
): Promise<string> {
  const token = await createOneTimeToken(store, userId, nowMs);
  const after = next === undefined ? "" : `&next=${encodeURIComponent(next)}`;
  return `${baseUrl}/api/auth/one-time?token=${token}${after}`;
}

/** True for hosts only this machine can reach. */
export function isLoopbackHost(host: string): boolean {
  return host === "127.0.0.1" || host === "localhost" || host === "::1" || /^127\./.test(host);
}
