/**
 * Streaming parser of `multipart/related` bodies (RFC 2046 §5.1, RFC 2387), as WADO-RS returns
 * them (PS3.18 §8.6.1.2): one part per DICOM instance, each with its own headers.
 *
 * Grammar handled:
 * ```
 * body      := preamble? "--" boundary padding CRLF part (CRLF "--" boundary padding CRLF part)*
 *              CRLF "--" boundary "--" epilogue
 * part      := header-lines CRLF octets
 * ```
 * The parser is bounded (STYLE.md §8): the header block of a part is capped at `MAX_HEADER_BYTES`,
 * the whole body at `maxBytes`, and every failure names the URL (or source) and the byte offset.
 * Header lines may end in CRLF or a bare LF (lenient on input); the body delimiter must be
 * CRLF "--" boundary, because a bare LF can occur inside binary DICOM data.
 *
 * Push bytes as they arrive with `push`, which returns events; `end` checks that the closing
 * delimiter was seen. Memory use is one header block plus the delimiter length, whatever the part size.
 */
import { AtsmError } from "../../core/errors.js";

/** Largest header block accepted for one part, bytes (a few short lines in practice). */
export const MAX_HEADER_BYTES = 16 * 1024;
/** RFC 2046 §5.1.1: a boundary is 1..70 characters. */
const BOUNDARY_RE = /^[0-9A-Za-z'()+_,\-./:=? ]{0,69}[0-9A-Za-z'()+_,\-./:=?]$/;

export type MultipartEvent =
  | { readonly type: "start"; readonly headers: Readonly<Record<string, string>> }
  | { readonly type: "data"; readonly bytes: Uint8Array }
  | { readonly type: "end" };

export interface MultipartOptions {
  /** URL or file named in errors. */
  readonly source: string;
  /** Cap on the whole body, bytes. */
  readonly maxBytes: number;
}

type State = "preamble" | "afterDelimiter" | "headers" | "body" | "done";

const CRLF = Buffer.from("\r\n");

/** Validate a boundary parameter value (already unquoted). */
export function isValidBoundary(b: string): boolean {
  return BOUNDARY_RE.test(b);
}

export class MultipartParser {
  private readonly delimiter: Buffer;
  private readonly source: string;
  private readonly maxBytes: number;
  private state: State = "preamble";
  /** Unconsumed bytes; `bufStart` is the body offset of buf[0]. */
  private buf: Buffer = Buffer.from(CRLF); // a virtual CRLF so the first delimiter needs no special case
  private bufStart = -2;
  private received = 0;
  private partCount = 0;

  constructor(boundary: string, opts: MultipartOptions) {
    if (!isValidBoundary(boundary)) {
      throw new AtsmError({
        code: "PARSE_ERROR",
        message: "invalid multipart boundary",
        value: boundary,
        file: opts.source,
        field: "Content-Type",
        hint: "the server sent a malformed multipart/related Content-Type; check the PACS",
      });
    }
    this.delimiter = Buffer.from(`\r\n--${boundary}`, "latin1");
    this.source = opts.source;
    this.maxBytes = opts.maxBytes;
  }

  /** Number of complete parts seen so far. */
  get parts(): number {
    return this.partCount;
  }

  /** True once the closing delimiter has been read. */
  get done(): boolean {
    return this.state === "done";
  }

  private fail(code: "PARSE_ERROR" | "TRUNCATED", message: string, offset: number): AtsmError {
    return new AtsmError({
      code,
      message: `multipart/related body: ${message}`,
      file: this.source,
      byteOffset: Math.max(0, offset),
      hint:
        code === "TRUNCATED"
          ? "the transfer was cut off; retry, or check the PACS and any proxy between"
          : "the server sent a malformed multipart/related body; check the PACS (WADO-RS)",
    });
  }

  /** Feed the next chunk; returns the events it completes, in order. */
  push(chunk: Uint8Array): MultipartEvent[] {
    this.received += chunk.length;
    if (this.received > this.maxBytes) {
      throw new AtsmError({
        code: "LIMIT_EXCEEDED",
        message: `response is larger than the ${this.maxBytes}-byte limit`,
        file: this.source,
        byteOffset: this.maxBytes,
        hint: "retrieve fewer series at a time, or raise maxBytes",
      });
    }
    if (this.state === "done") return []; // epilogue: ignored
    this.buf = this.buf.length === 0 ? Buffer.from(chunk) : Buffer.concat([this.buf, chunk]);
    const events: MultipartEvent[] = [];
    // Each step consumes bytes or returns; the loop is bounded by the buffer length.
    for (let guard = this.buf.length + 2; guard > 0; guard--) {
      if (!this.step(events)) break;
    }
    return events;
  }

  /** Declare the end of the body; throws TRUNCATED unless the closing delimiter was seen. */
  end(): void {
    if (this.state === "preamble") {
      throw this.fail("PARSE_ERROR", "no boundary delimiter found in the body", this.received);
    }
    if (this.state !== "done") {
      const where =
        this.state === "body" ? `inside part ${this.partCount + 1}` : `before the closing boundary`;
      throw this.fail("TRUNCATED", `body ends ${where} (${this.received} bytes received)`, this.received);
    }
  }

  private consume(n: number): void {
    this.buf = this.buf.subarray(n);
    this.bufStart += n;
  }

  /** One parser step; false when more input is needed. */
  private step(events: MultipartEvent[]): boolean {
    const d = this.delimiter;
    switch (this.state) {
      case "preamble": {
        const i = this.buf.indexOf(d);
        if (i < 0) {
          // Keep a tail that could start a delimiter; drop the rest of the preamble.
          const keep = Math.min(this.buf.length, d.length - 1);
          this.consume(this.buf.length - keep);
          if (this.bufStart + this.buf.length > MAX_HEADER_BYTES) {
            throw this.fail("PARSE_ERROR", "no boundary delimiter found", this.bufStart);
          }
          return false;
        }
        this.consume(i + d.length);
        this.state = "afterDelimiter";
        return true;
      }
      case "afterDelimiter": {
        if (this.buf.length < 2) return false;
        if (this.buf[0] === 0x2d && this.buf[1] === 0x2d) {
          this.consume(2);
          this.state = "done";
          this.buf = Buffer.alloc(0);
          return false;
        }
        // Transport padding (spaces/tabs), then the line end.
        let k = 0;
        while (k < this.buf.length && (this.buf[k] === 0x20 || this.buf[k] === 0x09)) k++;
        if (k >= this.buf.length || (this.buf[k] === 0x0d && k + 1 >= this.buf.length)) {
          if (k > 1024) throw this.fail("PARSE_ERROR", "too much padding after a boundary", this.bufStart);
          return false;
        }
        if (this.buf[k] === 0x0d && this.buf[k + 1] === 0x0a) this.consume(k + 2);
        else if (this.buf[k] === 0x0a) this.consume(k + 1);
        else
          throw this.fail(
            "PARSE_ERROR",
            "boundary delimiter is not followed by a line end",
            this.bufStart + k,
          );
        this.state = "headers";
        return true;
      }
      case "headers": {
        const end = headerEnd(this.buf);
        if (end === null) {
          if (this.buf.length > MAX_HEADER_BYTES)
            throw this.fail(
              "PARSE_ERROR",
              `part header block longer than ${MAX_HEADER_BYTES} bytes`,
              this.bufStart,
            );
          return false;
        }
        const headers = parseHeaderLines(this.buf.subarray(0, end.headerLength).toString("latin1"));
        if (headers === null)
          throw this.fail(
            "PARSE_ERROR",
            `malformed header line in part ${this.partCount + 1}`,
            this.bufStart,
          );
        this.consume(end.total);
        events.push({ type: "start", headers });
        this.state = "body";
        return true;
      }
      case "body": {
        const i = this.buf.indexOf(d);
        if (i < 0) {
          const emit = this.buf.length - (d.length - 1);
          if (emit > 0) {
            events.push({ type: "data", bytes: new Uint8Array(this.buf.subarray(0, emit)) });
            this.consume(emit);
          }
          return false;
        }
        if (i > 0) events.push({ type: "data", bytes: new Uint8Array(this.buf.subarray(0, i)) });
        events.push({ type: "end" });
        this.partCount++;
        this.consume(i + d.length);
        this.state = "afterDelimiter";
        return true;
      }
      case "done":
        return false;
    }
  }
}

/** Where the header block ends: empty block, CRLFCRLF or LFLF (whichever comes first). */
function headerEnd(buf: Buffer): { headerLength: number; total: number } | null {
  if (buf.length >= 2 && buf[0] === 0x0d && buf[1] === 0x0a) return { headerLength: 0, total: 2 };
  if (buf.length >= 1 && buf[0] === 0x0a) return { headerLength: 0, total: 1 };
  const a = buf.indexOf("\r\n\r\n", 0, "latin1");
  const b = buf.indexOf("\n\n", 0, "latin1");
  if (a < 0 && b < 0) return null;
  if (a >= 0 && (b < 0 || a < b)) return { headerLength: a, total: a + 4 };
  return { headerLength: b, total: b + 2 };
}

/** `Name: value` lines (names lower-cased; folded lines joined); null when a line has no colon. */
function parseHeaderLines(text: string): Record<string, string> | null {
  const out: Record<string, string> = {};
  let last: string | null = null;
  for (const line of text.split(/\r?\n/)) {
    if (line === "") continue;
    if ((line[0] === " " || line[0] === "\t") && last !== null) {
      out[last] = `${out[last]} ${line.trim()}`;
      continue;
    }
    const c = line.indexOf(":");
    if (c <= 0) return null;
    last = line.slice(0, c).trim().toLowerCase();
    out[last] = line.slice(c + 1).trim();
  }
  return out;
}

/** A complete part, as collected by `parseMultipart`. */
export interface MultipartPart {
  readonly headers: Readonly<Record<string, string>>;
  readonly body: Uint8Array;
}

/** Parse a whole body held in memory (tests and small responses). */
export function parseMultipart(body: Uint8Array, boundary: string, opts: MultipartOptions): MultipartPart[] {
  const p = new MultipartParser(boundary, opts);
  const parts: MultipartPart[] = [];
  let headers: Readonly<Record<string, string>> = {};
  let chunks: Uint8Array[] = [];
  const apply = (events: MultipartEvent[]) => {
    for (const e of events) {
      if (e.type === "start") {
        headers = e.headers;
        chunks = [];
      } else if (e.type === "data") chunks.push(e.bytes);
      else parts.push({ headers, body: new Uint8Array(Buffer.concat(chunks)) });
    }
  };
  apply(p.push(body));
  p.end();
  return parts;
}

/** Parameters of a Content-Type value: `multipart/related; type="application/dicom"; boundary=x`. */
export function parseContentType(value: string): { mediaType: string; params: Record<string, string> } {
  const semi = value.indexOf(";");
  const mediaType = (semi < 0 ? value : value.slice(0, semi)).trim().toLowerCase();
  const params: Record<string, string> = {};
  const re = /;\s*([^=;\s]+)\s*=\s*(?:"((?:[^"\\]|\\.)*)"|([^;]*))/g;
  const rest = semi < 0 ? "" : value.slice(semi);
  for (let m = re.exec(rest); m !== null; m = re.exec(rest)) {
    const name = m[1]!.toLowerCase();
    const v = m[2] !== undefined ? m[2].replace(/\\(.)/g, "$1") : (m[3] ?? "").trim();
    if (!(name in params)) params[name] = v;
  }
  return { mediaType, params };
}
