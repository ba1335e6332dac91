/**
 * Content-addressed file store: `<root>/blobs/ab/<sha256 hex>` (first two hex digits as the
 * sub-folder), staged in `<root>/tmp`. A blob is written to tmp, fsynced, renamed into place and
 * its folder fsynced, so after a crash a blob is either complete or absent. Blobs are never
 * modified; putting the same bytes twice gives the same hash and does not rewrite the file.
 */
import { createHash, randomBytes } from "node:crypto";
import { createReadStream, mkdirSync } from "node:fs";
import { mkdir, open, readdir, readFile, rename, rm, stat, unlink } from "node:fs/promises";
import { join } from "node:path";
import { AtsmError } from "../../core/errors.js";

const SHA256_RE = /^[0-9a-f]{64}$/;

/** Throws INVALID_ARGUMENT unless `sha` is 64 lower-case hex digits (no path tricks). */
export function checkSha256(sha: string): string {
  if (typeof sha !== "string" || !SHA256_RE.test(sha)) {
    throw new AtsmError({
      code: "INVALID_ARGUMENT",
      message: "invalid blob hash",
      value: String(sha).slice(0, 80),
      field: "sha256",
      hint: "a blob is named by its SHA-256: 64 lower-case hex digits",
    });
  }
  return sha;
}

async function fsyncPath(path: string, flags = "r"): Promise<void> {
  const fh = await open(path, flags);
  try {
    await fh.sync();
  } finally {
    await fh.close();
  }
}

async function hashFile(path: string): Promise<{ sha256: string; sizeBytes: number }> {
  const h = createHash("sha256");
  let size = 0;
  for await (const chunk of createReadStream(path)) {
    h.update(chunk as Buffer);
    size += (chunk as Buffer).length;
  }
  return { sha256: h.digest("hex"), sizeBytes: size };
}

export class BlobStore {
  readonly rootDir: string;
  private readonly blobDir: string;
  private readonly stagingDir: string;

  /** `rootDir` is the data folder: blobs go to `rootDir/blobs`, staging to `rootDir/tmp` (both created). */
  constructor(rootDir: string) {
    this.rootDir = rootDir;
    this.blobDir = join(rootDir, "blobs");
    this.stagingDir = join(rootDir, "tmp");
    mkdirSync(this.blobDir, { recursive: true });
    mkdirSync(this.stagingDir, { recursive: true });
  }

  /** Staging folder for uploads (same file system as the blobs, so renames are atomic). */
  tmpDir(): string {
    return this.stagingDir;
  }

  /** A fresh unique path in the staging folder (the folder is created). */
  async tmpPath(suffix = ""): Promise<string> {
    await mkdir(this.stagingDir, { recursive: true });
    return join(this.stagingDir, `${Date.now().toString(36)}-${randomBytes(8).toString("hex")}${suffix}`);
  }

  /** Where blob `sha256` lives (whether or not it exists). Rejects anything but 64 hex digits. */
  path(sha256: string): string {
    checkSha256(sha256);
    return join(this.blobDir, sha256.slice(0, 2), sha256);
  }

  async has(sha256: string): Promise<boolean> {
    try {
      return (await stat(this.path(sha256))).isFile();
    } catch (e) {
      if ((e as { code?: string }).code === "ENOENT") return false;
      throw e;
    }
  }

  async read(sha256: string): Promise<Uint8Array> {
    try {
      return new Uint8Array(await readFile(this.path(sha256)));
    } catch (e) {
      if ((e as { code?: string }).code !== "ENOENT") throw e;
      throw new AtsmError({
        code: "NOT_FOUND",
        message: "blob not found",
        value: sha256,
        field: "sha256",
        hint: "the stored file is missing from the data folder's blobs/; restore it from a backup",
      });
    }
  }

  /**
   * Move a staged file (in any folder on the same file system, normally tmpDir()) into the store.
   * The staged file is gone afterwards (renamed, or deleted when the blob already existed).
   */
  async putFile(tmpPath: string): Promise<{ sha256: string; sizeBytes: number }> {
    const { sha256, sizeBytes } = await hashFile(tmpPath);
    const dest = this.path(sha256);
    if (await this.has(sha256)) {
      await unlink(tmpPath);
      return { sha256, sizeBytes };
    }
    await fsyncPath(tmpPath, "r+");
    const dir = join(this.blobDir, sha256.slice(0, 2));
    await mkdir(dir, { recursive: true });
    await rename(tmpPath, dest);
    await fsyncPath(dir);
    return { sha256, sizeBytes };
  }

  /** Store bytes (written to tmp, fsynced, renamed). */
  async putBytes(bytes: Uint8Array): Promise<{ sha256: string; sizeBytes: number }> {
    const sha256 = createHash("sha256").update(bytes).digest("hex");
    if (await this.has(sha256)) return { sha256, sizeBytes: bytes.length };
    const tmp = await this.tmpPath(".blob");
    const fh = await open(tmp, "w");
    try {
      await fh.writeFile(bytes);
      await fh.sync();
    } finally {
      await fh.close();
    }
    const dir = join(this.blobDir, sha256.slice(0, 2));
    await mkdir(dir, { recursive: true });
    await rename(tmp, this.path(sha256));
    await fsyncPath(dir);
    return { sha256, sizeBytes: bytes.length };
  }

  /** Every stored blob hash. */
  async list(): Promise<string[]> {
    const out: string[] = [];
    let subs: string[];
    try {
      subs = await readdir(this.blobDir);
    } catch {
      return out;
    }
    for (const sub of subs) {
      if (!/^[0-9a-f]{2}$/.test(sub)) continue;
      for (const name of await readdir(join(this.blobDir, sub)).catch(() => [] as string[])) {
        if (SHA256_RE.test(name) && name.startsWith(sub)) out.push(name);
      }
    }
    return out.sort();
  }

  /** Delete every blob not in `referenced`; returns how many were deleted. */
  async removeOrphans(referenced: ReadonlySet<string>): Promise<number> {
    let n = 0;
    for (const sha of await this.list()) {
      if (referenced.has(sha)) continue;
      await unlink(this.path(sha)).catch(() => {});
      n++;
    }
    return n;
  }

  /** Empty the staging folder (start-up: leftovers of interrupted uploads). */
  async cleanTmp(): Promise<void> {
    await rm(this.stagingDir, { recursive: true, force: true });
    await mkdir(this.stagingDir, { recursive: true });
  }
}
