/**
 * The Workbench database: `openStore` picks the engine (PostgreSQL for `url`, else PGlite in
 * `dataDir` or in memory), applies pending migrations and returns the repositories.
 *
 * Transactions: `store.transaction(async (tx) => …)` hands `tx`, the same repositories bound to one
 * transaction. Inside `fn` use only `tx` (the root store refuses, see sql.ts). On PGlite every
 * statement and transaction is queued on the one connection, so transactions never interleave.
 */
import { AtsmError } from "../core/errors.js";
import { openPglite } from "./engines/pglite.js";
import { openPostgres } from "./engines/postgres.js";
import { mapped } from "./errors.js";
import { listApplied, runMigrations } from "./migrations.js";
import { makeContext } from "./repos/context.js";
import { makeRepositories } from "./repos/index.js";
import type { SqlClient } from "./sql.js";
import type { OpenStoreOptions, Store } from "./types.js";

export { redactUrl } from "./errors.js";
export { MIGRATIONS, type Migration } from "./migrations.js";
export type * from "./types.js";

/** Open the store and bring its schema up to date. */
export async function openStore(opts: OpenStoreOptions): Promise<Store> {
  let client: SqlClient;
  if (opts.url !== undefined && opts.url !== "") {
    client = await openPostgres(opts.url);
  } else if (opts.memory === true) {
    client = await openPglite(undefined, pgliteOpts(opts));
  } else if (opts.dataDir !== undefined && opts.dataDir !== "") {
    client = await openPglite(opts.dataDir, pgliteOpts(opts));
  } else {
    throw new AtsmError({
      code: "MISSING_INPUT",
      message: "openStore needs a database: url, dataDir or memory",
      field: "dataDir",
      hint: "pass --data DIR or set DATABASE_URL=postgres://…",
    });
  }
  try {
    await runMigrations(client);
  } catch (e) {
    await client.close().catch(() => undefined);
    throw e;
  }
  return storeOver(client);
}

function pgliteOpts(opts: OpenStoreOptions): { template?: boolean } {
  return opts.pgliteTemplate === undefined ? {} : { template: opts.pgliteTemplate };
}

function storeOver(client: SqlClient): Store {
  const root = makeContext(client, (fn) => client.transaction(fn));
  return {
    ...makeRepositories(root),
    kind: client.kind,
    migrations: () => listApplied(client),
    transaction: (fn) =>
      mapped(() => client.transaction((tx) => fn(makeRepositories(makeContext(tx, null))))),
    close: () => client.close(),
  };
}
