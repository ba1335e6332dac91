/**
 * Projects, members and tumour models: GET/POST /api/projects, GET /api/projects/:pid,
 * GET/POST /api/projects/:pid/members, GET/POST /api/projects/:pid/tumour-models.
 */
import type { FastifyInstance } from "fastify";
import { AtsmError } from "../../core/errors.js";
import type { Role } from "../../store/types.js";
import { requireProject, requireUser } from "../access.js";
import { audit, createOwnedProject } from "../audit.js";
import type { ServerDeps } from "../context.js";
import { forbidden } from "../errors.js";
import { idParams, NAME, obj, open, ROLE, responses, TEXT } from "../schemas.js";
import { USERNAME } from "./users.js";

const PROJECT = open("Project (with the caller's role)", {
  id: { type: "string" },
  name: { type: "string" },
  description: { type: "string" },
  role: { type: ["string", "null"] },
});
const MEMBER = open("Project member", {
  userId: { type: "string" },
  username: { type: "string" },
  role: ROLE,
});
const TUMOUR_MODEL = open("Tumour model", { id: { type: "string" }, name: { type: "string" } });
const OPT_TEXT = { type: ["string", "null"], maxLength: 200 } as const;

export function registerProjectRoutes(app: FastifyInstance, deps: ServerDeps): void {
  const { store } = deps;
  app.get(
    "/api/projects",
    {
      schema: {
        summary: "projects the caller can see",
        tags: ["projects"],
        response: responses({ 200: { type: "array", items: PROJECT } }),
      },
    },
    async (req) => {
      const user = requireUser(req);
      if (user.role !== "admin") return store.projects.listFor(user.id);
      // Site admins see every project and act as its admin.
      return (await store.projects.listFor(null)).map((p) => ({ ...p, role: p.role ?? "admin" }));
    },
  );

  app.post(
    "/api/projects",
    {
      schema: {
        summary: "create a project (site analysts and admins); the creator becomes its admin",
        tags: ["projects"],
        body: obj({ name: NAME, description: TEXT }, ["name"]),
        response: responses({ 201: PROJECT }),
      },
    },
    async (req, reply) => {
      const user = requireUser(req);
      if (user.role === "viewer") throw forbidden("viewers cannot create projects");
      const body = req.body as { name: string; description?: string };
      const all = await store.projects.listFor(null);
      if (all.some((p) => p.name === body.name)) {
        throw new AtsmError({
          code: "CONFLICT",
          message: "project name already taken",
          value: body.name,
          field: "name",
        });
      }
      const project = await store.transaction((tx) =>
        createOwnedProject(tx, user, { name: body.name, description: body.description ?? "" }),
      );
      return reply.status(201).send({ ...project, role: "admin" });
    },
  );

  app.get(
    "/api/projects/:pid",
    {
      schema: {
        summary: "one project",
        tags: ["projects"],
        params: idParams("pid"),
        response: responses({ 200: PROJECT }),
      },
    },
    async (req) => {
      const { pid } = req.params as { pid: string };
      const a = await requireProject(store, req, pid, "viewer");
      return { ...a.project, role: a.role };
    },
  );

  app.get(
    "/api/projects/:pid/members",
    {
      schema: {
        summary: "project members",
        tags: ["projects"],
        params: idParams("pid"),
        response: responses({ 200: { type: "array", items: MEMBER } }),
      },
    },
    async (req) => {
      const { pid } = req.params as { pid: string };
      await requireProject(store, req, pid, "viewer");
      return store.projects.members(pid);
    },
  );

  app.post(
    "/api/projects/:pid/members",
    {
      schema: {
        summary: "add a member or change a member's role (project admins)",
        tags: ["projects"],
        params: idParams("pid"),
        body: obj({ username: USERNAME, role: ROLE }, ["username", "role"]),
        response: responses({ 201: MEMBER }),
      },
    },
    async (req, reply) => {
      const { pid } = req.params as { pid: string };
      const a = await requireProject(store, req, pid, "admin");
      const body = req.body as { username: string; role: Role };
      const target = await store.users.byUsername(body.username);
      if (target === null) {
        throw new AtsmError({
          code: "NOT_FOUND",
          message: "no such user",
          value: body.username,
          field: "username",
        });
      }
      await store.transaction(async (tx) => {
        await tx.projects.addMember(pid, target.id, body.role);
        await audit(tx, a.user, {
          action: "add-member",
          entityType: "project",
          entityId: pid,
          projectId: pid,
          detail: { username: target.username, role: body.role },
        });
      });
      return reply
        .status(201)
        .send({ projectId: pid, userId: target.id, username: target.username, role: body.role });
    },
  );

  app.get(
    "/api/projects/:pid/tumour-models",
    {
      schema: {
        summary: "tumour models of a project",
        tags: ["projects"],
        params: idParams("pid"),
        response: responses({ 200: { type: "array", items: TUMOUR_MODEL } }),
      },
    },
    async (req) => {
      const { pid } = req.params as { pid: string };
      await requireProject(store, req, pid, "viewer");
      return store.tumourModels.list(pid);
    },
  );

  app.post(
    "/api/projects/:pid/tumour-models",
    {
      schema: {
        summary: "add a tumour model (analysts)",
        tags: ["projects"],
        params: idParams("pid"),
        body: obj({ name: NAME, cellLine: OPT_TEXT, site: OPT_TEXT, implantation: OPT_TEXT, notes: TEXT }, [
          "name",
        ]),
        response: responses({ 201: TUMOUR_MODEL }),
      },
    },
    async (req, reply) => {
      const { pid } = req.params as { pid: string };
      const a = await requireProject(store, req, pid, "analyst");
      const b = req.body as {
        name: string;
        cellLine?: string | null;
        site?: string | null;
        implantation?: string | null;
        notes?: string;
      };
      const model = await store.transaction(async (tx) => {
        const m = await tx.tumourModels.create({
          projectId: pid,
          name: b.name,
          cellLine: b.cellLine ?? null,
          site: b.site ?? null,
          implantation: b.implantation ?? null,
          notes: b.notes ?? "",
        });
        await audit(tx, a.user, {
          action: "create",
          entityType: "tumour-model",
          entityId: m.id,
          projectId: pid,
          detail: { name: m.name },
        });
        return m;
      });
      return reply.status(201).send(model);
    },
  );
}
