/**
 * Load-test helpers for bench/web.ts: autocannon (programmatic API, loopback only) and the Python
 * peer server (bench/web/metrics_peer.py).
 */
import { type ChildProcess, spawn } from "node:child_process";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const here = dirname(fileURLToPath(import.meta.url));

interface AutocannonResult {
  readonly requests: { readonly average: number; readonly total: number };
  readonly latency: { readonly p50: number; readonly p99: number; readonly average: number };
  readonly non2xx: number;
  readonly errors: number;
  readonly timeouts: number;
  readonly duration: number;
}
type Autocannon = (
  opts: Record<string, unknown>,
  cb: (err: Error | null, r: AutocannonResult) => void,
) => unknown;

const require = createRequire(import.meta.url);
const autocannon = require("autocannon") as Autocannon;

export interface LoadResult {
  readonly reqPerS: number;
  readonly p50Ms: number;
  readonly p99Ms: number;
  readonly total: number;
  readonly non2xx: number;
  readonly errors: number;
}

/** POST `body` (JSON) to `url` with `connections` connections for `durationS` seconds. */
export function loadTest(
  url: string,
  body: unknown,
  o: { connections: number; durationS: number; headers?: Record<string, string> },
): Promise<LoadResult> {
  if (!/^http:\/\/127\.0\.0\.1:/.test(url)) throw new Error(`load tests run on loopback only, not ${url}`);
  return new Promise((ok, fail) => {
    autocannon(
      {
        url,
        method: "POST",
        headers: { "content-type": "application/json", ...o.headers },
        body: JSON.stringify(body),
        connections: o.connections,
        duration: o.durationS,
      },
      (err, r) => {
        if (err) fail(err);
        else
          ok({
            reqPerS: r.requests.total / r.duration,
            p50Ms: r.latency.p50,
            p99Ms: r.latency.p99,
            total: r.requests.total,
            non2xx: r.non2xx,
            errors: r.errors + r.timeouts,
          });
      },
    );
  });
}

/** Start bench/web/metrics_peer.py on `petNifti`; resolves once it listens. */
export function startPythonPeer(
  petNifti: string,
  port: number,
): Promise<{ url: string; proc: ChildProcess }> {
  const proc = spawn("/usr/bin/python3", [join(here, "metrics_peer.py"), petNifti, String(port)], {
    stdio: ["ignore", "pipe", "pipe"],
  });
  return new Promise((ok, fail) => {
    let err = "";
    proc.stderr?.on("data", (b: Buffer) => {
      err += b.toString();
    });
    proc.stdout?.on("data", (b: Buffer) => {
      if (b.toString().includes("listening")) ok({ url: `http://127.0.0.1:${port}/metrics`, proc });
    });
    proc.once("exit", (code) => fail(new Error(`metrics_peer.py exited ${code}: ${err}`)));
  });
}
