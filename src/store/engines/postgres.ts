/**
 * PostgreSQL engine (node-postgres Pool), for `DATABASE_URL=postgres://…`. Each transaction holds one
 * pooled connection from BEGIN to COMMIT/ROLLBACK; other requests use other connections.
 */
import pg from "pg";
import { connectionError } from "../errors.js";
import {
  assertNotInTransaction,
  type Queryable,
  runMarkedAsTransaction,
  type SqlClient,
  type SqlRow,
} from "../sql.js";

/** Connection-level SQLSTATEs and socket errors that mean "cannot reach / log in to the server". */
function isConnectionFailure(e: unknown): boolean {
  if (typeof e !== "object" || e === null) return false;
  const code = (e as { code?: unknown }).code;
  if (typeof code !== "string") {
    // node-postgres' own messages for a dropped socket and a pool connect timeout.
    const msg = e instanceof Error ? e.message : "";
    return /^Connection terminated|timeout exceeded when trying to connect/i.test(msg);
  }
  return (
    code.startsWith("08") || // connection_exception
    code.startsWith("28") || // invalid_authorization_specification
    code === "3D000" || // invalid_catalog_name (database does not exist)
    code === "57P01" || // admin_shutdown
    code === "57P03" || // cannot_connect_now
    /^E[A-Z]+$/.test(code) // ECONNREFUSED, ENOTFOUND, ETIMEDOUT, ...
  );
}

/** Run `fn`; a connection failure becomes an IO_ERROR naming DATABASE_URL, anything else passes. */
async function withConnErrors<T>(url: string, fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (e) {
    throw isConnectionFailure(e) ? connectionError(url, e) : e;
  }
}

function wrap(url: string, c: pg.ClientBase): Queryable {
  return {
    query<R extends SqlRow>(sql: string, params: readonly unknown[] = []): Promise<R[]> {
      return withConnErrors(url, async () => (await c.query<R>(sql, params as unknown[])).rows);
    },
    exec(sql: string): Promise<void> {
      return withConnErrors(url, async () => {
        await c.query(sql);
      });
    },
  };
}

/** Connect to `url`; fails fast with an IO_ERROR naming DATABASE_URL (password redacted). */
export async function openPostgres(url: string): Promise<SqlClient> {
  const pool = new pg.Pool({ connectionString: url, max: 10, connectionTimeoutMillis: 10_000 });
  // An idle client losing its connection must not crash the process; the next query reports it.
  pool.on("error", () => undefined);
  try {
    await pool.query("SELECT 1");
  } catch (e) {
    await pool.end().catch(() => undefined);
    throw connectionError(url, e);
  }
  return {
    kind: "postgres",
    query<R extends SqlRow>(sql: string, params: readonly unknown[] = []): Promise<R[]> {
      assertNotInTransaction();
      return withConnErrors(url, async () => (await pool.query<R>(sql, params as unknown[])).rows);
    },
    exec(sql: string): Promise<void> {
      assertNotInTransaction();
      return withConnErrors(url, async () => {
        await pool.query(sql);
      });
    },
    async transaction<T>(fn: (tx: Queryable) => Promise<T>): Promise<T> {
      assertNotInTransaction();
      const client = await withConnErrors(url, () => pool.connect());
      const tx = wrap(url, client);
      let broken: unknown;
      try {
        await tx.exec("BEGIN");
        const out = await runMarkedAsTransaction(() => fn(tx));
        await tx.exec("COMMIT");
        return out;
      } catch (e) {
        try {
          await client.query("ROLLBACK");
        } catch (rollbackError) {
          broken = rollbackError;
        }
        throw e;
      } finally {
        // A connection whose ROLLBACK failed is in an unknown state: destroy it, never reuse it.
        client.release(broken instanceof Error ? broken : broken === undefined ? undefined : true);
      }
    },
    async close(): Promise<void> {
      if (pool.ended || pool.ending) return;
      await pool.end();
    },
  };
}
