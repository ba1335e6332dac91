/** Documents (radiolabelling batches, assays) and the audit log. */
import { isUuid, json, toAudit, toDocument } from "../rows.js";
import type { Repositories } from "../types.js";
import { expectRow, type RepoContext } from "./context.js";

const DOC_COLS = "id, project_id, kind, name, input, result, software_version, created_at, created_by";

export function documentsRepo(c: RepoContext): Repositories["documents"] {
  return {
    async create(d) {
      const r = await c.first(
        `INSERT INTO documents (project_id, kind, name, input, result, software_version, created_by)
         VALUES ($1, $2, $3, $4::jsonb, $5::jsonb, $6, $7) RETURNING ${DOC_COLS}`,
        [d.projectId, d.kind, d.name, json(d.input), json(d.result), d.softwareVersion, d.createdBy],
      );
      return toDocument(expectRow(r, "document", d.projectId));
    },
    async list(projectId, kind) {
      if (!isUuid(projectId)) return [];
      const rows = await c.rows(
        `SELECT ${DOC_COLS} FROM documents WHERE project_id = $1 AND ($2::text IS NULL OR kind = $2)
          ORDER BY created_at DESC, id`,
        [projectId, kind ?? null],
      );
      return rows.map(toDocument);
    },
    async byId(id) {
      if (!isUuid(id)) return null;
      const r = await c.first(`SELECT ${DOC_COLS} FROM documents WHERE id = $1`, [id]);
      return r === null ? null : toDocument(r);
    },
  };
}

/** Default and largest page of `audit.list`. */
const AUDIT_DEFAULT_LIMIT = 200;
const AUDIT_MAX_LIMIT = 10_000;

export function auditRepo(c: RepoContext): Repositories["audit"] {
  return {
    async record(e) {
      await c.rows(
        `INSERT INTO audit_log (actor_id, action, entity_type, entity_id, project_id, detail)
         VALUES ($1, $2, $3, $4, $5, $6::jsonb)`,
        [e.actorId, e.action, e.entityType, e.entityId, e.projectId, json(e.detail)],
      );
    },
    /** Newest first. */
    async list(filter) {
      const limit = Math.max(0, Math.min(Math.floor(filter.limit ?? AUDIT_DEFAULT_LIMIT), AUDIT_MAX_LIMIT));
      if (filter.projectId !== undefined && !isUuid(filter.projectId)) return [];
      const rows = await c.rows(
        `SELECT id, at, actor_id, action, entity_type, entity_id, project_id, detail FROM audit_log
          WHERE ($1::uuid IS NULL OR project_id = $1) ORDER BY id DESC LIMIT $2`,
        [filter.projectId ?? null, limit],
      );
      return rows.map(toAudit);
    },
  };
}
