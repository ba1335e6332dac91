/**
 * A private PostgreSQL server for tests: initdb + pg_ctl from /usr/lib/postgresql/<v>/bin (Debian
 * `postgresql`), a temp data dir, trust auth, listening on 127.0.0.1 on a free port with its unix
 * socket in the temp dir. initdb refuses to run as root, so as root the server runs as the
 * `postgres` system user (runuser). Start it once per test file (beforeAll): it takes a few seconds.
 *
 * Returns null (the caller skips, printing `postgresSkipReason`) only when the binaries are absent
 * and CI is not "true"; in CI a missing PostgreSQL is an error.
 */
import { execFile } from "node:child_process";
import { existsSync, readdirSync } from "node:fs";
import { chown, mkdtemp, rm } from "node:fs/promises";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import pg from "pg";

const run = promisify(execFile);

export interface TestPostgres {
  /** postgres://postgres@127.0.0.1:PORT/postgres */
  readonly url: string;
  /** A fresh, empty database on this server; returns its URL. */
  newDatabase(): Promise<string>;
  stop(): Promise<void>;
}

/** Why startPostgres returned null (for the skip message). */
export let postgresSkipReason = "";

function findBinDir(): string | null {
  const root = "/usr/lib/postgresql";
  if (!existsSync(root)) return null;
  const versions = readdirSync(root)
    .filter((v) => existsSync(join(root, v, "bin", "initdb")) && existsSync(join(root, v, "bin", "pg_ctl")))
    .sort((a, b) => Number(b) - Number(a));
  return versions[0] === undefined ? null : join(root, versions[0], "bin");
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once("error", reject);
    srv.listen(0, "127.0.0.1", () => {
      const addr = srv.address();
      const port = typeof addr === "object" && addr !== null ? addr.port : 0;
      srv.close(() => resolve(port));
    });
  });
}

export async function startPostgres(): Promise<TestPostgres | null> {
  const bin = findBinDir();
  if (bin === null) {
    postgresSkipReason =
      "PostgreSQL binaries not found under /usr/lib/postgresql/*/bin (apt install postgresql)";
    if (process.env["CI"] === "true") throw new Error(`CI=true but ${postgresSkipReason}`);
    return null;
  }
  const asRoot = process.getuid?.() === 0;
  const dir = await mkdtemp(join(tmpdir(), "atsm-pg-"));
  const dataDir = join(dir, "data");
  if (asRoot) {
    const { stdout } = await run("id", ["-u", "postgres"]);
    const { stdout: gid } = await run("id", ["-g", "postgres"]);
    await chown(dir, Number(stdout.trim()), Number(gid.trim()));
  }
  const pgRun = (tool: string, args: string[]) =>
    asRoot
      ? run("runuser", ["-u", "postgres", "--", join(bin, tool), ...args], { cwd: dir })
      : run(join(bin, tool), args, { cwd: dir });
  const port = await freePort();
  try {
    await pgRun("initdb", ["-D", dataDir, "-A", "trust", "-U", "postgres", "--no-sync", "-E", "UTF8"]);
    const opts = [
      "-c listen_addresses=127.0.0.1",
      `-p ${port}`,
      `-c unix_socket_directories=${dir}`,
      "-c fsync=off",
      "-c synchronous_commit=off",
      "-c full_page_writes=off",
      "-c max_connections=50",
    ].join(" ");
    await pgRun("pg_ctl", ["-D", dataDir, "-l", join(dir, "log"), "-o", opts, "-w", "-t", "60", "start"]);
  } catch (e) {
    await rm(dir, { recursive: true, force: true });
    throw new Error(`startPostgres: ${(e as Error).message}`);
  }
  const url = `postgres://postgres@127.0.0.1:${port}/postgres`;
  let n = 0;
  return {
    url,
    async newDatabase() {
      n += 1;
      const name = `t${n}_${process.pid}`;
      const c = new pg.Client({ connectionString: url });
      await c.connect();
      try {
        await c.query(`CREATE DATABASE ${name}`);
      } finally {
        await c.end();
      }
      return `postgres://postgres@127.0.0.1:${port}/${name}`;
    },
    async stop() {
      try {
        await pgRun("pg_ctl", ["-D", dataDir, "-m", "immediate", "-w", "stop"]);
      } finally {
        await rm(dir, { recursive: true, force: true });
      }
    },
  };
}
