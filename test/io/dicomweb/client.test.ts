/**
 * DicomwebClient against a tiny in-process node:http fake: well-formed and malformed WADO-RS
 * multipart bodies (truncated, no boundary, oversized, wrong type, not DICOM), QIDO JSON parsing,
 * HTTP errors, connection refused and timeouts.
 */
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DicomwebClient } from "../../../src/io/dicomweb/index.js";
import { expectAtsmErrorAsync } from "../../helpers/errors.js";
import { fakeDicom, multipartBody } from "./multipart-body.js";

const TMP = mkdtempSync(join(tmpdir(), "atsm-dicomweb-"));
const STUDY = "1.2.3.4";
const SERIES = "1.2.3.4.5";
type Handler = (req: IncomingMessage, res: ServerResponse) => void;
let handler: Handler = (_q, res) => res.end();
let server: Server;
let base = "";
let lastReq: IncomingMessage | null = null;
let dirN = 0;
const dest = () => join(TMP, `d${++dirN}`);

beforeAll(async () => {
  server = createServer((req, res) => {
    lastReq = req;
    handler(req, res);
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}/dicom-web`;
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise((r) => server.close(r));
  rmSync(TMP, { recursive: true, force: true });
});

function wado(body: Uint8Array, contentType: string, opts: { chunk?: number; end?: boolean } = {}): Handler {
  return (_req, res) => {
    res.writeHead(200, { "Content-Type": contentType });
    const step = opts.chunk ?? body.length;
    for (let i = 0; i < body.length; i += step) res.write(body.subarray(i, i + step));
    if (opts.end === false) res.destroy();
    else res.end();
  };
}

const MP = (b: string) => `multipart/related; type="application/dicom"; boundary=${b}`;

describe("WADO-RS retrieveSeries", () => {
  it("writes each part as <n>.dcm; quoted boundary, preamble, epilogue, 1-byte chunks", async () => {
    const parts = [fakeDicom(300, 1), fakeDicom(0, 2), fakeDicom(1000, 3)];
    const body = multipartBody(
      parts.map((b) => ({
        body: b,
        headers: {
          "Content-Type": "application/dicom; transfer-syntax=1.2.840.10008.1.2.1",
          "Content-Length": String(b.length),
        },
      })),
      "b0und:ary=1",
      { preamble: "ignored preamble", epilogue: "ignored epilogue" },
    );
    handler = wado(body, 'multipart/related; type="application/dicom"; boundary="b0und:ary=1"', { chunk: 1 });
    const progress: number[] = [];
    const client = new DicomwebClient({ baseUrl: base });
    const d = dest();
    const files = await client.retrieveSeries(STUDY, SERIES, d, {
      onProgress: (p) => progress.push(p.instances),
    });
    expect(files).toEqual([1, 2, 3].map((n) => join(d, `${n}.dcm`)));
    for (const [i, f] of files.entries()) {
      expect(Buffer.from(readFileSync(f)).equals(Buffer.from(parts[i]!))).toBe(true);
    }
    expect(lastReq?.url).toBe(`/dicom-web/studies/${STUDY}/series/${SERIES}`);
    expect(lastReq?.headers.accept).toBe('multipart/related; type="application/dicom"');
    expect(progress.at(-1)).toBe(3);
  });

  it("accepts an unquoted boundary and parts without headers", async () => {
    const body = multipartBody([{ body: fakeDicom(50, 4), headers: {} }], "abc");
    handler = wado(body, "multipart/related;type=application/dicom;boundary=abc", { chunk: 7 });
    const files = await new DicomwebClient({ baseUrl: base }).retrieveSeries(STUDY, SERIES, dest());
    expect(files).toHaveLength(1);
  });

  it("truncated body → TRUNCATED naming the URL and byte offset; partial files removed", async () => {
    const full = multipartBody([{ body: fakeDicom(200, 1) }, { body: fakeDicom(200, 2) }], "xyz");
    const cut = full.subarray(0, full.length - 150);
    handler = wado(cut, MP("xyz"));
    const d = dest();
    const e = await expectAtsmErrorAsync(
      () => new DicomwebClient({ baseUrl: base }).retrieveSeries(STUDY, SERIES, d),
      { code: "TRUNCATED", message: /inside part 2/, hint: /retry/ },
    );
    expect(e.byteOffset).toBe(cut.length);
    expect(e.file).toBe(`${base}/studies/${STUDY}/series/${SERIES}`);
    expect(existsSync(d) ? readdirSync(d) : []).toEqual([]);
  });

  it("connection dropped mid-body → an AtsmError, files removed", async () => {
    const full = multipartBody([{ body: fakeDicom(5000, 1) }], "xyz");
    handler = wado(full.subarray(0, 2000), MP("xyz"), { end: false });
    const d = dest();
    await expectAtsmErrorAsync(
      () => new DicomwebClient({ baseUrl: base }).retrieveSeries(STUDY, SERIES, d),
      {},
    );
    expect(existsSync(d) ? readdirSync(d) : []).toEqual([]);
  });

  it("no boundary parameter → PARSE_ERROR", async () => {
    handler = wado(
      multipartBody([{ body: fakeDicom(10, 1) }], "q"),
      'multipart/related; type="application/dicom"',
    );
    await expectAtsmErrorAsync(
      () => new DicomwebClient({ baseUrl: base }).retrieveSeries(STUDY, SERIES, dest()),
      {
        code: "PARSE_ERROR",
        message: /no boundary/,
      },
    );
  });

  it("boundary never appears in the body → PARSE_ERROR", async () => {
    handler = wado(multipartBody([{ body: fakeDicom(10, 1) }], "other"), MP("expected"));
    await expectAtsmErrorAsync(
      () => new DicomwebClient({ baseUrl: base }).retrieveSeries(STUDY, SERIES, dest()),
      {
        code: "PARSE_ERROR",
        message: /no boundary delimiter/,
      },
    );
  });

  it("body over maxBytes → LIMIT_EXCEEDED (streamed, and by Content-Length)", async () => {
    const body = multipartBody([{ body: fakeDicom(4000, 1) }], "b");
    handler = wado(body, MP("b"), { chunk: 512 });
    const client = new DicomwebClient({ baseUrl: base, maxBytes: 1000 });
    await expectAtsmErrorAsync(() => client.retrieveSeries(STUDY, SERIES, dest()), {
      code: "LIMIT_EXCEEDED",
    });
    handler = (_q, res) => {
      res.writeHead(200, { "Content-Type": MP("b"), "Content-Length": String(body.length) });
      res.end(body);
    };
    await expectAtsmErrorAsync(() => client.retrieveSeries(STUDY, SERIES, dest()), {
      code: "LIMIT_EXCEEDED",
      message: /series is \d+ bytes/,
    });
  });

  it("wrong content type (JSON, or multipart of XML) → UNSUPPORTED with a hint", async () => {
    handler = (_q, res) => {
      res.writeHead(200, { "Content-Type": "application/json" });
      res.end("[]");
    };
    const client = new DicomwebClient({ baseUrl: base });
    await expectAtsmErrorAsync(() => client.retrieveSeries(STUDY, SERIES, dest()), {
      code: "UNSUPPORTED",
      hint: /multipart\/related/,
    });
    handler = wado(
      multipartBody([{ body: fakeDicom(1, 1) }], "b"),
      'multipart/related; type="application/dicom+xml"; boundary=b',
    );
    await expectAtsmErrorAsync(() => client.retrieveSeries(STUDY, SERIES, dest()), { code: "UNSUPPORTED" });
    handler = wado(
      multipartBody([{ body: fakeDicom(1, 1), headers: { "Content-Type": "image/jpeg" } }], "b"),
      MP("b"),
    );
    await expectAtsmErrorAsync(() => client.retrieveSeries(STUDY, SERIES, dest()), {
      code: "UNSUPPORTED",
      message: /part 1 is not application\/dicom/,
    });
  });

  it("a part without the DICM preamble → PARSE_ERROR; earlier files removed", async () => {
    const bad = Buffer.alloc(200, 1);
    handler = wado(multipartBody([{ body: fakeDicom(10, 1) }, { body: bad }], "b"), MP("b"));
    const d = dest();
    await expectAtsmErrorAsync(() => new DicomwebClient({ baseUrl: base }).retrieveSeries(STUDY, SERIES, d), {
      code: "PARSE_ERROR",
      message: /part 2 \(200 bytes\) is not a DICOM Part-10 file/,
    });
    expect(readdirSync(d)).toEqual([]);
  });

  it("an existing <n>.dcm is never overwritten → IO_ERROR", async () => {
    const d = dest();
    handler = wado(multipartBody([{ body: fakeDicom(10, 1) }], "b"), MP("b"));
    await new DicomwebClient({ baseUrl: base }).retrieveSeries(STUDY, SERIES, d);
    await expectAtsmErrorAsync(() => new DicomwebClient({ baseUrl: base }).retrieveSeries(STUDY, SERIES, d), {
      code: "IO_ERROR",
      hint: /empty/,
    });
    expect(readdirSync(d)).toEqual(["1.dcm"]);
  });

  it("empty multipart (no parts) → NOT_FOUND", async () => {
    handler = wado(Buffer.from("--b--\r\n"), MP("b"));
    await expectAtsmErrorAsync(
      () => new DicomwebClient({ baseUrl: base }).retrieveSeries(STUDY, SERIES, dest()),
      {
        code: "NOT_FOUND",
      },
    );
  });

  it("refuses UIDs that are not digits and dots before any request", async () => {
    lastReq = null;
    const client = new DicomwebClient({ baseUrl: base });
    for (const uid of ["../../etc", "1.2.3/4", "", "1".repeat(65), "1.2.3?x=1"])
      await expectAtsmErrorAsync(() => client.retrieveSeries(uid, SERIES, dest()), {
        code: "INVALID_ARGUMENT",
      });
    expect(lastReq).toBeNull();
  });
});

describe("errors naming the URL, never the credentials", () => {
  it("HTTP 500 → IO_ERROR; 404 → NOT_FOUND; 401 → hint about credentials; Basic auth from the URL", async () => {
    const withCreds = base.replace("http://", "http://alice:s3cret@");
    const client = new DicomwebClient({ baseUrl: withCreds });
    for (const [status, code, hint] of [
      [500, "IO_ERROR", /PACS failed/],
      [404, "NOT_FOUND", /not on the PACS/],
      [401, "IO_ERROR", /user:password/],
    ] as const) {
      handler = (_q, res) => {
        res.writeHead(status);
        res.end("nope");
      };
      const e = await expectAtsmErrorAsync(() => client.searchStudies({ PatientID: "X" }), {
        code,
        hint,
        message: new RegExp(`HTTP ${status}`),
      });
      expect(e.message).not.toContain("s3cret");
      expect(e.message).not.toContain("alice");
      expect(e.file).toContain("/dicom-web/studies?PatientID=X");
    }
    expect(lastReq?.headers.authorization).toBe(`Basic ${Buffer.from("alice:s3cret").toString("base64")}`);
    expect(client.baseUrl).toBe(base);
  });

  it("connection refused → IO_ERROR with a hint", async () => {
    const probe = createServer();
    await new Promise<void>((r) => probe.listen(0, "127.0.0.1", r));
    const port = (probe.address() as AddressInfo).port;
    await new Promise((r) => probe.close(r));
    await expectAtsmErrorAsync(
      () => new DicomwebClient({ baseUrl: `http://127.0.0.1:${port}/dicom-web` }).searchStudies(),
      {
        code: "IO_ERROR",
        message: /connection refused/,
        hint: /PACS is running/,
      },
    );
  });

  it("no answer within timeoutMs → IO_ERROR timed out (also mid-body)", async () => {
    handler = () => undefined; // never answers
    const client = new DicomwebClient({ baseUrl: base, timeoutMs: 150 });
    await expectAtsmErrorAsync(() => client.searchStudies(), { code: "IO_ERROR", message: /timed out/ });
    handler = (_q, res) => {
      res.writeHead(200, { "Content-Type": MP("b") });
      res.write(multipartBody([{ body: fakeDicom(10, 1) }], "b", { close: false }));
    };
    const d = dest();
    await expectAtsmErrorAsync(() => client.retrieveSeries(STUDY, SERIES, d), {
      code: "IO_ERROR",
      message: /timed out/,
    });
    expect(existsSync(d) ? readdirSync(d) : []).toEqual([]);
  });
});

describe("QIDO-RS", () => {
  const json =
    (value: unknown, type = "application/dicom+json"): Handler =>
    (_q, res) => {
      res.writeHead(200, { "Content-Type": type });
      res.end(JSON.stringify(value));
    };

  it("parses the DICOM JSON model into keyword records", async () => {
    handler = json([
      {
        "0020000D": { vr: "UI", Value: ["1.2.840.1"] },
        "00100010": { vr: "PN", Value: [{ Alphabetic: "Doe^Jane", Ideographic: "X" }] },
        "00100020": { vr: "LO", Value: ["P1"] },
        "00080020": { vr: "DA", Value: ["20250301"] },
        "00080061": { vr: "CS", Value: ["PT", "CT"] },
        "00081030": { vr: "LO" },
        "00201206": { vr: "IS", Value: ["2"] },
        "00201208": { vr: "IS", Value: [9] },
      },
    ]);
    const [s] = await new DicomwebClient({ baseUrl: `${base}/` }).searchStudies({
      PatientID: "P1",
      StudyDate: "2025-",
    });
    expect(s).toEqual({
      StudyInstanceUID: "1.2.840.1",
      PatientID: "P1",
      PatientName: "Doe^Jane",
      PatientBirthDate: null,
      PatientSex: null,
      StudyDate: "20250301",
      StudyTime: null,
      StudyDescription: null,
      AccessionNumber: null,
      StudyID: null,
      ModalitiesInStudy: ["PT", "CT"],
      NumberOfStudyRelatedSeries: 2,
      NumberOfStudyRelatedInstances: 9,
    });
    const q = new URL(lastReq!.url!, "http://x").searchParams;
    expect(q.get("PatientID")).toBe("P1");
    expect(q.getAll("includefield")).toContain("ModalitiesInStudy");
    expect(lastReq?.headers.accept).toContain("application/dicom+json");
  });

  it("series and instances; 204 → []", async () => {
    handler = json([
      {
        "0020000E": { vr: "UI", Value: ["1.2.5"] },
        "00080060": { vr: "CS", Value: ["PT"] },
        "00201209": { vr: "IS", Value: [4] },
      },
    ]);
    const client = new DicomwebClient({ baseUrl: base });
    expect(await client.searchSeries("1.2")).toEqual([
      {
        StudyInstanceUID: "1.2",
        SeriesInstanceUID: "1.2.5",
        Modality: "PT",
        SeriesDescription: null,
        SeriesNumber: null,
        NumberOfSeriesRelatedInstances: 4,
      },
    ]);
    expect(lastReq?.url?.startsWith("/dicom-web/studies/1.2/series?")).toBe(true);
    handler = json([
      { "00080018": { vr: "UI", Value: ["1.2.5.1"] }, "00200013": { vr: "IS", Value: ["3"] } },
    ]);
    expect((await client.searchInstances("1.2", "1.2.5"))[0]).toMatchObject({
      SOPInstanceUID: "1.2.5.1",
      InstanceNumber: 3,
    });
    handler = (_q, res) => {
      res.writeHead(204);
      res.end();
    };
    expect(await client.searchStudies()).toEqual([]);
  });

  it("malformed answers: not JSON, not an array, hostile UID, wrong type, too big", async () => {
    const client = new DicomwebClient({ baseUrl: base });
    handler = (_q, res) => {
      res.writeHead(200, { "Content-Type": "application/dicom+json" });
      res.end("[{");
    };
    await expectAtsmErrorAsync(() => client.searchStudies(), {
      code: "PARSE_ERROR",
      message: /not valid JSON/,
    });
    handler = json({ not: "an array" });
    await expectAtsmErrorAsync(() => client.searchStudies(), {
      code: "PARSE_ERROR",
      message: /not a JSON array/,
    });
    handler = json([{ "0020000D": { vr: "UI", Value: ["../../system"] } }]);
    await expectAtsmErrorAsync(() => client.searchStudies(), {
      code: "PARSE_ERROR",
      message: /no valid StudyInstanceUID/,
    });
    handler = json([], "text/html");
    await expectAtsmErrorAsync(() => client.searchStudies(), { code: "UNSUPPORTED", hint: /DICOMweb root/ });
    handler = json(Array.from({ length: 200 }, () => ({ "0020000D": { vr: "UI", Value: ["1.2.3"] } })));
    await expectAtsmErrorAsync(() => new DicomwebClient({ baseUrl: base, maxBytes: 1000 }).searchStudies(), {
      code: "LIMIT_EXCEEDED",
    });
  });

  it("refuses bad query keys/values and bad base URLs", async () => {
    const client = new DicomwebClient({ baseUrl: base });
    await expectAtsmErrorAsync(() => client.searchStudies({ "Patient&ID": "x" }), {
      code: "INVALID_ARGUMENT",
    });
    await expectAtsmErrorAsync(() => client.searchStudies({ PatientID: "a\nb" }), {
      code: "INVALID_ARGUMENT",
    });
    await expectAtsmErrorAsync(async () => new DicomwebClient({ baseUrl: "ftp://pacs/dicom-web" }), {
      code: "INVALID_ARGUMENT",
    });
    await expectAtsmErrorAsync(async () => new DicomwebClient({ baseUrl: "not a url" }), {
      code: "INVALID_ARGUMENT",
    });
  });
});
