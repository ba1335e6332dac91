/**
 * Worker thread of src/app/library/offload.ts: file reading off the main thread, so a large upload
 * or the first load of a stored study does not block the server's event loop.
 * - `ImportJob` (`importFilesOffThread`): runs `importFiles` (staging, unzip, reading and validating
 *   every series, moving the files into the blob store).
 * - `ReadJob` (`readSeriesOffThread`): runs one io reader; the voxel buffers are transferred back
 *   (moved, not copied).
 *
 * One worker per job. Message in: a `WorkerJob`. Messages out: any number of
 * `{ type: "progress", fraction, label }`, then exactly one `{ type: "done", result }` or
 * `{ type: "error", error: WireError }`; the main side then ends the worker.
 *
 * The blob store is a `BlobStore` on the same data folder whose staging paths start with
 * `job.tmpPrefix`, so the main side can remove this import's staging folder if the worker dies.
 */
import { join } from "node:path";
import { parentPort } from "node:worker_threads";
import { BlobStore } from "../app/library/blobs.js";
import { importFiles } from "../app/library/import.js";
import type { ImportOptions, ImportResult, StagedFile } from "../app/library/types.js";
import { isAtsmError } from "../core/errors.js";
import { readDicom } from "../io/dicom/read.js";
import { readInterfile } from "../io/interfile/index.js";
import { readInveon } from "../io/inveon/index.js";
import { readNifti } from "../io/nifti/index.js";
import type { LoadedSeries, StudyFormat } from "../io/types.js";

/** Limits of ImportOptions (the structured-cloneable part; onProgress becomes messages). */
export type ImportJobLimits = Pick<ImportOptions, "maxInflatedBytes" | "maxEntryBytes" | "maxEntries">;

export interface ImportJob {
  readonly kind: "import";
  readonly blobRoot: string;
  readonly files: readonly StagedFile[];
  readonly limits: ImportJobLimits;
  /** Name prefix of every staging path this import creates in `<blobRoot>/tmp/`. */
  readonly tmpPrefix: string;
}

export interface ReadJob {
  readonly kind: "read";
  readonly format: StudyFormat;
  /** DICOM: the folder; other formats: the main file. */
  readonly path: string;
}

export type WorkerJob = ImportJob | ReadJob;

/** An error as it crosses the thread boundary (AtsmError fields, or a plain/system error). */
export interface WireError {
  readonly atsm: boolean;
  readonly name: string;
  readonly message: string;
  readonly stack?: string;
  readonly code?: string;
  readonly hint?: string;
  readonly file?: string;
  readonly field?: string;
  readonly byteOffset?: number;
  readonly row?: number;
  readonly value?: unknown;
}

export type ImportWorkerMessage =
  | { readonly type: "progress"; readonly fraction: number; readonly label: string | null }
  | { readonly type: "done"; readonly result: ImportResult | LoadedSeries[] }
  | { readonly type: "error"; readonly error: WireError };

/** BlobStore whose staging paths carry the job's prefix (see file comment). */
class JobBlobStore extends BlobStore {
  private readonly prefix: string;
  private n = 0;

  constructor(rootDir: string, prefix: string) {
    super(rootDir);
    this.prefix = prefix;
  }

  override async tmpPath(suffix = ""): Promise<string> {
    await super.tmpPath();
    return join(this.tmpDir(), `${this.prefix}${this.n++}${suffix}`);
  }
}

/** A value that survives structured cloning, else its string form. */
function cloneable(v: unknown): unknown {
  try {
    return structuredClone(v);
  } catch {
    return String(v);
  }
}

function toWire(e: unknown): WireError {
  if (isAtsmError(e)) {
    return {
      atsm: true,
      name: e.name,
      message: e.message,
      code: e.code,
      ...(e.stack !== undefined ? { stack: e.stack } : {}),
      ...(e.hint !== undefined ? { hint: e.hint } : {}),
      ...(e.file !== undefined ? { file: e.file } : {}),
      ...(e.field !== undefined ? { field: e.field } : {}),
      ...(e.byteOffset !== undefined ? { byteOffset: e.byteOffset } : {}),
      ...(e.row !== undefined ? { row: e.row } : {}),
      ...(e.value !== undefined ? { value: cloneable(e.value) } : {}),
    };
  }
  const err = e instanceof Error ? e : new Error(String(e));
  const code = (err as { code?: unknown }).code;
  return {
    atsm: false,
    name: err.name,
    message: err.message,
    ...(err.stack !== undefined ? { stack: err.stack } : {}),
    ...(typeof code === "string" ? { code } : {}),
  };
}

/** Smaller buffers are copied (and may be slices of Node's shared Buffer pool, which cannot move). */
const TRANSFER_MIN_BYTES = 64 * 1024;

/** The distinct ArrayBuffers of the series' typed arrays worth moving instead of copying. */
function transferables(series: readonly LoadedSeries[]): ArrayBuffer[] {
  const out = new Set<ArrayBuffer>();
  for (const s of series) {
    for (const a of [s.volume.data, s.volume.direction, s.dynamic?.data]) {
      if (a !== undefined && a.buffer instanceof ArrayBuffer && a.buffer.byteLength >= TRANSFER_MIN_BYTES)
        out.add(a.buffer);
    }
  }
  return [...out];
}

function read(job: ReadJob): Promise<LoadedSeries[]> {
  switch (job.format) {
    case "dicom":
      return readDicom(job.path);
    case "nifti":
      return readNifti(job.path);
    case "inveon":
      return readInveon(job.path);
    case "interfile":
      return readInterfile(job.path);
  }
}

const port = parentPort;
port?.once("message", (job: WorkerJob) => {
  const post = (m: ImportWorkerMessage, transfer: ArrayBuffer[] = []) => port.postMessage(m, transfer);
  const failed = (e: unknown) => post({ type: "error", error: toWire(e) });
  if (job.kind === "read") {
    read(job).then((result) => {
      try {
        post({ type: "done", result }, transferables(result));
      } catch {
        post({ type: "done", result }); // a buffer that cannot move (e.g. externally owned): copy it
      }
    }, failed);
    return;
  }
  const blobs = new JobBlobStore(job.blobRoot, job.tmpPrefix);
  importFiles(blobs, job.files, {
    ...job.limits,
    onProgress: (fraction, label) => post({ type: "progress", fraction, label: label ?? null }),
  }).then((result) => post({ type: "done", result }), failed);
});
