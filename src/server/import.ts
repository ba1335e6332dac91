/**
 * The one import path of uploads and PACS retrievals:
 *   stage files in DIR/tmp/<upload>/ (streamed, running byte cap) → LIBRARY importFiles (reads,
 *   validates, moves the files into the blob store) → ONE store transaction creating the studies,
 *   series, optional injections and audit rows → answer.
 * Staged files are deleted on every path. When anything after importFiles fails, the blobs this
 * import wrote that no committed row references (and no other in-flight import holds) are deleted
 * again, so a failed upload leaves nothing behind; a crash in between leaves orphans that start-up
 * removes (contract "Crash rule").
 */
import { createWriteStream } from "node:fs";
import { mkdir, rm } from "node:fs/promises";
import { join } from "node:path";
import { Transform } from "node:stream";
import { pipeline } from "node:stream/promises";
import type { FastifyRequest } from "fastify";
import {
  type ImportedStudy,
  type ImportResult,
  importFiles,
  importFilesOffThread,
  type StagedFile,
} from "../app/library/index.js";
import { AtsmError } from "../core/errors.js";
import type { StudyRow, UserRow } from "../store/types.js";
import { audit } from "./audit.js";
import type { ServerDeps } from "./context.js";

/** A client file name made safe to keep as a label: no separators escaping, no control characters. */
export function sanitiseName(name: string): string {
  const parts = name
    .replace(/\\/g, "/")
    // biome-ignore lint/suspicious/noControlCharactersInRegex: stripping control characters is the point
    .replace(/[\u0000-\u001f\u007f]/g, "")
    .split("/")
    .filter((p) => p !== "" && p !== "." && p !== "..");
  const joined = parts.join("/").slice(-255);
  return joined === "" ? "file" : joined;
}

export interface StagedUpload {
  readonly dir: string;
  readonly files: StagedFile[];
  readonly fields: Record<string, string>;
  readonly totalBytes: number;
}

function tooLarge(capBytes: number): AtsmError {
  return new AtsmError({
    code: "LIMIT_EXCEEDED",
    message: `upload larger than the server's limit of ${Math.round(capBytes / 1024 ** 2)} MiB`,
    hint: "upload the study in parts, or start the server with a larger --max-upload-mb",
  });
}

/** A fresh staging folder under DIR/tmp. */
export async function stagingDir(deps: ServerDeps, prefix: string): Promise<string> {
  const dir = await deps.blobs.tmpPath(`-${prefix}`);
  await mkdir(dir, { recursive: true });
  return dir;
}

/**
 * Stream every multipart file part of `req` to a staging folder (file names are never used as
 * paths: part N is stored as `N`), with a running total cap. Throws LIMIT_EXCEEDED past the cap,
 * after removing the staging folder.
 */
export async function stageMultipart(req: FastifyRequest, deps: ServerDeps): Promise<StagedUpload> {
  const dir = await stagingDir(deps, "upload");
  const files: StagedFile[] = [];
  const fields: Record<string, string> = {};
  let total = 0;
  const cap = deps.maxUploadBytes;
  try {
    for await (const part of req.parts()) {
      if (part.type === "field") {
        if (typeof part.value === "string") fields[part.fieldname] = part.value;
        continue;
      }
      if (part.fieldname !== "file") {
        part.file.resume();
        throw new AtsmError({
          code: "INVALID_ARGUMENT",
          message: `unknown upload part ${JSON.stringify(part.fieldname)}`,
          field: part.fieldname,
          hint: "send the files as parts named 'file'",
        });
      }
      const path = join(dir, String(files.length));
      const counter = new Transform({
        transform(chunk: Buffer, _enc, done) {
          total += chunk.length;
          if (total > cap) done(tooLarge(cap));
          else done(null, chunk);
        },
      });
      await pipeline(part.file, counter, createWriteStream(path, { flags: "wx" }));
      if (part.file.truncated) throw tooLarge(cap);
      files.push({ name: sanitiseName(part.filename || `file-${files.length}`), path });
    }
  } catch (e) {
    await rm(dir, { recursive: true, force: true });
    const code = (e as { code?: unknown } | null)?.code;
    if (code === "FST_REQ_FILE_TOO_LARGE" || code === "FST_FILES_LIMIT" || code === "FST_PARTS_LIMIT") {
      throw tooLarge(cap);
    }
    throw e;
  }
  return { dir, files, fields, totalBytes: total };
}

function importHashes(r: ImportResult): string[] {
  return r.studies.flatMap((s) => s.series.flatMap((se) => se.files.map((f) => f.sha256)));
}

/** Delete this import's blobs unless a committed row or another in-flight import holds them. */
async function dropUncommitted(deps: ServerDeps, hashes: readonly string[]): Promise<void> {
  if (hashes.length === 0) return;
  const referenced = await deps.store.studies.referencedBlobs();
  for (const h of new Set(hashes)) {
    if (referenced.has(h) || (deps.pendingBlobs.get(h) ?? 0) > 0) continue;
    await rm(deps.blobs.path(h), { force: true });
  }
}

function hold(deps: ServerDeps, hashes: readonly string[], delta: 1 | -1): void {
  for (const h of hashes) {
    const n = (deps.pendingBlobs.get(h) ?? 0) + delta;
    if (n <= 0) deps.pendingBlobs.delete(h);
    else deps.pendingBlobs.set(h, n);
  }
}

export interface CommitTarget {
  readonly projectId: string;
  readonly subjectId: string | null;
  readonly actor: UserRow;
  /** Audit detail source: "upload", "pacs", "demo". */
  readonly source: string;
}

/** Usable injection of an imported study (every field present), else null. */
function injectionOf(s: ImportedStudy) {
  const i = s.injection;
  if (i === null || i.nuclide === null || i.activityBq === null || i.injectionTime === null) return null;
  return { ...i, nuclide: i.nuclide, activityBq: i.activityBq, injectionTime: i.injectionTime };
}

/**
 * importFiles on staged files, then one transaction creating the studies (+ injections when a
 * subject is given and the headers carry one, + audit). The staging folder is removed afterwards.
 */
export async function importStaged(
  deps: ServerDeps,
  staged: { dir: string; files: StagedFile[] },
  target: CommitTarget,
): Promise<{ studies: StudyRow[]; skipped: { name: string; reason: string }[] }> {
  let imported: ImportResult | null = null;
  let held: string[] = [];
  try {
    imported = deps.offThread
      ? await importFilesOffThread(deps.blobs.rootDir, staged.files)
      : await importFiles(deps.blobs, staged.files);
    if (imported.studies.length === 0) {
      throw new AtsmError({
        code: "UNSUPPORTED",
        message: "no readable PET/CT series in the upload",
        hint: `skipped: ${
          imported.skipped
            .map((s) => `${s.name} (${s.reason})`)
            .slice(0, 5)
            .join("; ") || "no files"
        }`,
      });
    }
    held = importHashes(imported);
    hold(deps, held, 1);
    const result = imported;
    const studies = await deps.store.transaction(async (tx) => {
      const out: StudyRow[] = [];
      for (const s of result.studies) {
        const inj = target.subjectId !== null ? injectionOf(s) : null;
        let injectionId: string | null = null;
        if (inj !== null && target.subjectId !== null) {
          const row = await tx.injections.create({
            subjectId: target.subjectId,
            radiopharmaceutical: inj.radiopharmaceutical ?? "",
            nuclide: inj.nuclide,
            activityBq: inj.activityBq,
            activityTime: inj.injectionTime,
            residualBq: null,
            residualTime: null,
            injectionTime: inj.injectionTime,
            route: "iv",
          });
          injectionId = row.id;
        }
        const study = await tx.studies.create({
          projectId: target.projectId,
          subjectId: target.subjectId,
          injectionId,
          description: s.description,
          studyInstanceUid: s.studyInstanceUid,
          studyDate: s.studyDate,
          createdBy: target.actor.id,
          series: s.series.map((se) => ({
            modality: se.modality,
            format: se.format,
            description: se.description,
            seriesInstanceUid: se.seriesInstanceUid,
            dims: se.dims,
            frames: se.frames,
            spacingMm: se.spacingMm,
            unit: se.unit,
            meta: se.meta,
            files: se.files,
          })),
        });
        await audit(tx, target.actor, {
          action: "import",
          entityType: "study",
          entityId: study.id,
          projectId: target.projectId,
          detail: {
            source: target.source,
            series: study.series.length,
            files: study.series.reduce((n, se) => n + se.files.length, 0),
            studyInstanceUid: study.studyInstanceUid,
          },
        });
        out.push(study);
      }
      return out;
    });
    return { studies, skipped: imported.skipped };
  } catch (e) {
    hold(deps, held, -1);
    held = [];
    if (imported !== null) await dropUncommitted(deps, importHashes(imported));
    throw e;
  } finally {
    hold(deps, held, -1);
    await rm(staged.dir, { recursive: true, force: true });
  }
}
