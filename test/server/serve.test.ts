/**
 * `atsm serve` start-up: CLI help and flag errors, error mapping (500s say nothing), and the
 * `--demo` seeding on an on-disk PGlite data folder: first start creates admin + the Demo
 * project with the (small) twin study, subject, injection and truth VOIs; a restart keeps them
 * and seeds nothing twice.
 */
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import Fastify from "fastify";
import { afterAll, describe, expect, it } from "vitest";
import { AtsmError } from "../../src/core/errors.js";
import { installErrorHandlers, statusOf } from "../../src/server/errors.js";
import { startWorkbench } from "../../src/server/start.js";
import { cli } from "../helpers/cli.js";
import { sessionCookie } from "../helpers/server.js";

const dirs: string[] = [];
afterAll(async () => {
  for (const d of dirs) await rm(d, { recursive: true, force: true });
});

describe("atsm serve CLI", () => {
  it("prints help and rejects bad flags naming them", async () => {
    const h = await cli(["serve", "--help"]);
    expect(h.code).toBe(0);
    expect(h.stdout).toMatch(/usage: atsm serve/);
    expect(h.stdout).toMatch(/DATABASE_URL/);
    const p = await cli(["serve", "--port", "99999"]);
    expect(p.code).toBe(2);
    expect(p.stderr).toMatch(/invalid --port/);
    const m = await cli(["serve", "--max-upload-mb=0"]);
    expect(m.stderr).toMatch(/invalid --max-upload-mb/);
    const u = await cli(["serve", "--bogus"]);
    expect(u.code).toBe(2);
  });
});

describe("error mapping", () => {
  it("maps codes to statuses and hides internal errors", async () => {
    expect(
      [
        "INVALID_ARGUMENT",
        "UNSUPPORTED",
        "UNAUTHENTICATED",
        "FORBIDDEN",
        "NOT_FOUND",
        "CONFLICT",
        "LIMIT_EXCEEDED",
        "IO_ERROR",
      ].map((c) => statusOf(c as AtsmError["code"])),
    ).toEqual([400, 415, 401, 403, 404, 409, 413, 500]);
    const app = Fastify();
    installErrorHandlers(app);
    app.get("/boom", async () => {
      throw new Error("secret path /var/lib/atsm/x failed");
    });
    app.get("/bad", async () => {
      throw new AtsmError({
        code: "EMPTY_VOI",
        message: "the VOI is empty",
        field: "tumour",
        hint: "draw it bigger",
      });
    });
    const boom = await app.inject({ method: "GET", url: "/boom" });
    expect(boom.statusCode).toBe(500);
    expect(boom.body).not.toMatch(/secret|\/var/);
    expect(JSON.parse(boom.body)).toEqual({
      error: { code: "INTERNAL", message: "internal server error; see the server log" },
    });
    const bad = await app.inject({ method: "GET", url: "/bad" });
    expect(bad.statusCode).toBe(400);
    expect(JSON.parse(bad.body)).toEqual({
      error: {
        code: "EMPTY_VOI",
        message: "the VOI is empty (field tumour)",
        field: "tumour",
        hint: "draw it bigger",
      },
    });
    await app.close();
  });
});

describe("--demo seeding on a PGlite data folder", () => {
  it("seeds once, survives a restart, and the one-time link signs in", async () => {
    const dataDir = await mkdtemp(join(tmpdir(), "atsm-serve-demo-"));
    dirs.push(dataDir);
    const first = await startWorkbench({ dataDir, port: 0, host: "127.0.0.1", demo: true, demoSmall: true });
    let demoStudyId: string;
    try {
      expect(first.firstStart).toBe(true);
      // With --demo the link opens the demo study in the viewer after signing in.
      expect(first.loginLink).toMatch(
        /^http:\/\/127\.0\.0\.1:\d+\/api\/auth\/one-time\?token=[A-Za-z0-9_-]{43}&next=%2Fstudies%2F[0-9a-f-]{36}$/,
      );
      const res = await fetch(first.loginLink!, { redirect: "manual" });
      expect(res.status).toBe(302);
      const landing = res.headers.get("location");
      const cookie = sessionCookie(res);
      const get = async <T>(path: string): Promise<T> =>
        (await (await fetch(`${first.url}${path}`, { headers: { cookie } })).json()) as T;
      const projects = await get<{ id: string; name: string }[]>("/api/projects");
      const demo = projects.find((p) => p.name === "Demo")!;
      const studies = await get<
        { id: string; subjectId: string; injectionId: string | null; series: { modality: string }[] }[]
      >(`/api/projects/${demo.id}/studies`);
      expect(studies).toHaveLength(1);
      demoStudyId = studies[0]!.id;
      expect(landing).toBe(`/studies/${demoStudyId}`);
      expect(studies[0]!.series.map((x) => x.modality).sort()).toEqual(["CT", "PT"]);
      expect(studies[0]!.injectionId).not.toBeNull();
      const subject = await get<{ label: string; kind: string; weightKg: number; heightM: number }>(
        `/api/subjects/${studies[0]!.subjectId}`,
      );
      expect(subject).toMatchObject({
        label: "demo-patient-01",
        kind: "patient",
        weightKg: 70,
        heightM: 1.7,
      });
      const vois = await get<{ id: string; role: string }[]>(`/api/studies/${demoStudyId}/vois`);
      expect(vois.map((v) => v.role).sort()).toEqual(["reference", "tumour"]);
      const t = vois.find((v) => v.role === "tumour")!.id;
      const r = vois.find((v) => v.role === "reference")!.id;
      const m = await fetch(`${first.url}/api/studies/${demoStudyId}/metrics`, {
        method: "POST",
        headers: { cookie, "content-type": "application/json" },
        body: JSON.stringify({ tumour: `voi:${t}`, reference: `voi:${r}` }),
      });
      const metrics = (await m.json()) as { tmrMax: number };
      expect(m.status, JSON.stringify(metrics).slice(0, 300)).toBe(200);
      // The hypoxic cervix twin: tumour max well above muscle (truth T/M core > 3.5, blurred by the PSF).
      expect(metrics.tmrMax).toBeGreaterThan(2);
    } finally {
      await first.close();
    }
    const second = await startWorkbench({ dataDir, port: 0, host: "127.0.0.1", demo: true, demoSmall: true });
    try {
      expect(second.firstStart).toBe(false);
      expect(second.loginLink).not.toBeNull(); // loopback: a fresh link every start
      const demo = (await second.store.projects.listFor(null)).find((p) => p.name === "Demo")!;
      expect((await second.store.studies.list(demo.id)).map((s) => s.id)).toEqual([demoStudyId]);
      expect((await second.store.users.list()).map((u) => u.username)).toEqual(["admin"]);
    } finally {
      await second.close();
    }
  }, 240_000);
});
