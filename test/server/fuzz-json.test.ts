/**
 * JSON body fuzzing of every POST/PUT/PATCH route in /api/openapi.json (path ids filled with real
 * records of a seeded demo study, so the body reaches validation and the handler): arbitrary JSON
 * values, objects over the schema's own keys with wrong-typed / huge / unicode / extreme values,
 * prototype-pollution keys (`__proto__`, `constructor.prototype`), deep nesting and broken JSON
 * text. Invariants: 2xx, or a 4xx with `{error: {code, message}}`; never 5xx (501 only for PACS
 * routes, documented), never a hang; afterwards `({}).polluted` is undefined in this process
 * (the server runs in-process). Fixed seeds, bounded runs.
 */
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestServer, type TestServer } from "../helpers/server.js";
import { answer, expectNoServerError, REQUEST_TIMEOUT_MS, type Seeded, seedStudy } from "./fuzz-helpers.js";

let s: TestServer;
let fixtureDir: string;
let seeded: Seeded;
interface Route {
  readonly method: string;
  readonly path: string;
  readonly keys: readonly string[];
}
const routes: Route[] = [];
const tally = { sent: 0, ok: 0, refused: 0 };

beforeAll(async () => {
  fixtureDir = await mkdtemp(join(tmpdir(), "atsm-fuzz-json-"));
  s = await startTestServer();
  seeded = await seedStudy(s, fixtureDir);
  await s.createUser("fz-member", "analyst");
  const doc = (await (await s.api("GET", "/api/openapi.json")).json()) as {
    paths: Record<
      string,
      Record<string, { requestBody?: { content?: Record<string, { schema?: unknown }> } }>
    >;
  };
  for (const [path, ops] of Object.entries(doc.paths)) {
    for (const [method, op] of Object.entries(ops)) {
      if (!["post", "put", "patch"].includes(method)) continue;
      // Signing out would end the session the other requests use.
      if (path === "/api/auth/logout") continue;
      const schema = op.requestBody?.content?.["application/json"]?.schema as
        | { properties?: Record<string, unknown> }
        | undefined;
      routes.push({ method: method.toUpperCase(), path, keys: Object.keys(schema?.properties ?? {}) });
    }
  }
}, 180_000);

afterAll(async () => {
  console.log(
    `fuzz-json: ${routes.length} routes, ${tally.sent} requests, ${tally.ok} × 2xx, ${tally.refused} × 4xx/501`,
    Object.fromEntries(codes),
  );
  await s?.close();
  if (fixtureDir) await rm(fixtureDir, { recursive: true, force: true });
});

/** `/api/studies/{id}/vois` → a real URL of the seeded records. */
function fill(path: string): string {
  return path.replace(/\/([a-z-]+)\/\{([a-z]+)\}/g, (_m, coll: string, name: string) => {
    const ids: Record<string, string> = {
      projects: seeded.projectId,
      subjects: seeded.subjectId,
      studies: seeded.studyId,
      series: seeded.seriesIds[0] ?? seeded.studyId,
      vois: seeded.tumourVoiId,
      results: seeded.resultId,
    };
    return `/${coll}/${ids[coll] ?? name}`;
  });
}

/** Answers per status and error code, printed at the end. */
const codes = new Map<string, number>();

async function send(r: Route, text: string, what: string): Promise<number> {
  tally.sent++;
  const res = await fetch(`${s.url}${fill(r.path)}`, {
    method: r.method,
    headers: { cookie: s.cookie, "content-type": "application/json" },
    body: text,
    redirect: "manual",
    signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
  });
  const a = await answer(res);
  expectNoServerError(
    a,
    `${r.method} ${fill(r.path)} ${what} body ${text.slice(0, 300)}`,
    r.path.includes("pacs") ? [501] : [],
  );
  if (a.status < 300) tally.ok++;
  else tally.refused++;
  const code = a.status < 300 ? "" : ((JSON.parse(a.text) as { error: { code: string } }).error.code ?? "");
  const k = `${a.status} ${code}`.trim();
  codes.set(k, (codes.get(k) ?? 0) + 1);
  return a.status;
}

const POLLUTING = [
  "__proto__",
  "constructor",
  "prototype",
  "__defineGetter__",
  "hasOwnProperty",
  "toString",
  "valueOf",
];

/** Hostile leaf values (as JSON text where JSON.stringify cannot say them). */
const hostileValue: fc.Arbitrary<string> = fc.oneof(
  fc.constantFrom(
    "1e308",
    "-1e308",
    "1e400",
    "-0",
    "0.1e-400",
    "9007199254740993",
    "-9007199254740993",
    '"NaN"',
    '"Infinity"',
    '"-0"',
    '"5"',
    '""',
    "null",
    "true",
    "[]",
    "{}",
    '"\\u0000"',
    '"\\ud800"',
    '"../../etc/passwd"',
    '"mask:/etc/passwd"',
    '"voi:../../x"',
    '"sphere:1e400,0,0,10"',
    '{"__proto__":{"polluted":"yes"}}',
    '{"constructor":{"prototype":{"polluted":"yes"}}}',
  ),
  fc.jsonValue({ maxDepth: 3 }).map((v) => JSON.stringify(v)),
  fc.string({ unit: "grapheme", maxLength: 64 }).map((t) => JSON.stringify(t)),
  fc.integer({ min: 1000, max: 300_000 }).map((n) => JSON.stringify("x".repeat(n))),
  fc.integer({ min: 10, max: 2000 }).map((n) => `${"[".repeat(n)}${"]".repeat(n)}`),
  fc.double().map((d) => (Number.isFinite(d) ? JSON.stringify(d) : "0")),
  // A brush mask: grid-sized or hostile dims, runs with huge or overflowing counts.
  fc
    .record({
      dims: fc.array(fc.oneof(fc.constantFrom(0, 1, 32, 40, 4096, -1), fc.integer()), {
        minLength: 0,
        maxLength: 4,
      }),
      runs: fc.array(fc.oneof(fc.constantFrom(0, 51200, 2 ** 31, 2 ** 32, 2 ** 53 - 1), fc.nat()), {
        maxLength: 8,
      }),
    })
    .map((m) => JSON.stringify(m)),
);

/** A JSON object text whose keys come from the schema and the polluting names (raw, so `__proto__` stays a key). */
function objectText(keys: readonly string[]): fc.Arbitrary<string> {
  const key = fc.oneof(fc.constantFrom(...keys, ...POLLUTING), fc.string({ maxLength: 8 }));
  return fc
    .array(fc.tuple(key, hostileValue), { maxLength: Math.max(3, keys.length + 2) })
    .map((kv) => `{${kv.map(([k, v]) => `${JSON.stringify(k)}:${v}`).join(",")}}`);
}

/** Not-quite-JSON text. */
const brokenText = fc.oneof(
  fc.constantFrom(
    "",
    " ",
    "{",
    "}",
    "[",
    "{'a':1}",
    '{"a":1,}',
    "\ufeff{}",
    "NaN",
    "undefined",
    '{"a":1}{"b":2}',
    "\u0000",
  ),
  fc.string({ unit: "binary", maxLength: 64 }),
  fc.integer({ min: 5000, max: 100_000 }).map((n) => `${'{"a":'.repeat(n)}1${"}".repeat(n)}`),
);

/** Valid bodies per route (by OpenAPI path), so one mutated field reaches the handler's own checks. */
async function validBodies(): Promise<Record<string, Record<string, unknown>>> {
  const ex = (dir: string, f: string) => readFile(join(process.cwd(), "examples", dir, f), "utf8");
  const batch = JSON.parse(await ex("radiolabel", "batch.json")) as Record<string, unknown>;
  return {
    "POST /api/auth/login": { username: "admin", password: "not-the-password" },
    "POST /api/users": { username: "fz-user", password: "pw-fuzz-123456", role: "viewer" },
    "POST /api/projects": { name: "fz-project", description: "fuzz" },
    "POST /api/projects/{pid}/members": { username: "fz-member", role: "viewer" },
    "POST /api/projects/{pid}/tumour-models": { name: "fz-model", cellLine: "FaDu", site: "flank" },
    "POST /api/projects/{pid}/subjects": { label: "fz-subject", kind: "animal", sex: "F", weightKg: 0.02 },
    "PATCH /api/subjects/{sid}": { notes: "fuzz", heightM: 1.7 },
    "POST /api/subjects/{sid}/injections": {
      radiopharmaceutical: "Cu-ATSM",
      nuclide: "64Cu",
      activityBq: 1e7,
      activityTime: "2024-05-01T09:00:00Z",
      injectionTime: "2024-05-01T09:05:00Z",
      route: "iv",
    },
    "POST /api/projects/{pid}/pacs-import": { studyInstanceUid: "1.2.3.4" },
    "POST /api/studies/{id}/vois": { name: "fz-voi", role: "other", spec: seeded.tumourSpec },
    "PUT /api/vois/{vid}": { spec: seeded.tumourSpec },
    "POST /api/studies/{id}/metrics": {
      tumour: seeded.tumourSpec,
      reference: seeded.referenceSpec,
      cutoff: "cervix",
    },
    "POST /api/studies/{id}/results": {
      tumourVoiId: seeded.tumourVoiId,
      referenceVoiId: seeded.referenceVoiId,
    },
    "POST /api/projects/{pid}/radiolabel-batches": {
      ...batch,
      qcTraceText: await ex("radiolabel", "tlc-pass.csv"),
    },
    "POST /api/projects/{pid}/assays": {
      layoutCsv: await ex("assay", "layout.csv"),
      countsText: await ex("assay", "counts-wizard2.csv"),
      proteinText: await ex("assay", "protein.csv"),
      options: { lysateMl: 0.5 },
    },
  };
}

/** One edit of a valid body: set a key (schema, polluting or random) to a hostile value, or drop one. */
const edit = fc.oneof(
  {
    weight: 4,
    arbitrary: fc.record({
      op: fc.constant("set" as const),
      key: fc.nat(),
      extra: fc.constantFrom(null, ...POLLUTING),
      value: hostileValue,
    }),
  },
  { weight: 1, arbitrary: fc.record({ op: fc.constant("drop" as const), key: fc.nat() }) },
);

function applyEdits(base: Record<string, unknown>, edits: readonly Edit[]): string {
  const entries: [string, string][] = Object.entries(base).map(([k, v]) => [k, JSON.stringify(v)]);
  for (const e of edits) {
    const i = entries.length === 0 ? -1 : e.key % entries.length;
    if (e.op === "drop") {
      if (i >= 0) entries.splice(i, 1);
    } else if (e.extra !== null || i < 0) entries.push([e.extra ?? "__proto__", e.value]);
    else entries[i] = [entries[i]![0], e.value];
  }
  return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${v}`).join(",")}}`;
}
type Edit = { op: "set"; key: number; extra: string | null; value: string } | { op: "drop"; key: number };

describe("JSON body fuzz", () => {
  it("found the write routes in the OpenAPI document", () => {
    expect(routes.length).toBeGreaterThan(10);
    expect(routes.map((r) => `${r.method} ${r.path}`)).toContain("POST /api/studies/{id}/metrics");
  });

  it("arbitrary JSON values, hostile objects over schema keys and broken JSON → never 5xx", async () => {
    const routeArb = fc.constantFrom(...routes);
    const caseArb = routeArb.chain((r) =>
      fc.tuple(
        fc.constant(r),
        fc.oneof(
          { weight: 2, arbitrary: fc.jsonValue({ maxDepth: 4 }).map((v) => JSON.stringify(v) ?? "null") },
          { weight: 5, arbitrary: objectText(r.keys) },
          { weight: 2, arbitrary: brokenText },
        ),
      ),
    );
    await fc.assert(
      fc.asyncProperty(caseArb, async ([r, text]) => {
        await send(r, text, "fuzz");
      }),
      { seed: 0x150b0d1, numRuns: 600, endOnFailure: true },
    );
  }, 240_000);

  it("valid bodies with one to three hostile edits → never 5xx", async () => {
    const bases = await validBodies();
    const withBase = routes.filter((r) => bases[`${r.method} ${r.path}`] !== undefined);
    expect(withBase.length).toBeGreaterThanOrEqual(15);
    // The unedited bodies are accepted (or refused for a documented reason), so edits start from valid input.
    const refusedValid: string[] = [];
    for (const r of withBase) {
      const st = await send(r, JSON.stringify(bases[`${r.method} ${r.path}`]), "valid");
      if (st >= 300) refusedValid.push(`${r.method} ${r.path} ${st}`);
    }
    // Wrong password, and PACS without --dicomweb: the only valid bodies refused by design.
    expect(refusedValid.sort()).toEqual([
      "POST /api/auth/login 401",
      "POST /api/projects/{pid}/pacs-import 501",
    ]);
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...withBase),
        fc.array(edit, { minLength: 1, maxLength: 3 }),
        async (r, edits) => {
          await send(
            r,
            applyEdits(bases[`${r.method} ${r.path}`]!, edits),
            `edits ${JSON.stringify(edits).slice(0, 300)}`,
          );
        },
      ),
      { seed: 0x150b0d2, numRuns: 400, endOnFailure: true },
    );
  }, 300_000);

  it("prototype-pollution bodies on every route leave Object.prototype clean", async () => {
    const bodies = [
      '{"__proto__":{"polluted":"yes"}}',
      '{"constructor":{"prototype":{"polluted":"yes"}}}',
      '{"name":"p","__proto__":{"polluted":"yes","isAdmin":true}}',
      '[{"__proto__":{"polluted":"yes"}}]',
      '{"a":{"b":{"__proto__":{"polluted":"yes"}}}}',
    ];
    for (const r of routes) for (const b of bodies) await send(r, b, "pollution");
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(({} as Record<string, unknown>).isAdmin).toBeUndefined();
    expect(Object.keys(Object.prototype)).toEqual([]);
    // The seeded admin session still works: no request above broke the server.
    expect((await s.api("GET", "/api/auth/me")).status).toBe(200);
  }, 120_000);
});
