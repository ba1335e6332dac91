/**
 * The migrated PGlite template (src/store/engines/template.ts): its cache key, opening stores from
 * it (memory and data folder), and falling back + rebuilding when the cached file is corrupt.
 * Every test uses a private cache folder (ATSM_PGLITE_TEMPLATE_DIR), never the shared one.
 */
import { mkdtemp, readFile, rm, stat, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { gunzipSync, gzipSync } from "node:zlib";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  isEmptyFolder,
  pgliteVersion,
  TEMPLATE_DIR_ENV,
  TEMPLATE_SWITCH_ENV,
  templateAllowedByEnv,
  templateDir,
  templateKey,
  templatePath,
} from "../../src/store/engines/template.js";
import { MIGRATIONS, type Migration, openStore } from "../../src/store/index.js";

const VERSIONS = MIGRATIONS.map((m) => m.version);
/** initdb in WASM takes 5–20 s on a loaded 2-core machine; a rebuild test does one. */
const SLOW_MS = 180_000;

describe("templateKey", () => {
  const base: Migration[] = [
    { version: 1, name: "a", sql: "CREATE TABLE a (x int);" },
    { version: 2, name: "b", sql: "CREATE TABLE b (x int);" },
  ];
  const key = templateKey(base, "0.5.16");

  it("is stable and independent of list order", () => {
    expect(templateKey(base, "0.5.16")).toBe(key);
    expect(templateKey([...base].reverse(), "0.5.16")).toBe(key);
    expect(key).toMatch(/^pglite-0\.5\.16-[0-9a-f]{20}$/);
  });

  it("changes when a migration is added, removed or edited, or PGlite changes", () => {
    const variants = [
      [...base, { version: 3, name: "c", sql: "CREATE TABLE c (x int);" }],
      base.slice(0, 1),
      [base[0]!, { ...base[1]!, sql: "CREATE TABLE b (x bigint);" }],
      [base[0]!, { ...base[1]!, name: "b2" }],
      [base[0]!, { ...base[1]!, version: 3 }],
    ];
    const keys = variants.map((v) => templateKey(v, "0.5.16"));
    keys.push(templateKey(base, "0.5.17"));
    expect(new Set([key, ...keys]).size).toBe(keys.length + 1);
  });

  it("keys the real list with the installed PGlite version", () => {
    expect(pgliteVersion()).toMatch(/^\d+\.\d+\.\d+/);
    expect(templateKey(MIGRATIONS, pgliteVersion())).toContain(`pglite-${pgliteVersion()}-`);
  });
});

describe("PGlite template", () => {
  let cacheDir = "";
  let work = "";
  let file = "";
  const saved = process.env[TEMPLATE_DIR_ENV];

  beforeAll(async () => {
    cacheDir = await mkdtemp(join(tmpdir(), "atsm-template-cache-"));
    work = await mkdtemp(join(tmpdir(), "atsm-template-work-"));
    process.env[TEMPLATE_DIR_ENV] = cacheDir;
    file = templatePath(templateKey(MIGRATIONS, pgliteVersion()));
  });
  afterAll(async () => {
    if (saved === undefined) delete process.env[TEMPLATE_DIR_ENV];
    else process.env[TEMPLATE_DIR_ENV] = saved;
    await rm(cacheDir, { recursive: true, force: true });
    await rm(work, { recursive: true, force: true });
  });

  it("honours ATSM_PGLITE_TEMPLATE_DIR and ATSM_PGLITE_TEMPLATE=off", () => {
    expect(templateDir()).toBe(cacheDir);
    expect(file.startsWith(cacheDir)).toBe(true);
    const switchWas = process.env[TEMPLATE_SWITCH_ENV];
    try {
      process.env[TEMPLATE_SWITCH_ENV] = "off";
      expect(templateAllowedByEnv()).toBe(false);
      delete process.env[TEMPLATE_SWITCH_ENV];
      expect(templateAllowedByEnv()).toBe(true);
    } finally {
      if (switchWas !== undefined) process.env[TEMPLATE_SWITCH_ENV] = switchWas;
    }
  });

  it(
    "builds and caches the template on a miss; later stores load it with every migration",
    async () => {
      const first = await openStore({ memory: true });
      try {
        expect(await first.migrations()).toEqual(VERSIONS);
      } finally {
        await first.close();
      }
      // A valid gzip of a tar holding the cluster (PG_VERSION is the first thing initdb writes).
      const tar = gunzipSync(await readFile(file));
      expect(tar.length).toBeGreaterThan(1_000_000);

      const store = await openStore({ memory: true });
      try {
        expect(await store.migrations()).toEqual(VERSIONS);
        const u = await store.users.create({ username: "tpl-user", role: "analyst", passwordHash: "h" });
        expect((await store.users.byUsername("tpl-user"))?.id).toBe(u.id);
        expect(await store.users.count()).toBe(1);
      } finally {
        await store.close();
      }
      // Stores loaded from one template are independent.
      const other = await openStore({ memory: true });
      try {
        expect(await other.users.count()).toBe(0);
      } finally {
        await other.close();
      }
    },
    SLOW_MS,
  );

  it(
    "opens an empty data folder from the template, and it persists across reopen",
    async () => {
      const dataDir = join(work, "pglite");
      const before = (await stat(file)).mtimeMs;
      const s1 = await openStore({ dataDir });
      try {
        expect(await s1.migrations()).toEqual(VERSIONS);
        await s1.users.create({ username: "kept", role: "admin", passwordHash: "h" });
      } finally {
        await s1.close();
      }
      expect((await stat(file)).mtimeMs).toBe(before); // loaded, not rebuilt
      expect(await isEmptyFolder(dataDir)).toBe(false);
      const s2 = await openStore({ dataDir }); // not empty: opened in place, template unused
      try {
        expect((await s2.users.byUsername("kept"))?.role).toBe("admin");
        expect(await s2.migrations()).toEqual(VERSIONS);
      } finally {
        await s2.close();
      }
    },
    SLOW_MS,
  );

  it(
    "falls back and rebuilds when the cached file is not a gzip (truncated / garbage)",
    async () => {
      const good = await readFile(file);
      await writeFile(file, good.subarray(0, Math.floor(good.length / 2)));
      const store = await openStore({ memory: true });
      try {
        expect(await store.migrations()).toEqual(VERSIONS);
        expect(await store.users.count()).toBe(0);
      } finally {
        await store.close();
      }
      expect(gunzipSync(await readFile(file)).length).toBeGreaterThan(1_000_000); // rebuilt
    },
    SLOW_MS,
  );

  it(
    "falls back and rebuilds when the gzip is valid but the tar is not a cluster (data folder)",
    async () => {
      const tar = gunzipSync(await readFile(file));
      await writeFile(file, gzipSync(tar.subarray(0, 64 * 1024)));
      const dataDir = join(work, "pglite-from-broken");
      const store = await openStore({ dataDir });
      try {
        expect(await store.migrations()).toEqual(VERSIONS);
        await store.users.create({ username: "after-fallback", role: "viewer", passwordHash: "h" });
      } finally {
        await store.close();
      }
      // The broken file was rejected (else it would still be 64 KiB) and replaced by a full one.
      expect(gunzipSync(await readFile(file)).length).toBe(tar.length);
      const again = await openStore({ dataDir });
      try {
        expect(await again.users.count()).toBe(1);
      } finally {
        await again.close();
      }
    },
    SLOW_MS,
  );
});
