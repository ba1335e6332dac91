/**
 * Safe streaming unzip (fflate `Unzip`): the archive is read in chunks and every entry is written
 * to its own file as it inflates, so a large zip is never held inflated in memory.
 *
 * Caps: entry count, inflated bytes per entry and in total (checked on the bytes actually
 * inflated, not the sizes the archive declares), so a zip bomb stops with LIMIT_EXCEEDED after at
 * most the cap has been written. Entries with absolute or ".." paths (zip-slip) are not written
 * and are reported; `__MACOSX/` and dot files are ignored; folders are implied by file paths.
 */
import { closeSync, createReadStream, mkdirSync, openSync, writeSync } from "node:fs";
import { dirname, join } from "node:path";
import { Unzip, type UnzipFile, UnzipInflate } from "fflate";
import { AtsmError } from "../../core/errors.js";
import { isJunkName, isUnsafeEntryName, sanitiseName, uniqueName } from "./names.js";

export interface UnzipLimits {
  readonly maxEntries: number;
  readonly maxEntryBytes: number;
  /** Bytes that may still be inflated (the upload's total cap minus what earlier zips used). */
  readonly maxTotalBytes: number;
}

export interface UnzippedEntry {
  /** Sanitised relative name (under the zip's folder). */
  readonly name: string;
  /** Where it was written. */
  readonly path: string;
  readonly sizeBytes: number;
}

export interface UnzipOutcome {
  readonly entries: UnzippedEntry[];
  readonly skipped: { name: string; reason: string }[];
  readonly inflatedBytes: number;
}

function limit(zipName: string, message: string, hint: string): AtsmError {
  return new AtsmError({ code: "LIMIT_EXCEEDED", message, file: zipName, hint });
}

/**
 * Unpack `zipPath` into `outDir` (file names: `prefix` + sanitised entry name, made unique in
 * `taken`). Throws LIMIT_EXCEEDED over a cap and PARSE_ERROR for a corrupt archive; the caller
 * deletes `outDir` when it throws.
 */
export async function unzipToDir(
  zipPath: string,
  zipName: string,
  outDir: string,
  taken: Set<string>,
  limits: UnzipLimits,
): Promise<UnzipOutcome> {
  const entries: UnzippedEntry[] = [];
  const skipped: { name: string; reason: string }[] = [];
  let total = 0;
  let count = 0;
  let failure: unknown = null;
  const open = new Set<number>();

  const onFile = (file: UnzipFile): void => {
    if (failure !== null) return;
    const raw = file.name;
    if (raw.endsWith("/") || isJunkName(raw)) return; // folders, __MACOSX, .DS_Store
    count++;
    if (count > limits.maxEntries) {
      failure = limit(zipName, `zip holds more than ${limits.maxEntries} files`, "upload the study in parts");
      return;
    }
    if (isUnsafeEntryName(raw)) {
      skipped.push({
        name: `${zipName}:${raw.slice(0, 200)}`,
        reason: "unsafe path in zip (absolute or '..')",
      });
      return;
    }
    if (file.compression !== 0 && file.compression !== 8) {
      skipped.push({
        name: `${zipName}:${raw}`,
        reason: `unsupported zip compression method ${file.compression}`,
      });
      return;
    }
    let name: string;
    try {
      name = uniqueName(sanitiseName(raw), taken);
    } catch (e) {
      failure = e;
      return;
    }
    const path = join(outDir, name);
    mkdirSync(dirname(path), { recursive: true });
    const fd = openSync(path, "w");
    open.add(fd);
    let size = 0;
    file.ondata = (err, chunk, final) => {
      if (failure !== null) return;
      if (err) {
        failure = new AtsmError({
          code: "PARSE_ERROR",
          message: `corrupt zip entry: ${err.message}`,
          file: `${zipName}:${name}`,
          hint: "the zip file is damaged; create it again",
        });
        return;
      }
      size += chunk.length;
      total += chunk.length;
      if (size > limits.maxEntryBytes) {
        failure = limit(
          zipName,
          `zip entry ${name} inflates to more than ${limits.maxEntryBytes} bytes`,
          "upload the file without zipping it, or raise the server's upload limit",
        );
        file.terminate();
        return;
      }
      if (total > limits.maxTotalBytes) {
        failure = limit(
          zipName,
          `zip contents exceed the upload limit of ${limits.maxTotalBytes} inflated bytes`,
          "upload the study in parts, or raise the server's upload limit (--max-upload-mb)",
        );
        file.terminate();
        return;
      }
      writeSync(fd, chunk);
      if (final) {
        closeSync(fd);
        open.delete(fd);
        entries.push({ name, path, sizeBytes: size });
      }
    };
    file.start();
  };

  const uz = new Unzip(onFile);
  uz.register(UnzipInflate);
  try {
    const stream = createReadStream(zipPath, { highWaterMark: 1 << 20 });
    for await (const chunk of stream) {
      uz.push(new Uint8Array(chunk as Buffer), false);
      if (failure !== null) {
        stream.destroy();
        break;
      }
    }
    if (failure === null) uz.push(new Uint8Array(0), true);
  } catch (e) {
    failure ??= new AtsmError({
      code: "PARSE_ERROR",
      message: `cannot unzip: ${(e as Error).message}`,
      file: zipName,
      hint: "the zip file is damaged or not a zip; create it again",
      cause: e,
    });
  } finally {
    for (const fd of open) closeSync(fd);
  }
  if (failure !== null) throw failure;
  if (open.size > 0 || entries.length + skipped.length === 0) {
    // Entries that never finished inflating: the archive is cut short.
    if (open.size > 0) {
      throw new AtsmError({
        code: "TRUNCATED",
        message: "zip archive ends inside an entry",
        file: zipName,
        hint: "the upload was cut short; upload the zip again",
      });
    }
  }
  return { entries, skipped, inflatedBytes: total };
}
