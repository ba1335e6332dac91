/** Assert that `fn` throws an AtsmError with the given code, and message/hint matching. */
import { AtsmError, type AtsmErrorCode } from "../../src/core/errors.js";

export interface ExpectedError {
  readonly code?: AtsmErrorCode;
  readonly message?: RegExp;
  readonly hint?: RegExp;
}

function check(e: unknown, exp: ExpectedError): AtsmError {
  if (!(e instanceof AtsmError))
    throw new Error(`expected AtsmError, got ${String((e as Error)?.stack ?? e)}`);
  if (exp.code !== undefined && e.code !== exp.code)
    throw new Error(`expected code ${exp.code}, got ${e.code}: ${e.message}`);
  if (exp.message !== undefined && !exp.message.test(e.message))
    throw new Error(`message ${JSON.stringify(e.message)} does not match ${exp.message}`);
  if (exp.hint !== undefined && !exp.hint.test(e.hint ?? ""))
    throw new Error(`hint ${JSON.stringify(e.hint)} does not match ${exp.hint}`);
  return e;
}

export function expectAtsmError(fn: () => unknown, exp: ExpectedError = {}): AtsmError {
  try {
    fn();
  } catch (e) {
    return check(e, exp);
  }
  throw new Error("expected an AtsmError, but nothing was thrown");
}

export async function expectAtsmErrorAsync(
  fn: () => Promise<unknown>,
  exp: ExpectedError = {},
): Promise<AtsmError> {
  try {
    await fn();
  } catch (e) {
    return check(e, exp);
  }
  throw new Error("expected an AtsmError, but nothing was thrown");
}
