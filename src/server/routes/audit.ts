/** GET /api/audit?projectId=&limit=: site admins (any or all projects) or a project's admins (theirs). */
import type { FastifyInstance } from "fastify";
import { requireProject, requireUser } from "../access.js";
import type { ServerDeps } from "../context.js";
import { forbidden } from "../errors.js";
import { INT_QUERY, intQuery, obj, open, responses, UUID } from "../schemas.js";

const AUDIT_ROW = open("AuditRow", {
  id: { type: "integer" },
  at: { type: "string" },
  actorId: { type: ["string", "null"] },
  action: { type: "string" },
  entityType: { type: "string" },
  entityId: { type: ["string", "null"] },
  projectId: { type: ["string", "null"] },
  detail: { type: "object" },
});

export function registerAuditRoutes(app: FastifyInstance, deps: ServerDeps): void {
  app.get(
    "/api/audit",
    {
      schema: {
        summary: "audit log, newest first (site admins; project admins with projectId)",
        tags: ["audit"],
        querystring: obj({ projectId: UUID, limit: INT_QUERY }),
        response: responses({ 200: { type: "array", items: AUDIT_ROW } }),
      },
    },
    async (req) => {
      const q = req.query as { projectId?: string; limit?: string };
      const limit = intQuery(q.limit, "limit", 1, 10_000);
      const user = requireUser(req);
      if (q.projectId !== undefined) await requireProject(deps.store, req, q.projectId, "admin");
      else if (user.role !== "admin")
        throw forbidden("site administrators only; project admins pass projectId");
      return deps.store.audit.list({
        ...(q.projectId !== undefined ? { projectId: q.projectId } : {}),
        limit: limit ?? 500,
      });
    },
  );
}
