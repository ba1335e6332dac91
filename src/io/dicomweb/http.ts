/**
 * HTTP plumbing of the DICOMweb client: base-URL handling (credentials moved into an
 * Authorization header and never printed), an inactivity timeout, bounded body reads and the
 * mapping of network and HTTP failures to `AtsmError`s with a hint.
 */
import { AtsmError, type AtsmErrorCode } from "../../core/errors.js";

export interface Endpoint {
  /** Base URL without credentials and without a trailing slash. */
  readonly base: string;
  /** Headers sent with every request (Authorization from URL credentials included). */
  readonly headers: Readonly<Record<string, string>>;
}

/** Parse and check the DICOMweb root; user:password in the URL become a Basic Authorization header. */
export function parseEndpoint(baseUrl: string, headers: Readonly<Record<string, string>>): Endpoint {
  let u: URL;
  try {
    u = new URL(baseUrl);
  } catch {
    throw new AtsmError({
      code: "INVALID_ARGUMENT",
      message: "invalid DICOMweb URL",
      value: redactUrl(baseUrl),
      field: "baseUrl",
      hint: "give the DICOMweb root, e.g. http://127.0.0.1:8042/dicom-web",
    });
  }
  if (u.protocol !== "http:" && u.protocol !== "https:") {
    throw new AtsmError({
      code: "INVALID_ARGUMENT",
      message: "DICOMweb URL must be http or https",
      value: u.protocol,
      field: "baseUrl",
      hint: "give the DICOMweb root, e.g. http://127.0.0.1:8042/dicom-web",
    });
  }
  const out: Record<string, string> = { ...headers };
  if (u.username !== "" || u.password !== "") {
    const user = decodeURIComponent(u.username);
    const pass = decodeURIComponent(u.password);
    if (!Object.keys(out).some((k) => k.toLowerCase() === "authorization"))
      out.Authorization = `Basic ${Buffer.from(`${user}:${pass}`).toString("base64")}`;
    u.username = "";
    u.password = "";
  }
  u.search = "";
  u.hash = "";
  return { base: u.toString().replace(/\/+$/, ""), headers: out };
}

/** The URL as it may appear in messages and logs: no user or password. */
export function redactUrl(url: string): string {
  return url.replace(/^([a-z][a-z0-9+.-]*:\/\/)[^/@]*@/i, "$1");
}

/** A fetch with an inactivity timeout: no response or no body bytes for `timeoutMs` aborts it. */
export interface TimedRequest {
  readonly response: Response;
  /** Call when bytes arrive (restarts the inactivity timer). */
  readonly touch: () => void;
  /** Stop the timer (always call, in finally). */
  readonly done: () => void;
  readonly timedOut: () => boolean;
}

export async function timedFetch(
  fetchFn: typeof fetch,
  url: string,
  init: { headers: Record<string, string> },
  timeoutMs: number,
): Promise<TimedRequest> {
  const ac = new AbortController();
  let timedOut = false;
  let timer: ReturnType<typeof setTimeout> | undefined;
  const touch = () => {
    if (timer !== undefined) clearTimeout(timer);
    timer = setTimeout(() => {
      timedOut = true;
      ac.abort(new Error(`no data for ${timeoutMs} ms`));
    }, timeoutMs);
  };
  const done = () => {
    if (timer !== undefined) clearTimeout(timer);
    timer = undefined;
  };
  touch();
  try {
    const response = await fetchFn(url, { headers: init.headers, signal: ac.signal, redirect: "follow" });
    touch();
    return { response, touch, done, timedOut: () => timedOut };
  } catch (e) {
    done();
    throw networkError(e, url, timedOut, timeoutMs);
  }
}

/** Map a fetch/stream failure to an AtsmError naming the (redacted) URL. */
export function networkError(e: unknown, url: string, timedOut: boolean, timeoutMs: number): AtsmError {
  if (e instanceof AtsmError) return e;
  const shown = redactUrl(url);
  if (timedOut) {
    return new AtsmError({
      code: "IO_ERROR",
      message: `DICOMweb request timed out: no data for ${timeoutMs} ms`,
      file: shown,
      hint: "the PACS is slow or unreachable; retry, or raise the timeout",
      cause: e,
    });
  }
  const cause = (e as { cause?: { code?: string; message?: string } }).cause;
  const code = cause?.code ?? (e as { code?: string }).code;
  if (code === "ECONNREFUSED") {
    return new AtsmError({
      code: "IO_ERROR",
      message: "cannot connect to the DICOMweb server (connection refused)",
      file: shown,
      hint: "check that the PACS is running and that the --dicomweb URL (host and port) is right",
      cause: e,
    });
  }
  if (code === "ENOTFOUND" || code === "EAI_AGAIN") {
    return new AtsmError({
      code: "IO_ERROR",
      message: "cannot resolve the DICOMweb server's host name",
      file: shown,
      hint: "check the host name in the --dicomweb URL",
      cause: e,
    });
  }
  return new AtsmError({
    code: "IO_ERROR",
    message: `DICOMweb request failed: ${cause?.message ?? (e as Error)?.message ?? String(e)}${code ? ` (${code})` : ""}`,
    file: shown,
    hint: "check the network path to the PACS and retry",
    cause: e,
  });
}

/** Throw for a non-2xx answer. */
export function checkStatus(res: Response, url: string): void {
  if (res.ok) return;
  const s = res.status;
  const shown = redactUrl(url);
  const map = (): { code: AtsmErrorCode; hint: string } => {
    if (s === 401 || s === 403)
      return {
        code: "IO_ERROR",
        hint: "the PACS refused access: put user:password in the DICOMweb URL or pass an Authorization header",
      };
    if (s === 404)
      return {
        code: "NOT_FOUND",
        hint: "the study or series is not on the PACS, or the URL is not a DICOMweb root",
      };
    if (s === 400) return { code: "INVALID_ARGUMENT", hint: "the PACS rejected the query parameters" };
    return { code: "IO_ERROR", hint: "the PACS failed to answer; check its log and retry" };
  };
  const m = map();
  throw new AtsmError({
    code: m.code,
    message: `DICOMweb server answered HTTP ${s}${res.statusText ? ` ${res.statusText}` : ""}`,
    file: shown,
    hint: m.hint,
  });
}

/** Read a whole body with a byte cap (for QIDO JSON). */
export async function readCapped(req: TimedRequest, url: string, maxBytes: number, timeoutMs: number) {
  const chunks: Uint8Array[] = [];
  let total = 0;
  for await (const chunk of bodyChunks(req, url, timeoutMs)) {
    total += chunk.length;
    if (total > maxBytes) {
      throw new AtsmError({
        code: "LIMIT_EXCEEDED",
        message: `DICOMweb answer is larger than the ${maxBytes}-byte limit`,
        file: redactUrl(url),
        byteOffset: maxBytes,
        hint: "narrow the search (add PatientID, StudyDate, limit=)",
      });
    }
    chunks.push(chunk);
  }
  return Buffer.concat(chunks);
}

/** Iterate the body's chunks, restarting the inactivity timer on each; failures become AtsmErrors. */
export async function* bodyChunks(req: TimedRequest, url: string, timeoutMs: number) {
  const body = req.response.body;
  if (body === null) return;
  const reader = body.getReader();
  let finished = false;
  try {
    for (;;) {
      let r: ReadableStreamReadResult<Uint8Array>;
      try {
        r = await reader.read();
      } catch (e) {
        throw networkError(e, url, req.timedOut(), timeoutMs);
      }
      if (r.done) {
        finished = true;
        return;
      }
      req.touch();
      yield r.value;
    }
  } finally {
    // Stopped early (error or cap): cancel so the connection is closed, not left half-read.
    if (!finished) await reader.cancel().catch(() => undefined);
    reader.releaseLock();
  }
}
