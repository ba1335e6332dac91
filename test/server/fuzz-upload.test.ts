/**
 * Upload fuzzing (POST /api/projects/:pid/uploads): mutated DICOM slices of the small analytic demo
 * (truncated, header bytes flipped, tag lengths rewritten), mutated zips of demo slices, random
 * bytes behind DICOM / NIfTI / gzip / zip magic, NIfTI headers with hostile dims, and hostile file
 * names. Invariants per request: 201, or a 4xx with `{error: {code, message}}` (never 5xx, never a
 * hang past REQUEST_TIMEOUT_MS); DIR/tmp is empty afterwards; a failed upload leaves the blob count
 * unchanged. Fixed fast-check seeds; numRuns bounded so the file runs in well under a minute.
 */
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import fc from "fast-check";
import { zipSync } from "fflate";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { writeDemoStudy } from "../../src/app/demo/synthetic.js";
import { startTestServer, type TestServer } from "../helpers/server.js";
import {
  answer,
  countFiles,
  expectNoServerError,
  flipBytes,
  niftiBytes,
  REQUEST_TIMEOUT_MS,
  tmpEntries,
} from "./fuzz-helpers.js";
import { filesUnder, readParts } from "./upload-helpers.js";

let s: TestServer;
let fixtureDir: string;
let projectId: string;
let slices: { name: string; bytes: Uint8Array }[];
let zipBytes: Uint8Array;
/** Requests sent / answered 201 / answered 4xx, printed at the end. */
const tally = { sent: 0, created: 0, refused: 0 };
/** Answers per status and error code, printed at the end. */
const codes = new Map<string, number>();

const ZIP_MAGIC = [0x50, 0x4b, 0x03, 0x04];
const GZIP_MAGIC = [0x1f, 0x8b, 0x08, 0x00];

beforeAll(async () => {
  fixtureDir = await mkdtemp(join(tmpdir(), "atsm-fuzz-upload-"));
  const demo = await writeDemoStudy(fixtureDir, { small: true, seed: 11 });
  const all = await readParts(await filesUnder(demo.studyDir));
  // One PET and one CT slice keep every request small; a zip holds three slices.
  const pet = all.filter((p) => p.name.startsWith("PT"));
  const ct = all.filter((p) => p.name.startsWith("CT"));
  slices = [pet[0], pet[Math.floor(pet.length / 2)], ct[0]].filter((p) => p !== undefined);
  expect(slices).toHaveLength(3);
  zipBytes = zipSync(Object.fromEntries(slices.map((p) => [p.name, p.bytes])));
  s = await startTestServer();
  const r = await s.api("POST", "/api/projects", { body: { name: "Fuzz uploads" } });
  projectId = ((await r.json()) as { id: string }).id;
}, 120_000);

afterAll(async () => {
  console.log(
    `fuzz-upload: ${tally.sent} uploads, ${tally.created} × 201, ${tally.refused} × 4xx`,
    Object.fromEntries(codes),
  );
  await s?.close();
  if (fixtureDir) await rm(fixtureDir, { recursive: true, force: true });
});

/** Offsets of the length fields of the data elements before the pixel data (explicit or implicit VR LE). */
function lengthFields(b: Uint8Array): { at: number; size: 2 | 4 }[] {
  const v = new DataView(b.buffer, b.byteOffset, b.byteLength);
  const long = new Set(["OB", "OW", "OF", "OD", "OL", "OV", "SQ", "UT", "UN", "UC", "UR", "SV", "UV"]);
  const out: { at: number; size: 2 | 4 }[] = [];
  let p = 132;
  while (p + 12 <= b.length && out.length < 400) {
    const group = v.getUint16(p, true);
    const vr = String.fromCharCode(b[p + 4] ?? 0, b[p + 5] ?? 0);
    let len: number;
    let head: number;
    if (/^[A-Z]{2}$/.test(vr) && long.has(vr)) {
      out.push({ at: p + 8, size: 4 });
      len = v.getUint32(p + 8, true);
      head = 12;
    } else if (/^[A-Z]{2}$/.test(vr)) {
      out.push({ at: p + 6, size: 2 });
      len = v.getUint16(p + 6, true);
      head = 8;
    } else {
      out.push({ at: p + 4, size: 4 });
      len = v.getUint32(p + 4, true);
      head = 8;
    }
    if (group === 0x7fe0 || len === 0xffffffff) break;
    p += head + len;
  }
  return out;
}

/** Upload `files`, check the invariants, and return the status. */
async function fuzzUpload(files: { name: string; bytes: Uint8Array }[], what: string): Promise<number> {
  const blobsBefore = await countFiles(join(s.dataDir, "blobs"));
  const form = new FormData();
  for (const f of files) form.append("file", new Blob([f.bytes.slice()]), f.name);
  tally.sent++;
  const res = await fetch(`${s.url}/api/projects/${projectId}/uploads`, {
    method: "POST",
    body: form,
    headers: { cookie: s.cookie },
    signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
  });
  const a = await answer(res);
  const desc = `${what} (files: ${files.map((f) => `${JSON.stringify(f.name.slice(0, 80))} ${f.bytes.length} B`).join(", ")})`;
  expectNoServerError(a, desc);
  expect([201, 400, 404, 409, 413, 415], `${desc} → ${a.status} ${a.text.slice(0, 300)}`).toContain(a.status);
  if (a.status === 201) tally.created++;
  else tally.refused++;
  const k = `${a.status} ${/^\{"error":\{"code":"([A-Z_]+)"/.exec(a.text)?.[1] ?? ""}`.trim();
  codes.set(k, (codes.get(k) ?? 0) + 1);
  expect(await tmpEntries(s.dataDir), `DIR/tmp after ${desc}`).toEqual([]);
  const blobsAfter = await countFiles(join(s.dataDir, "blobs"));
  if (a.status === 201) expect(blobsAfter).toBeGreaterThanOrEqual(blobsBefore);
  else expect(blobsAfter, `blob count after failed ${desc}`).toBe(blobsBefore);
  return a.status;
}

const pick = fc.integer({ min: 0, max: 2 });

describe("upload fuzz", () => {
  it("mutated DICOM slices: truncated, header bytes flipped, tag lengths rewritten", async () => {
    const mutation = fc.oneof(
      fc.record({ kind: fc.constant("truncate" as const), at: fc.double({ min: 0, max: 1, noNaN: true }) }),
      fc.record({
        kind: fc.constant("flip" as const),
        seed: fc.integer(),
        count: fc.integer({ min: 1, max: 24 }),
      }),
      fc.record({
        kind: fc.constant("taglen" as const),
        which: fc.nat(),
        value: fc.oneof(
          fc.constantFrom(0, 1, 3, 0xfffe, 0xffff, 0x7fffffff, 0xfffffffe, 0xffffffff),
          fc.integer({ min: 0, max: 0xffffffff }),
        ),
      }),
    );
    await fc.assert(
      fc.asyncProperty(pick, mutation, async (i, m) => {
        const src = slices[i]!;
        let bytes: Uint8Array;
        if (m.kind === "truncate") bytes = src.bytes.slice(0, Math.floor(m.at * src.bytes.length));
        // The header region: preamble, meta group and the elements before the pixel data.
        else if (m.kind === "flip")
          bytes = flipBytes(src.bytes, m.seed, m.count, 0, Math.min(src.bytes.length, 1600));
        else {
          const fields = lengthFields(src.bytes);
          const f = fields[m.which % fields.length]!;
          bytes = src.bytes.slice();
          const v = new DataView(bytes.buffer);
          if (f.size === 2) v.setUint16(f.at, m.value & 0xffff, true);
          else v.setUint32(f.at, m.value >>> 0, true);
        }
        await fuzzUpload([{ name: src.name, bytes }], `DICOM ${src.name} ${JSON.stringify(m)}`);
      }),
      { seed: 0x5eed01, numRuns: 150, endOnFailure: true },
    );
  }, 120_000);

  it("mutated zips of demo slices: truncated, central directory / local headers / random bytes", async () => {
    const eocd = () => {
      for (let p = zipBytes.length - 22; p >= 0; p--)
        if (zipBytes[p] === 0x50 && zipBytes[p + 1] === 0x4b && zipBytes[p + 2] === 5) return p;
      return zipBytes.length - 22;
    };
    const cdStart = new DataView(zipBytes.buffer, zipBytes.byteOffset).getUint32(eocd() + 16, true);
    const mutation = fc.oneof(
      fc.record({ kind: fc.constant("truncate" as const), at: fc.double({ min: 0, max: 1, noNaN: true }) }),
      fc.record({
        kind: fc.constant("central" as const),
        seed: fc.integer(),
        count: fc.integer({ min: 1, max: 16 }),
      }),
      fc.record({
        kind: fc.constant("local" as const),
        seed: fc.integer(),
        count: fc.integer({ min: 1, max: 8 }),
      }),
      fc.record({
        kind: fc.constant("anywhere" as const),
        seed: fc.integer(),
        count: fc.integer({ min: 1, max: 64 }),
      }),
    );
    await fc.assert(
      fc.asyncProperty(mutation, async (m) => {
        let bytes: Uint8Array;
        if (m.kind === "truncate") bytes = zipBytes.slice(0, Math.floor(m.at * zipBytes.length));
        else if (m.kind === "central") bytes = flipBytes(zipBytes, m.seed, m.count, cdStart);
        else if (m.kind === "local") bytes = flipBytes(zipBytes, m.seed, m.count, 0, 30);
        else bytes = flipBytes(zipBytes, m.seed, m.count);
        await fuzzUpload([{ name: "study.zip", bytes }], `zip ${JSON.stringify(m)}`);
      }),
      { seed: 0x5eed02, numRuns: 100, endOnFailure: true },
    );
  }, 120_000);

  it("random bytes behind DICOM, NIfTI, gzip and zip magic", async () => {
    const withMagic = fc.oneof(
      fc.uint8Array({ maxLength: 2048 }).map((r) => ({
        name: "x.dcm",
        bytes: Uint8Array.from([...new Uint8Array(128), 0x44, 0x49, 0x43, 0x4d, ...r]),
      })),
      fc.uint8Array({ minLength: 348, maxLength: 2048 }).map((r) => {
        const b = r.slice();
        new DataView(b.buffer).setInt32(0, 348, true);
        b.set([0x6e, 0x2b, 0x31, 0], 344);
        return { name: "x.nii", bytes: b };
      }),
      fc
        .uint8Array({ maxLength: 2048 })
        .map((r) => ({ name: "x.nii.gz", bytes: Uint8Array.from([...GZIP_MAGIC, ...r]) })),
      fc
        .uint8Array({ maxLength: 2048 })
        .map((r) => ({ name: "x.zip", bytes: Uint8Array.from([...ZIP_MAGIC, ...r]) })),
      fc.uint8Array({ maxLength: 512 }).map((r) => ({ name: "x.hdr", bytes: r })),
    );
    await fc.assert(
      fc.asyncProperty(withMagic, async (f) => {
        await fuzzUpload([f], `magic ${f.name}`);
      }),
      { seed: 0x5eed03, numRuns: 100, endOnFailure: true },
    );
  }, 120_000);

  it("NIfTI headers with hostile dims, datatypes, pixdims and offsets", async () => {
    const dim = fc.oneof(
      fc.constantFrom(0, 1, 2, -1, -32768, 32767, 7, 8),
      fc.integer({ min: -32768, max: 32767 }),
    );
    const float = fc.oneof(
      fc.constantFrom(0, -1, 1, 1e-30, 1e30, Number.NaN, Number.POSITIVE_INFINITY, -0),
      fc.double({ noNaN: false }),
    );
    const header = fc.record({
      dims: fc.array(dim, { minLength: 8, maxLength: 8 }),
      datatype: fc.oneof(
        fc.constantFrom(2, 4, 8, 16, 64, 256, 512, 768, 0, 128, 2304),
        fc.integer({ min: -32768, max: 32767 }),
      ),
      bitpix: fc.oneof(fc.constantFrom(8, 16, 32, 64, 0, -8), fc.integer({ min: -32768, max: 32767 })),
      pixdim: fc.array(float, { minLength: 8, maxLength: 8 }),
      voxOffset: fc.oneof(fc.constantFrom(352, 0, 348, -352, 1e12, Number.NaN), float),
      dataBytes: fc.integer({ min: 0, max: 4096 }),
      sizeofHdr: fc.constantFrom(348, 348, 348, 540, 0, 0x5c010000),
      gzip: fc.boolean(),
    });
    const { gzipSync } = await import("node:zlib");
    await fc.assert(
      fc.asyncProperty(header, async (h) => {
        const raw = niftiBytes(h);
        const f = h.gzip
          ? { name: "v.nii.gz", bytes: new Uint8Array(gzipSync(raw)) }
          : { name: "v.nii", bytes: raw };
        await fuzzUpload([f], `NIfTI ${JSON.stringify(h)}`);
      }),
      { seed: 0x5eed04, numRuns: 150, endOnFailure: true },
    );
  }, 120_000);

  it("hostile file names (../, NUL, control characters, 10 kB) are only labels", async () => {
    const name = fc.oneof(
      fc.constantFrom(
        "../../../etc/passwd",
        "..\\..\\x.dcm",
        "a\u0000b.dcm",
        "/abs/x.dcm",
        ".",
        "..",
        "",
        "CON",
        "\u202e.dcm",
      ),
      fc.string({ unit: "binary", maxLength: 64 }).map((t) => `../${t}/..`),
      fc.integer({ min: 256, max: 10_000 }).map((n) => `${"a/".repeat(n)}x.dcm`),
      fc.string({ unit: "grapheme", maxLength: 40 }),
    );
    await fc.assert(
      fc.asyncProperty(name, pick, async (n, i) => {
        const st = await fuzzUpload(
          [{ name: n, bytes: slices[i]!.bytes }],
          `name ${JSON.stringify(n.slice(0, 200))}`,
        );
        // A valid slice under any name is imported; the name never becomes a path.
        expect(st).toBe(201);
      }),
      { seed: 0x5eed05, numRuns: 40, endOnFailure: true },
    );
  }, 120_000);

  it("concurrent good and bad uploads of shared slices: tmp empty, blobs on disk = referenced blobs", async () => {
    const url = `${s.url}/api/projects/${projectId}/uploads`;
    // Each round: the same slices uploaded intact, truncated, and mixed with a broken zip, all at once,
    // so failing imports race successful ones holding the same content-addressed blobs.
    for (let round = 0; round < 4; round++) {
      const sends = slices.flatMap((sl, i) => [
        [{ name: sl.name, bytes: sl.bytes }],
        [{ name: sl.name, bytes: sl.bytes.slice(0, 300 + round * 97 + i) }],
        [
          { name: sl.name, bytes: sl.bytes },
          { name: "bad.zip", bytes: zipBytes.slice(0, zipBytes.length - 10 - round) },
        ],
      ]);
      const answers = await Promise.all(
        sends.map(async (files) => {
          const form = new FormData();
          for (const f of files) form.append("file", new Blob([f.bytes.slice()]), f.name);
          tally.sent++;
          const res = await fetch(url, {
            method: "POST",
            body: form,
            headers: { cookie: s.cookie },
            signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS * 2),
          });
          return { a: await answer(res), files };
        }),
      );
      for (const { a, files } of answers) {
        expectNoServerError(
          a,
          `concurrent round ${round}: ${files.map((f) => `${f.name} ${f.bytes.length} B`).join(", ")}`,
        );
        if (a.status === 201) tally.created++;
        else tally.refused++;
      }
      expect(await tmpEntries(s.dataDir)).toEqual([]);
      const onDisk = (await filesUnder(join(s.dataDir, "blobs"))).map((f) => f.name.split("/").pop() ?? "");
      const referenced = await s.store.studies.referencedBlobs();
      expect(onDisk.sort(), `round ${round}`).toEqual([...referenced].sort());
    }
  }, 120_000);
});
