/**
 * A small worker-thread pool (node:worker_threads) for voxelwise jobs.
 *
 * Worker scripts live next to this file. From the compiled package the worker runs the `.js` file
 * in dist/. When running from TypeScript source (vitest, tsx) the script is the `.ts` file; Node 20
 * does not apply `execArgv: ["--import", "tsx"]` loader hooks inside a worker, so the worker is
 * started from a two-line bootstrap that registers tsx's ESM hooks in the worker thread
 * (`tsx/esm/api` `register()`) and then imports the `.ts` script. `workerScript()` picks the mode.
 *
 * Each task is a structured-cloneable message; the worker answers `{ id, ok, result | error }`.
 */
import { createRequire } from "node:module";
import { availableParallelism } from "node:os";
import { pathToFileURL } from "node:url";
import { Worker } from "node:worker_threads";

/** How to start worker script `name` (without extension) from this folder. */
export function workerScript(name: string): { url: URL; fromSource: boolean } {
  const fromSource = import.meta.url.endsWith(".ts");
  return { url: new URL(`./${name}${fromSource ? ".ts" : ".js"}`, import.meta.url), fromSource };
}

/** Start one worker for `workerScript(name)`. */
export function startWorker(name: string): Worker {
  const { url, fromSource } = workerScript(name);
  if (!fromSource) return new Worker(url);
  // tsx's exports map puts the ESM build of "tsx/esm/api" (index.mjs) next to the CJS one.
  const cjs = createRequire(import.meta.url).resolve("tsx/esm/api");
  const tsxApi = pathToFileURL(cjs.replace(/\.cjs$/, ".mjs")).href;
  const boot = [
    `import(${JSON.stringify(tsxApi)})`,
    `.then((api) => { api.register(); return import(${JSON.stringify(url.href)}); })`,
    `.catch((e) => { console.error(e); process.exit(1); });`,
  ].join("");
  return new Worker(boot, { eval: true });
}

interface Pending {
  readonly resolve: (v: unknown) => void;
  readonly reject: (e: unknown) => void;
}

interface Reply {
  readonly id: number;
  readonly ok: boolean;
  readonly result?: unknown;
  readonly error?: { message: string; name: string; code?: string; hint?: string };
}

export interface WorkerPool {
  /** Number of threads. */
  readonly size: number;
  /** Queue a task; resolves with the worker's result. */
  run<T>(task: unknown, transfer?: readonly ArrayBuffer[]): Promise<T>;
  /** Terminate all threads. */
  close(): Promise<void>;
}

/** Default thread count: available cores − 1, at least 1, at most 8. */
export function defaultThreadCount(): number {
  return Math.max(1, Math.min(8, availableParallelism() - 1));
}

/** Start `size` workers running script `name` (see `workerScript`). */
export function createWorkerPool(name: string, size = defaultThreadCount()): WorkerPool {
  const workers: Worker[] = [];
  const idle: Worker[] = [];
  const queue: { id: number; task: unknown; transfer: readonly ArrayBuffer[] }[] = [];
  const pending = new Map<number, Pending>();
  const busy = new Map<Worker, number>();
  let nextId = 1;
  let closed = false;

  const pump = (): void => {
    while (idle.length > 0 && queue.length > 0) {
      const w = idle.pop()!;
      const job = queue.shift()!;
      busy.set(w, job.id);
      w.postMessage({ id: job.id, task: job.task }, [...job.transfer]);
    }
  };

  for (let i = 0; i < size; i++) {
    const w = startWorker(name);
    w.on("message", (msg: Reply) => {
      busy.delete(w);
      const p = pending.get(msg.id);
      pending.delete(msg.id);
      idle.push(w);
      if (p) {
        if (msg.ok) p.resolve(msg.result);
        else {
          const e = new Error(msg.error?.message ?? "worker task failed");
          e.name = msg.error?.name ?? "Error";
          Object.assign(e, { code: msg.error?.code, hint: msg.error?.hint });
          p.reject(e);
        }
      }
      pump();
    });
    w.on("error", (err) => {
      const id = busy.get(w);
      if (id !== undefined) {
        pending.get(id)?.reject(err);
        pending.delete(id);
      }
    });
    workers.push(w);
    idle.push(w);
  }

  return {
    size,
    run<T>(task: unknown, transfer: readonly ArrayBuffer[] = []): Promise<T> {
      if (closed) return Promise.reject(new Error("worker pool is closed"));
      const id = nextId++;
      return new Promise<T>((resolve, reject) => {
        pending.set(id, { resolve: resolve as (v: unknown) => void, reject });
        queue.push({ id, task, transfer });
        pump();
      });
    },
    async close(): Promise<void> {
      closed = true;
      await Promise.all(workers.map((w) => w.terminate()));
    },
  };
}
