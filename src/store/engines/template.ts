/**
 * Migrated "template" cluster for PGlite: opening an EMPTY PGlite database (in memory, or a data
 * folder that is absent or empty) loads a snapshot of a cluster that already ran initdb and every
 * migration, instead of running initdb (seconds of WASM) and the migrations again.
 *
 * The snapshot is PGlite's own data-folder tarball (`dumpDataDir`), gzipped, cached in
 * `$ATSM_PGLITE_TEMPLATE_DIR` (default `os.tmpdir()/atsm-pglite-templates/`) as
 * `pglite-<PGlite version>-<hash of the migration list>.tar.gz`, so a new PGlite or a changed
 * migration list gets a new file. It is written to a temporary name and renamed into place, so
 * concurrent builders (parallel test workers) never expose a partial file; the last rename wins and
 * every candidate is equivalent. A template that cannot be read, unzipped, loaded, or that does not
 * hold exactly the expected migrations is deleted and rebuilt. `openStore` still runs the migrations
 * after loading (a no-op when up to date), so correctness never depends on the cache.
 * `ATSM_PGLITE_TEMPLATE=off` (or `openStore({ pgliteTemplate: false })`) runs initdb as before.
 *
 * Stores loaded from the template share its `schema_migrations.applied_at` times (when it was built).
 */
import { createHash, randomBytes } from "node:crypto";
import { readFileSync } from "node:fs";
import { mkdir, readdir, readFile, rename, rm, stat, writeFile } from "node:fs/promises";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { promisify } from "node:util";
import { gunzip, gzip } from "node:zlib";
import { PGlite } from "@electric-sql/pglite";
import type { Migration } from "../migrations.js";

const gzipAsync = promisify(gzip);
const gunzipAsync = promisify(gunzip);

/** Environment variable naming the template cache folder. */
export const TEMPLATE_DIR_ENV = "ATSM_PGLITE_TEMPLATE_DIR";

/** Environment variable that turns the template off when set to "off" (benchmarks, debugging). */
export const TEMPLATE_SWITCH_ENV = "ATSM_PGLITE_TEMPLATE";

/** Whether the environment allows the template (`ATSM_PGLITE_TEMPLATE=off` disables it). */
export function templateAllowedByEnv(): boolean {
  return process.env[TEMPLATE_SWITCH_ENV] !== "off";
}

/** The template cache folder (read at every call, so tests can point it elsewhere). */
export function templateDir(): string {
  const fromEnv = process.env[TEMPLATE_DIR_ENV];
  return fromEnv !== undefined && fromEnv !== "" ? fromEnv : join(tmpdir(), "atsm-pglite-templates");
}

let cachedVersion: string | undefined;

/** Version of the installed @electric-sql/pglite (its package.json; "unknown" if unreadable). */
export function pgliteVersion(): string {
  if (cachedVersion !== undefined) return cachedVersion;
  let version = "unknown";
  try {
    // The package's `exports` hide package.json: resolve the entry and walk up to its folder.
    let dir = dirname(createRequire(import.meta.url).resolve("@electric-sql/pglite"));
    for (let depth = 0; depth < 4; depth++, dir = dirname(dir)) {
      try {
        const pkg = JSON.parse(readFileSync(join(dir, "package.json"), "utf8")) as {
          name?: unknown;
          version?: unknown;
        };
        if (pkg.name === "@electric-sql/pglite" && typeof pkg.version === "string") {
          version = pkg.version;
          break;
        }
      } catch {
        // no package.json at this level
      }
    }
  } catch {
    // unresolvable: keep "unknown" (the key still changes with the migrations)
  }
  cachedVersion = version;
  return version;
}

/**
 * Cache key of the template for `migrations` on PGlite `version`: changes whenever any migration's
 * version, name or SQL changes, a migration is added or removed, or PGlite is upgraded.
 */
export function templateKey(migrations: readonly Migration[], version: string): string {
  const sorted = [...migrations].sort((a, b) => a.version - b.version);
  const hash = createHash("sha256")
    .update(JSON.stringify(sorted.map((m) => [m.version, m.name, m.sql])))
    .digest("hex")
    .slice(0, 20);
  const safeVersion = version.replace(/[^0-9A-Za-z.-]/g, "_");
  return `pglite-${safeVersion}-${hash}`;
}

/** Path of the template file for `key` in the cache folder. */
export function templatePath(key: string, dir: string = templateDir()): string {
  return join(dir, `${key}.tar.gz`);
}

export interface TemplateOptions {
  /** The migrations the template must hold (the store's list). */
  readonly migrations: readonly Migration[];
  /** Apply `migrations` to a fresh cluster (the same code `openStore` runs). */
  readonly migrate: (db: PGlite) => Promise<void>;
  /** Cache folder; default `templateDir()`. */
  readonly dir?: string;
}

/** What `openFromTemplate` did, for tests and benchmarks. */
export type TemplateOutcome = "loaded" | "built";

/**
 * Open an EMPTY PGlite database (`dataDir` absent or empty folder; undefined = in memory) from the
 * template, building and caching the template first when it is missing or broken. The caller has
 * checked that `dataDir` is empty and holds its lock. Throws only when building fails too.
 */
export async function openFromTemplate(
  dataDir: string | undefined,
  opts: TemplateOptions,
): Promise<{ db: PGlite; outcome: TemplateOutcome }> {
  const file = templatePath(templateKey(opts.migrations, pgliteVersion()), opts.dir);
  const expected = opts.migrations.map((m) => m.version).sort((a, b) => a - b);
  const tar = await readTemplate(file);
  if (tar !== null) {
    const db = await loadInto(dataDir, tar, expected);
    if (db !== null) return { db, outcome: "loaded" };
    memo = null;
    await rm(file, { force: true }).catch(() => undefined);
    if (dataDir !== undefined) await emptyFolder(dataDir);
  }
  // Build: initdb + migrations in memory, dump, cache.
  const built = await PGlite.create();
  try {
    await opts.migrate(built);
    const dump = new Uint8Array(await (await built.dumpDataDir("none")).arrayBuffer());
    await writeTemplate(file, dump);
    if (dataDir === undefined) return { db: built, outcome: "built" };
    await built.close();
    const db = await loadInto(dataDir, tarBlob(dump), expected);
    if (db === null) throw new Error("store: a freshly built PGlite template did not load");
    return { db, outcome: "built" };
  } catch (e) {
    if (!built.closed) await built.close().catch(() => undefined);
    throw e;
  }
}

/**
 * The last template read in this process, reused while the file keeps its size and mtime (a test
 * file opens many stores: this skips re-reading and unzipping ~40 MB each time). Blobs are
 * immutable, so sharing one between PGlite instances is safe.
 */
let memo: { file: string; sizeBytes: number; mtimeMs: number; tar: Blob } | null = null;

/** The template's tar, or null when absent or not a valid gzip (a corrupt one is deleted). */
async function readTemplate(file: string): Promise<Blob | null> {
  let gz: Buffer;
  let info: { size: number; mtimeMs: number };
  try {
    info = await stat(file);
    if (
      memo !== null &&
      memo.file === file &&
      memo.sizeBytes === info.size &&
      memo.mtimeMs === info.mtimeMs
    ) {
      return memo.tar;
    }
    gz = await readFile(file);
  } catch {
    return null;
  }
  try {
    // Node's zlib (native) unzips far faster than PGlite's DecompressionStream path; the gzip CRC
    // catches truncated or bit-flipped files.
    const tar = tarBlob(new Uint8Array(await gunzipAsync(gz)));
    memo = { file, sizeBytes: info.size, mtimeMs: info.mtimeMs, tar };
    return tar;
  } catch {
    await rm(file, { force: true }).catch(() => undefined);
    return null;
  }
}

function tarBlob(tar: Uint8Array): Blob {
  return new Blob([tar as Uint8Array<ArrayBuffer>], { type: "application/x-tar" });
}

/** Load `tar` into a new PGlite; null (instance closed) if it fails or lacks the expected migrations. */
async function loadInto(
  dataDir: string | undefined,
  loadDataDir: Blob,
  expectedVersions: readonly number[],
): Promise<PGlite | null> {
  let db: PGlite | undefined;
  try {
    db = await PGlite.create(dataDir === undefined ? { loadDataDir } : { dataDir, loadDataDir });
    const rows = await db.query<{ version: number }>(
      "SELECT version FROM schema_migrations ORDER BY version",
    );
    const got = rows.rows.map((r) => Number(r.version));
    if (got.length === expectedVersions.length && got.every((v, i) => v === expectedVersions[i])) return db;
  } catch {
    // fall through: treat as a broken template
  }
  if (db !== undefined && !db.closed) await db.close().catch(() => undefined);
  return null;
}

/** Temporary files older than this were left by a builder that died mid-write. */
const STALE_TMP_MS = 10 * 60 * 1000;

async function writeTemplate(file: string, tar: Uint8Array): Promise<void> {
  try {
    await mkdir(dirname(file), { recursive: true });
    await removeStaleTmp(dirname(file));
    const tmp = `${file}.${process.pid}.${randomBytes(6).toString("hex")}.tmp`;
    try {
      await writeFile(tmp, await gzipAsync(tar, { level: 1 }));
      await rename(tmp, file);
    } finally {
      await rm(tmp, { force: true }).catch(() => undefined);
    }
  } catch {
    // An unwritable cache only costs speed: the store opened from the built cluster anyway.
  }
}

async function removeStaleTmp(dir: string): Promise<void> {
  for (const name of await readdir(dir).catch(() => [] as string[])) {
    if (!name.startsWith("pglite-") || !name.endsWith(".tmp")) continue;
    const path = join(dir, name);
    const info = await stat(path).catch(() => null);
    if (info !== null && Date.now() - info.mtimeMs > STALE_TMP_MS)
      await rm(path, { force: true }).catch(() => undefined);
  }
}

/** Whether `dataDir` is missing or holds no entries. */
export async function isEmptyFolder(dataDir: string): Promise<boolean> {
  try {
    return (await readdir(dataDir)).length === 0;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === "ENOENT";
  }
}

async function emptyFolder(dataDir: string): Promise<void> {
  for (const name of await readdir(dataDir).catch(() => [] as string[])) {
    await rm(join(dataDir, name), { recursive: true, force: true });
  }
}
