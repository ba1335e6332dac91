/**
 * Versioned schema migrations, identical for PGlite and PostgreSQL.
 *
 * Policy: a migration, once released, is never edited; change the schema by appending a new
 * {version, name, sql} with the next version number. `runMigrations` applies the pending ones in
 * ascending order inside one transaction and records each in `schema_migrations`, so a failure
 * leaves the database as it was. On PostgreSQL a transaction-scoped advisory lock makes two servers
 * that start together apply them once.
 */
import type { Queryable, SqlClient } from "./sql.js";

export interface Migration {
  readonly version: number;
  readonly name: string;
  readonly sql: string;
}

const ROLE = "('viewer', 'analyst', 'admin')";

export const MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    name: "initial schema",
    sql: `
CREATE TABLE users (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  username text NOT NULL UNIQUE CHECK (length(username) BETWEEN 1 AND 200),
  password_hash text NOT NULL,
  role text NOT NULL CHECK (role IN ${ROLE}),
  disabled boolean NOT NULL DEFAULT false,
  created_at timestamptz NOT NULL DEFAULT clock_timestamp()
);

CREATE TABLE sessions (
  token_hash text PRIMARY KEY,
  user_id uuid NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  created_at timestamptz NOT NULL,
  expires_at timestamptz NOT NULL
);
CREATE INDEX sessions_expires_at ON sessions (expires_at);

CREATE TABLE login_tokens (
  token_hash text PRIMARY KEY,
  user_id uuid NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  expires_at timestamptz NOT NULL,
  used_at timestamptz
);

CREATE TABLE projects (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  name text NOT NULL CHECK (length(name) > 0),
  description text NOT NULL DEFAULT '',
  created_at timestamptz NOT NULL DEFAULT clock_timestamp(),
  created_by uuid NOT NULL REFERENCES users(id)
);

CREATE TABLE project_members (
  project_id uuid NOT NULL REFERENCES projects(id) ON DELETE CASCADE,
  user_id uuid NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  role text NOT NULL CHECK (role IN ${ROLE}),
  PRIMARY KEY (project_id, user_id)
);
CREATE INDEX project_members_user ON project_members (user_id);

CREATE TABLE tumour_models (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  project_id uuid NOT NULL REFERENCES projects(id) ON DELETE CASCADE,
  name text NOT NULL CHECK (length(name) > 0),
  cell_line text,
  site text,
  implantation text,
  notes text NOT NULL DEFAULT '',
  created_at timestamptz NOT NULL DEFAULT clock_timestamp()
);
CREATE INDEX tumour_models_project ON tumour_models (project_id);

CREATE TABLE subjects (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  project_id uuid NOT NULL REFERENCES projects(id) ON DELETE CASCADE,
  label text NOT NULL CHECK (length(label) > 0),
  kind text NOT NULL CHECK (kind IN ('animal', 'patient')),
  species text,
  strain text,
  sex text CHECK (sex IN ('F', 'M', 'O')),
  weight_kg double precision CHECK (weight_kg > 0),
  height_m double precision CHECK (height_m > 0),
  tumour_model_id uuid REFERENCES tumour_models(id) ON DELETE SET NULL,
  notes text NOT NULL DEFAULT '',
  created_at timestamptz NOT NULL DEFAULT clock_timestamp(),
  UNIQUE (project_id, label)
);

CREATE TABLE injections (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  subject_id uuid NOT NULL REFERENCES subjects(id) ON DELETE CASCADE,
  radiopharmaceutical text NOT NULL,
  nuclide text NOT NULL,
  activity_bq double precision NOT NULL CHECK (activity_bq >= 0),
  activity_time timestamptz NOT NULL,
  residual_bq double precision CHECK (residual_bq >= 0),
  residual_time timestamptz,
  injection_time timestamptz NOT NULL,
  route text NOT NULL,
  created_at timestamptz NOT NULL DEFAULT clock_timestamp()
);
CREATE INDEX injections_subject ON injections (subject_id);

CREATE TABLE studies (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  project_id uuid NOT NULL REFERENCES projects(id) ON DELETE CASCADE,
  subject_id uuid REFERENCES subjects(id) ON DELETE SET NULL,
  injection_id uuid REFERENCES injections(id) ON DELETE SET NULL,
  description text NOT NULL DEFAULT '',
  study_instance_uid text,
  study_date text,
  created_at timestamptz NOT NULL DEFAULT clock_timestamp(),
  created_by uuid NOT NULL REFERENCES users(id)
);
CREATE INDEX studies_project ON studies (project_id, created_at);

CREATE TABLE series (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  study_id uuid NOT NULL REFERENCES studies(id) ON DELETE CASCADE,
  ord integer NOT NULL,
  modality text NOT NULL,
  format text NOT NULL CHECK (format IN ('dicom', 'nifti', 'inveon', 'interfile')),
  description text NOT NULL DEFAULT '',
  series_instance_uid text,
  nx integer NOT NULL CHECK (nx > 0),
  ny integer NOT NULL CHECK (ny > 0),
  nz integer NOT NULL CHECK (nz > 0),
  frames integer NOT NULL CHECK (frames > 0),
  dx_mm double precision NOT NULL CHECK (dx_mm > 0),
  dy_mm double precision NOT NULL CHECK (dy_mm > 0),
  dz_mm double precision NOT NULL CHECK (dz_mm > 0),
  unit text NOT NULL,
  meta jsonb NOT NULL DEFAULT '{}'::jsonb,
  UNIQUE (study_id, ord)
);

CREATE TABLE series_files (
  series_id uuid NOT NULL REFERENCES series(id) ON DELETE CASCADE,
  ord integer NOT NULL,
  sha256 text NOT NULL CHECK (sha256 ~ '^[0-9a-f]{64}$'),
  name text NOT NULL,
  size_bytes bigint NOT NULL CHECK (size_bytes >= 0),
  PRIMARY KEY (series_id, ord)
);
CREATE INDEX series_files_sha256 ON series_files (sha256);

CREATE TABLE vois (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  study_id uuid NOT NULL REFERENCES studies(id) ON DELETE CASCADE,
  name text NOT NULL,
  role text NOT NULL CHECK (role IN ('tumour', 'reference', 'other')),
  spec text NOT NULL CHECK (length(spec) > 0),
  created_at timestamptz NOT NULL DEFAULT clock_timestamp(),
  created_by uuid NOT NULL REFERENCES users(id)
);
CREATE INDEX vois_study ON vois (study_id);

CREATE TABLE results (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  study_id uuid NOT NULL REFERENCES studies(id) ON DELETE CASCADE,
  kind text NOT NULL CHECK (kind IN ('quantify')),
  inputs jsonb NOT NULL,
  result jsonb NOT NULL,
  software_version text NOT NULL,
  created_at timestamptz NOT NULL DEFAULT clock_timestamp(),
  created_by uuid NOT NULL REFERENCES users(id)
);
CREATE INDEX results_study ON results (study_id);

CREATE TABLE documents (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  project_id uuid NOT NULL REFERENCES projects(id) ON DELETE CASCADE,
  kind text NOT NULL CHECK (kind IN ('radiolabel-batch', 'assay')),
  name text NOT NULL,
  input jsonb NOT NULL,
  result jsonb NOT NULL,
  software_version text NOT NULL,
  created_at timestamptz NOT NULL DEFAULT clock_timestamp(),
  created_by uuid NOT NULL REFERENCES users(id)
);
CREATE INDEX documents_project ON documents (project_id, kind);

-- Append-only and without foreign keys: the audit trail outlives what it describes.
CREATE TABLE audit_log (
  id bigserial PRIMARY KEY,
  at timestamptz NOT NULL DEFAULT clock_timestamp(),
  actor_id uuid,
  action text NOT NULL,
  entity_type text NOT NULL,
  entity_id text,
  project_id uuid,
  detail jsonb NOT NULL DEFAULT '{}'::jsonb
);
CREATE INDEX audit_log_project ON audit_log (project_id, id);
`,
  },
];

/** Arbitrary constant key for pg_advisory_xact_lock ("ATSM" in ASCII). */
const MIGRATION_LOCK_KEY = 0x4154534d;

async function appliedVersions(q: Queryable): Promise<number[]> {
  const rows = await q.query<{ version: number }>("SELECT version FROM schema_migrations ORDER BY version");
  return rows.map((r) => Number(r.version));
}

/**
 * Apply every pending migration (ascending) in one transaction; returns the versions applied now.
 * `list` defaults to MIGRATIONS (tests pass their own to check ordering and idempotence).
 */
export async function runMigrations(
  client: SqlClient,
  list: readonly Migration[] = MIGRATIONS,
): Promise<number[]> {
  const sorted = [...list].sort((a, b) => a.version - b.version);
  for (let i = 1; i < sorted.length; i++) {
    if (sorted[i]!.version === sorted[i - 1]!.version) {
      throw new Error(`store: duplicate migration version ${sorted[i]!.version}`);
    }
  }
  return client.transaction(async (tx) => {
    if (client.kind === "postgres") await tx.query("SELECT pg_advisory_xact_lock($1)", [MIGRATION_LOCK_KEY]);
    await tx.exec(`CREATE TABLE IF NOT EXISTS schema_migrations (
      version integer PRIMARY KEY,
      name text NOT NULL,
      applied_at timestamptz NOT NULL DEFAULT clock_timestamp()
    )`);
    const done = new Set(await appliedVersions(tx));
    const applied: number[] = [];
    for (const m of sorted) {
      if (done.has(m.version)) continue;
      await tx.exec(m.sql);
      await tx.query("INSERT INTO schema_migrations (version, name) VALUES ($1, $2)", [m.version, m.name]);
      applied.push(m.version);
    }
    return applied;
  });
}

/** Versions recorded in `schema_migrations`, ascending. */
export function listApplied(q: Queryable): Promise<number[]> {
  return appliedVersions(q);
}
