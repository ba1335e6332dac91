/** Users, sessions and one-time login tokens. */
import { isUuid, num, toSession, toUser } from "../rows.js";
import type { Repositories } from "../types.js";
import { expectRow, notFound, type RepoContext } from "./context.js";

const USER_COLS = "id, username, role, disabled, created_at";

export function usersRepo(c: RepoContext): Repositories["users"] {
  return {
    async create(u) {
      const r = await c.first(
        `INSERT INTO users (username, role, password_hash) VALUES ($1, $2, $3) RETURNING ${USER_COLS}`,
        [u.username, u.role, u.passwordHash],
      );
      return toUser(expectRow(r, "user", u.username));
    },
    async byId(id) {
      if (!isUuid(id)) return null;
      const r = await c.first(`SELECT ${USER_COLS} FROM users WHERE id = $1`, [id]);
      return r === null ? null : toUser(r);
    },
    async byUsername(username) {
      const r = await c.first(`SELECT ${USER_COLS}, password_hash FROM users WHERE username = $1`, [
        username,
      ]);
      return r === null ? null : { ...toUser(r), passwordHash: String(r["password_hash"]) };
    },
    async list() {
      return (await c.rows(`SELECT ${USER_COLS} FROM users ORDER BY username`)).map(toUser);
    },
    async count() {
      const r = await c.first("SELECT count(*) AS n FROM users");
      return num(r?.["n"] ?? 0);
    },
    async setPassword(id, passwordHash) {
      if (!isUuid(id)) notFound("user", id);
      const r = await c.first("UPDATE users SET password_hash = $2 WHERE id = $1 RETURNING id", [
        id,
        passwordHash,
      ]);
      expectRow(r, "user", id);
    },
    async setRole(id, role) {
      if (!isUuid(id)) notFound("user", id);
      const r = await c.first("UPDATE users SET role = $2 WHERE id = $1 RETURNING id", [id, role]);
      expectRow(r, "user", id);
    },
    async setDisabled(id, disabled) {
      if (!isUuid(id)) notFound("user", id);
      const r = await c.first("UPDATE users SET disabled = $2 WHERE id = $1 RETURNING id", [id, disabled]);
      expectRow(r, "user", id);
    },
  };
}

export function sessionsRepo(c: RepoContext): Repositories["sessions"] {
  return {
    async create(s) {
      await c.rows(
        "INSERT INTO sessions (token_hash, user_id, created_at, expires_at) VALUES ($1, $2, $3, $4)",
        [s.tokenHash, s.userId, s.createdAt, s.expiresAt],
      );
    },
    async lookup(tokenHash, nowIso) {
      const r = await c.first(
        `SELECT s.token_hash, s.user_id, s.created_at, s.expires_at,
                u.id, u.username, u.role, u.disabled, u.created_at AS user_created_at
           FROM sessions s JOIN users u ON u.id = s.user_id
          WHERE s.token_hash = $1 AND s.expires_at > $2::timestamptz AND NOT u.disabled`,
        [tokenHash, nowIso],
      );
      if (r === null) return null;
      return { session: toSession(r), user: toUser({ ...r, created_at: r["user_created_at"] }) };
    },
    async delete(tokenHash) {
      await c.rows("DELETE FROM sessions WHERE token_hash = $1", [tokenHash]);
    },
    async deleteExpired(nowIso) {
      const rows = await c.rows(
        "DELETE FROM sessions WHERE expires_at <= $1::timestamptz RETURNING token_hash",
        [nowIso],
      );
      return rows.length;
    },
  };
}

export function loginTokensRepo(c: RepoContext): Repositories["loginTokens"] {
  return {
    async create(t) {
      await c.rows("INSERT INTO login_tokens (token_hash, user_id, expires_at) VALUES ($1, $2, $3)", [
        t.tokenHash,
        t.userId,
        t.expiresAt,
      ]);
    },
    async consume(tokenHash, nowIso) {
      // One UPDATE: of two concurrent consumers only one sees used_at IS NULL (row lock), so one wins.
      const r = await c.first(
        `UPDATE login_tokens SET used_at = $2::timestamptz
          WHERE token_hash = $1 AND used_at IS NULL AND expires_at > $2::timestamptz
          RETURNING user_id`,
        [tokenHash, nowIso],
      );
      return r === null ? null : String(r["user_id"]);
    },
  };
}
