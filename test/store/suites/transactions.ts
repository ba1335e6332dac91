/** Transactions: commit, rollback, nesting of studies.create, misuse, and concurrency. */
import { describe, expect, it } from "vitest";
import type { EngineHandle } from "../engines.js";
import { studyInput, unique, userAndProject } from "../fixtures.js";

export function transactionsSuite(h: EngineHandle): void {
  describe("transactions", () => {
    it("commits what fn wrote and returns its value; tx sees its own writes", async () => {
      const store = h.store();
      const name = unique("tx-user");
      const out = await store.transaction(async (tx) => {
        const u = await tx.users.create({ username: name, role: "viewer", passwordHash: "h" });
        expect(await tx.users.byId(u.id)).toEqual(u);
        return u.id;
      });
      expect((await store.users.byUsername(name))?.id).toBe(out);
    });

    it("a throw inside the transaction leaves nothing behind, studies.create on tx included", async () => {
      const store = h.store();
      const { user, project } = await userAndProject(store);
      const name = unique("ghost");
      let studyId = "";
      await expect(
        store.transaction(async (tx) => {
          await tx.users.create({ username: name, role: "viewer", passwordHash: "h" });
          studyId = (await tx.studies.create(studyInput(project.id, user.id, 2))).id;
          expect(await tx.studies.byId(studyId)).not.toBeNull();
          throw new Error("boom");
        }),
      ).rejects.toThrow("boom");
      expect(studyId).not.toBe("");
      expect(await store.users.byUsername(name)).toBeNull();
      expect(await store.studies.byId(studyId)).toBeNull();
      expect(await store.studies.list(project.id)).toEqual([]);
      // A failed statement (unique violation) inside the transaction rolls back the earlier ones too.
      const dup = unique("dup");
      await expect(
        store.transaction(async (tx) => {
          await tx.projects.create({ name: dup, description: "", createdBy: user.id });
          await tx.users.create({ username: user.username, role: "viewer", passwordHash: "h" });
        }),
      ).rejects.toMatchObject({ code: "CONFLICT" });
      expect((await store.projects.listFor(null)).some((p) => p.name === dup)).toBe(false);
    });

    it("refuses the root store inside a transaction instead of deadlocking", async () => {
      const store = h.store();
      await expect(store.transaction(async () => store.users.count())).rejects.toThrow(
        /use the `tx` repositories/,
      );
      await expect(store.transaction(async () => store.transaction(async () => 1))).rejects.toThrow(/tx/);
      // The store still works afterwards.
      expect(await store.users.count()).toBeGreaterThan(0);
    });

    it("20 concurrent study creates all land, each with its own complete series and files", async () => {
      const store = h.store();
      const { user, project } = await userAndProject(store);
      const made = await Promise.all(
        Array.from({ length: 20 }, (_, i) =>
          store.studies.create(studyInput(project.id, user.id, 3, { description: `s${i}` })),
        ),
      );
      const listed = await store.studies.list(project.id);
      expect(listed).toHaveLength(20);
      expect(new Set(listed.map((s) => s.description)).size).toBe(20);
      for (const s of listed) {
        expect(s.series.map((se) => se.description)).toEqual(["series 0", "series 1", "series 2"]);
        expect(s.series.every((se) => se.studyId === s.id && se.files.length === 2)).toBe(true);
        expect(made.find((m) => m.id === s.id)).toEqual(s);
      }
    });

    it("on PGlite transactions are serialised: read-count-then-insert never interleaves", async () => {
      if (h.engine !== "pglite") return; // PostgreSQL (READ COMMITTED) may interleave these by design.
      const store = h.store();
      const { user, project } = await userAndProject(store);
      await Promise.all(
        Array.from({ length: 20 }, () =>
          store.transaction(async (tx) => {
            const n = (await tx.studies.list(project.id)).length;
            await tx.studies.create(studyInput(project.id, user.id, 1, { description: `n=${n}` }));
          }),
        ),
      );
      const seen = (await store.studies.list(project.id)).map((s) => s.description).sort();
      expect(seen).toEqual(Array.from({ length: 20 }, (_, i) => `n=${i}`).sort());
      // A plain query issued while a transaction is open waits for it and sees its committed result.
      let release: () => void = () => undefined;
      const gate = new Promise<void>((r) => (release = r));
      const name = unique("late");
      const tx = store.transaction(async (t) => {
        await t.users.create({ username: name, role: "viewer", passwordHash: "h" });
        await gate;
      });
      const read = store.users.byUsername(name);
      release();
      await tx;
      expect((await read)?.username).toBe(name);
    });
  });
}
