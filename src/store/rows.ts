/**
 * Conversions at the database boundary: driver values (Date or string timestamps, number, string or
 * bigint counts, parsed jsonb) to the plain row types of types.ts, and snake_case rows to camelCase.
 */
import type {
  AuditRow,
  DocumentRow,
  InjectionRow,
  ProjectRow,
  ResultRow,
  Role,
  SessionRow,
  SubjectRow,
  TumourModelRow,
  UserRow,
  VoiRow,
} from "./types.js";

export type Row = Record<string, unknown>;

const UUID_RE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** True for a UUID string; lookups by anything else answer "not found" without asking the database. */
export function isUuid(id: string): boolean {
  return UUID_RE.test(id);
}

/** ISO-8601 UTC string of a timestamptz value (Date from the drivers, or text). */
export function iso(v: unknown): string {
  if (v instanceof Date) return v.toISOString();
  if (typeof v === "string") return new Date(v).toISOString();
  throw new Error(`store: expected a timestamp, got ${typeof v}`);
}

export function isoOrNull(v: unknown): string | null {
  return v === null || v === undefined ? null : iso(v);
}

/** JS number of a numeric column (float8 → number; int8/count → string or bigint from the drivers). */
export function num(v: unknown): number {
  if (typeof v === "number") return v;
  if (typeof v === "bigint" || typeof v === "string") return Number(v);
  throw new Error(`store: expected a number, got ${typeof v}`);
}

export function numOrNull(v: unknown): number | null {
  return v === null || v === undefined ? null : num(v);
}

export function text(v: unknown): string {
  return String(v);
}

export function textOrNull(v: unknown): string | null {
  return v === null || v === undefined ? null : String(v);
}

/** A jsonb object column (parsed by both drivers; text only if a driver left it unparsed). */
export function obj(v: unknown): Record<string, unknown> {
  const o = typeof v === "string" ? (JSON.parse(v) as unknown) : v;
  return typeof o === "object" && o !== null && !Array.isArray(o) ? (o as Record<string, unknown>) : {};
}

/** jsonb parameter: always pass text, so node-postgres never turns a JS array into a SQL array. */
export function json(v: unknown): string {
  return JSON.stringify(v ?? {});
}

export function toUser(r: Row): UserRow {
  return {
    id: text(r["id"]),
    username: text(r["username"]),
    role: text(r["role"]) as Role,
    createdAt: iso(r["created_at"]),
    disabled: r["disabled"] === true,
  };
}

export function toSession(r: Row): SessionRow {
  return {
    tokenHash: text(r["token_hash"]),
    userId: text(r["user_id"]),
    createdAt: iso(r["created_at"]),
    expiresAt: iso(r["expires_at"]),
  };
}

export function toProject(r: Row): ProjectRow {
  return {
    id: text(r["id"]),
    name: text(r["name"]),
    description: text(r["description"]),
    createdAt: iso(r["created_at"]),
    createdBy: text(r["created_by"]),
  };
}

export function toTumourModel(r: Row): TumourModelRow {
  return {
    id: text(r["id"]),
    projectId: text(r["project_id"]),
    name: text(r["name"]),
    cellLine: textOrNull(r["cell_line"]),
    site: textOrNull(r["site"]),
    implantation: textOrNull(r["implantation"]),
    notes: text(r["notes"]),
  };
}

export function toSubject(r: Row): SubjectRow {
  return {
    id: text(r["id"]),
    projectId: text(r["project_id"]),
    label: text(r["label"]),
    kind: text(r["kind"]) as SubjectRow["kind"],
    species: textOrNull(r["species"]),
    strain: textOrNull(r["strain"]),
    sex: textOrNull(r["sex"]) as SubjectRow["sex"],
    weightKg: numOrNull(r["weight_kg"]),
    heightM: numOrNull(r["height_m"]),
    tumourModelId: textOrNull(r["tumour_model_id"]),
    notes: text(r["notes"]),
  };
}

export function toInjection(r: Row): InjectionRow {
  return {
    id: text(r["id"]),
    subjectId: text(r["subject_id"]),
    radiopharmaceutical: text(r["radiopharmaceutical"]),
    nuclide: text(r["nuclide"]),
    activityBq: num(r["activity_bq"]),
    activityTime: iso(r["activity_time"]),
    residualBq: numOrNull(r["residual_bq"]),
    residualTime: isoOrNull(r["residual_time"]),
    injectionTime: iso(r["injection_time"]),
    route: text(r["route"]),
  };
}

export function toVoi(r: Row): VoiRow {
  return {
    id: text(r["id"]),
    studyId: text(r["study_id"]),
    name: text(r["name"]),
    role: text(r["role"]) as VoiRow["role"],
    spec: text(r["spec"]),
    createdAt: iso(r["created_at"]),
    createdBy: text(r["created_by"]),
  };
}

export function toResult(r: Row): ResultRow {
  return {
    id: text(r["id"]),
    studyId: text(r["study_id"]),
    kind: text(r["kind"]) as ResultRow["kind"],
    inputs: obj(r["inputs"]),
    result: obj(r["result"]),
    softwareVersion: text(r["software_version"]),
    createdAt: iso(r["created_at"]),
    createdBy: text(r["created_by"]),
  };
}

export function toDocument(r: Row): DocumentRow {
  return {
    id: text(r["id"]),
    projectId: text(r["project_id"]),
    kind: text(r["kind"]) as DocumentRow["kind"],
    name: text(r["name"]),
    input: obj(r["input"]),
    result: obj(r["result"]),
    softwareVersion: text(r["software_version"]),
    createdAt: iso(r["created_at"]),
    createdBy: text(r["created_by"]),
  };
}

export function toAudit(r: Row): AuditRow {
  return {
    id: num(r["id"]),
    at: iso(r["at"]),
    actorId: textOrNull(r["actor_id"]),
    action: text(r["action"]),
    entityType: text(r["entity_type"]),
    entityId: textOrNull(r["entity_id"]),
    projectId: textOrNull(r["project_id"]),
    detail: obj(r["detail"]),
  };
}
