import { AtsmError } from "../core/errors.js";

/**
 * JSON-schema fragments shared by the route definitions. These schemas are what Fastify validates
 * requests with AND what /api/openapi.json publishes (src/server/openapi.ts), so the two cannot
 * drift. Objects are closed (`additionalProperties: false`): an unknown field is a 400 naming it.
 */

/** UUID (any version): the only accepted id form, so ids can never carry `../` or separators. */
export const UUID = {
  type: "string",
  pattern: "^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$",
} as const;

export const ROLE = { type: "string", enum: ["viewer", "analyst", "admin"] } as const;
export const VOI_ROLE = { type: "string", enum: ["tumour", "reference", "other"] } as const;
export const ISO_TIME = { type: "string", minLength: 10, maxLength: 40 } as const;
export const NAME = { type: "string", minLength: 1, maxLength: 200 } as const;
export const TEXT = { type: "string", maxLength: 10_000 } as const;

/** A non-negative integer in a query string (query values are strings; there is no coercion). */
export const INT_QUERY = { type: "string", pattern: "^[0-9]{1,9}$" } as const;

/** Read an INT_QUERY value with a range check (400 naming the field). */
export function intQuery(
  value: string | undefined,
  field: string,
  min: number,
  max: number,
): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isInteger(n) || n < min || n > max) {
    throw new AtsmError({
      code: "INVALID_ARGUMENT",
      message: `invalid ${field}: must be an integer from ${min} to ${max}`,
      value,
      field,
    });
  }
  return n;
}

/** `{ name: UUID }` params object. */
export function idParams(...names: string[]): Record<string, unknown> {
  const properties: Record<string, unknown> = {};
  for (const n of names) properties[n] = UUID;
  return { type: "object", properties, required: names, additionalProperties: false };
}

/** A closed object schema. */
export function obj(properties: Record<string, unknown>, required: string[] = []): Record<string, unknown> {
  return { type: "object", properties, required, additionalProperties: false };
}

/** An open object (response documentation only; responses are not filtered by schema). */
export function open(description: string, properties: Record<string, unknown> = {}): Record<string, unknown> {
  return { type: "object", description, properties, additionalProperties: true };
}

export const ERROR_BODY = {
  type: "object",
  description: "Error body; code is stable (src/core/errors.ts AtsmErrorCode)",
  properties: {
    error: obj(
      {
        code: { type: "string" },
        message: { type: "string" },
        field: { type: "string" },
        hint: { type: "string" },
      },
      ["code", "message"],
    ),
  },
  required: ["error"],
} as const;

export const USER = open("User", {
  id: UUID,
  username: { type: "string" },
  role: ROLE,
  createdAt: { type: "string" },
  disabled: { type: "boolean" },
});

/** Response map: `{ 200: schema }` plus the error body for 4xx/5xx. */
export function responses(ok: Record<number, unknown>): Record<string, unknown> {
  return { ...ok, "4xx": ERROR_BODY, "5xx": ERROR_BODY };
}
