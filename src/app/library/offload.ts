/**
 * Heavy library work off the server's event loop.
 *
 * `importFilesOffThread` runs `importFiles` (import.ts) in a worker thread (src/workers/import-worker.ts)
 * on a `BlobStore` over the same data folder, so reading a 300-slice PET/CT upload does not stall
 * health checks, other users' requests or upload progress. Same inputs, same result, same errors:
 * - progress callbacks arrive as messages from the worker;
 * - an `AtsmError` thrown in the worker is rebuilt on this side with the same code, message, hint,
 *   file, field, byteOffset, row and value (and the worker's stack); other errors keep name, message
 *   and a string `code` (e.g. `ENOSPC`);
 * - if the worker itself dies (uncaught error, out of memory, exit) the import fails with
 *   `IO_ERROR`, the import's staging folder and the staged inputs are deleted (what `importFiles`
 *   does on failure), and nothing is left but, at worst, blobs already moved in, which the start-up
 *   orphan sweep removes (as after a crash of `importFiles` itself).
 *
 * One worker per import (its memory is returned when it ends); at most `IMPORT_WORKERS_MAX`
 * imports run at once, later ones wait their turn (reported as progress 0, "waiting ...").
 *
 * `readSeriesOffThread` runs one io reader the same way, for reading stored studies back
 * (StudyCache) without blocking.
 */
import { randomBytes } from "node:crypto";
import { readdir, rm } from "node:fs/promises";
import { join } from "node:path";
import type { Worker } from "node:worker_threads";
import { AtsmError, type AtsmErrorCode } from "../../core/errors.js";
import type { LoadedSeries, StudyFormat } from "../../io/types.js";
import type { ImportWorkerMessage, WireError, WorkerJob } from "../../workers/import-worker.js";
import { defaultThreadCount, startWorker } from "../../workers/pool.js";
import type { ImportOptions, ImportResult, StagedFile } from "./types.js";

/** Imports running at once (cores − 1, at least 1: one on the 2-core reference machine). */
export const IMPORT_WORKERS_MAX = defaultThreadCount();

let active = 0;
const waiting: (() => void)[] = [];

async function acquire(onQueued: () => void): Promise<void> {
  if (active < IMPORT_WORKERS_MAX) {
    active++;
    return;
  }
  onQueued();
  // The slot is handed over by release(): `active` is not decremented in between.
  await new Promise<void>((resolve) => waiting.push(resolve));
}

function release(): void {
  const next = waiting.shift();
  if (next !== undefined) next();
  else active--;
}

/** Rebuild an error that crossed the thread boundary (see import-worker.ts toWire). */
function fromWire(w: WireError): Error {
  if (w.atsm) {
    const out = new AtsmError({
      code: w.code as AtsmErrorCode,
      message: w.message,
      ...(w.hint !== undefined ? { hint: w.hint } : {}),
    });
    const m = out as { -readonly [K in keyof AtsmError]: AtsmError[K] };
    m.file = w.file;
    m.field = w.field;
    m.byteOffset = w.byteOffset;
    m.row = w.row;
    m.value = w.value;
    if (w.stack !== undefined) out.stack = w.stack;
    return out;
  }
  const e = new Error(w.message);
  e.name = w.name;
  if (w.stack !== undefined) e.stack = w.stack;
  if (w.code !== undefined) Object.assign(e, { code: w.code });
  return e;
}

/** What importFiles removes on failure: its staging folder(s) (by prefix) and the staged inputs. */
async function cleanUp(blobRoot: string, files: readonly StagedFile[], tmpPrefix: string): Promise<void> {
  const tmp = join(blobRoot, "tmp");
  const names = await readdir(tmp).catch(() => [] as string[]);
  await Promise.all(
    names
      .filter((n) => n.startsWith(tmpPrefix))
      .map((n) => rm(join(tmp, n), { recursive: true, force: true })),
  );
  await Promise.all(files.map((f) => rm(f.path, { force: true })));
}

/** IO_ERROR for a worker that died; `job` names what it was doing. */
function workerDied(job: "import" | "read", detail: string): AtsmError {
  return new AtsmError({
    code: "IO_ERROR",
    message:
      job === "import"
        ? `the import worker thread stopped before the import finished (${detail})`
        : `the reader worker thread stopped before the series was read (${detail})`,
    hint:
      job === "import"
        ? "nothing was imported and the uploaded files were deleted; upload again, and see the server log if it happens again"
        : "try again, and see the server log if it happens again",
  });
}

/**
 * Run `job` in a fresh worker; resolves with its result. `cleanup` runs when the job fails in a way
 * the worker could not clean up after (it died, or the progress callback threw).
 */
function runInWorker<T>(
  job: WorkerJob,
  onProgress: ((fraction: number, label?: string) => void) | undefined,
  cleanup: () => Promise<void>,
): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    let settled = false;
    let worker: Worker;
    const stop = (): void => {
      settled = true;
      worker.removeAllListeners();
      worker.on("error", () => {}); // late errors of a worker being terminated
      void worker.terminate();
    };
    const fail = (err: unknown, clean: boolean): void => {
      if (settled) return;
      stop();
      if (!clean) reject(err);
      else
        cleanup().then(
          () => reject(err),
          () => reject(err),
        );
    };
    try {
      worker = startWorker("import-worker");
    } catch (e) {
      const err = workerDied(job.kind, `could not start it: ${e instanceof Error ? e.message : String(e)}`);
      cleanup().then(
        () => reject(err),
        () => reject(err),
      );
      return;
    }
    worker.on("message", (m: ImportWorkerMessage) => {
      if (settled) return;
      if (m.type === "progress") {
        try {
          onProgress?.(m.fraction, ...(m.label !== null ? [m.label] : []));
        } catch (e) {
          fail(e, true); // importFiles fails (and cleans up) when its progress callback throws
        }
      } else if (m.type === "done") {
        stop();
        resolve(m.result as T);
      } else {
        fail(fromWire(m.error), false); // the worker has cleaned up already
      }
    });
    worker.on("messageerror", (e) => fail(workerDied(job.kind, `unreadable message: ${e.message}`), true));
    worker.on("error", (e) => fail(workerDied(job.kind, e.message), true));
    worker.on("exit", (code) => fail(workerDied(job.kind, `exit code ${code}`), true));
    worker.postMessage(job);
  });
}

/**
 * `importFiles` in a worker thread (see file comment): `blobRoot` is the data folder of the
 * `BlobStore` (`blobs.rootDir`); `files` are staged upload parts (consumed, as by importFiles).
 */
export async function importFilesOffThread(
  blobRoot: string,
  files: readonly StagedFile[],
  opts: ImportOptions = {},
): Promise<ImportResult> {
  await acquire(() => {
    try {
      opts.onProgress?.(0, "waiting for another import to finish");
    } catch {
      // a failing progress callback fails the import once it runs (runInWorker)
    }
  });
  try {
    const tmpPrefix = `import-${randomBytes(6).toString("hex")}-`;
    const { onProgress, ...limits } = opts;
    return await runInWorker<ImportResult>(
      { kind: "import", blobRoot, files, limits, tmpPrefix },
      onProgress,
      () => cleanUp(blobRoot, files, tmpPrefix),
    );
  } finally {
    release();
  }
}

/**
 * One io reader (`readDicom` on a folder, `readNifti` / `readInveon` / `readInterfile` on the main
 * file) in a worker thread: the same `LoadedSeries[]` (plain data; voxel buffers are moved, not
 * copied) and the same AtsmErrors, without holding the event loop while the files are parsed.
 * Not queued behind imports (a viewer waiting on someone's upload would be worse).
 */
export async function readSeriesOffThread(format: StudyFormat, path: string): Promise<LoadedSeries[]> {
  return runInWorker<LoadedSeries[]>({ kind: "read", format, path }, undefined, async () => {});
}
