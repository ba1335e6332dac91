/** What every repository is built on: a Queryable plus a way to run several statements atomically. */
import { AtsmError } from "../../core/errors.js";
import { mapped } from "../errors.js";
import type { Row } from "../rows.js";
import type { Queryable } from "../sql.js";

export interface RepoContext {
  /** Rows of one statement; driver errors translated to AtsmError (CONFLICT, NOT_FOUND, …). */
  rows(sql: string, params?: readonly unknown[]): Promise<Row[]>;
  /** First row or null. */
  first(sql: string, params?: readonly unknown[]): Promise<Row | null>;
  /** Run `fn` atomically: a new transaction from the root store, the current one inside `tx`. */
  atomic<T>(fn: (ctx: RepoContext) => Promise<T>): Promise<T>;
}

export function makeContext(
  q: Queryable,
  transaction: (<T>(fn: (tx: Queryable) => Promise<T>) => Promise<T>) | null,
): RepoContext {
  const ctx: RepoContext = {
    rows: (sql, params = []) => mapped(() => q.query(sql, params)),
    first: async (sql, params = []) => (await ctx.rows(sql, params))[0] ?? null,
    atomic: (fn) =>
      transaction === null ? fn(ctx) : mapped(() => transaction((tx) => fn(makeContext(tx, null)))),
  };
  return ctx;
}

/** The single row an INSERT/UPDATE … RETURNING must give; NOT_FOUND when the target does not exist. */
export function expectRow(row: Row | null, what: string, id: string): Row {
  return row ?? notFound(what, id);
}

export function notFound(what: string, id: string): never {
  throw new AtsmError({ code: "NOT_FOUND", message: `${what} not found`, value: id, field: "id" });
}
