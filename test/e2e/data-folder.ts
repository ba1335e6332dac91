/**
 * Consistency checks of a Workbench data folder after a crash (used by test/server/crash.test.ts): every blob
 * a database row references exists on disk with the right SHA-256, no blob is unreferenced
 * (orphans are removed at start-up), and the staging folder is empty.
 */
import { createHash } from "node:crypto";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { api } from "./harness.js";

interface FileRef {
  readonly sha256: string;
  readonly name: string;
}
interface SeriesDto {
  readonly id: string;
  readonly files?: readonly FileRef[];
}
interface StudyDto {
  readonly id: string;
  readonly series: readonly SeriesDto[];
}
interface VoiDto {
  readonly id: string;
  readonly spec: string;
}

/** Every file under `dir`, as paths relative to it. */
export function listFiles(dir: string, rel = ""): string[] {
  const here = join(dir, rel);
  if (!existsSync(here)) return [];
  const out: string[] = [];
  for (const e of readdirSync(here, { withFileTypes: true })) {
    const r = rel === "" ? e.name : `${rel}/${e.name}`;
    if (e.isDirectory()) out.push(...listFiles(dir, r));
    else out.push(r);
  }
  return out;
}

/** SHA-256s of the blob files in `DIR/blobs/ab/<sha>`; anything else is reported as a stray path. */
export function blobsOnDisk(dataDir: string): { shas: Set<string>; stray: string[] } {
  const shas = new Set<string>();
  const stray: string[] = [];
  for (const f of listFiles(join(dataDir, "blobs"))) {
    const m = /^([0-9a-f]{2})\/(([0-9a-f]{2})[0-9a-f]{62})$/.exec(f);
    const sha = m?.[2];
    if (sha !== undefined && m?.[1] === m?.[3]) shas.add(sha);
    else stray.push(f);
  }
  return { shas, stray };
}

export interface DataFolderReport {
  readonly studies: StudyDto[];
  /** Blob hashes the rows reference (series files and `mask:blob:` VOIs). */
  readonly referenced: Set<string>;
  readonly onDisk: Set<string>;
  readonly strayBlobPaths: string[];
  readonly missing: string[];
  readonly orphans: string[];
  readonly corrupt: string[];
  readonly seriesWithoutFiles: string[];
  readonly tmpFiles: string[];
}

/** Walk the API (as a site admin) and the data folder; see DataFolderReport. */
export async function checkDataFolder(
  url: string,
  cookie: string,
  dataDir: string,
): Promise<DataFolderReport> {
  const projects = await api<{ id: string }[]>(url, cookie, "GET", "/projects");
  const studies: StudyDto[] = [];
  const referenced = new Set<string>();
  const seriesWithoutFiles: string[] = [];
  for (const p of projects) {
    const list = await api<StudyDto[]>(url, cookie, "GET", `/projects/${p.id}/studies`);
    for (const s of list) {
      const full = await api<StudyDto>(url, cookie, "GET", `/studies/${s.id}`);
      studies.push(full);
      if (full.series.length === 0) seriesWithoutFiles.push(`study ${full.id} has no series`);
      for (const se of full.series) {
        if (se.files === undefined || se.files.length === 0) seriesWithoutFiles.push(se.id);
        for (const f of se.files ?? []) referenced.add(f.sha256);
      }
      for (const v of await api<VoiDto[]>(url, cookie, "GET", `/studies/${s.id}/vois`)) {
        const m = /^mask:blob:([0-9a-f]{64})/.exec(v.spec);
        if (m?.[1] !== undefined) referenced.add(m[1]);
      }
    }
  }
  const { shas: onDisk, stray } = blobsOnDisk(dataDir);
  const missing = [...referenced].filter((s) => !onDisk.has(s));
  const orphans = [...onDisk].filter((s) => !referenced.has(s));
  const corrupt: string[] = [];
  for (const s of referenced) {
    if (!onDisk.has(s)) continue;
    const got = createHash("sha256")
      .update(readFileSync(join(dataDir, "blobs", s.slice(0, 2), s)))
      .digest("hex");
    if (got !== s) corrupt.push(`${s} hashes to ${got}`);
  }
  return {
    studies,
    referenced,
    onDisk,
    strayBlobPaths: stray,
    missing,
    orphans,
    corrupt,
    seriesWithoutFiles,
    tmpFiles: listFiles(join(dataDir, "tmp")),
  };
}
