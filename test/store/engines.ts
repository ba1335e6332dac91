/**
 * Run one suite against every engine: PGlite in memory and a private PostgreSQL server
 * (test/helpers/postgres.ts). PostgreSQL is skipped, with the reason printed, only when its binaries
 * are absent and CI is not "true".
 */
import { existsSync } from "node:fs";
import { afterAll, beforeAll, describe } from "vitest";
import { openStore, type Store } from "../../src/store/index.js";
import { startPostgres, type TestPostgres } from "../helpers/postgres.js";

export type EngineName = "pglite" | "postgres";

export interface EngineHandle {
  readonly engine: EngineName;
  /** The suite's store (opened once in beforeAll). */
  store(): Store;
  /** The PostgreSQL test server (postgres engine only). */
  server(): TestPostgres | null;
  /** Another store on a fresh, empty database of the same engine (closed by the caller). */
  fresh(): Promise<Store>;
}

const pgWanted = existsSync("/usr/lib/postgresql") || process.env["CI"] === "true";
if (!pgWanted) {
  console.warn("store tests: PostgreSQL engine skipped: no /usr/lib/postgresql (apt install postgresql)");
}

export function describeEngines(title: string, body: (h: EngineHandle) => void): void {
  for (const engine of ["pglite", "postgres"] as const) {
    describe.skipIf(engine === "postgres" && !pgWanted)(`${title} [${engine}]`, () => {
      let server: TestPostgres | null = null;
      let store: Store | undefined;
      const fresh = async (): Promise<Store> =>
        engine === "pglite" ? openStore({ memory: true }) : openStore({ url: await server!.newDatabase() });
      beforeAll(async () => {
        if (engine === "postgres") {
          server = await startPostgres();
          if (server === null) throw new Error("PostgreSQL binaries vanished");
        }
        store = await fresh();
      });
      afterAll(async () => {
        await store?.close();
        await server?.stop();
      });
      body({
        engine,
        store: () => store!,
        server: () => server,
        fresh,
      });
    });
  }
}
