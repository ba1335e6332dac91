/**
 * Every access decision in ONE place. Site admins (user.role "admin") see and manage every project;
 * everyone else sees the projects they are members of, with their member role. A record in a
 * project the caller cannot see answers 404 exactly as a missing one (never reveal existence);
 * a visible record with too low a role answers 403.
 */
import type { FastifyRequest } from "fastify";
import type {
  ProjectRow,
  ResultRow,
  Role,
  SeriesRow,
  Store,
  StudyRow,
  SubjectRow,
  UserRow,
  VoiRow,
} from "../store/types.js";
import { forbidden, notFound, unauthenticated } from "./errors.js";

const RANK: Readonly<Record<Role, number>> = { viewer: 1, analyst: 2, admin: 3 };

/** True when `role` is at least `min`. */
export function roleAtLeast(role: Role, min: Role): boolean {
  return RANK[role] >= RANK[min];
}

/** The signed-in user or 401. */
export function requireUser(req: FastifyRequest): UserRow {
  if (req.user === null || req.user === undefined) throw unauthenticated();
  return req.user;
}

/** Site admin or 403. */
export function requireSiteAdmin(req: FastifyRequest): UserRow {
  const user = requireUser(req);
  if (user.role !== "admin") throw forbidden("site administrators only");
  return user;
}

export interface ProjectAccess {
  readonly user: UserRow;
  readonly project: ProjectRow;
  /** Effective role in the project (site admins: admin). */
  readonly role: Role;
}

/** The project if the user may see it with at least `minRole`; 404 when invisible, 403 when too low a role. */
export async function requireProject(
  store: Store,
  req: FastifyRequest,
  projectId: string,
  minRole: Role,
): Promise<ProjectAccess> {
  const user = requireUser(req);
  const project = await store.projects.byId(projectId);
  if (project === null) throw notFound("project", "projectId");
  let role: Role | null;
  if (user.role === "admin") role = "admin";
  else role = await store.projects.roleOf(projectId, user.id);
  if (role === null) throw notFound("project", "projectId");
  if (!roleAtLeast(role, minRole)) {
    throw forbidden(`this needs the ${minRole} role in the project (you are ${role})`);
  }
  return { user, project, role };
}

export async function requireSubject(
  store: Store,
  req: FastifyRequest,
  subjectId: string,
  minRole: Role,
): Promise<ProjectAccess & { subject: SubjectRow }> {
  requireUser(req);
  const subject = await store.subjects.byId(subjectId);
  if (subject === null) throw notFound("subject", "subjectId");
  const access = await requireProject(store, req, subject.projectId, minRole).catch((e) => {
    throw rename(e, "subject", "subjectId");
  });
  return { ...access, subject };
}

export async function requireStudy(
  store: Store,
  req: FastifyRequest,
  studyId: string,
  minRole: Role,
): Promise<ProjectAccess & { study: StudyRow }> {
  requireUser(req);
  const study = await store.studies.byId(studyId);
  if (study === null) throw notFound("study", "studyId");
  const access = await requireProject(store, req, study.projectId, minRole).catch((e) => {
    throw rename(e, "study", "studyId");
  });
  return { ...access, study };
}

export async function requireSeries(
  store: Store,
  req: FastifyRequest,
  seriesId: string,
  minRole: Role,
): Promise<ProjectAccess & { series: SeriesRow }> {
  requireUser(req);
  const series = await store.studies.seriesById(seriesId);
  if (series === null) throw notFound("series", "seriesId");
  const access = await requireProject(store, req, series.projectId, minRole).catch((e) => {
    throw rename(e, "series", "seriesId");
  });
  return { ...access, series };
}

export async function requireVoi(
  store: Store,
  req: FastifyRequest,
  voiId: string,
  minRole: Role,
): Promise<ProjectAccess & { study: StudyRow; voi: VoiRow }> {
  requireUser(req);
  const voi = await store.vois.byId(voiId);
  if (voi === null) throw notFound("VOI", "voiId");
  const access = await requireStudy(store, req, voi.studyId, minRole).catch((e) => {
    throw rename(e, "VOI", "voiId");
  });
  return { ...access, voi };
}

export async function requireResult(
  store: Store,
  req: FastifyRequest,
  resultId: string,
  minRole: Role,
): Promise<ProjectAccess & { study: StudyRow; result: ResultRow }> {
  requireUser(req);
  const result = await store.results.byId(resultId);
  if (result === null) throw notFound("result", "resultId");
  const access = await requireStudy(store, req, result.studyId, minRole).catch((e) => {
    throw rename(e, "result", "resultId");
  });
  return { ...access, result };
}

/** A 404 about the parent project becomes a 404 about the record asked for (same answer as missing). */
function rename(e: unknown, what: string, field: string): unknown {
  const code = (e as { code?: unknown } | null)?.code;
  return code === "NOT_FOUND" ? notFound(what, field) : e;
}
