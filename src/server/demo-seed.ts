/**
 * `atsm serve --demo`: make sure project "Demo" holds the demo twin study (preset
 * patient-cervix-hypoxic; src/app/demo), with subject "demo-patient-01" (patient, weight/height
 * from the study), its injection (from the DICOM headers), and the truth label map as two VOIs
 * (tumour and reference muscle) so the viewer opens on a ready example.
 */
import { copyFile, readdir, readFile } from "node:fs/promises";
import { join, relative } from "node:path";
import { DEFAULT_DEMO_PRESET, writeTwinDemoStudy } from "../app/demo/twin.js";
import type { ProgressFn } from "../core/types.js";
import type { StudyRow, UserRow } from "../store/types.js";
import { audit, createOwnedProject } from "./audit.js";
import type { ServerDeps } from "./context.js";
import { importStaged, stagingDir } from "./import.js";

export const DEMO_PROJECT = "Demo";
export const DEMO_SUBJECT = "demo-patient-01";

async function listFiles(dir: string): Promise<string[]> {
  const out: string[] = [];
  for (const e of await readdir(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    if (e.isDirectory()) out.push(...(await listFiles(p)));
    else if (e.isFile()) out.push(p);
  }
  return out.sort();
}

export interface DemoSeedOptions {
  readonly small?: boolean;
  readonly onProgress?: ProgressFn;
}

/** Seed the demo (no-op when "Demo" already has a study); returns the study, or null when skipped. */
export async function seedDemo(
  deps: ServerDeps,
  admin: UserRow,
  opts: DemoSeedOptions = {},
): Promise<StudyRow | null> {
  const { store } = deps;
  const progress = opts.onProgress ?? (() => {});
  let project = (await store.projects.listFor(null)).find((p) => p.name === DEMO_PROJECT) ?? null;
  if (project !== null && (await store.studies.list(project.id, { limit: 1 })).length > 0) return null;
  if (project === null) {
    project = await store.transaction(async (tx) => ({
      ...(await createOwnedProject(
        tx,
        admin,
        { name: DEMO_PROJECT, description: "built-in synthetic Cu-ATSM study (digital twin)" },
        "demo",
      )),
      role: "admin" as const,
    }));
  }
  const projectId = project.id;
  const demoDir = join(deps.dataDir, "demo-study");
  const twin = await writeTwinDemoStudy(demoDir, {
    preset: DEFAULT_DEMO_PRESET,
    ...(opts.small === true ? { small: true } : {}),
    onProgress: (f, l) => progress(0.7 * f, `generating the demo study: ${l ?? ""}`),
  });
  progress(0.7, "importing the demo study");
  const staged = await stagingDir(deps, "demo");
  const files = [];
  for (const src of await listFiles(twin.studyDir)) {
    const path = join(staged, String(files.length));
    await copyFile(src, path);
    files.push({ name: relative(twin.studyDir, src), path });
  }
  let subject = (await store.subjects.list(projectId)).find((s) => s.label === DEMO_SUBJECT) ?? null;
  if (subject === null) {
    const body = twin.preset;
    const weightKg = body.weightKg;
    subject = await store.transaction(async (tx) => {
      const s = await tx.subjects.create({
        projectId,
        label: DEMO_SUBJECT,
        kind: "patient",
        species: "human",
        strain: null,
        sex: "F",
        weightKg,
        heightM: body.heightM,
        tumourModelId: null,
        notes: twin.description,
      });
      await audit(tx, admin, {
        action: "create",
        entityType: "subject",
        entityId: s.id,
        projectId,
        detail: { label: s.label, reason: "demo" },
      });
      return s;
    });
  }
  const { studies } = await importStaged(
    deps,
    { dir: staged, files },
    { projectId, subjectId: subject.id, actor: admin, source: "demo" },
  );
  const study = studies[0];
  if (study === undefined) return null;
  progress(0.9, "adding the truth VOIs");
  const { sha256 } = await deps.blobs.putBytes(
    new Uint8Array(await readFile(join(twin.twin.outDir, "truth", "voi.nii.gz"))),
  );
  await store.transaction(async (tx) => {
    for (const [name, role, label] of [
      ["tumour (truth)", "tumour", 1],
      ["muscle (truth)", "reference", 2],
    ] as const) {
      const v = await tx.vois.create({
        studyId: study.id,
        name,
        role,
        spec: `mask:blob:${sha256}:${label}`,
        createdBy: admin.id,
      });
      await audit(tx, admin, {
        action: "create",
        entityType: "voi",
        entityId: v.id,
        projectId,
        detail: { studyId: study.id, name, reason: "demo" },
      });
    }
  });
  progress(1, "demo ready");
  return study;
}
