/**
 * PGlite engine: embedded PostgreSQL (WASM) in a data folder, or in memory. One connection, so every
 * statement and transaction goes through one FIFO queue: a request's statements can never land in
 * the middle of another request's transaction.
 */
import { mkdir } from "node:fs/promises";
import { PGlite, type Transaction } from "@electric-sql/pglite";
import { AtsmError } from "../../core/errors.js";
import { MIGRATIONS, runMigrations } from "../migrations.js";
import {
  assertNotInTransaction,
  type Queryable,
  runMarkedAsTransaction,
  SerialQueue,
  type SqlClient,
  type SqlRow,
} from "../sql.js";
import { lockDataDir } from "./lock.js";
import { isEmptyFolder, openFromTemplate, templateAllowedByEnv } from "./template.js";

function wrapTx(tx: Transaction): Queryable {
  return {
    async query<R extends SqlRow>(sql: string, params: readonly unknown[] = []): Promise<R[]> {
      return (await tx.query<R>(sql, params as unknown[])).rows;
    },
    async exec(sql: string): Promise<void> {
      await tx.exec(sql);
    },
  };
}

export interface OpenPgliteOptions {
  /**
   * Open an empty database from the cached migrated template (template.ts) instead of running
   * initdb and the migrations. Default true; `ATSM_PGLITE_TEMPLATE=off` also turns it off.
   */
  readonly template?: boolean;
}

/** Open PGlite in `dataDir` (created if absent), or in memory when `dataDir` is undefined. */
export async function openPglite(
  dataDir: string | undefined,
  opts: OpenPgliteOptions = {},
): Promise<SqlClient> {
  let db: PGlite;
  let unlock: () => Promise<void> = async () => undefined;
  try {
    if (dataDir !== undefined) {
      await mkdir(dataDir, { recursive: true });
      unlock = await lockDataDir(dataDir);
    }
    const useTemplate = opts.template !== false && templateAllowedByEnv();
    if (useTemplate && (dataDir === undefined || (await isEmptyFolder(dataDir)))) {
      db = (await openFromTemplate(dataDir, { migrations: MIGRATIONS, migrate: migrateBare })).db;
    } else {
      db = dataDir === undefined ? await PGlite.create() : await PGlite.create({ dataDir });
    }
  } catch (e) {
    await unlock();
    if (e instanceof AtsmError) throw e;
    throw new AtsmError({
      code: "IO_ERROR",
      message: `cannot open the embedded database${dataDir !== undefined ? ` in ${dataDir}` : ""}: ${
        e instanceof Error ? e.message : String(e)
      }`,
      ...(dataDir !== undefined ? { file: dataDir } : {}),
      hint: "check that the data folder is writable; if it was copied while a server ran, restore a backup",
      cause: e,
    });
  }
  return clientOver(db, unlock);
}

/** Run the store's migrations on a bare PGlite (building the template). */
async function migrateBare(db: PGlite): Promise<void> {
  await runMigrations(clientOver(db, async () => undefined));
}

/** The SqlClient over one PGlite instance; `close` closes it and then calls `unlock`. */
function clientOver(db: PGlite, unlock: () => Promise<void>): SqlClient {
  const queue = new SerialQueue();
  let closed = false;
  const checkOpen = (): void => {
    if (closed) throw new Error("store: the database is closed");
  };
  return {
    kind: "pglite",
    query<R extends SqlRow>(sql: string, params: readonly unknown[] = []): Promise<R[]> {
      assertNotInTransaction();
      checkOpen();
      return queue.run(async () => (await db.query<R>(sql, params as unknown[])).rows);
    },
    exec(sql: string): Promise<void> {
      assertNotInTransaction();
      checkOpen();
      return queue.run(async () => {
        await db.exec(sql);
      });
    },
    transaction<T>(fn: (tx: Queryable) => Promise<T>): Promise<T> {
      assertNotInTransaction();
      checkOpen();
      return queue.run(() => db.transaction((tx) => runMarkedAsTransaction(() => fn(wrapTx(tx)))));
    },
    async close(): Promise<void> {
      if (closed) return;
      closed = true;
      try {
        await queue.run(() => db.close());
      } finally {
        await unlock();
      }
    },
  };
}
