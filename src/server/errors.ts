/**
 * HTTP mapping of the one error type (src/core/errors.ts) and the contract's error body
 * `{ "error": { code, message, field?, hint? } }`.
 *
 * AtsmError codes map to statuses by `statusOf`; Fastify's own validation and body-parser errors
 * become 400 INVALID_ARGUMENT naming the field; anything else is a 500 with a generic message and
 * the details only in the log (never a stack trace or a path in the answer).
 */
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import { AtsmError, type AtsmErrorCode, isAtsmError } from "../core/errors.js";

/** HTTP status of an AtsmError code (contract: "HTTP API" section). */
export function statusOf(code: AtsmErrorCode): number {
  switch (code) {
    case "UNSUPPORTED":
      return 415;
    case "UNAUTHENTICATED":
      return 401;
    case "FORBIDDEN":
      return 403;
    case "NOT_FOUND":
      return 404;
    case "CONFLICT":
      return 409;
    case "LIMIT_EXCEEDED":
      return 413;
    case "INVALID_ARGUMENT":
    case "PARSE_ERROR":
    case "TRUNCATED":
    case "INCONSISTENT":
    case "EMPTY_VOI":
    case "MISSING_INPUT":
    case "NUMERIC":
    case "UNKNOWN_NUCLIDE":
      return 400;
    default:
      return 500;
  }
}

export interface ErrorBody {
  readonly error: { code: string; message: string; field?: string; hint?: string };
}

/** The contract's error body of an AtsmError. */
export function errorBody(e: AtsmError): ErrorBody {
  return {
    error: {
      code: e.code,
      message: e.message,
      ...(e.field !== undefined ? { field: e.field } : {}),
      ...(e.hint !== undefined ? { hint: e.hint } : {}),
    },
  };
}

/** 404 for a missing record and for one the caller may not see (never reveal existence). */
export function notFound(what: string, field?: string): AtsmError {
  return new AtsmError({
    code: "NOT_FOUND",
    message: `${what} not found`,
    ...(field !== undefined ? { field } : {}),
  });
}

export function forbidden(message: string, hint?: string): AtsmError {
  return new AtsmError({ code: "FORBIDDEN", message, ...(hint !== undefined ? { hint } : {}) });
}

export function unauthenticated(): AtsmError {
  return new AtsmError({
    code: "UNAUTHENTICATED",
    message: "sign in first",
    hint: "POST /api/auth/login {username, password} or open the one-time link printed at start-up",
  });
}

interface AjvIssue {
  readonly instancePath?: string;
  readonly keyword?: string;
  readonly message?: string;
  readonly params?: Record<string, unknown>;
}

/** Field path (dotted) named by one Ajv issue: `body.name`, `params.pid`, `query.frame`. */
function issueField(context: string | undefined, issue: AjvIssue): string {
  const parts = (issue.instancePath ?? "").split("/").filter((p) => p !== "");
  const p = issue.params ?? {};
  if (typeof p.missingProperty === "string") parts.push(p.missingProperty);
  if (typeof p.additionalProperty === "string") parts.push(p.additionalProperty);
  return [context ?? "body", ...parts].join(".");
}

/** Fastify validation error → AtsmError INVALID_ARGUMENT naming the field. */
export function validationError(err: FastifyError): AtsmError {
  const issues = (err.validation ?? []) as AjvIssue[];
  const first = issues[0];
  const context = err.validationContext;
  if (first === undefined) {
    return new AtsmError({ code: "INVALID_ARGUMENT", message: err.message, field: context ?? "body" });
  }
  const field = issueField(context, first);
  let message: string;
  // formatMessage appends "(field X)".
  if (first.keyword === "additionalProperties") message = "unknown field";
  else if (first.keyword === "required") message = "missing field";
  else message = `invalid value: ${first.message ?? "bad value"}`;
  const more = issues.length > 1 ? ` (and ${issues.length - 1} more)` : "";
  return new AtsmError({
    code: first.keyword === "required" ? "MISSING_INPUT" : "INVALID_ARGUMENT",
    message: `${message}${more}`,
    field,
    hint: "see /api/openapi.json for the request schema",
  });
}

/** Map any thrown value to an AtsmError (or null for an internal error). */
export function toAtsmError(e: unknown): AtsmError | null {
  if (isAtsmError(e)) return e;
  const fe = e as Partial<FastifyError> | null;
  if (fe !== null && typeof fe === "object") {
    if (Array.isArray(fe.validation)) return validationError(fe as FastifyError);
    const code = typeof fe.code === "string" ? fe.code : "";
    const status = typeof fe.statusCode === "number" ? fe.statusCode : 0;
    if (code === "FST_REQ_FILE_TOO_LARGE" || code === "FST_FILES_LIMIT" || status === 413) {
      return new AtsmError({
        code: "LIMIT_EXCEEDED",
        message: "request too large",
        hint: "upload fewer or smaller files, or start the server with a larger --max-upload-mb",
      });
    }
    if (code === "FST_ERR_CTP_INVALID_MEDIA_TYPE" || status === 415) {
      return new AtsmError({
        code: "UNSUPPORTED",
        message: "unsupported Content-Type",
        field: "content-type",
        hint: "send application/json (or multipart/form-data for uploads)",
      });
    }
    if (status >= 400 && status < 500) {
      return new AtsmError({ code: "INVALID_ARGUMENT", message: fe.message ?? "bad request", field: "body" });
    }
  }
  return null;
}

/** Install the error and not-found handlers on `app`. */
export function installErrorHandlers(app: FastifyInstance): void {
  app.setErrorHandler((e: unknown, req: FastifyRequest, reply: FastifyReply) => {
    const ae = toAtsmError(e);
    if (ae !== null) {
      const status = statusOf(ae.code);
      if (status < 500) return reply.status(status).send(errorBody(ae));
    }
    req.log.error({ err: e }, "internal error");
    return reply
      .status(500)
      .send({ error: { code: "INTERNAL", message: "internal server error; see the server log" } });
  });
}
