/**
 * Shared fixtures of the library tests: a data folder in a temp dir, staging of files as the
 * server would (copies in the blob store's tmp folder), StudyRow from an import (ids made up, as
 * the store would assign), and the small demo twin study (generated once per test file).
 */
import { copyFileSync, mkdirSync, mkdtempSync, readdirSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, relative } from "node:path";
import { writeTwinDemoStudy } from "../../../src/app/demo/twin.js";
import type { BlobStore } from "../../../src/app/library/blobs.js";
import type { ImportedStudy, StagedFile } from "../../../src/app/library/types.js";
import type { StudyRow } from "../../../src/store/types.js";

export function tempDir(prefix: string): { dir: string; cleanup: () => void } {
  const dir = mkdtempSync(join(tmpdir(), `atsm-lib-${prefix}-`));
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

/** Every file under `dir`, relative, sorted. */
export function listTree(dir: string): string[] {
  const out: string[] = [];
  const walk = (d: string) => {
    let names: string[];
    try {
      names = readdirSync(d);
    } catch {
      return;
    }
    for (const n of names) {
      const p = join(d, n);
      if (statSync(p).isDirectory()) walk(p);
      else out.push(relative(dir, p));
    }
  };
  walk(dir);
  return out.sort();
}

let counter = 0;

/** Copy files into the blob store's tmp folder, named as a browser would send them. */
export function stage(blobs: BlobStore, files: { name: string; from: string }[]): StagedFile[] {
  mkdirSync(blobs.tmpDir(), { recursive: true });
  return files.map((f) => {
    const path = join(blobs.tmpDir(), `upload-${process.pid}-${counter++}`);
    copyFileSync(f.from, path);
    return { name: f.name, path };
  });
}

/** Stage a whole folder (names relative to `root`, as webkitRelativePath). */
export function stageFolder(blobs: BlobStore, root: string, prefix = ""): StagedFile[] {
  return stage(
    blobs,
    listTree(root).map((n) => ({ name: prefix + n, from: join(root, n) })),
  );
}

let ids = 0;

/** The StudyRow the store would return for an imported study. */
export function toStudyRow(s: ImportedStudy, id = `study-${++ids}`): StudyRow {
  return {
    id,
    projectId: "project-1",
    subjectId: null,
    injectionId: null,
    description: s.description,
    studyInstanceUid: s.studyInstanceUid,
    studyDate: s.studyDate,
    createdAt: "2026-01-01T00:00:00Z",
    createdBy: "user-1",
    series: s.series.map((x, i) => ({
      id: `${id}-series-${i}`,
      studyId: id,
      modality: x.modality,
      format: x.format,
      description: x.description,
      seriesInstanceUid: x.seriesInstanceUid,
      dims: x.dims,
      frames: x.frames,
      spacingMm: x.spacingMm,
      unit: x.unit,
      meta: x.meta,
      files: x.files,
    })),
  };
}

export interface DemoFixture {
  readonly root: string;
  /** DICOM folder with PT/ and CT/. */
  readonly dicomDir: string;
  /** Truth label map (1 tumour, 2 reference). */
  readonly voiPath: string;
  readonly cutoff: string;
}

/** The small demo twin (patient-cervix-hypoxic-small: 96×64×32 PET at 4 mm) in `dir`. */
export async function makeDemo(dir: string): Promise<DemoFixture> {
  const s = await writeTwinDemoStudy(dir, { small: true });
  return { root: dir, dicomDir: s.studyDir, voiPath: join(dir, "study/truth/voi.nii.gz"), cutoff: s.cutoff };
}
