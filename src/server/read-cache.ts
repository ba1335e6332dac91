/**
 * The server's store with a short-lived in-process read cache for what every request asks:
 * the session (cookie → user), the project row and the caller's member role, and the series of a
 * study (with their file lists and reader `meta`).
 *
 * Rules (correctness first):
 * - Sessions, projects and roles live at most `ttlMs` (default 3 s) in the cache. Every change
 *   made through THIS server's store applies at once: signing out (`sessions.delete`), a member
 *   added, removed or given another role, a user's site role, password or disabled flag changed.
 *   Changes made inside a transaction are applied again after it settles, so a value read between
 *   the write and the commit is not kept. A session past its `expiresAt` is refused at once.
 * - With several server processes on one PostgreSQL, a change made by ANOTHER process (a sign-out,
 *   a removed member, a disabled user) reaches this one after at most `ttlMs`.
 * - A study's own columns (`studies.head`: one light statement, no series, files or `meta`) are
 *   cached like the rest: deleting the study or a subject through this server drops them at once;
 *   another process's delete shows after at most `ttlMs`. Its series never change after the import,
 *   so they are read in full only the first time (LRU of `maxStudies` studies) and again whenever
 *   the series count differs from the one cached.
 * - Reads inside `transaction` always go to the database.
 */
import type { Repositories, SeriesRow, Store, StudyRow } from "../store/types.js";

export interface ReadCacheOptions {
  /** How long a session, project or role may be served from memory (ms); 0 turns the cache off. */
  readonly ttlMs?: number;
  /** Studies whose series are kept (LRU). */
  readonly maxStudies?: number;
  /** Monotonic clock in ms (tests); default performance.now. */
  readonly clockMs?: () => number;
}

export const DEFAULT_READ_CACHE_TTL_MS = 3000;
const MAX_KEYS = 10_000;

interface Entry<V> {
  readonly p: Promise<V>;
  untilMs: number;
}

/** Promise memo with a time-to-live; concurrent misses share one load; `clear` drops in-flight loads too. */
export class TtlMemo<V> {
  private readonly m = new Map<string, Entry<V>>();
  constructor(
    private readonly ttlMs: number,
    private readonly clockMs: () => number,
  ) {}

  get(key: string, load: () => Promise<V>): Promise<V> {
    const now = this.clockMs();
    const hit = this.m.get(key);
    if (hit !== undefined && now < hit.untilMs) return hit.p;
    if (this.ttlMs <= 0) return load();
    const entry: Entry<V> = { p: load(), untilMs: now + this.ttlMs };
    this.m.delete(key);
    this.m.set(key, entry);
    if (this.m.size > MAX_KEYS) {
      const oldest = this.m.keys().next().value;
      if (oldest !== undefined) this.m.delete(oldest);
    }
    entry.p.catch(() => {
      if (this.m.get(key) === entry) this.m.delete(key);
    });
    return entry.p;
  }

  delete(key: string): void {
    this.m.delete(key);
  }

  clear(): void {
    this.m.clear();
  }

  get size(): number {
    return this.m.size;
  }
}

type SessionFound = Awaited<ReturnType<Repositories["sessions"]["lookup"]>>;

/** The caches and what each kind of change drops. */
class Caches {
  readonly sessions: TtlMemo<SessionFound>;
  readonly projects: TtlMemo<Awaited<ReturnType<Repositories["projects"]["byId"]>>>;
  readonly roles: TtlMemo<Awaited<ReturnType<Repositories["projects"]["roleOf"]>>>;
  readonly heads: TtlMemo<Awaited<ReturnType<Repositories["studies"]["head"]>>>;
  /** studyId → its series (immutable after import); Map order = recency. */
  readonly series = new Map<string, readonly SeriesRow[]>();
  /** seriesId → studyId (immutable). */
  readonly seriesStudy = new Map<string, string>();

  constructor(
    ttlMs: number,
    clockMs: () => number,
    readonly maxStudies: number,
  ) {
    this.sessions = new TtlMemo(ttlMs, clockMs);
    this.projects = new TtlMemo(ttlMs, clockMs);
    this.roles = new TtlMemo(ttlMs, clockMs);
    this.heads = new TtlMemo(ttlMs, clockMs);
  }

  /** A user changed (role, password, disabled): sessions carry the user row. */
  users(): void {
    this.sessions.clear();
  }

  members(): void {
    this.roles.clear();
  }

  study(id: string): void {
    this.heads.delete(id);
    this.forgetSeries(id);
  }

  keepSeries(study: StudyRow): void {
    this.forgetSeries(study.id);
    this.series.set(study.id, study.series);
    for (const s of study.series) this.seriesStudy.set(s.id, study.id);
    while (this.series.size > this.maxStudies) {
      const oldest = this.series.keys().next().value;
      if (oldest === undefined) break;
      this.forgetSeries(oldest);
    }
  }

  private forgetSeries(id: string): void {
    const series = this.series.get(id);
    this.series.delete(id);
    for (const s of series ?? []) this.seriesStudy.delete(s.id);
  }
}

/** Repositories whose writes run `run(invalidate)` after they settle (success or failure). */
function invalidating(r: Repositories, c: Caches, run: (f: () => void) => void): Repositories {
  const after = async <T>(p: Promise<T>, f: () => void): Promise<T> => {
    try {
      return await p;
    } finally {
      run(f);
    }
  };
  const { setDisabled } = r.users;
  return {
    ...r,
    users: {
      ...r.users,
      setPassword: (id, hash) => after(r.users.setPassword(id, hash), () => c.users()),
      setRole: (id, role) => after(r.users.setRole(id, role), () => c.users()),
      ...(setDisabled !== undefined
        ? { setDisabled: (id: string, d: boolean) => after(setDisabled(id, d), () => c.users()) }
        : {}),
    },
    sessions: {
      ...r.sessions,
      create: (s) => after(r.sessions.create(s), () => c.sessions.delete(s.tokenHash)),
      delete: (h) => after(r.sessions.delete(h), () => c.sessions.delete(h)),
      deleteExpired: (nowIso) => after(r.sessions.deleteExpired(nowIso), () => c.sessions.clear()),
    },
    projects: {
      ...r.projects,
      create: (p) => after(r.projects.create(p), () => c.projects.clear()),
      addMember: (p, u, role) => after(r.projects.addMember(p, u, role), () => c.members()),
      removeMember: (p, u) => after(r.projects.removeMember(p, u), () => c.members()),
    },
    studies: {
      ...r.studies,
      delete: (id) => after(r.studies.delete(id), () => c.study(id)),
    },
    // Deleting a subject sets its studies' subject (and injection) links to NULL.
    subjects: {
      ...r.subjects,
      delete: (id) => after(r.subjects.delete(id), () => c.heads.clear()),
    },
  };
}

/** `inner` with the read cache described above. */
export function withReadCache(inner: Store, o: ReadCacheOptions = {}): Store {
  const c = new Caches(
    o.ttlMs ?? DEFAULT_READ_CACHE_TTL_MS,
    o.clockMs ?? (() => performance.now()),
    o.maxStudies ?? 64,
  );
  const root = invalidating(inner, c, (f) => f());

  const studyById = async (id: string): Promise<StudyRow | null> => {
    const head = await c.heads.get(id, () => inner.studies.head(id));
    if (head === null) {
      c.study(id);
      return null;
    }
    const { seriesCount, ...cols } = head;
    const series = c.series.get(id);
    if (series !== undefined && series.length === seriesCount) {
      c.series.delete(id);
      c.series.set(id, series);
      return { ...cols, series };
    }
    const full = await inner.studies.byId(id);
    if (full === null) c.study(id);
    else c.keepSeries(full);
    return full;
  };

  return {
    ...root,
    kind: inner.kind,
    migrations: () => inner.migrations(),
    close: () => inner.close(),
    sessions: {
      ...root.sessions,
      async lookup(tokenHash, nowIso) {
        const found = await c.sessions.get(tokenHash, () => inner.sessions.lookup(tokenHash, nowIso));
        // The cached answer was valid when read; expiry is checked against this request's time.
        if (found === null || Date.parse(found.session.expiresAt) <= Date.parse(nowIso)) return null;
        return found;
      },
    },
    projects: {
      ...root.projects,
      byId: (id) => c.projects.get(id, () => inner.projects.byId(id)),
      roleOf: (p, u) => c.roles.get(`${p} ${u}`, () => inner.projects.roleOf(p, u)),
    },
    studies: {
      ...root.studies,
      byId: studyById,
      head: (id) => c.heads.get(id, () => inner.studies.head(id)),
      async seriesById(id) {
        const studyId = c.seriesStudy.get(id) ?? (await inner.studies.seriesStudyId(id));
        if (studyId === null) return null;
        const study = await studyById(studyId);
        const se = study?.series.find((x) => x.id === id);
        return study === null || se === undefined ? null : { ...se, projectId: study.projectId };
      },
    },
    async transaction(fn) {
      const again: (() => void)[] = [];
      try {
        return await inner.transaction((tx) =>
          fn(
            invalidating(tx, c, (f) => {
              f();
              again.push(f);
            }),
          ),
        );
      } finally {
        for (const f of again) f();
      }
    },
  };
}
