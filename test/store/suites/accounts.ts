/** Users, sessions, one-time login tokens, projects and members — on PGlite and PostgreSQL. */
import { describe, expect, it } from "vitest";
import { expectAtsmErrorAsync } from "../../helpers/errors.js";
import type { EngineHandle } from "../engines.js";
import { unique, userAndProject } from "../fixtures.js";

const MISSING_ID = "00000000-0000-4000-8000-000000000000";
const HOUR_MS = 3_600_000;

export function accountsSuite(h: EngineHandle): void {
  describe("accounts", () => {
    it("creates, finds, lists and counts users; usernames are unique", async () => {
      const store = h.store();
      const before = await store.users.count();
      const name = unique("alice");
      const u = await store.users.create({ username: name, role: "analyst", passwordHash: "scrypt$1" });
      expect(u).toMatchObject({ username: name, role: "analyst", disabled: false });
      expect(u.id).toMatch(/^[0-9a-f-]{36}$/);
      expect(new Date(u.createdAt).toISOString()).toBe(u.createdAt);
      expect(await store.users.byId(u.id)).toEqual(u);
      expect(await store.users.byUsername(name)).toEqual({ ...u, passwordHash: "scrypt$1" });
      expect(await store.users.count()).toBe(before + 1);
      expect((await store.users.list()).map((x) => x.id)).toContain(u.id);
      await expectAtsmErrorAsync(
        () => store.users.create({ username: name, role: "viewer", passwordHash: "x" }),
        { code: "CONFLICT", message: /already exists/ },
      );
      expect(await store.users.byId(MISSING_ID)).toBeNull();
      expect(await store.users.byId("not-a-uuid")).toBeNull();
      expect(await store.users.byUsername(unique("nobody"))).toBeNull();
    });

    it("changes password, role and disabled; unknown ids are NOT_FOUND; bad roles INVALID_ARGUMENT", async () => {
      const store = h.store();
      const u = await store.users.create({ username: unique("bob"), role: "viewer", passwordHash: "old" });
      await store.users.setPassword(u.id, "new");
      await store.users.setRole(u.id, "admin");
      expect(await store.users.byUsername(u.username)).toMatchObject({ passwordHash: "new", role: "admin" });
      await store.users.setDisabled?.(u.id, true);
      expect((await store.users.byId(u.id))?.disabled).toBe(true);
      await expectAtsmErrorAsync(() => store.users.setRole(MISSING_ID, "admin"), { code: "NOT_FOUND" });
      await expectAtsmErrorAsync(() => store.users.setPassword("x", "y"), { code: "NOT_FOUND" });
      await expectAtsmErrorAsync(() => store.users.setRole(u.id, "root" as never), {
        code: "INVALID_ARGUMENT",
      });
    });

    it("sessions resolve until they expire or the user is disabled; deleteExpired counts", async () => {
      const store = h.store();
      const u = await store.users.create({ username: unique("carol"), role: "analyst", passwordHash: "h" });
      const t0 = Date.parse("2030-01-01T00:00:00.000Z");
      const at = (ms: number) => new Date(t0 + ms).toISOString();
      const live = { tokenHash: unique("live"), userId: u.id, createdAt: at(0), expiresAt: at(12 * HOUR_MS) };
      const old = { tokenHash: unique("old"), userId: u.id, createdAt: at(0), expiresAt: at(HOUR_MS) };
      await store.sessions.create(live);
      await store.sessions.create(old);
      const got = await store.sessions.lookup(live.tokenHash, at(2 * HOUR_MS));
      expect(got?.session).toEqual(live);
      expect(got?.user).toEqual(await store.users.byId(u.id));
      // Expiry is exclusive: at expiresAt the session is gone.
      expect(await store.sessions.lookup(old.tokenHash, at(HOUR_MS))).toBeNull();
      expect(await store.sessions.lookup(old.tokenHash, at(HOUR_MS - 1))).not.toBeNull();
      expect(await store.sessions.lookup(unique("unknown"), at(0))).toBeNull();
      await expectAtsmErrorAsync(() => store.sessions.create(live), { code: "CONFLICT" });
      // Only sessions expired by 2030-01-01T02:00 are removed (ours: `old`; other tests use 2030+ too).
      const removed = await store.sessions.deleteExpired(at(2 * HOUR_MS));
      expect(removed).toBeGreaterThanOrEqual(1);
      expect(await store.sessions.lookup(old.tokenHash, at(0))).toBeNull();
      await store.users.setDisabled?.(u.id, true);
      expect(await store.sessions.lookup(live.tokenHash, at(2 * HOUR_MS))).toBeNull();
      await store.users.setDisabled?.(u.id, false);
      expect(await store.sessions.lookup(live.tokenHash, at(2 * HOUR_MS))).not.toBeNull();
      await store.sessions.delete(live.tokenHash);
      expect(await store.sessions.lookup(live.tokenHash, at(2 * HOUR_MS))).toBeNull();
    });

    it("one-time login tokens are consumed once, even by concurrent callers, and expire", async () => {
      const store = h.store();
      const u = await store.users.create({ username: unique("dave"), role: "admin", passwordHash: "h" });
      const now = "2030-06-01T12:00:00.000Z";
      const later = "2030-06-02T12:00:00.000Z";
      const tok = unique("tok");
      await store.loginTokens.create({ tokenHash: tok, userId: u.id, expiresAt: later });
      expect(await store.loginTokens.consume(tok, now)).toBe(u.id);
      expect(await store.loginTokens.consume(tok, now)).toBeNull();
      const race = unique("race");
      await store.loginTokens.create({ tokenHash: race, userId: u.id, expiresAt: later });
      const winners = await Promise.all(
        Array.from({ length: 10 }, () => store.loginTokens.consume(race, now)),
      );
      expect(winners.filter((w) => w !== null)).toEqual([u.id]);
      const stale = unique("stale");
      await store.loginTokens.create({ tokenHash: stale, userId: u.id, expiresAt: now });
      expect(await store.loginTokens.consume(stale, now)).toBeNull();
      expect(await store.loginTokens.consume(unique("never"), now)).toBeNull();
    });

    it("projects: create, byId, members and roles, listFor by membership and site role", async () => {
      const store = h.store();
      const { user: owner, project } = await userAndProject(store);
      expect(project).toMatchObject({ description: "", createdBy: owner.id });
      expect(await store.projects.byId(project.id)).toEqual(project);
      expect(await store.projects.byId(MISSING_ID)).toBeNull();
      const other = await store.projects.create({
        name: unique("p2"),
        description: "d",
        createdBy: owner.id,
      });
      const viewer = await store.users.create({ username: unique("v"), role: "viewer", passwordHash: "h" });
      const admin = await store.users.create({ username: unique("root"), role: "admin", passwordHash: "h" });

      expect(await store.projects.roleOf(project.id, viewer.id)).toBeNull();
      expect(await store.projects.listFor(viewer.id)).toEqual([]);
      await store.projects.addMember(project.id, viewer.id, "viewer");
      await store.projects.addMember(project.id, owner.id, "admin");
      expect(await store.projects.roleOf(project.id, viewer.id)).toBe("viewer");
      expect(await store.projects.listFor(viewer.id)).toEqual([{ ...project, role: "viewer" }]);
      // Adding again changes the role instead of failing.
      await store.projects.addMember(project.id, viewer.id, "analyst");
      expect(await store.projects.roleOf(project.id, viewer.id)).toBe("analyst");
      const members = await store.projects.members(project.id);
      expect(members).toHaveLength(2);
      expect(members.find((m) => m.userId === viewer.id)).toEqual({
        projectId: project.id,
        userId: viewer.id,
        username: viewer.username,
        role: "analyst",
      });

      const all = await store.projects.listFor(null);
      expect(all.map((p) => p.id)).toEqual(expect.arrayContaining([project.id, other.id]));
      expect(all.every((p) => p.role === null)).toBe(true);
      const asAdmin = await store.projects.listFor(admin.id);
      expect(asAdmin.map((p) => p.id)).toEqual(expect.arrayContaining([project.id, other.id]));
      expect(asAdmin.every((p) => p.role === "admin")).toBe(true);

      await store.projects.removeMember(project.id, viewer.id);
      expect(await store.projects.roleOf(project.id, viewer.id)).toBeNull();
      expect(await store.projects.listFor(viewer.id)).toEqual([]);
      await expectAtsmErrorAsync(() => store.projects.addMember(project.id, viewer.id, "owner" as never), {
        code: "INVALID_ARGUMENT",
      });
      await expectAtsmErrorAsync(() => store.projects.addMember(MISSING_ID, viewer.id, "viewer"), {
        code: "NOT_FOUND",
      });
    });
  });
}
