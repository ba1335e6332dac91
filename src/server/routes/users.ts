/** Site users (site admins only): GET/POST /api/users. */
import type { FastifyInstance } from "fastify";
import { AtsmError } from "../../core/errors.js";
import type { Role } from "../../store/types.js";
import { requireSiteAdmin } from "../access.js";
import { audit } from "../audit.js";
import { hashPassword, MIN_PASSWORD_CHARS } from "../auth/password.js";
import type { ServerDeps } from "../context.js";
import { obj, ROLE, responses, USER } from "../schemas.js";

export const USERNAME = { type: "string", pattern: "^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$" } as const;

export function registerUserRoutes(app: FastifyInstance, deps: ServerDeps): void {
  const { store } = deps;
  app.get(
    "/api/users",
    {
      schema: {
        summary: "list users (site admins)",
        tags: ["users"],
        response: responses({ 200: { type: "array", items: USER } }),
      },
    },
    async (req) => {
      requireSiteAdmin(req);
      return store.users.list();
    },
  );

  app.post(
    "/api/users",
    {
      schema: {
        summary: "create a user (site admins); role is the site role",
        tags: ["users"],
        body: obj(
          {
            username: USERNAME,
            password: { type: "string", minLength: MIN_PASSWORD_CHARS, maxLength: 1024 },
            role: ROLE,
          },
          ["username", "password", "role"],
        ),
        response: responses({ 201: USER }),
      },
    },
    async (req, reply) => {
      const actor = requireSiteAdmin(req);
      const body = req.body as { username: string; password: string; role: Role };
      if ((await store.users.byUsername(body.username)) !== null) {
        throw new AtsmError({
          code: "CONFLICT",
          message: "username already taken",
          value: body.username,
          field: "username",
          hint: "choose another username",
        });
      }
      const passwordHash = await hashPassword(body.password);
      const user = await store.transaction(async (tx) => {
        const u = await tx.users.create({ username: body.username, role: body.role, passwordHash });
        await audit(tx, actor, {
          action: "create",
          entityType: "user",
          entityId: u.id,
          projectId: null,
          detail: { username: u.username, role: u.role },
        });
        return u;
      });
      return reply.status(201).send(user);
    },
  );
}
