/** Studies: GET /api/projects/:pid/studies, GET/DELETE /api/studies/:id. */
import type { FastifyInstance } from "fastify";
import type { StudyRow } from "../../store/types.js";
import { requireProject, requireStudy } from "../access.js";
import { audit } from "../audit.js";
import type { ServerDeps } from "../context.js";
import { INT_QUERY, idParams, intQuery, obj, open, responses } from "../schemas.js";

export const STUDY = open("StudyDto: the study row with its series", {
  id: { type: "string" },
  projectId: { type: "string" },
  description: { type: "string" },
  series: { type: "array", items: open("Series") },
});

/** Study as sent: the row; `full` false drops the bulky series `meta` and file lists. */
export function studyDto(s: StudyRow, full: boolean): Record<string, unknown> {
  if (full) return { ...s };
  return {
    ...s,
    series: s.series.map(({ meta: _m, files, ...rest }) => ({
      ...rest,
      fileCount: files.length,
      sizeBytes: files.reduce((n, f) => n + f.sizeBytes, 0),
    })),
  };
}

export function registerStudyRoutes(app: FastifyInstance, deps: ServerDeps): void {
  const { store } = deps;
  app.get(
    "/api/projects/:pid/studies",
    {
      schema: {
        summary: "studies of a project (series without metadata)",
        tags: ["studies"],
        params: idParams("pid"),
        querystring: obj({ limit: INT_QUERY, offset: INT_QUERY }),
        response: responses({ 200: { type: "array", items: STUDY } }),
      },
    },
    async (req) => {
      const { pid } = req.params as { pid: string };
      const q = req.query as { limit?: string; offset?: string };
      const limit = intQuery(q.limit, "limit", 1, 1000);
      const offset = intQuery(q.offset, "offset", 0, 1e9);
      await requireProject(store, req, pid, "viewer");
      const page = { ...(limit !== undefined ? { limit } : {}), ...(offset !== undefined ? { offset } : {}) };
      return (await store.studies.list(pid, page)).map((s) => studyDto(s, false));
    },
  );

  app.get(
    "/api/studies/:id",
    {
      schema: {
        summary: "one study with its series and files",
        tags: ["studies"],
        params: idParams("id"),
        response: responses({ 200: STUDY }),
      },
    },
    async (req) => {
      const { id } = req.params as { id: string };
      return studyDto((await requireStudy(store, req, id, "viewer")).study, true);
    },
  );

  app.delete(
    "/api/studies/:id",
    {
      schema: {
        summary: "delete a study, its VOIs and results (analysts)",
        tags: ["studies"],
        params: idParams("id"),
        response: responses({ 204: { type: "null" } }),
      },
    },
    async (req, reply) => {
      const { id } = req.params as { id: string };
      const a = await requireStudy(store, req, id, "analyst");
      await store.transaction(async (tx) => {
        await tx.studies.delete(id);
        await audit(tx, a.user, {
          action: "delete",
          entityType: "study",
          entityId: id,
          projectId: a.study.projectId,
          detail: { description: a.study.description },
        });
      });
      deps.cache.evict(id);
      // Files stay until no row references them; start-up removes orphans (other studies may share blobs).
      return reply.status(204).send();
    },
  );
}
