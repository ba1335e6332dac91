/** GET /api/health: liveness plus which database engine is in use. */
import type { FastifyInstance } from "fastify";
import type { ServerDeps } from "../context.js";

export function registerHealthRoutes(app: FastifyInstance, deps: ServerDeps): void {
  app.get(
    "/api/health",
    {
      config: { public: true },
      schema: {
        summary: "liveness and database engine",
        tags: ["meta"],
        response: {
          200: {
            type: "object",
            properties: {
              ok: { type: "boolean" },
              database: { type: "string", enum: ["pglite", "postgres"] },
              version: { type: "string" },
            },
            required: ["ok", "database", "version"],
          },
        },
      },
    },
    async () => ({ ok: true, database: deps.store.kind, version: deps.version }),
  );
}
