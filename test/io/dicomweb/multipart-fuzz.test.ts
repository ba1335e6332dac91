/**
 * Property tests of the multipart/related parser (STYLE.md §8 "fuzz every reader"):
 * (1) any parts, any boundary absent from the bodies, any chunking → the same parts back;
 * (2) any mutation or truncation of a valid body → parts or an AtsmError, never another exception.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { isAtsmError } from "../../../src/core/errors.js";
import { MultipartParser, parseContentType, parseMultipart } from "../../../src/io/dicomweb/multipart.js";
import { multipartBody } from "./multipart-body.js";

const OPTS = { source: "http://pacs/test", maxBytes: 1 << 20 };
const boundaryArb = fc.stringMatching(/^[0-9A-Za-z'()+_,\-./:=?]{1,40}$/);
const partsArb = fc.array(
  fc.record({
    body: fc.uint8Array({ maxLength: 300 }),
    type: fc.constantFrom("application/dicom", "application/dicom; transfer-syntax=1.2.840.10008.1.2.1"),
  }),
  { maxLength: 5 },
);

function contains(hay: Uint8Array, needle: string): boolean {
  return Buffer.from(hay).includes(Buffer.from(needle, "latin1"));
}

/** Parse `body` pushed in pieces at the given cut points. */
function parseChunked(body: Uint8Array, boundary: string, cuts: number[]) {
  const p = new MultipartParser(boundary, OPTS);
  const parts: { headers: Record<string, string>; body: Buffer }[] = [];
  let cur: Buffer[] = [];
  let headers: Record<string, string> = {};
  const points = [...new Set(cuts.map((c) => c % (body.length + 1)))].sort((a, b) => a - b);
  let prev = 0;
  for (const c of [...points, body.length]) {
    for (const e of p.push(body.subarray(prev, c))) {
      if (e.type === "start") {
        headers = { ...e.headers };
        cur = [];
      } else if (e.type === "data") cur.push(Buffer.from(e.bytes));
      else parts.push({ headers, body: Buffer.concat(cur) });
    }
    prev = c;
  }
  p.end();
  return parts;
}

describe("multipart/related parser (fast-check)", () => {
  it("round-trips any parts under any chunking", () => {
    fc.assert(
      fc.property(
        partsArb,
        boundaryArb,
        fc.array(fc.nat(), { maxLength: 8 }),
        fc.boolean(),
        (parts, boundary, cuts, pre) => {
          fc.pre(!parts.some((p) => contains(p.body, `\r\n--${boundary}`)));
          const body = multipartBody(
            parts.map((p) => ({ body: p.body, headers: { "Content-Type": p.type } })),
            boundary,
            pre ? { preamble: "pre", epilogue: "epi" } : {},
          );
          const got = parseChunked(body, boundary, cuts);
          expect(got.length).toBe(parts.length);
          got.forEach((g, i) => {
            expect(g.body.equals(Buffer.from(parts[i]!.body))).toBe(true);
            expect(g.headers["content-type"]).toBe(parts[i]!.type);
          });
        },
      ),
      { numRuns: 300, seed: 20251125 },
    );
  });

  it("mutated or truncated bodies give parts or an AtsmError, nothing else", () => {
    fc.assert(
      fc.property(
        partsArb,
        fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 255 })), { maxLength: 6 }),
        fc.option(fc.nat()),
        fc.array(fc.nat(), { maxLength: 4 }),
        (parts, flips, cutAt, cuts) => {
          const full = Buffer.from(
            multipartBody(
              parts.map((p) => ({ body: p.body })),
              "bnd",
            ),
          );
          for (const [i, v] of flips) if (full.length > 0) full[i % full.length] = v;
          const body = cutAt === null ? full : full.subarray(0, cutAt % (full.length + 1));
          try {
            parseChunked(body, "bnd", cuts);
          } catch (e) {
            if (!isAtsmError(e)) throw e;
            expect(["PARSE_ERROR", "TRUNCATED", "LIMIT_EXCEEDED"]).toContain(e.code);
            expect(e.file).toBe(OPTS.source);
            expect(typeof e.byteOffset).toBe("number");
          }
        },
      ),
      { numRuns: 500, seed: 7 },
    );
  });

  it("hand vectors: LF-only header lines, transport padding, folded header, empty part", () => {
    const body = Buffer.from(
      "--b  \r\nContent-Type: application/dicom\n X-Folded: a\n\nAB\r\n--b\r\n\r\n\r\n--b--",
      "latin1",
    );
    const parts = parseMultipart(body, "b", OPTS);
    expect(parts.map((p) => Buffer.from(p.body).toString("latin1"))).toEqual(["AB", ""]);
    expect(parts[0]!.headers["content-type"]).toBe("application/dicom X-Folded: a");
  });

  it("truncation is reported at the byte where the body ended", () => {
    const full = multipartBody([{ body: new Uint8Array(100) }], "b");
    for (const n of [0, 1, 5, 40, full.length - 1]) {
      try {
        parseMultipart(full.subarray(0, n), "b", OPTS);
        throw new Error(`no error at ${n}`);
      } catch (e) {
        if (!isAtsmError(e)) throw e;
        expect(e.byteOffset).toBe(n);
      }
    }
  });

  it("parses Content-Type parameters, quoted or not", () => {
    expect(parseContentType('Multipart/Related; type="application/dicom"; boundary="a b;c"')).toEqual({
      mediaType: "multipart/related",
      params: { type: "application/dicom", boundary: "a b;c" },
    });
    expect(parseContentType("multipart/related;boundary=xyz ; type=application/dicom").params).toEqual({
      boundary: "xyz",
      type: "application/dicom",
    });
  });
});
