/**
 * The PGlite data folder (persistence across reopen and kill -9, one process at a time),
 * migrations (once, in order, atomically; concurrent start-up on PostgreSQL) and open failures.
 */
import { spawn, spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { lockDataDir } from "../../src/store/engines/lock.js";
import { openPostgres } from "../../src/store/engines/postgres.js";
import { MIGRATIONS, type Migration, openStore } from "../../src/store/index.js";
import { runMigrations } from "../../src/store/migrations.js";
import { expectAtsmErrorAsync } from "../helpers/errors.js";
import { startPostgres, type TestPostgres } from "../helpers/postgres.js";

const HERE = dirname(fileURLToPath(import.meta.url));
const VERSIONS = MIGRATIONS.map((m) => m.version);
const EXTRA: Migration = { version: 1000, name: "test table", sql: "CREATE TABLE t_extra (x integer);" };
const BROKEN: Migration = {
  version: 1001,
  name: "half broken",
  sql: "CREATE TABLE t_broken (x integer); SELECT no_such_function();",
};

/** The pid of a process that has exited. */
function deadPid(): number {
  return Number(spawnSync(process.execPath, ["-e", "process.stdout.write(String(process.pid))"]).stdout);
}

/** Run test/store/crash-writer.ts on `dataDir` until it has acknowledged `n` studies, then kill -9 it. */
async function writeThenKill(dataDir: string, n: number): Promise<{ lastAck: number; pid: number }> {
  const child = spawn(process.execPath, ["--import", "tsx", join(HERE, "crash-writer.ts"), dataDir], {
    stdio: ["ignore", "pipe", "pipe"],
  });
  let out = "";
  let err = "";
  child.stdout.on("data", (b: Buffer) => (out += b.toString()));
  child.stderr.on("data", (b: Buffer) => (err += b.toString()));
  const exited = new Promise<void>((r) => child.once("exit", () => r()));
  const deadline = Date.now() + 50_000;
  while (!out.includes(`ACK ${n}\n`) && Date.now() < deadline && child.exitCode === null) {
    await new Promise((r) => setTimeout(r, 25));
  }
  child.kill("SIGKILL");
  await exited;
  const acks = [...out.matchAll(/ACK (\d+)/g)].map((m) => Number(m[1]));
  if (acks.length < n) throw new Error(`crash-writer did not get going: ${out}\n${err}`);
  return { lastAck: Math.max(...acks), pid: child.pid ?? 0 };
}

describe("PGlite data folder", () => {
  let dir = "";
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), "atsm-store-"));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it("keeps every acknowledged write across close, kill -9 and reopen; migrates once; one opener", async () => {
    const dataDir = join(dir, "pglite");
    const first = await openStore({ dataDir });
    expect(first.kind).toBe("pglite");
    expect(await first.migrations()).toEqual(VERSIONS);
    await expectAtsmErrorAsync(() => openStore({ dataDir }), {
      code: "IO_ERROR",
      message: /in use by process \d+ \(this process/,
      hint: /another --data/,
    });
    const user = await first.users.create({ username: "before", role: "admin", passwordHash: "h" });
    await first.close();
    await first.close(); // idempotent
    expect(existsSync(`${dataDir}.lock`)).toBe(false);

    // Another process writes studies in a loop and is killed without warning; its lock stays behind.
    const { lastAck, pid } = await writeThenKill(dataDir, 4);
    expect(Number(await readFile(`${dataDir}.lock`, "utf8"))).toBe(pid);

    const again = await openStore({ dataDir });
    try {
      expect(await again.migrations()).toEqual(VERSIONS);
      expect(await again.users.byId(user.id)).toEqual(user);
      const project = (await again.projects.listFor(null)).find((p) => p.name === "crash");
      const studies = await again.studies.list(project!.id);
      const seen = new Set(studies.map((s) => s.description));
      for (let n = 0; n <= lastAck; n++) expect(seen.has(`n=${n}`), `acknowledged study n=${n}`).toBe(true);
      // At most one more (committed, killed before its ACK was written), and each one complete.
      expect(studies.length).toBeLessThanOrEqual(lastAck + 2);
      for (const s of studies) expect(s.series.map((se) => se.files.length)).toEqual([2, 2]);
    } finally {
      await again.close();
    }
  });

  it("the folder lock: refused while held here or by a live process, taken over when stale", async () => {
    const dataDir = join(dir, "lock-only");
    const release = await lockDataDir(dataDir);
    await expectAtsmErrorAsync(() => lockDataDir(dataDir), { code: "IO_ERROR", message: /this process/ });
    await release();
    await release(); // idempotent
    expect(existsSync(`${dataDir}.lock`)).toBe(false);
    // Held by a live process (our parent): refused, naming it.
    await writeFile(`${dataDir}.lock`, `${process.ppid}\n`);
    await expectAtsmErrorAsync(() => lockDataDir(dataDir), {
      code: "IO_ERROR",
      message: new RegExp(`in use by process ${process.ppid}`),
    });
    // Stale: a dead process, or our own pid from a previous life (pid reuse after a restart).
    for (const stale of [deadPid(), process.pid]) {
      await writeFile(`${dataDir}.lock`, `${stale}\n`);
      const r = await lockDataDir(dataDir);
      expect(Number(await readFile(`${dataDir}.lock`, "utf8"))).toBe(process.pid);
      await r();
    }
  });

  it("an unusable data folder or no database at all is a clear AtsmError", async () => {
    const file = join(dir, "a-file");
    await writeFile(file, "x");
    await expectAtsmErrorAsync(() => openStore({ dataDir: join(file, "pglite") }), {
      code: "IO_ERROR",
      message: /cannot open the embedded database/,
      hint: /writable/,
    });
    await expectAtsmErrorAsync(() => openStore({}), { code: "MISSING_INPUT", hint: /DATABASE_URL/ });
  });
});

describe.skipIf(process.env["CI"] !== "true" && !existsSync("/usr/lib/postgresql"))(
  "PostgreSQL start-up",
  () => {
    let server: TestPostgres | null = null;
    beforeAll(async () => {
      server = await startPostgres();
    });
    afterAll(async () => {
      await server?.stop();
    });

    it("applies migrations once, in order, and rolls a failing one back completely", async () => {
      const raw = await openPostgres(await server!.newDatabase());
      try {
        expect(await runMigrations(raw)).toEqual(VERSIONS);
        expect(await runMigrations(raw)).toEqual([]);
        expect(await runMigrations(raw, [EXTRA, ...MIGRATIONS])).toEqual([1000]);
        await expect(runMigrations(raw, [...MIGRATIONS, EXTRA, BROKEN])).rejects.toThrow(/no_such_function/);
        const tables = await raw.query("SELECT tablename FROM pg_tables WHERE tablename LIKE 't\\_%'");
        expect(tables.map((t) => t["tablename"])).toEqual(["t_extra"]);
        const rows = await raw.query("SELECT version FROM schema_migrations ORDER BY version");
        expect(rows.map((r) => Number(r["version"]))).toEqual([...VERSIONS, 1000]);
        await expect(runMigrations(raw, [EXTRA, EXTRA])).rejects.toThrow(/duplicate migration version 1000/);
      } finally {
        await raw.close();
      }
    });

    it("three servers starting together on an empty database migrate it once", async () => {
      const url = await server!.newDatabase();
      const stores = await Promise.all([openStore({ url }), openStore({ url }), openStore({ url })]);
      try {
        for (const s of stores) {
          expect(s.kind).toBe("postgres");
          expect(await s.migrations()).toEqual(VERSIONS);
        }
        await stores[0]!.users.create({ username: "shared", role: "admin", passwordHash: "h" });
        expect(await stores[2]!.users.count()).toBe(1);
      } finally {
        await Promise.all(stores.map((s) => s.close()));
        await stores[0]!.close(); // idempotent
      }
    });

    it("connection failures name DATABASE_URL without the password", async () => {
      const port = Number(new URL(server!.url).port);
      const refused = `postgres://bob:s3cret@127.0.0.1:${port === 1 ? 2 : 1}/atsm`;
      const e = await expectAtsmErrorAsync(() => openStore({ url: refused }), {
        code: "IO_ERROR",
        message: /DATABASE_URL=postgres:\/\/bob:\*\*\*@127\.0\.0\.1/,
        hint: /running and reachable/,
      });
      expect(e.message).not.toContain("s3cret");
      expect(e.field).toBe("DATABASE_URL");
      const noDb = server!.url.replace(/\/postgres$/, "/no_such_db");
      await expectAtsmErrorAsync(() => openStore({ url: noDb }), { code: "IO_ERROR", hint: /createdb/ });
    });
  },
);
