/**
 * The one HTTP client of the app: JSON requests to /api with the session cookie, errors turned into
 * `ApiError` (code, message, field, hint from the server's `{ error: {...} }` body), 401 → login, and an
 * XHR upload with real progress. A global busy counter drives the top progress bar for long requests.
 */
import type { ImportResult } from "./types.js";

export class ApiError extends Error {
  readonly status: number;
  readonly code: string;
  readonly field: string | null;
  readonly hint: string | null;
  constructor(status: number, code: string, message: string, field: string | null, hint: string | null) {
    super(message);
    this.name = "ApiError";
    this.status = status;
    this.code = code;
    this.field = field;
    this.hint = hint;
  }
}

type Listener = () => void;
let busyCount = 0;
const busyListeners = new Set<(n: number) => void>();
const unauthListeners = new Set<Listener>();

/** Subscribe to the number of requests in flight; returns the unsubscribe function. */
export function onBusy(fn: (n: number) => void): () => void {
  busyListeners.add(fn);
  return () => busyListeners.delete(fn);
}
/** Subscribe to "the session is gone" (any 401 outside the login call). */
export function onUnauthenticated(fn: Listener): () => void {
  unauthListeners.add(fn);
  return () => unauthListeners.delete(fn);
}
function setBusy(delta: number): void {
  busyCount += delta;
  for (const fn of busyListeners) fn(busyCount);
}

function errorFromBody(status: number, body: unknown): ApiError {
  const e =
    typeof body === "object" && body !== null && "error" in body
      ? (body as { error: Record<string, unknown> }).error
      : null;
  const str = (v: unknown): string | null => (typeof v === "string" && v !== "" ? v : null);
  return new ApiError(
    status,
    str(e?.code) ?? `HTTP_${status}`,
    str(e?.message) ?? `request failed with HTTP ${status}`,
    str(e?.field),
    str(e?.hint),
  );
}

function handleStatus(status: number, path: string): void {
  if (status === 401 && !path.startsWith("/auth/login")) for (const fn of unauthListeners) fn();
}

/** JSON request to `/api${path}`. Resolves with the parsed body (undefined for 204). */
export async function api<T>(method: string, path: string, body?: unknown): Promise<T> {
  setBusy(1);
  try {
    const init: RequestInit = { method, credentials: "same-origin", headers: { Accept: "application/json" } };
    if (body !== undefined) {
      init.headers = { Accept: "application/json", "Content-Type": "application/json" };
      init.body = JSON.stringify(body);
    }
    let res: Response;
    try {
      res = await fetch(`/api${path}`, init);
    } catch (err) {
      throw new ApiError(
        0,
        "NETWORK",
        `cannot reach the server (${String(err)})`,
        null,
        "is `atsm serve` running?",
      );
    }
    handleStatus(res.status, path);
    const text = await res.text();
    let parsed: unknown;
    try {
      parsed = text === "" ? undefined : JSON.parse(text);
    } catch {
      parsed = undefined;
    }
    if (!res.ok) throw errorFromBody(res.status, parsed);
    return parsed as T;
  } finally {
    setBusy(-1);
  }
}

/** Fetch binary bytes (a viewer volume) with the cookie; returns the bytes and the X-Atsm-Unit header. */
export async function fetchBytes(url: string): Promise<{ bytes: ArrayBuffer; unit: string | null }> {
  setBusy(1);
  try {
    const res = await fetch(url, { credentials: "same-origin" });
    handleStatus(res.status, url);
    if (!res.ok) {
      let parsed: unknown;
      try {
        parsed = await res.json();
      } catch {
        parsed = undefined;
      }
      throw errorFromBody(res.status, parsed);
    }
    return { bytes: await res.arrayBuffer(), unit: res.headers.get("X-Atsm-Unit") };
  } finally {
    setBusy(-1);
  }
}

export interface UploadHandle {
  readonly promise: Promise<ImportResult>;
  abort(): void;
}

/**
 * Multipart upload (parts `file`, optional `subjectId`) with XHR so that upload progress is real.
 * `onProgress(sentBytes, totalBytes)`; `onProcessing()` once all bytes are sent (server-side import).
 */
export function uploadFiles(
  projectId: string,
  files: readonly File[],
  opts: { subjectId?: string; onProgress: (sent: number, total: number) => void; onProcessing: () => void },
): UploadHandle {
  const form = new FormData();
  if (opts.subjectId) form.append("subjectId", opts.subjectId);
  for (const f of files) form.append("file", f, f.webkitRelativePath || f.name);
  const xhr = new XMLHttpRequest();
  const path = `/projects/${encodeURIComponent(projectId)}/uploads`;
  const promise = new Promise<ImportResult>((resolve, reject) => {
    xhr.open("POST", `/api${path}`);
    xhr.withCredentials = true;
    xhr.setRequestHeader("Accept", "application/json");
    xhr.upload.onprogress = (e) => opts.onProgress(e.loaded, e.lengthComputable ? e.total : e.loaded);
    xhr.upload.onload = () => opts.onProcessing();
    xhr.onerror = () => reject(new ApiError(0, "NETWORK", "upload failed: connection lost", null, null));
    xhr.onabort = () => reject(new ApiError(0, "ABORTED", "upload cancelled", null, null));
    xhr.onload = () => {
      handleStatus(xhr.status, path);
      let parsed: unknown;
      try {
        parsed = xhr.responseText === "" ? undefined : JSON.parse(xhr.responseText);
      } catch {
        parsed = undefined;
      }
      if (xhr.status >= 200 && xhr.status < 300) resolve(parsed as ImportResult);
      else reject(errorFromBody(xhr.status, parsed));
    };
    xhr.send(form);
  });
  setBusy(1);
  promise.then(
    () => setBusy(-1),
    () => setBusy(-1),
  );
  return { promise, abort: () => xhr.abort() };
}
