/**
 * `importFiles`: staged upload parts → validated series → files in the blob store.
 *
 * 1. Lay the parts out under one staging folder with sanitised names (names.ts); unpack zips there
 *    (unzip.ts: streamed, capped, zip-slip safe).
 * 2. Classify (classify.ts): DICOM by magic; NIfTI (+ .json sidecar), Inveon, Interfile groups;
 *    everything else is skipped with a reason.
 * 3. Read every series completely with the io readers, so a corrupt file fails the upload with
 *    the reader's AtsmError naming the file (as uploaded).
 * 4. Only then move the files into the blob store.
 * On any error the staging folder and the staged inputs are deleted and nothing has entered the
 * blob store (a crash during step 4 can leave unreferenced blobs, removed at start-up).
 */
import { copyFile, mkdir, rename, rm } from "node:fs/promises";
import { dirname, join } from "node:path";
import { AtsmError, isAtsmError } from "../../core/errors.js";
import { readStudyFormat } from "../../io/study.js";
import type { LoadedSeries } from "../../io/types.js";
import type { StoredFileRow } from "../../store/types.js";
import type { BlobStore } from "./blobs.js";
import { classifyFiles } from "./classify.js";
import { importDicom } from "./dicom-import.js";
import { injectionOf, patientOf, seriesRowOf } from "./meta.js";
import { isJunkName, sanitiseName, uniqueName } from "./names.js";
import type { ImportedSeries, ImportedStudy, ImportOptions, ImportResult, StagedFile } from "./types.js";
import { unzipToDir } from "./unzip.js";

/** Default caps (ImportOptions overrides them). */
export const IMPORT_LIMITS = {
  maxEntries: 20_000,
  maxInflatedBytes: 4 * 1024 ** 3,
  maxEntryBytes: 2 * 1024 ** 3,
} as const;

type Skipped = { name: string; reason: string };

/** Rewrite paths under the staging folder in an error to the names as uploaded. */
function relocate(e: unknown, root: string): unknown {
  if (!isAtsmError(e)) return e;
  const strip = (s: string) => s.split(`${root}/`).join("");
  const out = new AtsmError({
    code: e.code,
    message: strip(e.message),
    ...(e.hint !== undefined ? { hint: strip(e.hint) } : {}),
    cause: e,
  });
  const w = out as { -readonly [K in keyof AtsmError]: AtsmError[K] };
  if (e.file !== undefined) w.file = strip(e.file);
  w.field = e.field;
  w.byteOffset = e.byteOffset;
  w.row = e.row;
  w.value = e.value;
  return out;
}

async function moveInto(src: string, dest: string): Promise<void> {
  await mkdir(dirname(dest), { recursive: true });
  try {
    await rename(src, dest);
  } catch (e) {
    if ((e as { code?: string }).code !== "EXDEV") throw e;
    await copyFile(src, dest);
    await rm(src, { force: true });
  }
}

interface PendingSeries {
  readonly loaded: LoadedSeries;
  readonly files: readonly string[];
  readonly seriesNumber: number | null;
}

interface PendingStudy {
  readonly studyInstanceUid: string | null;
  readonly studyDate: string | null;
  readonly description: string;
  readonly ids: { name: string | null; id: string | null };
  readonly series: PendingSeries[];
}

function dateOf(s: LoadedSeries): string | null {
  const p = s.petInstances[0];
  const ms = p?.SeriesDateTimeMs ?? p?.AcquisitionDateTimeMs ?? s.frameStartEpochMs?.[0] ?? null;
  return ms === null || !Number.isFinite(ms) ? null : new Date(ms).toISOString().slice(0, 10);
}

/** Import staged upload parts (see file comment). The inputs are consumed (moved or deleted). */
export async function importFiles(
  blobs: BlobStore,
  files: readonly StagedFile[],
  opts: ImportOptions = {},
): Promise<ImportResult> {
  const progress = opts.onProgress ?? (() => {});
  const work = await blobs.tmpPath(".import");
  const root = join(work, "files");
  const abs = (name: string) => join(root, name);
  try {
    await mkdir(root, { recursive: true });
    const taken = new Set<string>();
    const names: string[] = [];
    const skipped: Skipped[] = [];
    let budget = opts.maxInflatedBytes ?? IMPORT_LIMITS.maxInflatedBytes;
    progress(0, "staging files");
    for (const f of files) {
      const name = sanitiseName(f.name);
      if (isJunkName(f.name)) {
        skipped.push({ name, reason: "hidden or macOS metadata file" });
        await rm(f.path, { force: true });
      } else if (name.toLowerCase().endsWith(".zip")) {
        progress(0.05, `unzipping ${name}`);
        const out = await unzipToDir(f.path, name, root, taken, {
          maxEntries: opts.maxEntries ?? IMPORT_LIMITS.maxEntries,
          maxEntryBytes: opts.maxEntryBytes ?? IMPORT_LIMITS.maxEntryBytes,
          maxTotalBytes: budget,
        });
        budget -= out.inflatedBytes;
        names.push(...out.entries.map((e) => e.name));
        skipped.push(...out.skipped);
        if (out.entries.length + out.skipped.length === 0)
          skipped.push({ name, reason: "empty zip, or not a zip archive" });
        await rm(f.path, { force: true });
      } else {
        const n = uniqueName(name, taken);
        await moveInto(f.path, abs(n));
        names.push(n);
      }
    }
    names.sort();
    progress(0.3, "reading series");
    const classified = classifyFiles(names, abs);
    skipped.push(...classified.skipped);
    const studies: PendingStudy[] = [];
    const dicom = importDicom(classified.dicom, abs, (f) => progress(0.3 + 0.4 * f, "reading DICOM"));
    skipped.push(...dicom.skipped);
    for (const s of dicom.studies) {
      studies.push({
        studyInstanceUid: s.info.studyInstanceUid,
        studyDate: s.info.studyDate,
        description: s.info.studyDescription,
        ids: { name: s.info.patientName, id: s.info.patientId },
        series: s.series,
      });
    }
    const other: PendingSeries[] = [];
    for (const g of classified.groups) {
      for (const loaded of await readStudyFormat(g.format, abs(g.main)))
        other.push({ loaded, files: g.files, seriesNumber: null });
    }
    if (other.length > 0) {
      studies.push({
        studyInstanceUid: null,
        studyDate: other.map((s) => dateOf(s.loaded)).find((d) => d !== null) ?? null,
        description: "",
        ids: { name: null, id: null },
        series: other,
      });
    }
    if (studies.length === 0) {
      throw new AtsmError({
        code: "UNSUPPORTED",
        message: `no image series found in the upload (${names.length} file(s) looked at)`,
        hint: `upload DICOM files, .nii/.nii.gz (+ .json), Inveon .img + .img.hdr, Interfile .hv + data, or a zip of them${
          skipped.length > 0
            ? `; skipped: ${skipped
                .slice(0, 3)
                .map((s) => `${s.name} (${s.reason})`)
                .join("; ")}`
            : ""
        }`,
      });
    }
    progress(0.8, "storing files");
    const result: ImportedStudy[] = [];
    for (const st of studies) result.push(await storeStudy(blobs, st, abs));
    // What is left in the staging folder (skipped files) goes with it.
    await rm(work, { recursive: true, force: true });
    progress(1, "done");
    return { studies: result, skipped };
  } catch (e) {
    await rm(work, { recursive: true, force: true });
    await Promise.all(files.map((f) => rm(f.path, { force: true })));
    throw relocate(e, root);
  }
}

async function storeStudy(
  blobs: BlobStore,
  st: PendingStudy,
  abs: (n: string) => string,
): Promise<ImportedStudy> {
  const pet = st.series.find((s) => s.loaded.modality === "PT") ?? st.series[0]!;
  const patient = patientOf(pet.loaded, st.ids);
  const injection = injectionOf(pet.loaded);
  const description = st.description || pet.loaded.seriesDescription;
  const series: ImportedSeries[] = [];
  for (let i = 0; i < st.series.length; i++) {
    const s = st.series[i]!;
    const stored: StoredFileRow[] = [];
    for (const name of s.files) {
      const { sha256, sizeBytes } = await blobs.putFile(abs(name));
      stored.push({ sha256, name, sizeBytes });
    }
    series.push({
      ...seriesRowOf(s.loaded, stored, { order: i, seriesNumber: s.seriesNumber }),
      studyInstanceUid: st.studyInstanceUid,
      studyDate: st.studyDate,
      studyDescription: description,
      patient: patientOf(s.loaded, st.ids) ?? patient,
      injection: injectionOf(s.loaded),
    });
  }
  return {
    description,
    studyInstanceUid: st.studyInstanceUid,
    studyDate: st.studyDate,
    patient,
    injection,
    series,
  };
}
