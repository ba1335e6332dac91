/**
 * Subjects and injections: GET/POST /api/projects/:pid/subjects, GET/PATCH/DELETE /api/subjects/:sid,
 * GET/POST /api/subjects/:sid/injections.
 */
import type { FastifyInstance } from "fastify";
import { AtsmError } from "../../core/errors.js";
import { getNuclide } from "../../physics/nuclides.js";
import type { SubjectRow } from "../../store/types.js";
import { requireProject, requireSubject } from "../access.js";
import { audit } from "../audit.js";
import type { ServerDeps } from "../context.js";
import { ISO_TIME, idParams, NAME, obj, open, responses, TEXT, UUID } from "../schemas.js";

const SUBJECT = open("Subject (animal or patient)", {
  id: UUID,
  label: { type: "string" },
  kind: { type: "string" },
});
const INJECTION = open("Injection", {
  id: UUID,
  nuclide: { type: "string" },
  activityBq: { type: "number" },
});
const OPT_STR = { type: ["string", "null"], maxLength: 200 } as const;

/** Subject fields a client may set (create and PATCH). */
const SUBJECT_FIELDS = {
  label: NAME,
  kind: { type: "string", enum: ["animal", "patient"] },
  species: OPT_STR,
  strain: OPT_STR,
  sex: { type: ["string", "null"], enum: ["F", "M", "O", null] },
  weightKg: { type: ["number", "null"], exclusiveMinimum: 0, maximum: 1000 },
  heightM: { type: ["number", "null"], exclusiveMinimum: 0, maximum: 3 },
  tumourModelId: { anyOf: [UUID, { type: "null" }] },
  notes: TEXT,
} as const;

type SubjectInput = Partial<Omit<SubjectRow, "id" | "projectId">>;

function checkTime(value: string, field: string): string {
  const t = Date.parse(value);
  if (!Number.isFinite(t)) {
    throw new AtsmError({
      code: "INVALID_ARGUMENT",
      message: `invalid ${field}`,
      value,
      field,
      hint: "give an ISO-8601 date-time with a zone, e.g. 2024-05-01T09:30:00Z",
    });
  }
  return new Date(t).toISOString();
}

export function registerSubjectRoutes(app: FastifyInstance, deps: ServerDeps): void {
  const { store } = deps;

  async function checkTumourModel(projectId: string, id: string | null | undefined): Promise<void> {
    if (id === null || id === undefined) return;
    const m = await store.tumourModels.byId(id);
    if (m === null || m.projectId !== projectId) {
      throw new AtsmError({ code: "NOT_FOUND", message: "tumour model not found", field: "tumourModelId" });
    }
  }

  app.get(
    "/api/projects/:pid/subjects",
    {
      schema: {
        summary: "subjects of a project",
        tags: ["subjects"],
        params: idParams("pid"),
        response: responses({ 200: { type: "array", items: SUBJECT } }),
      },
    },
    async (req) => {
      const { pid } = req.params as { pid: string };
      await requireProject(store, req, pid, "viewer");
      return store.subjects.list(pid);
    },
  );

  app.post(
    "/api/projects/:pid/subjects",
    {
      schema: {
        summary: "create a subject (analysts)",
        tags: ["subjects"],
        params: idParams("pid"),
        body: obj(SUBJECT_FIELDS, ["label", "kind"]),
        response: responses({ 201: SUBJECT }),
      },
    },
    async (req, reply) => {
      const { pid } = req.params as { pid: string };
      const a = await requireProject(store, req, pid, "analyst");
      const b = req.body as SubjectInput & { label: string; kind: SubjectRow["kind"] };
      await checkTumourModel(pid, b.tumourModelId);
      if ((await store.subjects.list(pid)).some((s) => s.label === b.label)) {
        throw new AtsmError({
          code: "CONFLICT",
          message: "subject label already used in this project",
          value: b.label,
          field: "label",
        });
      }
      const subject = await store.transaction(async (tx) => {
        const s = await tx.subjects.create({
          projectId: pid,
          label: b.label,
          kind: b.kind,
          species: b.species ?? (b.kind === "patient" ? "human" : null),
          strain: b.strain ?? null,
          sex: b.sex ?? null,
          weightKg: b.weightKg ?? null,
          heightM: b.heightM ?? null,
          tumourModelId: b.tumourModelId ?? null,
          notes: b.notes ?? "",
        });
        await audit(tx, a.user, {
          action: "create",
          entityType: "subject",
          entityId: s.id,
          projectId: pid,
          detail: { label: s.label },
        });
        return s;
      });
      return reply.status(201).send(subject);
    },
  );

  app.get(
    "/api/subjects/:sid",
    {
      schema: {
        summary: "one subject",
        tags: ["subjects"],
        params: idParams("sid"),
        response: responses({ 200: SUBJECT }),
      },
    },
    async (req) => {
      const { sid } = req.params as { sid: string };
      return (await requireSubject(store, req, sid, "viewer")).subject;
    },
  );

  app.patch(
    "/api/subjects/:sid",
    {
      schema: {
        summary: "edit a subject (analysts)",
        tags: ["subjects"],
        params: idParams("sid"),
        body: { ...obj(SUBJECT_FIELDS), minProperties: 1 },
        response: responses({ 200: SUBJECT }),
      },
    },
    async (req) => {
      const { sid } = req.params as { sid: string };
      const a = await requireSubject(store, req, sid, "analyst");
      const patch = req.body as SubjectInput;
      await checkTumourModel(a.subject.projectId, patch.tumourModelId);
      if (patch.label !== undefined && patch.label !== a.subject.label) {
        const clash = (await store.subjects.list(a.subject.projectId)).some((s) => s.label === patch.label);
        if (clash)
          throw new AtsmError({
            code: "CONFLICT",
            message: "subject label already used in this project",
            value: patch.label,
            field: "label",
          });
      }
      return store.transaction(async (tx) => {
        const s = await tx.subjects.update(sid, patch);
        await audit(tx, a.user, {
          action: "update",
          entityType: "subject",
          entityId: sid,
          projectId: s.projectId,
          detail: { fields: Object.keys(patch) },
        });
        return s;
      });
    },
  );

  app.delete(
    "/api/subjects/:sid",
    {
      schema: {
        summary: "delete a subject (analysts)",
        tags: ["subjects"],
        params: idParams("sid"),
        response: responses({ 204: { type: "null" } }),
      },
    },
    async (req, reply) => {
      const { sid } = req.params as { sid: string };
      const a = await requireSubject(store, req, sid, "analyst");
      await store.transaction(async (tx) => {
        await tx.subjects.delete(sid);
        await audit(tx, a.user, {
          action: "delete",
          entityType: "subject",
          entityId: sid,
          projectId: a.subject.projectId,
          detail: { label: a.subject.label },
        });
      });
      return reply.status(204).send();
    },
  );

  app.get(
    "/api/subjects/:sid/injections",
    {
      schema: {
        summary: "injections of a subject",
        tags: ["subjects"],
        params: idParams("sid"),
        response: responses({ 200: { type: "array", items: INJECTION } }),
      },
    },
    async (req) => {
      const { sid } = req.params as { sid: string };
      await requireSubject(store, req, sid, "viewer");
      return store.injections.list(sid);
    },
  );

  app.post(
    "/api/subjects/:sid/injections",
    {
      schema: {
        summary: "record an injection (analysts); nuclide by name (Cu-64, 64Cu, ...)",
        tags: ["subjects"],
        params: idParams("sid"),
        body: obj(
          {
            radiopharmaceutical: NAME,
            nuclide: { type: "string", minLength: 1, maxLength: 40 },
            activityBq: { type: "number", exclusiveMinimum: 0, maximum: 1e13 },
            activityTime: ISO_TIME,
            residualBq: { type: ["number", "null"], minimum: 0, maximum: 1e13 },
            residualTime: { anyOf: [ISO_TIME, { type: "null" }] },
            injectionTime: ISO_TIME,
            route: { type: "string", minLength: 1, maxLength: 40 },
          },
          ["radiopharmaceutical", "nuclide", "activityBq", "activityTime", "injectionTime", "route"],
        ),
        response: responses({ 201: INJECTION }),
      },
    },
    async (req, reply) => {
      const { sid } = req.params as { sid: string };
      const a = await requireSubject(store, req, sid, "analyst");
      const b = req.body as {
        radiopharmaceutical: string;
        nuclide: string;
        activityBq: number;
        activityTime: string;
        residualBq?: number | null;
        residualTime?: string | null;
        injectionTime: string;
        route: string;
      };
      const nuclide = getNuclide(b.nuclide, "nuclide").name;
      const injection = await store.transaction(async (tx) => {
        const i = await tx.injections.create({
          subjectId: sid,
          radiopharmaceutical: b.radiopharmaceutical,
          nuclide,
          activityBq: b.activityBq,
          activityTime: checkTime(b.activityTime, "activityTime"),
          residualBq: b.residualBq ?? null,
          residualTime: b.residualTime ? checkTime(b.residualTime, "residualTime") : null,
          injectionTime: checkTime(b.injectionTime, "injectionTime"),
          route: b.route,
        });
        await audit(tx, a.user, {
          action: "create",
          entityType: "injection",
          entityId: i.id,
          projectId: a.subject.projectId,
          detail: { subjectId: sid, nuclide, activityBq: b.activityBq },
        });
        return i;
      });
      return reply.status(201).send(injection);
    },
  );
}
