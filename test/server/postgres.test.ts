/**
 * The server on a PostgreSQL server (DATABASE_URL path of `atsm serve`): health names the engine,
 * first start creates the admin and its one-time link, and an upload lands in the database with
 * its audit row. Skipped with a printed reason only when the PostgreSQL binaries are absent
 * outside CI (test/helpers/postgres.ts).
 */
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { writeDemoStudy } from "../../src/app/demo/synthetic.js";
import { type RunningWorkbench, startWorkbench } from "../../src/server/start.js";
import { postgresSkipReason, startPostgres, type TestPostgres } from "../helpers/postgres.js";
import { sessionCookie } from "../helpers/server.js";
import { filesUnder, readParts, upload } from "./upload-helpers.js";

let pg: TestPostgres | null = null;
let wb: RunningWorkbench | null = null;
let dir: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "atsm-server-pg-"));
  pg = await startPostgres();
  if (pg === null) {
    console.warn(`PostgreSQL server test skipped: ${postgresSkipReason}`);
    return;
  }
  wb = await startWorkbench({
    dataDir: join(dir, "data"),
    port: 0,
    host: "127.0.0.1",
    databaseUrl: await pg.newDatabase(),
  });
}, 120_000);

afterAll(async () => {
  await wb?.close();
  await pg?.stop();
  if (dir) await rm(dir, { recursive: true, force: true });
});

describe("atsm serve with DATABASE_URL", () => {
  it("serves health, signs in and imports an upload", async (ctx) => {
    if (wb === null) return ctx.skip();
    const health = (await (await fetch(`${wb.url}/api/health`)).json()) as { database: string };
    expect(health.database).toBe("postgres");
    expect(wb.firstStart).toBe(true);
    const cookie = sessionCookie(await fetch(wb.loginLink!, { redirect: "manual" }));
    const p = await fetch(`${wb.url}/api/projects`, {
      method: "POST",
      headers: { cookie, "content-type": "application/json" },
      body: JSON.stringify({ name: "PG" }),
    });
    const project = (await p.json()) as { id: string };
    const demo = await writeDemoStudy(join(dir, "fixture"), { small: true, seed: 5 });
    const files = await readParts(await filesUnder(demo.studyDir));
    const r = await upload(`${wb.url}/api/projects/${project.id}/uploads`, cookie, files);
    const body = (await r.json()) as { studies: { id: string; series: unknown[] }[] };
    expect(r.status, JSON.stringify(body).slice(0, 300)).toBe(201);
    expect(body.studies[0]!.series).toHaveLength(2);
    const audit = await wb.store.audit.list({ projectId: project.id });
    expect(audit.map((a) => `${a.action}:${a.entityType}`)).toContain("import:study");
  });
});
