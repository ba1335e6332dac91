/**
 * Map driver errors (PGlite and node-postgres both expose the PostgreSQL SQLSTATE as `code`) to
 * AtsmError codes, and describe connection failures without leaking the password.
 */
import { AtsmError } from "../core/errors.js";

/** SQLSTATE classes we translate (https://www.postgresql.org/docs/current/errcodes-appendix.html). */
const UNIQUE_VIOLATION = "23505";
const FOREIGN_KEY_VIOLATION = "23503";

interface DriverError {
  readonly code?: unknown;
  readonly constraint?: unknown;
  readonly detail?: unknown;
  readonly message?: unknown;
  readonly table?: unknown;
  readonly column?: unknown;
}

function str(v: unknown): string | undefined {
  return typeof v === "string" && v.length > 0 ? v : undefined;
}

/** Translate a database error into an AtsmError where the cause is the caller's input; else return it. */
export function mapDbError(e: unknown): unknown {
  if (e instanceof AtsmError || typeof e !== "object" || e === null) return e;
  const d = e as DriverError;
  const code = str(d.code);
  const constraint = str(d.constraint);
  const detail = str(d.detail);
  const field = constraint ?? str(d.column);
  const base = { cause: e, ...(field !== undefined ? { field } : {}) };
  switch (code) {
    case UNIQUE_VIOLATION:
      return new AtsmError({
        ...base,
        code: "CONFLICT",
        message: `already exists${detail !== undefined ? `: ${detail}` : ""}`,
        hint: "choose another name or label, or update the existing record",
      });
    case FOREIGN_KEY_VIOLATION:
      return new AtsmError({
        ...base,
        code: "NOT_FOUND",
        message: `referenced record does not exist${detail !== undefined ? `: ${detail}` : ""}`,
        hint: "check the ids you passed; the record may have been deleted",
      });
    default:
      // Class 22 (data exception: bad text, number out of range, NUL in text, bad date) and the
      // rest of class 23 (CHECK, NOT NULL): the caller's values are at fault.
      if (code !== undefined && (code.startsWith("22") || code.startsWith("23"))) {
        return new AtsmError({
          ...base,
          code: "INVALID_ARGUMENT",
          message: `invalid value: ${str(d.message) ?? code}`,
        });
      }
      return e;
  }
}

/** Run `fn`, translating driver errors with `mapDbError`. */
export async function mapped<T>(fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (e) {
    throw mapDbError(e);
  }
}

/** The URL with its password replaced by `***` (for messages and logs). */
export function redactUrl(url: string): string {
  try {
    const u = new URL(url);
    if (u.password !== "") u.password = "***";
    return u.toString();
  } catch {
    return url.replace(/\/\/([^:/@]+):[^@]*@/, "//$1:***@");
  }
}

/** A connection failure to the PostgreSQL server named by DATABASE_URL, as an IO_ERROR. */
export function connectionError(url: string, e: unknown): AtsmError {
  const d = (typeof e === "object" && e !== null ? e : {}) as DriverError;
  const why = str(d.message) ?? String(e);
  const code = str(d.code);
  let hint =
    "check that the PostgreSQL server is running and reachable, and that DATABASE_URL is " +
    "postgres://user:password@host:port/database; unset DATABASE_URL to use the embedded database";
  if (code === "28P01" || code === "28000") hint = "check the user name and password in DATABASE_URL";
  else if (code === "3D000")
    hint = "create the database first (createdb NAME) or fix its name in DATABASE_URL";
  return new AtsmError({
    code: "IO_ERROR",
    message: `cannot connect to the database DATABASE_URL=${redactUrl(url)}: ${why}`,
    field: "DATABASE_URL",
    hint,
    cause: e,
  });
}
