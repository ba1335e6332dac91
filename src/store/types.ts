/**
 * The Workbench's database, as the server sees it: row types and repository interfaces.
 *
 * One schema, two engines: PGlite (embedded PostgreSQL in WASM, in `<data>/pglite`) by default,
 * a PostgreSQL server when `DATABASE_URL=postgres://…` is set. Both run the same SQL and the same
 * versioned migrations (src/store/migrations.ts). Ids are UUID strings; times are ISO-8601 UTC
 * strings at this boundary (timestamptz inside). SI units in names, as everywhere.
 */

export type DatabaseKind = "pglite" | "postgres";
export type Role = "viewer" | "analyst" | "admin";
export type VoiRole = "tumour" | "reference" | "other";

export interface UserRow {
  readonly id: string;
  readonly username: string;
  /** Site-wide role; "admin" sees and manages every project. */
  readonly role: Role;
  readonly createdAt: string;
  readonly disabled: boolean;
}

export interface SessionRow {
  /** SHA-256 (hex) of the cookie token; the token itself is never stored. */
  readonly tokenHash: string;
  readonly userId: string;
  readonly createdAt: string;
  readonly expiresAt: string;
}

export interface ProjectRow {
  readonly id: string;
  readonly name: string;
  readonly description: string;
  readonly createdAt: string;
  readonly createdBy: string;
}

export interface MemberRow {
  readonly projectId: string;
  readonly userId: string;
  readonly username: string;
  readonly role: Role;
}

export interface TumourModelRow {
  readonly id: string;
  readonly projectId: string;
  readonly name: string;
  readonly cellLine: string | null;
  readonly site: string | null;
  readonly implantation: string | null;
  readonly notes: string;
}

export interface SubjectRow {
  readonly id: string;
  readonly projectId: string;
  /** Lab or hospital label, unique in the project. */
  readonly label: string;
  readonly kind: "animal" | "patient";
  readonly species: string | null;
  readonly strain: string | null;
  readonly sex: "F" | "M" | "O" | null;
  readonly weightKg: number | null;
  readonly heightM: number | null;
  readonly tumourModelId: string | null;
  readonly notes: string;
}

export interface InjectionRow {
  readonly id: string;
  readonly subjectId: string;
  readonly radiopharmaceutical: string;
  /** Canonical nuclide name, e.g. "Cu-64". */
  readonly nuclide: string;
  readonly activityBq: number;
  readonly activityTime: string;
  readonly residualBq: number | null;
  readonly residualTime: string | null;
  readonly injectionTime: string;
  readonly route: string;
}

export interface StoredFileRow {
  readonly sha256: string;
  /** Original file name (relative path inside an upload/zip, sanitised). */
  readonly name: string;
  readonly sizeBytes: number;
}

export interface SeriesRow {
  readonly id: string;
  readonly studyId: string;
  readonly modality: string;
  readonly format: "dicom" | "nifti" | "inveon" | "interfile";
  readonly description: string;
  readonly seriesInstanceUid: string | null;
  readonly dims: readonly [number, number, number];
  readonly frames: number;
  readonly spacingMm: readonly [number, number, number];
  readonly unit: string;
  /** Reader metadata (JSON): SUV inputs, frame times, orientation, warnings. */
  readonly meta: Readonly<Record<string, unknown>>;
  readonly files: readonly StoredFileRow[];
}

export interface StudyRow {
  readonly id: string;
  readonly projectId: string;
  readonly subjectId: string | null;
  readonly injectionId: string | null;
  readonly description: string;
  readonly studyInstanceUid: string | null;
  readonly studyDate: string | null;
  readonly createdAt: string;
  readonly createdBy: string;
  readonly series: readonly SeriesRow[];
}

/** A study's own columns and how many series it has, without series, files or `meta` (cheap). */
export type StudyHead = Omit<StudyRow, "series"> & { readonly seriesCount: number };

export interface VoiRow {
  readonly id: string;
  readonly studyId: string;
  readonly name: string;
  readonly role: VoiRole;
  /** VOI grammar text (src/quant/voi/spec.ts); stored masks are `mask:blob:<sha256>[:label]`. */
  readonly spec: string;
  readonly createdAt: string;
  readonly createdBy: string;
}

export interface ResultRow {
  readonly id: string;
  readonly studyId: string;
  readonly kind: "quantify";
  /** Exact inputs: VOI specs, cutoff, series ids and file hashes, overrides. */
  readonly inputs: Readonly<Record<string, unknown>>;
  /** The QuantifyResult (JSON). */
  readonly result: Readonly<Record<string, unknown>>;
  readonly softwareVersion: string;
  readonly createdAt: string;
  readonly createdBy: string;
}

export interface DocumentRow {
  readonly id: string;
  readonly projectId: string;
  readonly kind: "radiolabel-batch" | "assay";
  readonly name: string;
  readonly input: Readonly<Record<string, unknown>>;
  readonly result: Readonly<Record<string, unknown>>;
  readonly softwareVersion: string;
  readonly createdAt: string;
  readonly createdBy: string;
}

export interface AuditRow {
  readonly id: number;
  readonly at: string;
  readonly actorId: string | null;
  readonly action: string;
  readonly entityType: string;
  readonly entityId: string | null;
  readonly projectId: string | null;
  readonly detail: Readonly<Record<string, unknown>>;
}

/** A page of rows (limit/offset). */
export interface Page {
  readonly limit?: number;
  readonly offset?: number;
}

type New<T, K extends keyof T> = Omit<T, K>;

export interface Repositories {
  readonly users: {
    create(u: { username: string; role: Role; passwordHash: string }): Promise<UserRow>;
    byId(id: string): Promise<UserRow | null>;
    /** User and password hash, for login. */
    byUsername(username: string): Promise<(UserRow & { passwordHash: string }) | null>;
    list(): Promise<UserRow[]>;
    count(): Promise<number>;
    setPassword(id: string, passwordHash: string): Promise<void>;
    setRole(id: string, role: Role): Promise<void>;
    /** Disable (or re-enable) an account: its sessions stop resolving. (Added by STORE; optional.) */
    setDisabled?(id: string, disabled: boolean): Promise<void>;
  };
  readonly sessions: {
    create(s: SessionRow): Promise<void>;
    /** Valid (unexpired, user not disabled) session with its user, else null. */
    lookup(tokenHash: string, nowIso: string): Promise<{ session: SessionRow; user: UserRow } | null>;
    delete(tokenHash: string): Promise<void>;
    deleteExpired(nowIso: string): Promise<number>;
  };
  /** One-time login links (hash of the token; consumed on first use). */
  readonly loginTokens: {
    create(t: { tokenHash: string; userId: string; expiresAt: string }): Promise<void>;
    /** Atomically mark used and return the user id, or null when unknown, used or expired. */
    consume(tokenHash: string, nowIso: string): Promise<string | null>;
  };
  readonly projects: {
    create(p: New<ProjectRow, "id" | "createdAt">): Promise<ProjectRow>;
    byId(id: string): Promise<ProjectRow | null>;
    /** Every project (admins) or the user's projects with the user's role in each. */
    listFor(userId: string | null): Promise<(ProjectRow & { role: Role | null })[]>;
    addMember(projectId: string, userId: string, role: Role): Promise<void>;
    removeMember(projectId: string, userId: string): Promise<void>;
    members(projectId: string): Promise<MemberRow[]>;
    /** The user's role in the project, or null when not a member. */
    roleOf(projectId: string, userId: string): Promise<Role | null>;
  };
  readonly tumourModels: {
    create(m: New<TumourModelRow, "id">): Promise<TumourModelRow>;
    list(projectId: string): Promise<TumourModelRow[]>;
    byId(id: string): Promise<TumourModelRow | null>;
  };
  readonly subjects: {
    create(s: New<SubjectRow, "id">): Promise<SubjectRow>;
    list(projectId: string): Promise<SubjectRow[]>;
    byId(id: string): Promise<SubjectRow | null>;
    update(id: string, patch: Partial<New<SubjectRow, "id" | "projectId">>): Promise<SubjectRow>;
    delete(id: string): Promise<void>;
  };
  readonly injections: {
    create(i: New<InjectionRow, "id">): Promise<InjectionRow>;
    list(subjectId: string): Promise<InjectionRow[]>;
    byId(id: string): Promise<InjectionRow | null>;
  };
  readonly studies: {
    /** Study with its series and file lists, in one transaction. */
    create(
      s: New<StudyRow, "id" | "createdAt" | "series"> & {
        series: readonly New<SeriesRow, "id" | "studyId">[];
      },
    ): Promise<StudyRow>;
    byId(id: string): Promise<StudyRow | null>;
    /** The study row without its series (one light statement: access checks, cache validation). */
    head(id: string): Promise<StudyHead | null>;
    list(projectId: string, page?: Page): Promise<StudyRow[]>;
    /** The id of the study a series belongs to, or null (one light statement). */
    seriesStudyId(seriesId: string): Promise<string | null>;
    seriesById(id: string): Promise<(SeriesRow & { projectId: string }) | null>;
    delete(id: string): Promise<void>;
    /** Every blob hash referenced by any series or VOI (for orphan clean-up). */
    referencedBlobs(): Promise<Set<string>>;
  };
  readonly vois: {
    create(v: New<VoiRow, "id" | "createdAt">): Promise<VoiRow>;
    list(studyId: string): Promise<VoiRow[]>;
    byId(id: string): Promise<VoiRow | null>;
    update(id: string, patch: { name?: string; role?: VoiRole; spec?: string }): Promise<VoiRow>;
    delete(id: string): Promise<void>;
  };
  readonly results: {
    create(r: New<ResultRow, "id" | "createdAt">): Promise<ResultRow>;
    list(studyId: string): Promise<ResultRow[]>;
    byId(id: string): Promise<ResultRow | null>;
  };
  readonly documents: {
    create(d: New<DocumentRow, "id" | "createdAt">): Promise<DocumentRow>;
    list(projectId: string, kind?: DocumentRow["kind"]): Promise<DocumentRow[]>;
    byId(id: string): Promise<DocumentRow | null>;
  };
  readonly audit: {
    record(e: New<AuditRow, "id" | "at">): Promise<void>;
    list(filter: { projectId?: string; limit?: number }): Promise<AuditRow[]>;
  };
}

export interface Store extends Repositories {
  readonly kind: DatabaseKind;
  /** Applied migration versions, ascending. */
  migrations(): Promise<number[]>;
  /** Run `fn` in one transaction (serialised on PGlite); rolled back when it throws. */
  transaction<T>(fn: (tx: Repositories) => Promise<T>): Promise<T>;
  close(): Promise<void>;
}

export interface OpenStoreOptions {
  /** PGlite data folder (created if absent). Ignored when `url` is given. */
  readonly dataDir?: string;
  /** `postgres://user:pass@host:port/db`: use a PostgreSQL server. */
  readonly url?: string;
  /** In-memory PGlite (tests). */
  readonly memory?: boolean;
  /**
   * PGlite only: open an empty database (memory, or an absent/empty `dataDir`) from the cached
   * migrated template instead of running initdb + migrations (src/store/engines/template.ts).
   * Default true; the migrations still run afterwards.
   */
  readonly pgliteTemplate?: boolean;
}
