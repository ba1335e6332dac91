/**
 * Server-process harness for the end-to-end and crash-safety tests: runs the real
 * `atsm serve` as a child process (from source via tsx's loader, so no dist build is needed),
 * waits for /api/health, parses the one-time login link from stdout, and kills it (SIGTERM, then
 * SIGKILL) on cleanup. Crash tests use `kill("SIGKILL")` to pull the plug mid-request.
 *
 * The server runs as ONE process (`node --import tsx src/cli/main.ts serve …`), not through npx or
 * the tsx CLI, which would put a wrapper process between us and the server and make SIGKILL hit
 * the wrapper instead of the server.
 */
import { type ChildProcess, spawn, spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync, rmSync, statSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

export const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "../..");
const CLI = join(REPO_ROOT, "src/cli/main.ts");

/** A free loopback TCP port (bind port 0, read it, release it). */
export async function freePort(): Promise<number> {
  return new Promise((ok, fail) => {
    const s = createServer();
    s.once("error", fail);
    s.listen(0, "127.0.0.1", () => {
      const addr = s.address();
      const port = typeof addr === "object" && addr !== null ? addr.port : 0;
      s.close(() => ok(port));
    });
  });
}

export interface ServerProcess {
  readonly url: string;
  readonly port: number;
  readonly dataDir: string;
  /** `…/api/auth/one-time?token=…` printed at first start (no users yet), else null. */
  readonly oneTimeUrl: string | null;
  readonly proc: ChildProcess;
  /** Everything written to stdout and stderr so far. */
  output(): string;
  /** Send `signal` and wait for the exit (SIGKILL after 5 s if SIGTERM did not end it). */
  stop(signal?: NodeJS.Signals): Promise<void>;
}

export interface StartOptions {
  /** Data folder; created under the OS temp folder when absent. Not removed by stop(). */
  readonly dataDir?: string;
  readonly demo?: boolean;
  readonly extraArgs?: readonly string[];
  readonly env?: Readonly<Record<string, string>>;
  /** How long to wait for /api/health (default 60 s; --demo generates a study first). */
  readonly readyTimeoutMs?: number;
}

/** Fresh temporary data folder; remove with `rmSync(dir, {recursive: true, force: true})`. */
export function tempDataDir(prefix = "atsm-e2e-"): string {
  return mkdtempSync(join(tmpdir(), prefix));
}

export async function startServer(opts: StartOptions = {}): Promise<ServerProcess> {
  const dataDir = opts.dataDir ?? tempDataDir();
  const port = await freePort();
  const args = [
    "--import",
    "tsx",
    CLI,
    "serve",
    "--host",
    "127.0.0.1",
    "--port",
    String(port),
    "--data",
    dataDir,
  ];
  if (opts.demo === true) args.push("--demo");
  args.push(...(opts.extraArgs ?? []));
  const env: Record<string, string | undefined> = { ...process.env, ...opts.env };
  if (opts.env?.DATABASE_URL === undefined) delete env.DATABASE_URL; // PGlite in dataDir unless asked
  const proc = spawn(process.execPath, args, { cwd: REPO_ROOT, env, stdio: ["ignore", "pipe", "pipe"] });
  let out = "";
  proc.stdout?.on("data", (b: Buffer) => {
    out += b.toString("utf8");
  });
  proc.stderr?.on("data", (b: Buffer) => {
    out += b.toString("utf8");
  });
  const exited = new Promise<void>((ok) => proc.once("exit", () => ok()));
  const url = `http://127.0.0.1:${port}`;
  const stop = async (signal: NodeJS.Signals = "SIGTERM"): Promise<void> => {
    if (proc.exitCode !== null || proc.signalCode !== null) return;
    proc.kill(signal);
    const timer = setTimeout(() => proc.kill("SIGKILL"), 5000);
    await exited;
    clearTimeout(timer);
  };
  const deadline = Date.now() + (opts.readyTimeoutMs ?? 60_000);
  for (;;) {
    if (proc.exitCode !== null || proc.signalCode !== null) {
      throw new Error(`atsm serve exited (${proc.exitCode ?? proc.signalCode}) before it was ready:\n${out}`);
    }
    if (await healthy(url)) break;
    if (Date.now() > deadline) {
      await stop("SIGKILL");
      throw new Error(`atsm serve did not answer /api/health within the timeout:\n${out}`);
    }
    await sleep(200);
  }
  // The link is printed before or right after listen; give stdout a moment to flush.
  let oneTimeUrl = parseOneTimeUrl(out);
  for (let i = 0; i < 10 && oneTimeUrl === null && !out.includes("ready"); i++) {
    await sleep(100);
    oneTimeUrl = parseOneTimeUrl(out);
  }
  return { url, port, dataDir, oneTimeUrl, proc, output: () => out, stop };
}

/** `http://host:port/api/auth/one-time?token=…` from the server's start-up output, or null. */
export function parseOneTimeUrl(output: string): string | null {
  const m = /(https?:\/\/\S+\/api\/auth\/one-time\?token=[A-Za-z0-9_\-%.~]+)/.exec(output);
  return m?.[1] ?? null;
}

async function healthy(url: string): Promise<boolean> {
  try {
    const r = await fetch(`${url}/api/health`, { signal: AbortSignal.timeout(2000) });
    if (!r.ok) return false;
    const body = (await r.json()) as { ok?: unknown };
    return body.ok === true;
  } catch {
    return false;
  }
}

export function sleep(ms: number): Promise<void> {
  return new Promise((ok) => setTimeout(ok, ms));
}

/** Follow the one-time link without redirects and return the `atsm_session=…` cookie pair. */
export async function loginWithOneTimeUrl(oneTimeUrl: string): Promise<string> {
  const r = await fetch(oneTimeUrl, { redirect: "manual" });
  const cookie = sessionCookie(r);
  if (cookie === null) throw new Error(`one-time link answered ${r.status} without a session cookie`);
  return cookie;
}

export async function login(url: string, username: string, password: string): Promise<string> {
  const r = await fetch(`${url}/api/auth/login`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ username, password }),
  });
  const cookie = sessionCookie(r);
  if (!r.ok || cookie === null) throw new Error(`login as ${username}: ${r.status} ${await r.text()}`);
  return cookie;
}

function sessionCookie(r: Response): string | null {
  for (const c of r.headers.getSetCookie()) {
    const m = /^(atsm_session=[^;]*)/.exec(c);
    if (m?.[1] !== undefined) return m[1];
  }
  return null;
}

/** JSON API call with the session cookie; throws with the body on a non-2xx answer. */
export async function api<T>(
  url: string,
  cookie: string,
  method: string,
  path: string,
  body?: unknown,
): Promise<T> {
  const init: RequestInit = { method, headers: { cookie } };
  if (body !== undefined) {
    init.headers = { cookie, "content-type": "application/json" };
    init.body = JSON.stringify(body);
  }
  const r = await fetch(`${url}/api${path}`, init);
  const text = await r.text();
  if (!r.ok) throw new Error(`${method} ${path} → ${r.status}: ${text}`);
  return (text === "" ? null : JSON.parse(text)) as T;
}

/** Newest modification time (ms) of the files under `dir` (recursive), 0 when absent. */
function newestMtimeMs(dir: string): number {
  if (!existsSync(dir)) return 0;
  let newest = 0;
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    newest = Math.max(newest, e.isDirectory() ? newestMtimeMs(p) : statSync(p).mtimeMs);
  }
  return newest;
}

/**
 * Build the web app into dist/web when dist/web/index.html is missing or older than any file in
 * web/ (sources, index.html, vite config). Takes ~10–60 s on a small machine.
 */
export function ensureWebBuild(): void {
  const index = join(REPO_ROOT, "dist/web/index.html");
  const builtMs = existsSync(index) ? statSync(index).mtimeMs : 0;
  const webDir = join(REPO_ROOT, "web");
  if (!existsSync(webDir)) throw new Error("web/ does not exist: the web app is not written yet");
  if (builtMs > newestMtimeMs(webDir)) return;
  const r = spawnSync(
    process.execPath,
    [join(REPO_ROOT, "node_modules/vite/bin/vite.js"), "build", "--config", "web/vite.config.ts"],
    {
      cwd: REPO_ROOT,
      encoding: "utf8",
      timeout: 300_000,
    },
  );
  if (r.status !== 0 || !existsSync(index)) {
    throw new Error(`vite build of web/ failed (${r.status}):\n${r.stdout}\n${r.stderr}`);
  }
}

/** Remove a data folder (after the server using it has stopped). */
export function removeDir(dir: string): void {
  rmSync(dir, { recursive: true, force: true });
}
