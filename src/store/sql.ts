/**
 * The small SQL client both engines implement: parameterised queries (`$1`, `$2`, …) returning
 * plain rows, multi-statement `exec` (migrations), and transactions. Repositories only see this.
 */
import { AsyncLocalStorage } from "node:async_hooks";
import type { DatabaseKind } from "./types.js";

/** A row as the driver returns it (snake_case columns). */
export type SqlRow = Record<string, unknown>;

/** Something that runs SQL: the root client or an open transaction. */
export interface Queryable {
  /** One statement with `$n` parameters; returns its rows (empty for statements without RETURNING). */
  query<R extends SqlRow = SqlRow>(sql: string, params?: readonly unknown[]): Promise<R[]>;
  /** Several `;`-separated statements without parameters (migrations). */
  exec(sql: string): Promise<void>;
}

export interface SqlClient extends Queryable {
  readonly kind: DatabaseKind;
  /** Run `fn` in one transaction; COMMIT when it resolves, ROLLBACK (and rethrow) when it throws. */
  transaction<T>(fn: (tx: Queryable) => Promise<T>): Promise<T>;
  close(): Promise<void>;
}

/** FIFO promise queue: `run` calls start one after the other, never interleaved. */
export class SerialQueue {
  #tail: Promise<unknown> = Promise.resolve();

  run<T>(fn: () => Promise<T>): Promise<T> {
    const result = this.#tail.then(fn, fn);
    // Keep the chain alive whatever `fn` does; callers see the real outcome through `result`.
    this.#tail = result.then(
      () => undefined,
      () => undefined,
    );
    return result;
  }
}

/**
 * Marks code running inside `Store.transaction`. The root store refuses to run SQL there: on PGlite
 * (one connection) it would wait for the transaction that waits for it (deadlock); on PostgreSQL it
 * would silently run outside the transaction. Use the `tx` repositories instead.
 */
const inTransaction = new AsyncLocalStorage<true>();

export function runMarkedAsTransaction<T>(fn: () => Promise<T>): Promise<T> {
  return inTransaction.run(true, fn);
}

export function assertNotInTransaction(): void {
  if (inTransaction.getStore() === true) {
    throw new Error(
      "store: the root Store was used inside store.transaction(fn); use the `tx` repositories passed to fn " +
        "(on PGlite this would deadlock, on PostgreSQL it would run outside the transaction)",
    );
  }
}
