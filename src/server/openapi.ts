/**
 * /api/openapi.json generated from the route definitions Fastify validates with: an `onRoute` hook
 * records every /api route's method, URL and schema as it is registered, and `openApiDocument`
 * turns that list into an OpenAPI 3.1 document (JSON Schema 2020-12 compatible fragments).
 */
import type { FastifyInstance, RouteOptions } from "fastify";

export interface RecordedRoute {
  readonly method: string;
  /** Fastify URL, e.g. `/api/projects/:pid`. */
  readonly url: string;
  readonly schema: Readonly<Record<string, unknown>>;
  readonly public: boolean;
}

/** Start recording /api routes registered on `app` from now on; returns the live list. */
export function recordRoutes(app: FastifyInstance): RecordedRoute[] {
  const routes: RecordedRoute[] = [];
  app.addHook("onRoute", (r: RouteOptions) => {
    if (!r.url.startsWith("/api/")) return;
    const methods = Array.isArray(r.method) ? r.method : [r.method];
    for (const m of methods) {
      if (m === "HEAD" || m === "OPTIONS") continue;
      routes.push({
        method: m,
        url: r.url,
        schema: (r.schema ?? {}) as Record<string, unknown>,
        public: r.config?.public === true,
      });
    }
  });
  return routes;
}

/** `/api/projects/:pid` → `/api/projects/{pid}`. */
export function openApiPath(url: string): string {
  return url.replace(/:([A-Za-z0-9_]+)/g, "{$1}");
}

function parameters(schema: unknown, where: "path" | "query"): Record<string, unknown>[] {
  const s = schema as { properties?: Record<string, unknown>; required?: string[] } | undefined;
  if (s?.properties === undefined) return [];
  const required = new Set(s.required ?? []);
  return Object.entries(s.properties).map(([name, sch]) => ({
    name,
    in: where,
    required: where === "path" ? true : required.has(name),
    schema: sch,
  }));
}

function statusDescription(code: string): string {
  if (code === "4xx") return "client error (error body)";
  if (code === "5xx") return "server error (error body)";
  if (code === "204") return "no content";
  if (code === "302") return "redirect";
  return "success";
}

/** The OpenAPI 3.1 document of the recorded routes. */
export function openApiDocument(routes: readonly RecordedRoute[], version: string): Record<string, unknown> {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const r of routes) {
    const s = r.schema as {
      params?: unknown;
      querystring?: unknown;
      body?: unknown;
      response?: Record<string, unknown>;
      summary?: string;
      description?: string;
      tags?: string[];
      consumes?: string[];
      produces?: string[];
    };
    const op: Record<string, unknown> = {
      operationId: `${r.method.toLowerCase()}${r.url.replace(/[^A-Za-z0-9]+(.)?/g, (_m, c: string | undefined) => (c ?? "").toUpperCase())}`,
      summary: s.summary ?? "",
      ...(s.description !== undefined ? { description: s.description } : {}),
      tags: s.tags ?? [r.url.split("/")[2] ?? "api"],
      parameters: [...parameters(s.params, "path"), ...parameters(s.querystring, "query")],
      responses: Object.fromEntries(
        Object.entries(s.response ?? { "200": {} }).map(([code, body]) => {
          const produces =
            code.startsWith("2") && s.produces !== undefined ? s.produces : ["application/json"];
          const hasBody = code !== "204" && code !== "302";
          return [
            code,
            {
              description: statusDescription(code),
              ...(hasBody ? { content: Object.fromEntries(produces.map((p) => [p, { schema: body }])) } : {}),
            },
          ];
        }),
      ),
      ...(r.public ? { security: [] } : {}),
    };
    if (s.body !== undefined) {
      op.requestBody = { required: true, content: { "application/json": { schema: s.body } } };
    } else if (s.consumes?.includes("multipart/form-data")) {
      op.requestBody = {
        required: true,
        content: { "multipart/form-data": { schema: { type: "object", description: s.description ?? "" } } },
      };
    }
    const p = openApiPath(r.url);
    paths[p] ??= {};
    paths[p][r.method.toLowerCase()] = op;
  }
  return {
    openapi: "3.1.0",
    info: {
      title: "ATSM Workbench API",
      version,
      description:
        'Errors: `{ "error": { code, message, field?, hint? } }`. Auth: cookie `atsm_session` from POST /api/auth/login.',
    },
    servers: [{ url: "/" }],
    components: {
      securitySchemes: { session: { type: "apiKey", in: "cookie", name: "atsm_session" } },
    },
    security: [{ session: [] }],
    paths,
  };
}

/** Register GET /api/openapi.json serving the document of `routes` (built lazily once). */
export function registerOpenApiRoute(
  app: FastifyInstance,
  routes: readonly RecordedRoute[],
  version: string,
): void {
  let doc: Record<string, unknown> | null = null;
  app.get(
    "/api/openapi.json",
    {
      config: { public: true },
      schema: { summary: "this OpenAPI 3.1 document", tags: ["meta"], response: { 200: { type: "object" } } },
    },
    async () => {
      doc ??= openApiDocument(routes, version);
      return doc;
    },
  );
}
