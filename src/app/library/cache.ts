/**
 * `StudyCache`: stored studies read back, kept in memory (LRU by voxel bytes).
 *
 * A study is materialised as `<cacheDir>/<seriesId>/<original names>`: symlinks to the blobs
 * (re-created when missing or wrong), so every reader sees the files under the names it expects
 * (NIfTI sidecars, Inveon pairs, Interfile data files). Each series is read with its io reader and
 * the PET/CT are picked exactly as `atsm quantify` picks them. Concurrent loads of one study
 * share one promise. The cache folder can be deleted at any time; it is rebuilt on demand.
 */
import { mkdir, readlink, rm, symlink } from "node:fs/promises";
import { dirname, join } from "node:path";
import { AtsmError } from "../../core/errors.js";
import { readStudyFormat } from "../../io/study.js";
import type { LoadedSeries } from "../../io/types.js";
import type { SeriesRow, StudyRow } from "../../store/types.js";
import { pickPetCt } from "../quantify/load.js";
import type { BlobStore } from "./blobs.js";
import { sanitiseName } from "./names.js";
import { readSeriesOffThread } from "./offload.js";
import type { LoadedStudy, LoadedStudySeries } from "./types.js";

/** Default memory budget of the cache: 2 GiB of voxel data. */
export const DEFAULT_CACHE_BYTES = 2 * 1024 ** 3;

const ID_RE = /^[A-Za-z0-9_-]{1,128}$/;

function seriesBytes(s: LoadedSeries): number {
  return s.volume.data.byteLength + (s.dynamic === null ? 0 : s.dynamic.data.byteLength);
}

function orderOf(row: SeriesRow): number {
  const o = row.meta.order;
  return typeof o === "number" ? o : Number.MAX_SAFE_INTEGER;
}

export class StudyCache {
  readonly blobs: BlobStore;
  readonly cacheDir: string;
  readonly maxBytes: number;
  /** Insertion order = recency (oldest first). */
  private readonly entries = new Map<string, LoadedStudy>();
  private readonly pending = new Map<string, Promise<LoadedStudy>>();
  private bytes = 0;

  /** Parse series in a worker thread (keeps a server's event loop free; ~0.5 s worker start). */
  private readonly offThread: boolean;

  constructor(
    blobs: BlobStore,
    cacheDir: string,
    maxBytes: number = DEFAULT_CACHE_BYTES,
    opts: { readonly offThread?: boolean } = {},
  ) {
    this.blobs = blobs;
    this.cacheDir = cacheDir;
    this.maxBytes = maxBytes;
    this.offThread = opts.offThread ?? false;
  }

  /** Bytes of voxel data held now. */
  get sizeBytes(): number {
    return this.bytes;
  }

  /** Ids of the studies held, least recently used first. */
  studyIds(): string[] {
    return [...this.entries.keys()];
  }

  /** Drop a study (after it was deleted or changed). */
  evict(studyId: string): void {
    const e = this.entries.get(studyId);
    if (e !== undefined) {
      this.entries.delete(studyId);
      this.bytes -= e.sizeBytes;
    }
  }

  /** The loaded study (from memory, or read from the blobs). */
  load(study: StudyRow): Promise<LoadedStudy> {
    const hit = this.entries.get(study.id);
    if (hit !== undefined && hit.row.series.length === study.series.length) {
      this.entries.delete(study.id);
      this.entries.set(study.id, hit);
      return Promise.resolve(hit);
    }
    const inFlight = this.pending.get(study.id);
    if (inFlight !== undefined) return inFlight;
    const p = this.read(study).then(
      (loaded) => {
        this.pending.delete(study.id);
        this.evict(study.id);
        this.entries.set(study.id, loaded);
        this.bytes += loaded.sizeBytes;
        for (const id of [...this.entries.keys()]) {
          if (this.bytes <= this.maxBytes || id === study.id) break;
          this.evict(id);
        }
        return loaded;
      },
      (e: unknown) => {
        this.pending.delete(study.id);
        throw e;
      },
    );
    this.pending.set(study.id, p);
    return p;
  }

  /** `<cacheDir>/<seriesId>` with a symlink per file; returns the folder. */
  async materialise(series: SeriesRow): Promise<string> {
    if (!ID_RE.test(series.id)) {
      throw new AtsmError({ code: "INVALID_ARGUMENT", message: "invalid series id", value: series.id });
    }
    const dir = join(this.cacheDir, series.id);
    for (const f of series.files) {
      const target = this.blobs.path(f.sha256);
      if (!(await this.blobs.has(f.sha256))) {
        throw new AtsmError({
          code: "NOT_FOUND",
          message: `stored file ${f.name} is missing from the blob store`,
          value: f.sha256,
          hint: "restore the data folder's blobs/ from a backup, or delete and re-import the study",
        });
      }
      const link = join(dir, sanitiseName(f.name));
      const current = await readlink(link).catch(() => null);
      if (current === target) continue;
      await mkdir(dirname(link), { recursive: true });
      await rm(link, { force: true });
      await symlink(target, link);
    }
    return dir;
  }

  private async readSeries(row: SeriesRow): Promise<LoadedSeries> {
    const dir = await this.materialise(row);
    const main = row.files[0];
    if (main === undefined) {
      throw new AtsmError({ code: "NOT_FOUND", message: "series has no files", value: row.id });
    }
    const path = row.format === "dicom" ? dir : join(dir, sanitiseName(main.name));
    const found = this.offThread
      ? await readSeriesOffThread(row.format, path)
      : await readStudyFormat(row.format, path);
    const s =
      (row.seriesInstanceUid === null
        ? undefined
        : found.find((x) => x.seriesInstanceUid === row.seriesInstanceUid)) ?? found[0];
    if (s === undefined) {
      throw new AtsmError({
        code: "NOT_FOUND",
        message: "stored series could not be read back",
        value: row.id,
      });
    }
    return s;
  }

  private async read(study: StudyRow): Promise<LoadedStudy> {
    const rows = [...study.series].sort((a, b) => orderOf(a) - orderOf(b));
    const series: LoadedStudySeries[] = [];
    for (const row of rows) series.push({ row, loaded: await this.readSeries(row) });
    const picked = pickPetCt(
      series.map((s) => s.loaded),
      study.description || study.id,
    );
    const byLoaded = new Map(series.map((s) => [s.loaded, s]));
    return {
      studyId: study.id,
      row: study,
      series,
      pet: byLoaded.get(picked.pet)!,
      ct: picked.ct === null ? null : byLoaded.get(picked.ct)!,
      pickWarnings: picked.warnings,
      sizeBytes: series.reduce((a, s) => a + seriesBytes(s.loaded), 0),
      blobs: this.blobs,
    };
  }
}
