/** Subjects, tumour models, injections, studies/series/files, VOIs, results, documents, audit. */
import { describe, expect, it } from "vitest";
import { expectAtsmErrorAsync } from "../../helpers/errors.js";
import type { EngineHandle } from "../engines.js";
import { seriesInput, sha, studyInput, unique, userAndProject } from "../fixtures.js";

const MISSING_ID = "00000000-0000-4000-8000-000000000000";

export function dataSuite(h: EngineHandle): void {
  describe("data", () => {
    it("tumour models, subjects (unique label per project, patch, cascade) and injections", async () => {
      const store = h.store();
      const { user, project } = await userAndProject(store);
      const tm = await store.tumourModels.create({
        projectId: project.id,
        name: "FaDu xenograft",
        cellLine: "FaDu",
        site: "flank",
        implantation: null,
        notes: "",
      });
      expect(await store.tumourModels.byId(tm.id)).toEqual(tm);
      expect(await store.tumourModels.list(project.id)).toEqual([tm]);
      const mouse = await store.subjects.create({
        projectId: project.id,
        label: "M-01",
        kind: "animal",
        species: "mouse",
        strain: "BALB/c nude",
        sex: "F",
        weightKg: 0.0213,
        heightM: null,
        tumourModelId: tm.id,
        notes: "",
      });
      expect(await store.subjects.byId(mouse.id)).toEqual(mouse);
      expect(mouse.weightKg).toBe(0.0213);
      await expectAtsmErrorAsync(() => store.subjects.create({ ...mouse, notes: "dup" }), {
        code: "CONFLICT",
      });
      const { project: p2 } = await userAndProject(store);
      const elsewhere = await store.subjects.create({ ...mouse, projectId: p2.id, tumourModelId: null });
      expect(elsewhere.label).toBe("M-01");
      const patient = await store.subjects.create({
        ...mouse,
        label: "P-01",
        kind: "patient",
        species: null,
        strain: null,
        weightKg: 71.5,
        heightM: 1.72,
        tumourModelId: null,
      });
      expect((await store.subjects.list(project.id)).map((s) => s.label)).toEqual(["M-01", "P-01"]);
      const patched = await store.subjects.update(mouse.id, {
        weightKg: null,
        notes: "weighed later",
        sex: "O",
      });
      expect(patched).toEqual({ ...mouse, weightKg: null, notes: "weighed later", sex: "O" });
      expect(await store.subjects.update(mouse.id, {})).toEqual(patched);
      await expectAtsmErrorAsync(() => store.subjects.update(mouse.id, { label: "P-01" }), {
        code: "CONFLICT",
      });
      await expectAtsmErrorAsync(() => store.subjects.update(MISSING_ID, { notes: "x" }), {
        code: "NOT_FOUND",
      });
      await expectAtsmErrorAsync(() => store.subjects.update(mouse.id, { kind: "plant" as never }), {
        code: "INVALID_ARGUMENT",
      });
      await expectAtsmErrorAsync(
        () => store.subjects.create({ ...mouse, label: "M-02", projectId: MISSING_ID }),
        { code: "NOT_FOUND" },
      );
      // Values PostgreSQL cannot store (NUL in text, integer overflow) are the caller's fault.
      await expectAtsmErrorAsync(() => store.subjects.update(mouse.id, { notes: "a\u0000b" }), {
        code: "INVALID_ARGUMENT",
      });

      const inj = await store.injections.create({
        subjectId: patient.id,
        radiopharmaceutical: "[64Cu]Cu-ATSM",
        nuclide: "Cu-64",
        activityBq: 3.7e8,
        activityTime: "2024-01-31T09:15:00.000Z",
        residualBq: 1.25e6,
        residualTime: "2024-01-31T09:20:30.500Z",
        injectionTime: "2024-01-31T09:17:00.000Z",
        route: "iv",
      });
      expect(await store.injections.byId(inj.id)).toEqual(inj);
      expect(await store.injections.list(patient.id)).toEqual([inj]);
      const study = await store.studies.create(
        studyInput(project.id, user.id, 1, { subjectId: patient.id, injectionId: inj.id }),
      );
      // Deleting the subject removes its injections; the study survives, unlinked.
      await store.subjects.delete(patient.id);
      expect(await store.subjects.byId(patient.id)).toBeNull();
      expect(await store.injections.byId(inj.id)).toBeNull();
      expect(await store.studies.byId(study.id)).toMatchObject({ subjectId: null, injectionId: null });
    });

    it("studies: atomic create with ordered series and files, exact numbers, list pages, seriesById", async () => {
      const store = h.store();
      const { user, project } = await userAndProject(store);
      const input = studyInput(project.id, user.id, 3);
      const study = await store.studies.create(input);
      expect(study).toMatchObject({ projectId: project.id, description: "PET/CT", studyDate: "20240131" });
      expect(study.series).toHaveLength(3);
      study.series.forEach((se, i) => {
        const want = seriesInput(i);
        expect(se).toEqual({ ...want, id: se.id, studyId: study.id });
        // Bit-exact float8 round trip through jsonb: 0.1 + 0.2 stays 0.30000000000000004.
        expect(se.spacingMm[0]).toBe(0.1 + 0.2);
      });
      expect(await store.studies.byId(study.id)).toEqual(study);
      const second = study.series[1]!;
      expect(await store.studies.seriesById(second.id)).toEqual({ ...second, projectId: project.id });
      expect(await store.studies.seriesById(MISSING_ID)).toBeNull();

      const more = [];
      for (let i = 0; i < 4; i++) more.push(await store.studies.create(studyInput(project.id, user.id, 1)));
      const all = await store.studies.list(project.id);
      expect(all).toHaveLength(5);
      expect(all[0]!.id).toBe(more[3]!.id); // newest first
      const page = await store.studies.list(project.id, { limit: 2, offset: 1 });
      expect(page.map((s) => s.id)).toEqual(all.slice(1, 3).map((s) => s.id));
      expect(await store.studies.list(MISSING_ID)).toEqual([]);

      // A bad series (zero dims) aborts the whole create: no study row is left.
      const bad = studyInput(project.id, user.id, 2, { description: "bad" });
      const broken = { ...bad, series: [bad.series[0]!, { ...bad.series[1]!, dims: [0, 1, 1] as const }] };
      await expectAtsmErrorAsync(() => store.studies.create(broken), { code: "INVALID_ARGUMENT" });
      expect((await store.studies.list(project.id)).some((s) => s.description === "bad")).toBe(false);
      await expectAtsmErrorAsync(() => store.studies.create(studyInput(MISSING_ID, user.id)), {
        code: "NOT_FOUND",
      });
      // More files than one multi-row INSERT takes (1000): all kept, in order.
      const many = seriesInput(0, 2001, 11);
      const big = await store.studies.create({ ...bad, description: "big", series: [many] });
      expect(big.series[0]!.files).toEqual(many.files);
      const huge = { ...bad, series: [{ ...bad.series[0]!, dims: [2 ** 31, 1, 1] as const }] };
      await expectAtsmErrorAsync(() => store.studies.create(huge), { code: "INVALID_ARGUMENT" });
    });

    it("VOIs, results and the study delete cascade; referencedBlobs covers files and mask blobs", async () => {
      const store = h.store();
      const { user, project } = await userAndProject(store);
      // A salt no other test uses, so the file hashes are this test's alone.
      const salt = 7;
      const study = await store.studies.create(studyInput(project.id, user.id, 2, { salt }));
      const twin = await store.studies.create(studyInput(project.id, user.id, 1, { salt }));
      const mask = sha(0xabcdef);
      const tumour = await store.vois.create({
        studyId: study.id,
        name: "tumour",
        role: "tumour",
        spec: "sphere:10,20,30:r=8",
        createdBy: user.id,
      });
      const ref = await store.vois.create({
        studyId: study.id,
        name: "muscle",
        role: "reference",
        spec: `mask:blob:${mask}:1`,
        createdBy: user.id,
      });
      expect(await store.vois.byId(tumour.id)).toEqual(tumour);
      expect((await store.vois.list(study.id)).map((v) => v.id)).toEqual([tumour.id, ref.id]);
      const renamed = await store.vois.update(tumour.id, { name: "T1" });
      expect(renamed).toEqual({ ...tumour, name: "T1" });
      expect(await store.vois.update(tumour.id, { role: "other", spec: "box:0,0,0:1,1,1" })).toEqual({
        ...renamed,
        role: "other",
        spec: "box:0,0,0:1,1,1",
      });
      await expectAtsmErrorAsync(() => store.vois.update(MISSING_ID, { name: "x" }), { code: "NOT_FOUND" });
      await expectAtsmErrorAsync(
        () =>
          store.vois.create({
            studyId: study.id,
            name: "x",
            role: "organ" as never,
            spec: "s",
            createdBy: user.id,
          }),
        { code: "INVALID_ARGUMENT" },
      );

      const inputs = {
        tumour: "sphere",
        reference: `mask:blob:${mask}:1`,
        files: [sha(1), sha(2)],
        cutoff: null,
      };
      const resultJson = {
        tm: { max: 3.25, mean: 1.5 },
        hypoxicVolumeMl: 0.125,
        histogram: [0, 1, 2.5],
        label: "É",
      };
      const res = await store.results.create({
        studyId: study.id,
        kind: "quantify",
        inputs,
        result: resultJson,
        softwareVersion: "0.1.0",
        createdBy: user.id,
      });
      expect(res).toMatchObject({ inputs, result: resultJson, softwareVersion: "0.1.0" });
      expect(await store.results.byId(res.id)).toEqual(res);
      expect(await store.results.list(study.id)).toEqual([res]);

      const blobs = await store.studies.referencedBlobs();
      for (const se of study.series) for (const f of se.files) expect(blobs.has(f.sha256)).toBe(true);
      expect(blobs.has(mask)).toBe(true);

      await store.vois.delete(ref.id);
      expect(await store.vois.byId(ref.id)).toBeNull();
      expect((await store.studies.referencedBlobs()).has(mask)).toBe(false);
      await store.studies.delete(study.id);
      expect(await store.studies.byId(study.id)).toBeNull();
      expect(await store.studies.seriesById(study.series[0]!.id)).toBeNull();
      expect(await store.vois.byId(tumour.id)).toBeNull();
      expect(await store.results.byId(res.id)).toBeNull();
      // Blobs are shared by hash: the twin study still references series 0's files, not series 1's.
      const after = await store.studies.referencedBlobs();
      expect(after.has(study.series[0]!.files[0]!.sha256)).toBe(true);
      expect(after.has(study.series[1]!.files[0]!.sha256)).toBe(false);
      expect(after.has(mask)).toBe(false);
      await store.studies.delete(twin.id);
      expect((await store.studies.referencedBlobs()).has(study.series[0]!.files[0]!.sha256)).toBe(false);
    });

    it("documents by kind and the audit log (newest first, per project, limited)", async () => {
      const store = h.store();
      const { user, project } = await userAndProject(store);
      const batch = await store.documents.create({
        projectId: project.id,
        kind: "radiolabel-batch",
        name: unique("batch"),
        input: { activityBq: 1e9, lots: ["a", "b"] },
        result: { rcpPercent: 98.5 },
        softwareVersion: "0.1.0",
        createdBy: user.id,
      });
      const assay = await store.documents.create({ ...batch, kind: "assay", name: "uptake" });
      expect(await store.documents.byId(batch.id)).toEqual(batch);
      expect((await store.documents.list(project.id)).map((d) => d.id).sort()).toEqual(
        [batch.id, assay.id].sort(),
      );
      expect(await store.documents.list(project.id, "assay")).toEqual([assay]);
      await expectAtsmErrorAsync(() => store.documents.create({ ...batch, kind: "memo" as never }), {
        code: "INVALID_ARGUMENT",
      });

      for (let i = 0; i < 3; i++) {
        await store.audit.record({
          actorId: user.id,
          action: `subject.create.${i}`,
          entityType: "subject",
          entityId: `s${i}`,
          projectId: project.id,
          detail: { i },
        });
      }
      await store.audit.record({
        actorId: null,
        action: "server.start",
        entityType: "server",
        entityId: null,
        projectId: null,
        detail: {},
      });
      const mine = await store.audit.list({ projectId: project.id });
      expect(mine.map((a) => a.action)).toEqual(["subject.create.2", "subject.create.1", "subject.create.0"]);
      expect(mine[0]).toMatchObject({
        actorId: user.id,
        entityType: "subject",
        entityId: "s2",
        detail: { i: 2 },
      });
      expect(typeof mine[0]!.id).toBe("number");
      expect(mine[0]!.id).toBeGreaterThan(mine[1]!.id);
      const latest = await store.audit.list({ limit: 1 });
      expect(latest).toHaveLength(1);
      expect(latest[0]!.action).toBe("server.start");
    });
  });
}
