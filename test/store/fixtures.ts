/** Small builders for store tests: unique names so tests sharing one store never collide. */
import type { SeriesRow, Store, StudyRow } from "../../src/store/index.js";

let n = 0;
export function unique(prefix: string): string {
  n += 1;
  return `${prefix}-${process.pid}-${n}`;
}

export function sha(i: number): string {
  return i.toString(16).padStart(64, "0");
}

export async function userAndProject(store: Store, role: "viewer" | "analyst" | "admin" = "analyst") {
  const user = await store.users.create({ username: unique("user"), role, passwordHash: "scrypt$x" });
  const project = await store.projects.create({
    name: unique("project"),
    description: "",
    createdBy: user.id,
  });
  return { user, project };
}

/** Series `i` of a study; `salt` makes the file hashes distinct from other tests' studies. */
export function seriesInput(i: number, files = 2, salt = 0): Omit<SeriesRow, "id" | "studyId"> {
  return {
    modality: i % 2 === 0 ? "PT" : "CT",
    format: "dicom",
    description: `series ${i}`,
    seriesInstanceUid: `1.2.3.${i}`,
    dims: [128, 128, 47 + i],
    frames: 1 + (i % 3),
    // 0.1 + 0.2 and a DICOM-like spacing: float8 round trips must be bit-exact.
    spacingMm: [0.1 + 0.2, 2.0364583, 3.27 + i],
    unit: "BQML",
    meta: { suv: { weightKg: 70.5, units: "BQML" }, frameStartS: [0, 60, 120], note: "µ-Ω ✓" },
    files: Array.from({ length: files }, (_, k) => ({
      sha256: sha(salt * 1_000_000 + i * 1000 + k + 1),
      name: `dir/file-${k}.dcm`,
      sizeBytes: 5_000_000_000 + k, // above 2^32: bigint column
    })),
  };
}

export function studyInput(
  projectId: string,
  createdBy: string,
  seriesCount = 2,
  extra: Partial<Pick<StudyRow, "subjectId" | "injectionId" | "description">> & { salt?: number } = {},
) {
  return {
    projectId,
    subjectId: extra.subjectId ?? null,
    injectionId: extra.injectionId ?? null,
    description: extra.description ?? "PET/CT",
    studyInstanceUid: "1.2.840.1",
    studyDate: "20240131",
    createdBy,
    series: Array.from({ length: seriesCount }, (_, i) => seriesInput(i, 2, extra.salt ?? 0)),
  };
}
