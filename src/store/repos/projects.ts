/** Projects and members, tumour models, subjects and injections. */
import { isUuid, type Row, text, toInjection, toProject, toSubject, toTumourModel } from "../rows.js";
import type { MemberRow, Repositories, Role, SubjectRow } from "../types.js";
import { expectRow, notFound, type RepoContext } from "./context.js";

const PROJECT_COLS = "p.id, p.name, p.description, p.created_at, p.created_by";

export function projectsRepo(c: RepoContext): Repositories["projects"] {
  return {
    async create(p) {
      const r = await c.first(
        `INSERT INTO projects (name, description, created_by) VALUES ($1, $2, $3)
         RETURNING id, name, description, created_at, created_by`,
        [p.name, p.description, p.createdBy],
      );
      return toProject(expectRow(r, "project", p.name));
    },
    async byId(id) {
      if (!isUuid(id)) return null;
      const r = await c.first(`SELECT ${PROJECT_COLS} FROM projects p WHERE p.id = $1`, [id]);
      return r === null ? null : toProject(r);
    },
    /**
     * userId null: every project, role null. A site admin: every project, role "admin" (site
     * admins manage every project). Anyone else: the projects they are a member of, with that role.
     */
    async listFor(userId) {
      const withRole = (r: Row) => ({ ...toProject(r), role: (r["role"] ?? null) as Role | null });
      if (userId === null) {
        const rows = await c.rows(
          `SELECT ${PROJECT_COLS}, NULL AS role FROM projects p ORDER BY p.name, p.id`,
        );
        return rows.map(withRole);
      }
      if (!isUuid(userId)) return [];
      const rows = await c.rows(
        `SELECT ${PROJECT_COLS}, CASE WHEN u.role = 'admin' THEN 'admin' ELSE m.role END AS role
           FROM projects p
           JOIN users u ON u.id = $1
           LEFT JOIN project_members m ON m.project_id = p.id AND m.user_id = u.id
          WHERE u.role = 'admin' OR m.user_id IS NOT NULL
          ORDER BY p.name, p.id`,
        [userId],
      );
      return rows.map(withRole);
    },
    async addMember(projectId, userId, role) {
      // Adding an existing member changes their role (idempotent for the same role).
      await c.rows(
        `INSERT INTO project_members (project_id, user_id, role) VALUES ($1, $2, $3)
         ON CONFLICT (project_id, user_id) DO UPDATE SET role = EXCLUDED.role`,
        [projectId, userId, role],
      );
    },
    async removeMember(projectId, userId) {
      if (!isUuid(projectId) || !isUuid(userId)) return;
      await c.rows("DELETE FROM project_members WHERE project_id = $1 AND user_id = $2", [projectId, userId]);
    },
    async members(projectId) {
      if (!isUuid(projectId)) return [];
      const rows = await c.rows(
        `SELECT m.project_id, m.user_id, u.username, m.role
           FROM project_members m JOIN users u ON u.id = m.user_id
          WHERE m.project_id = $1 ORDER BY u.username`,
        [projectId],
      );
      return rows.map(
        (r): MemberRow => ({
          projectId: text(r["project_id"]),
          userId: text(r["user_id"]),
          username: text(r["username"]),
          role: text(r["role"]) as Role,
        }),
      );
    },
    async roleOf(projectId, userId) {
      if (!isUuid(projectId) || !isUuid(userId)) return null;
      const r = await c.first("SELECT role FROM project_members WHERE project_id = $1 AND user_id = $2", [
        projectId,
        userId,
      ]);
      return r === null ? null : (text(r["role"]) as Role);
    },
  };
}

const TM_COLS = "id, project_id, name, cell_line, site, implantation, notes";

export function tumourModelsRepo(c: RepoContext): Repositories["tumourModels"] {
  return {
    async create(m) {
      const r = await c.first(
        `INSERT INTO tumour_models (project_id, name, cell_line, site, implantation, notes)
         VALUES ($1, $2, $3, $4, $5, $6) RETURNING ${TM_COLS}`,
        [m.projectId, m.name, m.cellLine, m.site, m.implantation, m.notes],
      );
      return toTumourModel(expectRow(r, "tumour model", m.name));
    },
    async list(projectId) {
      if (!isUuid(projectId)) return [];
      const rows = await c.rows(
        `SELECT ${TM_COLS} FROM tumour_models WHERE project_id = $1 ORDER BY name, id`,
        [projectId],
      );
      return rows.map(toTumourModel);
    },
    async byId(id) {
      if (!isUuid(id)) return null;
      const r = await c.first(`SELECT ${TM_COLS} FROM tumour_models WHERE id = $1`, [id]);
      return r === null ? null : toTumourModel(r);
    },
  };
}

const SUBJECT_COLS =
  "id, project_id, label, kind, species, strain, sex, weight_kg, height_m, tumour_model_id, notes";

/** Patchable subject fields → columns (the only names that ever reach the SQL text). */
const SUBJECT_PATCH: Readonly<Record<string, string>> = {
  label: "label",
  kind: "kind",
  species: "species",
  strain: "strain",
  sex: "sex",
  weightKg: "weight_kg",
  heightM: "height_m",
  tumourModelId: "tumour_model_id",
  notes: "notes",
};

export function subjectsRepo(c: RepoContext): Repositories["subjects"] {
  return {
    async create(s) {
      const r = await c.first(
        `INSERT INTO subjects (project_id, label, kind, species, strain, sex, weight_kg, height_m,
                               tumour_model_id, notes)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) RETURNING ${SUBJECT_COLS}`,
        [
          s.projectId,
          s.label,
          s.kind,
          s.species,
          s.strain,
          s.sex,
          s.weightKg,
          s.heightM,
          s.tumourModelId,
          s.notes,
        ],
      );
      return toSubject(expectRow(r, "subject", s.label));
    },
    async list(projectId) {
      if (!isUuid(projectId)) return [];
      const rows = await c.rows(`SELECT ${SUBJECT_COLS} FROM subjects WHERE project_id = $1 ORDER BY label`, [
        projectId,
      ]);
      return rows.map(toSubject);
    },
    async byId(id) {
      if (!isUuid(id)) return null;
      const r = await c.first(`SELECT ${SUBJECT_COLS} FROM subjects WHERE id = $1`, [id]);
      return r === null ? null : toSubject(r);
    },
    async update(id, patch) {
      if (!isUuid(id)) notFound("subject", id);
      const sets: string[] = [];
      const params: unknown[] = [id];
      for (const [key, value] of Object.entries(patch as Partial<SubjectRow>)) {
        const col = SUBJECT_PATCH[key];
        if (col === undefined || value === undefined) continue;
        params.push(value);
        sets.push(`${col} = $${params.length}`);
      }
      const r =
        sets.length === 0
          ? await c.first(`SELECT ${SUBJECT_COLS} FROM subjects WHERE id = $1`, params)
          : await c.first(
              `UPDATE subjects SET ${sets.join(", ")} WHERE id = $1 RETURNING ${SUBJECT_COLS}`,
              params,
            );
      return toSubject(expectRow(r, "subject", id));
    },
    async delete(id) {
      if (!isUuid(id)) return;
      await c.rows("DELETE FROM subjects WHERE id = $1", [id]);
    },
  };
}

const INJ_COLS =
  "id, subject_id, radiopharmaceutical, nuclide, activity_bq, activity_time, residual_bq, residual_time, " +
  "injection_time, route";

export function injectionsRepo(c: RepoContext): Repositories["injections"] {
  return {
    async create(i) {
      const r = await c.first(
        `INSERT INTO injections (subject_id, radiopharmaceutical, nuclide, activity_bq, activity_time,
                                 residual_bq, residual_time, injection_time, route)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING ${INJ_COLS}`,
        [
          i.subjectId,
          i.radiopharmaceutical,
          i.nuclide,
          i.activityBq,
          i.activityTime,
          i.residualBq,
          i.residualTime,
          i.injectionTime,
          i.route,
        ],
      );
      return toInjection(expectRow(r, "injection", i.subjectId));
    },
    async list(subjectId) {
      if (!isUuid(subjectId)) return [];
      const rows = await c.rows(
        `SELECT ${INJ_COLS} FROM injections WHERE subject_id = $1 ORDER BY injection_time, id`,
        [subjectId],
      );
      return rows.map(toInjection);
    },
    async byId(id) {
      if (!isUuid(id)) return null;
      const r = await c.first(`SELECT ${INJ_COLS} FROM injections WHERE id = $1`, [id]);
      return r === null ? null : toInjection(r);
    },
  };
}
