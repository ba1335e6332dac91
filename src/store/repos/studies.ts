/** Studies with their series and files, VOIs and stored results. */
import { iso, isUuid, json, obj, type Row, text, textOrNull, toResult, toVoi } from "../rows.js";
import type { Repositories, SeriesRow, StoredFileRow, StudyHead, StudyRow } from "../types.js";
import { expectRow, notFound, type RepoContext } from "./context.js";

/**
 * A study row with its series (ordered) and each series' files (ordered) built by the database as
 * jsonb, so one statement returns whole studies. float8 → jsonb keeps the shortest round-trip text,
 * so spacings come back bit-identical.
 */
const SERIES_JSON = `COALESCE((
  SELECT jsonb_agg(jsonb_build_object(
    'id', se.id, 'studyId', se.study_id, 'modality', se.modality, 'format', se.format,
    'description', se.description, 'seriesInstanceUid', se.series_instance_uid,
    'dims', jsonb_build_array(se.nx, se.ny, se.nz), 'frames', se.frames,
    'spacingMm', jsonb_build_array(se.dx_mm, se.dy_mm, se.dz_mm), 'unit', se.unit, 'meta', se.meta,
    'files', COALESCE((
      SELECT jsonb_agg(jsonb_build_object('sha256', f.sha256, 'name', f.name, 'sizeBytes', f.size_bytes)
                       ORDER BY f.ord)
        FROM series_files f WHERE f.series_id = se.id), '[]'::jsonb)
  ) ORDER BY se.ord)
  FROM series se WHERE se.study_id = st.id), '[]'::jsonb) AS series`;

const STUDY_COLS = `st.id, st.project_id, st.subject_id, st.injection_id, st.description,
  st.study_instance_uid, st.study_date, st.created_at, st.created_by`;

const STUDY_SELECT = `SELECT ${STUDY_COLS}, ${SERIES_JSON} FROM studies st`;

/** The study's columns and its series count: no jsonb built, no `meta` or file lists read. */
const HEAD_SELECT = `SELECT ${STUDY_COLS},
  (SELECT count(*) FROM series se WHERE se.study_id = st.id) AS series_count FROM studies st`;

function toSeries(v: unknown): SeriesRow {
  const s = obj(v);
  const files = Array.isArray(s["files"]) ? (s["files"] as unknown[]) : [];
  return {
    id: text(s["id"]),
    studyId: text(s["studyId"]),
    modality: text(s["modality"]),
    format: text(s["format"]) as SeriesRow["format"],
    description: text(s["description"]),
    seriesInstanceUid: textOrNull(s["seriesInstanceUid"]),
    dims: triple(s["dims"]),
    frames: Number(s["frames"]),
    spacingMm: triple(s["spacingMm"]),
    unit: text(s["unit"]),
    meta: obj(s["meta"]),
    files: files.map((f): StoredFileRow => {
      const o = obj(f);
      return { sha256: text(o["sha256"]), name: text(o["name"]), sizeBytes: Number(o["sizeBytes"]) };
    }),
  };
}

function triple(v: unknown): readonly [number, number, number] {
  const a = Array.isArray(v) ? v : [];
  return [Number(a[0]), Number(a[1]), Number(a[2])];
}

/** The study's own columns (no series). */
function studyCols(r: Row): Omit<StudyRow, "series"> {
  return {
    id: text(r["id"]),
    projectId: text(r["project_id"]),
    subjectId: textOrNull(r["subject_id"]),
    injectionId: textOrNull(r["injection_id"]),
    description: text(r["description"]),
    studyInstanceUid: textOrNull(r["study_instance_uid"]),
    studyDate: textOrNull(r["study_date"]),
    createdAt: iso(r["created_at"]),
    createdBy: text(r["created_by"]),
  };
}

function toHead(r: Row): StudyHead {
  return { ...studyCols(r), seriesCount: Number(r["series_count"]) };
}

function toStudy(r: Row): StudyRow {
  const series = typeof r["series"] === "string" ? (JSON.parse(r["series"]) as unknown) : r["series"];
  return { ...studyCols(r), series: (Array.isArray(series) ? series : []).map(toSeries) };
}

/** `mask:blob:<sha256>[:label]` VOI specs name a stored mask blob. */
const MASK_BLOB_RE = /^mask:blob:([0-9a-f]{64})(?::|$)/;

const STUDIES_DEFAULT_LIMIT = 1000;
const STUDIES_MAX_LIMIT = 10_000;

/** Files per multi-row INSERT (5 parameters each; PostgreSQL allows 65535 per statement). */
const FILES_PER_INSERT = 1000;

async function insertFiles(c: RepoContext, seriesId: string, files: readonly StoredFileRow[]): Promise<void> {
  for (let start = 0; start < files.length; start += FILES_PER_INSERT) {
    const chunk = files.slice(start, start + FILES_PER_INSERT);
    const params: unknown[] = [];
    const values = chunk.map((f, i) => {
      params.push(seriesId, start + i, f.sha256, f.name, f.sizeBytes);
      const b = i * 5;
      return `($${b + 1}, $${b + 2}, $${b + 3}, $${b + 4}, $${b + 5})`;
    });
    await c.rows(
      `INSERT INTO series_files (series_id, ord, sha256, name, size_bytes) VALUES ${values.join(", ")}`,
      params,
    );
  }
}

async function studyById(c: RepoContext, id: string): Promise<StudyRow | null> {
  if (!isUuid(id)) return null;
  const r = await c.first(`${STUDY_SELECT} WHERE st.id = $1`, [id]);
  return r === null ? null : toStudy(r);
}

export function studiesRepo(c: RepoContext): Repositories["studies"] {
  return {
    create(s) {
      return c.atomic(async (t) => {
        const st = expectRow(
          await t.first(
            `INSERT INTO studies (project_id, subject_id, injection_id, description, study_instance_uid,
                                  study_date, created_by)
             VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id`,
            [
              s.projectId,
              s.subjectId,
              s.injectionId,
              s.description,
              s.studyInstanceUid,
              s.studyDate,
              s.createdBy,
            ],
          ),
          "study",
          s.projectId,
        );
        const studyId = text(st["id"]);
        for (const [ord, se] of s.series.entries()) {
          const row = expectRow(
            await t.first(
              `INSERT INTO series (study_id, ord, modality, format, description, series_instance_uid,
                                   nx, ny, nz, frames, dx_mm, dy_mm, dz_mm, unit, meta)
               VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15::jsonb) RETURNING id`,
              [
                studyId,
                ord,
                se.modality,
                se.format,
                se.description,
                se.seriesInstanceUid,
                se.dims[0],
                se.dims[1],
                se.dims[2],
                se.frames,
                se.spacingMm[0],
                se.spacingMm[1],
                se.spacingMm[2],
                se.unit,
                json(se.meta),
              ],
            ),
            "series",
            studyId,
          );
          await insertFiles(t, text(row["id"]), se.files);
        }
        return (await studyById(t, studyId)) ?? notFound("study", studyId);
      });
    },
    byId: (id) => studyById(c, id),
    async head(id) {
      if (!isUuid(id)) return null;
      const r = await c.first(`${HEAD_SELECT} WHERE st.id = $1`, [id]);
      return r === null ? null : toHead(r);
    },
    async seriesStudyId(seriesId) {
      if (!isUuid(seriesId)) return null;
      const r = await c.first("SELECT study_id FROM series WHERE id = $1", [seriesId]);
      return r === null ? null : text(r["study_id"]);
    },
    /** Newest first; `page.limit` defaults to 1000 (at most 10 000), `page.offset` to 0. */
    async list(projectId, page = {}) {
      if (!isUuid(projectId)) return [];
      const limit = Math.max(0, Math.min(Math.floor(page.limit ?? STUDIES_DEFAULT_LIMIT), STUDIES_MAX_LIMIT));
      const offset = Math.max(0, Math.floor(page.offset ?? 0));
      const rows = await c.rows(
        `${STUDY_SELECT} WHERE st.project_id = $1 ORDER BY st.created_at DESC, st.id LIMIT $2 OFFSET $3`,
        [projectId, limit, offset],
      );
      return rows.map(toStudy);
    },
    async seriesById(id) {
      if (!isUuid(id)) return null;
      const r = await c.first(`${STUDY_SELECT} WHERE st.id = (SELECT study_id FROM series WHERE id = $1)`, [
        id,
      ]);
      if (r === null) return null;
      const study = toStudy(r);
      const se = study.series.find((x) => x.id === id);
      return se === undefined ? null : { ...se, projectId: study.projectId };
    },
    async delete(id) {
      if (!isUuid(id)) return;
      await c.rows("DELETE FROM studies WHERE id = $1", [id]);
    },
    async referencedBlobs() {
      const out = new Set<string>();
      for (const r of await c.rows("SELECT DISTINCT sha256 FROM series_files")) out.add(text(r["sha256"]));
      for (const r of await c.rows("SELECT spec FROM vois WHERE spec LIKE 'mask:blob:%'")) {
        const m = MASK_BLOB_RE.exec(text(r["spec"]));
        if (m?.[1] !== undefined) out.add(m[1]);
      }
      return out;
    },
  };
}

const VOI_COLS = "id, study_id, name, role, spec, created_at, created_by";

export function voisRepo(c: RepoContext): Repositories["vois"] {
  return {
    async create(v) {
      const r = await c.first(
        `INSERT INTO vois (study_id, name, role, spec, created_by) VALUES ($1, $2, $3, $4, $5)
         RETURNING ${VOI_COLS}`,
        [v.studyId, v.name, v.role, v.spec, v.createdBy],
      );
      return toVoi(expectRow(r, "VOI", v.studyId));
    },
    async list(studyId) {
      if (!isUuid(studyId)) return [];
      const rows = await c.rows(`SELECT ${VOI_COLS} FROM vois WHERE study_id = $1 ORDER BY created_at, id`, [
        studyId,
      ]);
      return rows.map(toVoi);
    },
    async byId(id) {
      if (!isUuid(id)) return null;
      const r = await c.first(`SELECT ${VOI_COLS} FROM vois WHERE id = $1`, [id]);
      return r === null ? null : toVoi(r);
    },
    async update(id, patch) {
      if (!isUuid(id)) notFound("VOI", id);
      const r = await c.first(
        `UPDATE vois SET name = COALESCE($2, name), role = COALESCE($3, role), spec = COALESCE($4, spec)
          WHERE id = $1 RETURNING ${VOI_COLS}`,
        [id, patch.name ?? null, patch.role ?? null, patch.spec ?? null],
      );
      return toVoi(expectRow(r, "VOI", id));
    },
    async delete(id) {
      if (!isUuid(id)) return;
      await c.rows("DELETE FROM vois WHERE id = $1", [id]);
    },
  };
}

const RESULT_COLS = "id, study_id, kind, inputs, result, software_version, created_at, created_by";

export function resultsRepo(c: RepoContext): Repositories["results"] {
  return {
    async create(r) {
      const row = await c.first(
        `INSERT INTO results (study_id, kind, inputs, result, software_version, created_by)
         VALUES ($1, $2, $3::jsonb, $4::jsonb, $5, $6) RETURNING ${RESULT_COLS}`,
        [r.studyId, r.kind, json(r.inputs), json(r.result), r.softwareVersion, r.createdBy],
      );
      return toResult(expectRow(row, "result", r.studyId));
    },
    async list(studyId) {
      if (!isUuid(studyId)) return [];
      const rows = await c.rows(
        `SELECT ${RESULT_COLS} FROM results WHERE study_id = $1 ORDER BY created_at, id`,
        [studyId],
      );
      return rows.map(toResult);
    },
    async byId(id) {
      if (!isUuid(id)) return null;
      const r = await c.first(`SELECT ${RESULT_COLS} FROM results WHERE id = $1`, [id]);
      return r === null ? null : toResult(r);
    },
  };
}
