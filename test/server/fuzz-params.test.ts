/**
 * Path, query and VOI-spec fuzzing: every /api route of /api/openapi.json with one path parameter
 * replaced by a hostile string (`..%2F..`, percent garbage, unicode, overlong) or a hostile query,
 * and POST /studies/:id/metrics with random specs, grammar-shaped specs with extreme numbers
 * (`sphere:1e400,0,0,10`), 100-deep `threshold@` / `component@` nests, foreign `voi:` and
 * `mask:blob:` references, and random cutoffs / windows. Invariants: 2xx, or a 4xx with
 * `{error: {code, message}}`; never 5xx (501 only for PACS routes), never a hang. Fixed seeds.
 */
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestServer, type TestServer } from "../helpers/server.js";
import { answer, expectNoServerError, REQUEST_TIMEOUT_MS, type Seeded, seedStudy } from "./fuzz-helpers.js";

let s: TestServer;
let fixtureDir: string;
let seeded: Seeded;
/** SHA-256 of a DICOM file of the seeded study (a stored blob that is no mask). */
let dicomBlob: string;
const ops: { method: string; path: string; params: string[]; query: string[] }[] = [];
const tally = { sent: 0, ok: 0, refused: 0 };
/**
 * Fastify answers malformed percent-encoding (FST_ERR_BAD_URL) and path parameters over its
 * maxParamLength (FST_ERR_MAX_PARAM_LENGTH) before routing; src/server/app.ts maps both to the API's
 * error shape with `frameworkErrors` (found by this test). A Fastify-shaped body is now a failure.
 */
/** Answers per kind of request, status and error code, printed at the end. */
const codes = new Map<string, number>();

beforeAll(async () => {
  fixtureDir = await mkdtemp(join(tmpdir(), "atsm-fuzz-params-"));
  s = await startTestServer();
  seeded = await seedStudy(s, fixtureDir);
  const study = await (await s.api("GET", `/api/studies/${seeded.studyId}`)).text();
  dicomBlob = /"([0-9a-f]{64})"/.exec(study)?.[1] ?? "0".repeat(64);
  const doc = (await (await s.api("GET", "/api/openapi.json")).json()) as {
    paths: Record<string, Record<string, { parameters?: { name: string; in: string }[] }>>;
  };
  for (const [path, byMethod] of Object.entries(doc.paths)) {
    for (const [method, op] of Object.entries(byMethod)) {
      if (path === "/api/auth/logout") continue;
      const ps = op.parameters ?? [];
      ops.push({
        method: method.toUpperCase(),
        path,
        params: ps.filter((p) => p.in === "path").map((p) => p.name),
        query: ps.filter((p) => p.in === "query").map((p) => p.name),
      });
    }
  }
}, 180_000);

afterAll(async () => {
  console.log(
    `fuzz-params: ${ops.length} operations, ${tally.sent} requests, ${tally.ok} × 2xx, ${tally.refused} × 4xx/501:`,
    Object.fromEntries(codes),
  );
  await s?.close();
  if (fixtureDir) await rm(fixtureDir, { recursive: true, force: true });
});

function realId(path: string, name: string): string {
  if (name === "format") return "csv";
  const coll = new RegExp(`/([a-z-]+)/\\{${name}\\}`).exec(path)?.[1];
  const ids: Record<string, string> = {
    projects: seeded.projectId,
    subjects: seeded.subjectId,
    studies: seeded.studyId,
    series: seeded.seriesIds[0] ?? "",
    vois: seeded.tumourVoiId,
    results: seeded.resultId,
  };
  return ids[coll ?? ""] ?? name;
}

async function request(
  method: string,
  url: string,
  body: unknown,
  what: string,
  allow5xx: number[] = [],
): Promise<number> {
  tally.sent++;
  const res = await fetch(url, {
    method,
    headers: { cookie: s.cookie, ...(body !== undefined ? { "content-type": "application/json" } : {}) },
    ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
    redirect: "manual",
    signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
  });
  const a = await answer(res);
  const inApi = new URL(url).pathname.startsWith("/api/");
  expect(a.text, `${method} ${url.slice(0, 200)}: Fastify's own error body`).not.toMatch(/"code":"FST_ERR_/);
  if (inApi || a.status >= 500) expectNoServerError(a, `${method} ${url.slice(0, 600)} ${what}`, allow5xx);
  if (a.status < 300) tally.ok++;
  else tally.refused++;
  const code = /^\{"error":\{"code":"([A-Z_]+)"/.exec(a.text)?.[1] ?? "";
  const k = `${what.split(" ")[0]} ${a.status} ${code}`.trim();
  codes.set(k, (codes.get(k) ?? 0) + 1);
  return a.status;
}

/** Hostile path segments: raw (fetch normalises what it must) or percent-encoded. */
const segment = fc.oneof(
  fc.constantFrom(
    "..%2F..",
    "..%2f..%2f..%2fetc%2fpasswd",
    "%2e%2e",
    "%00",
    "%zz",
    "%",
    "%C0%AF",
    "%ED%A0%80",
    "%F0%9F%92%A9",
    "00000000-0000-0000-0000-000000000000",
    "FFFFFFFF-FFFF-FFFF-FFFF-FFFFFFFFFFFF",
    `${"0".repeat(64)}`,
    "null",
    "undefined",
    "__proto__",
    "constructor",
    " ",
    "-1",
    "1e400",
  ),
  fc.string({ unit: "grapheme", minLength: 1, maxLength: 40 }).map(encodeURIComponent),
  fc.string({ unit: "binary", minLength: 1, maxLength: 40 }).map(encodeURIComponent),
  fc.uuid().map((u) => u.toUpperCase()),
  fc.integer({ min: 200, max: 6000 }).map((n) => "a".repeat(n)),
);

describe("path and query fuzz", () => {
  it("one hostile path parameter or query value per request → never 5xx", async () => {
    const withInput = ops.filter((o) => o.params.length > 0 || o.query.length > 0);
    expect(withInput.length).toBeGreaterThan(15);
    const caseArb = fc.tuple(fc.constantFrom(...withInput), fc.nat(), segment, fc.boolean());
    await fc.assert(
      fc.asyncProperty(caseArb, async ([o, which, value, inQuery]) => {
        let path = o.path;
        const fuzzQuery = o.params.length === 0 || (inQuery && o.query.length > 0);
        const target = fuzzQuery ? null : o.params[which % o.params.length];
        for (const p of o.params) path = path.replace(`{${p}}`, p === target ? value : realId(o.path, p));
        const q = fuzzQuery && o.query.length > 0 ? `?${o.query[which % o.query.length]}=${value}` : "";
        // Bodies the routes accept, so only the fuzzed parameter is wrong.
        const body = o.method === "GET" || o.method === "DELETE" ? undefined : {};
        await request(
          o.method,
          `${s.url}${path}${q}`,
          body,
          `(param ${target ?? "query"})`,
          o.path.includes("pacs") ? [501] : [],
        );
      }),
      { seed: 0x9a7a5, numRuns: 800, endOnFailure: true },
    );
    // Nothing above deleted or broke the seeded records.
    expect((await s.api("GET", `/api/studies/${seeded.studyId}`)).status).toBe(200);
  }, 240_000);

  it("VOI specs for live metrics: random, grammar-shaped with extreme numbers, deep nests, foreign refs", async () => {
    const num = fc.oneof(
      fc.constantFrom(
        "1e400",
        "-1e400",
        "1e308",
        "NaN",
        "Infinity",
        "-0",
        "0x10",
        "",
        " ",
        "1,2",
        "1e-400",
        "9".repeat(400),
      ),
      fc.double().map(String),
      fc.integer({ min: -1000, max: 1000 }).map(String),
    );
    const level = fc.oneof(
      num,
      fc
        .tuple(num, fc.constantFrom("suv", "bqml", "tm", "%max", "%peak", "%seed", "%", "xyz"))
        .map(([n, u]) => n + u),
    );
    // Mostly finite coordinates in the right count, so many specs reach rasterisation.
    const mm = fc.oneof(
      { weight: 4, arbitrary: fc.integer({ min: -400, max: 400 }).map(String) },
      { weight: 1, arbitrary: fc.constantFrom("1e308", "-1e308", "1e-300", "0", "-0", "1e6") },
      { weight: 1, arbitrary: num },
    );
    const base = fc.oneof(
      fc.array(mm, { minLength: 4, maxLength: 4 }).map((a) => `sphere:${a.join(",")}`),
      fc.array(mm, { minLength: 6, maxLength: 6 }).map((a) => `box:${a.join(",")}`),
      fc.array(num, { minLength: 0, maxLength: 6 }).map((a) => `sphere:${a.join(",")}`),
      fc.array(num, { minLength: 0, maxLength: 8 }).map((a) => `box:${a.join(",")}`),
      fc.constantFrom(
        "mask:/etc/passwd",
        "mask:../../../etc/passwd:1",
        `mask:blob:${"0".repeat(64)}`,
        "mask:blob:",
        "mask:",
        "voi:",
        `voi:${"0".repeat(8)}-0000-0000-0000-${"0".repeat(12)}`,
      ),
      fc.constant(null).map(() => `mask:blob:${dicomBlob}`),
      fc.constant(null).map(() => `mask:blob:${dicomBlob}:99999999999`),
      fc.constant(null).map(() => `voi:${seeded.tumourVoiId}`),
      fc.constant(null).map(() => seeded.tumourSpec),
    );
    const derived = fc.oneof(
      level.map((l) => `threshold:${l}@`),
      fc.constantFrom(
        "component@",
        "component:6@",
        "component:26@",
        "component:0@",
        "component:-1@",
        "threshold@",
        "@",
      ),
      fc
        .tuple(fc.array(num, { minLength: 3, maxLength: 3 }), level)
        .map(([c, l]) => `grow:${c.join(",")},${l}@`),
      fc
        .tuple(fc.array(mm, { minLength: 3, maxLength: 3 }), fc.integer({ min: -5, max: 120 }))
        .map(([c, p]) => `grow:${c.join(",")},${p}%seed@`),
      fc.integer({ min: -10, max: 150 }).map((p) => `threshold:${p}%max@`),
    );
    const shaped = fc
      .tuple(fc.array(derived, { maxLength: 4 }), base, fc.boolean())
      .map(([ds, b, bare]) => (bare && ds.length > 0 ? ds.join("").slice(0, -1) : ds.join("") + b));
    const deep = fc
      .tuple(
        fc.constantFrom("threshold:0@", "component@", "threshold:1%max@", "threshold:0.5tm@"),
        fc.integer({ min: 50, max: 300 }),
      )
      .map(([d, n]) => d.repeat(n).slice(0, 4096 - 64) + (seeded.tumourSpec ?? ""));
    // Plausible specs (every part in range) reach rasterisation, region growing and the metrics.
    const plausible = fc
      .tuple(
        fc.array(
          fc.oneof(
            fc.integer({ min: 1, max: 100 }).map((p) => `threshold:${p}%max@`),
            fc.double({ min: 0, max: 20, noNaN: true }).map((l) => `threshold:${l}@`),
            fc.constantFrom("component@", "component:26@"),
            fc
              .array(fc.integer({ min: -200, max: 200 }), { minLength: 3, maxLength: 3 })
              .map((c) => `grow:${c.join(",")},50%seed@`),
          ),
          { maxLength: 3 },
        ),
        fc.oneof(
          fc
            .tuple(
              fc.array(fc.integer({ min: -200, max: 200 }), { minLength: 3, maxLength: 3 }),
              fc.double({ min: 0, max: 1e4, noNaN: true }),
            )
            .map(([c, r]) => `sphere:${c.join(",")},${r}`),
          fc
            .array(fc.integer({ min: -300, max: 300 }), { minLength: 6, maxLength: 6 })
            .map((c) => `box:${c.join(",")}`),
        ),
      )
      .map(([ds, b]) => ds.join("") + b);
    const spec = fc.oneof(
      { weight: 4, arbitrary: plausible },
      { weight: 2, arbitrary: fc.string({ unit: "grapheme", maxLength: 60 }) },
      { weight: 5, arbitrary: shaped },
      { weight: 1, arbitrary: deep },
    );
    const extra = fc.oneof(
      { weight: 4, arbitrary: fc.constant({}) },
      {
        weight: 1,
        arbitrary: fc.record(
          {
            cutoff: fc.oneof(
              fc.constantFrom("cervix", "nsclc", "1e400", "-1", "0", "NaN", "x"),
              fc.string({ minLength: 1, maxLength: 40 }),
            ),
            window: fc.oneof(
              fc.constantFrom("30-60min", "60-30min", "0-0min", "-1-1e400min", "a-bmin"),
              fc.string({ minLength: 1, maxLength: 40 }),
            ),
          },
          { requiredKeys: [] },
        ),
      },
    );
    const url = `${s.url}/api/studies/${seeded.studyId}/metrics`;
    await fc.assert(
      fc.asyncProperty(spec, fc.boolean(), extra, async (sp, asTumour, ex) => {
        const body = asTumour
          ? { tumour: sp, reference: seeded.referenceSpec, ...ex }
          : { tumour: seeded.tumourSpec, reference: sp, ...ex };
        await request("POST", url, body, `metrics ${JSON.stringify(body).slice(0, 500)}`);
      }),
      { seed: 0x5bec, numRuns: 600, endOnFailure: true },
    );
  }, 300_000);

  it("the same specs as stored VOIs (POST /studies/:id/vois) → never 5xx", async () => {
    const specs = [
      "sphere:1e400,0,0,10",
      "sphere:0,0,0,1e400",
      "sphere:0,0,0,-5",
      "box:1e308,1e308,1e308,-1e308,-1e308,-1e308",
      `${"threshold:0@".repeat(100)}${seeded.tumourSpec}`,
      `${"component@".repeat(100)}${seeded.tumourSpec}`,
      `grow:0,0,0,0@${"threshold:0@".repeat(50)}sphere:0,0,0,1e6`,
      `mask:blob:${dicomBlob}`,
      `voi:${seeded.tumourVoiId}`,
      `threshold:1@voi:${seeded.tumourVoiId}`,
      "mask:/etc/passwd",
    ];
    for (const spec of specs) {
      const st = await request(
        "POST",
        `${s.url}/api/studies/${seeded.studyId}/vois`,
        { name: "fz", role: "other", spec },
        `voi ${spec.slice(0, 80)}`,
      );
      expect(st).toBeLessThan(500);
    }
  }, 120_000);
});
