/**
 * A small DICOMweb client: QIDO-RS search (PS3.18 §10.6) and WADO-RS series retrieve
 * (PS3.18 §10.4) against a PACS such as Orthanc, dcm4chee or a cloud DICOM store.
 *
 * ```ts
 * const pacs = new DicomwebClient({ baseUrl: "http://127.0.0.1:8042/dicom-web" });
 * const studies = await pacs.searchStudies({ PatientID: "P001" });
 * const files = await pacs.retrieveSeries(studyUid, seriesUid, "/tmp/series1");
 * ```
 *
 * Every UID is checked against `^[0-9.]{1,64}$` before it goes into a URL. Answers are bounded:
 * QIDO JSON and WADO multipart bodies are capped at `maxBytes`; no data for `timeoutMs` aborts a
 * request. Errors are `AtsmError`s naming the URL (never its credentials) with a hint.
 */
import { mkdir, open, rm } from "node:fs/promises";
import { join } from "node:path";
import { AtsmError } from "../../core/errors.js";
import {
  bodyChunks,
  checkStatus,
  type Endpoint,
  parseEndpoint,
  readCapped,
  redactUrl,
  timedFetch,
} from "./http.js";
import {
  checkUid,
  type QidoInstance,
  type QidoSeries,
  type QidoStudy,
  toInstances,
  toSeries,
  toStudies,
} from "./json-model.js";
import { type MultipartEvent, MultipartParser, parseContentType } from "./multipart.js";

export interface DicomwebClientOptions {
  /** DICOMweb root, e.g. `http://127.0.0.1:8042/dicom-web`; `user:pass@` becomes Basic auth. */
  readonly baseUrl: string;
  /** fetch implementation (default: global fetch). */
  readonly fetch?: typeof fetch;
  /** Extra headers (e.g. Authorization) sent with every request; never printed. */
  readonly headers?: Record<string, string>;
  /** Inactivity timeout, ms: no response or body bytes for this long aborts (default 30 000). */
  readonly timeoutMs?: number;
  /** Cap on one response body, bytes (default 2 GiB; QIDO answers at most 64 MiB). */
  readonly maxBytes?: number;
}

export interface RetrieveProgress {
  /** Instances written so far. */
  readonly instances: number;
  /** Response bytes received so far. */
  readonly bytes: number;
  /** Content-Length of the response when the server sent one, else null. */
  readonly totalBytes: number | null;
}

export interface RetrieveOptions {
  readonly onProgress?: (p: RetrieveProgress) => void;
}

export const DEFAULT_TIMEOUT_MS = 30_000;
export const DEFAULT_MAX_BYTES = 2 * 1024 ** 3;
const MAX_QIDO_BYTES = 64 * 1024 ** 2;
/** Part-10 files start with a 128-byte preamble and "DICM" (PS3.10 §7.1). */
const DICM_OFFSET = 128;
const QUERY_KEY_RE = /^(?:[A-Za-z][A-Za-z0-9]{0,63}|[0-9A-Fa-f]{8})$/;
/** Study attributes asked for on top of the QIDO defaults. */
const STUDY_INCLUDE = [
  "StudyDescription",
  "ModalitiesInStudy",
  "NumberOfStudyRelatedSeries",
  "NumberOfStudyRelatedInstances",
] as const;
const SERIES_INCLUDE = ["SeriesDescription", "NumberOfSeriesRelatedInstances"] as const;

/**
 * The query string. Default `includefield`s are sent as repeated parameters: Orthanc 1.10 does not
 * split a URL-encoded comma list (`%2C`), which URLSearchParams would produce.
 */
function queryString(query: Readonly<Record<string, string>>, defaultInclude: readonly string[]): string {
  const p = new URLSearchParams();
  for (const [k, v] of Object.entries(query)) {
    if (!QUERY_KEY_RE.test(k)) {
      throw new AtsmError({
        code: "INVALID_ARGUMENT",
        message: "invalid QIDO-RS query key",
        value: k,
        field: k,
        hint: "use DICOM keywords (PatientID, StudyDate, ModalitiesInStudy), 8-digit tags, limit, offset or includefield",
      });
    }
    // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what we refuse
    if (typeof v !== "string" || v.length > 1024 || /[\u0000-\u001f]/.test(v)) {
      throw new AtsmError({
        code: "INVALID_ARGUMENT",
        message: `invalid QIDO-RS query value for ${k}`,
        value: v,
        field: k,
        hint: "a short text value without control characters, e.g. StudyDate=20250101-20250131",
      });
    }
    if (v !== "") p.append(k, v);
  }
  if (!p.has("includefield")) for (const f of defaultInclude) p.append("includefield", f);
  const s = p.toString();
  return s === "" ? "" : `?${s}`;
}

export class DicomwebClient {
  private readonly endpoint: Endpoint;
  private readonly fetchFn: typeof fetch;
  private readonly timeoutMs: number;
  private readonly maxBytes: number;

  constructor(opts: DicomwebClientOptions) {
    this.endpoint = parseEndpoint(opts.baseUrl, opts.headers ?? {});
    this.fetchFn = opts.fetch ?? fetch;
    this.timeoutMs = opts.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    this.maxBytes = opts.maxBytes ?? DEFAULT_MAX_BYTES;
    for (const [name, v] of [
      ["timeoutMs", this.timeoutMs],
      ["maxBytes", this.maxBytes],
    ] as const) {
      if (!(Number.isFinite(v) && v > 0)) {
        throw new AtsmError({
          code: "INVALID_ARGUMENT",
          message: `${name} must be > 0`,
          value: v,
          field: name,
        });
      }
    }
  }

  /** The DICOMweb root (no credentials), for display. */
  get baseUrl(): string {
    return this.endpoint.base;
  }

  /** QIDO-RS `GET /studies?…`, e.g. `{ PatientID: "P1", StudyDate: "20250101-", ModalitiesInStudy: "PT" }`. */
  async searchStudies(query: Readonly<Record<string, string>> = {}): Promise<QidoStudy[]> {
    const url = `${this.endpoint.base}/studies${queryString(query, STUDY_INCLUDE)}`;
    return toStudies(await this.getJson(url), redactUrl(url));
  }

  /** QIDO-RS `GET /studies/{uid}/series?…`. */
  async searchSeries(studyUid: string, query: Readonly<Record<string, string>> = {}): Promise<QidoSeries[]> {
    const s = checkUid(studyUid, "StudyInstanceUID");
    const url = `${this.endpoint.base}/studies/${s}/series${queryString(query, SERIES_INCLUDE)}`;
    return toSeries(await this.getJson(url), redactUrl(url), s);
  }

  /** QIDO-RS `GET /studies/{uid}/series/{uid}/instances`. */
  async searchInstances(studyUid: string, seriesUid: string): Promise<QidoInstance[]> {
    const s = checkUid(studyUid, "StudyInstanceUID");
    const se = checkUid(seriesUid, "SeriesInstanceUID");
    const url = `${this.endpoint.base}/studies/${s}/series/${se}/instances`;
    return toInstances(await this.getJson(url), redactUrl(url), s, se);
  }

  private async getJson(url: string): Promise<unknown> {
    const req = await timedFetch(
      this.fetchFn,
      url,
      { headers: { ...this.endpoint.headers, Accept: "application/dicom+json, application/json" } },
      this.timeoutMs,
    );
    try {
      checkStatus(req.response, url);
      if (req.response.status === 204) return [];
      const ct = parseContentType(req.response.headers.get("content-type") ?? "").mediaType;
      if (ct !== "application/dicom+json" && ct !== "application/json") {
        throw new AtsmError({
          code: "UNSUPPORTED",
          message: "QIDO-RS answer has the wrong content type",
          value: ct || "(none)",
          file: redactUrl(url),
          hint: "expected application/dicom+json: is the URL the DICOMweb root (e.g. …/dicom-web)?",
        });
      }
      const bytes = await readCapped(req, url, Math.min(this.maxBytes, MAX_QIDO_BYTES), this.timeoutMs);
      if (bytes.length === 0) return [];
      try {
        return JSON.parse(bytes.toString("utf8")) as unknown;
      } catch (e) {
        throw new AtsmError({
          code: "PARSE_ERROR",
          message: `QIDO-RS answer is not valid JSON: ${(e as Error).message}`,
          file: redactUrl(url),
          hint: "the PACS sent a malformed answer; check its log",
        });
      }
    } finally {
      req.done();
    }
  }

  /**
   * WADO-RS retrieve of one series into `destDir` (created if needed) as Part-10 files
   * `<destDir>/1.dcm`, `2.dcm`, … in the order the server sent them. Each part must start with the
   * DICM preamble. On any failure the files written so far are removed. Returns the file paths.
   */
  async retrieveSeries(
    studyUid: string,
    seriesUid: string,
    destDir: string,
    opts: RetrieveOptions = {},
  ): Promise<string[]> {
    const s = checkUid(studyUid, "StudyInstanceUID");
    const se = checkUid(seriesUid, "SeriesInstanceUID");
    const url = `${this.endpoint.base}/studies/${s}/series/${se}`;
    const shown = redactUrl(url);
    const req = await timedFetch(
      this.fetchFn,
      url,
      { headers: { ...this.endpoint.headers, Accept: 'multipart/related; type="application/dicom"' } },
      this.timeoutMs,
    );
    const files: string[] = [];
    const writer = new PartWriter(destDir, shown, files);
    try {
      checkStatus(req.response, url);
      const parser = this.multipartParser(req.response, shown);
      const lengthHeader = req.response.headers.get("content-length");
      const totalBytes = lengthHeader !== null && /^\d+$/.test(lengthHeader) ? Number(lengthHeader) : null;
      if (totalBytes !== null && totalBytes > this.maxBytes) {
        throw new AtsmError({
          code: "LIMIT_EXCEEDED",
          message: `series is ${totalBytes} bytes, more than the ${this.maxBytes}-byte limit`,
          file: shown,
          hint: "raise maxBytes, or retrieve a smaller series",
        });
      }
      let bytes = 0;
      for await (const chunk of bodyChunks(req, url, this.timeoutMs)) {
        bytes += chunk.length;
        for (const ev of parser.push(chunk)) await writer.apply(ev, bytes);
        opts.onProgress?.({ instances: files.length - (writer.open ? 1 : 0), bytes, totalBytes });
      }
      parser.end();
      if (files.length === 0) {
        throw new AtsmError({
          code: "NOT_FOUND",
          message: "WADO-RS answer holds no DICOM instances",
          file: shown,
          hint: "the series is empty on the PACS",
        });
      }
      return files;
    } catch (e) {
      await writer.abort();
      throw e;
    } finally {
      req.done();
    }
  }

  private multipartParser(res: Response, shown: string): MultipartParser {
    const raw = res.headers.get("content-type") ?? "";
    const ct = parseContentType(raw);
    const type = ct.params.type?.toLowerCase();
    if (ct.mediaType !== "multipart/related" || (type !== undefined && type !== "application/dicom")) {
      throw new AtsmError({
        code: "UNSUPPORTED",
        message: "WADO-RS answer has the wrong content type",
        value: raw || "(none)",
        file: shown,
        hint: 'expected multipart/related; type="application/dicom": check that the URL is the DICOMweb root',
      });
    }
    const boundary = ct.params.boundary;
    if (boundary === undefined || boundary === "") {
      throw new AtsmError({
        code: "PARSE_ERROR",
        message: "WADO-RS multipart/related answer has no boundary parameter",
        value: raw,
        file: shown,
        field: "Content-Type",
        hint: "the PACS sent a malformed Content-Type; check its DICOMweb plugin",
      });
    }
    return new MultipartParser(boundary, { source: shown, maxBytes: this.maxBytes });
  }
}

/** Streams parts into numbered files and checks each for the DICM magic. */
class PartWriter {
  private handle: Awaited<ReturnType<typeof open>> | null = null;
  private head: Buffer[] = [];
  private headBytes = 0;
  private partBytes = 0;
  private n = 0;

  constructor(
    private readonly dir: string,
    private readonly source: string,
    private readonly files: string[],
  ) {}

  get open(): boolean {
    return this.handle !== null;
  }

  async apply(ev: MultipartEvent, offset: number): Promise<void> {
    if (ev.type === "start") {
      const type = parseContentType(ev.headers["content-type"] ?? "application/dicom").mediaType;
      if (type !== "application/dicom") {
        throw new AtsmError({
          code: "UNSUPPORTED",
          message: `WADO-RS part ${this.n + 1} is not application/dicom`,
          value: type,
          file: this.source,
          byteOffset: offset,
          hint: "ask the PACS for DICOM instances (Accept: multipart/related; type=application/dicom)",
        });
      }
      if (this.n === 0) await mkdir(this.dir, { recursive: true });
      this.n++;
      const path = join(this.dir, `${this.n}.dcm`);
      try {
        this.handle = await open(path, "wx");
      } catch (e) {
        throw new AtsmError({
          code: "IO_ERROR",
          message: `cannot create ${path}: ${(e as Error).message}`,
          file: path,
          hint: "retrieve into a new, empty, writable folder",
          cause: e,
        });
      }
      this.files.push(path);
      this.head = [];
      this.headBytes = 0;
      this.partBytes = 0;
    } else if (ev.type === "data") {
      if (this.headBytes < DICM_OFFSET + 4) {
        this.head.push(Buffer.from(ev.bytes.subarray(0, DICM_OFFSET + 4 - this.headBytes)));
        this.headBytes = Math.min(DICM_OFFSET + 4, this.headBytes + ev.bytes.length);
      }
      this.partBytes += ev.bytes.length;
      await this.handle!.write(ev.bytes);
    } else {
      const head = Buffer.concat(this.head);
      await this.handle!.close();
      this.handle = null;
      if (head.length < DICM_OFFSET + 4 || head.toString("latin1", DICM_OFFSET, DICM_OFFSET + 4) !== "DICM") {
        throw new AtsmError({
          code: "PARSE_ERROR",
          message: `WADO-RS part ${this.n} (${this.partBytes} bytes) is not a DICOM Part-10 file (no DICM at byte 128)`,
          file: this.source,
          byteOffset: offset,
          hint: "the PACS must send Part-10 instances; check its DICOMweb settings",
        });
      }
    }
  }

  /** Close and delete what was written. */
  async abort(): Promise<void> {
    await this.handle?.close().catch(() => undefined);
    this.handle = null;
    await Promise.all(this.files.map((f) => rm(f, { force: true })));
    this.files.length = 0;
  }
}
