/**
 * File helpers shared by the NIfTI, Inveon and Interfile readers: read with a size cap and turn
 * Node errors into `AtsmError`s naming the file.
 */
import { mkdir, readFile, stat, writeFile } from "node:fs/promises";
import { dirname } from "node:path";
import { AtsmError } from "../../core/errors.js";

/** Largest file any of these readers opens: 4 GiB (≥ MAX_VOXELS float64 plus headers). */
export const MAX_FILE_BYTES = 4 * 1024 * 1024 * 1024;

function nodeCode(e: unknown): string {
  return typeof e === "object" && e !== null && "code" in e ? String((e as { code: unknown }).code) : "";
}

/** True when `path` is an existing regular file. */
export async function isFile(path: string): Promise<boolean> {
  try {
    return (await stat(path)).isFile();
  } catch {
    return false;
  }
}

/** Read a whole file; NOT_FOUND / IO_ERROR / LIMIT_EXCEEDED as AtsmError. */
export async function readFileBytes(path: string, maxBytes = MAX_FILE_BYTES): Promise<Uint8Array> {
  try {
    const st = await stat(path);
    if (!st.isFile()) {
      throw new AtsmError({
        code: "NOT_FOUND",
        message: "not a regular file",
        file: path,
        hint: "give the path of an image file",
      });
    }
    if (st.size > maxBytes) {
      throw new AtsmError({
        code: "LIMIT_EXCEEDED",
        message: `file is ${st.size} bytes, more than the limit of ${maxBytes}`,
        value: st.size,
        file: path,
        hint: "crop or split the image first",
      });
    }
    const b = await readFile(path);
    return new Uint8Array(b.buffer, b.byteOffset, b.byteLength);
  } catch (e) {
    if (e instanceof AtsmError) throw e;
    const code = nodeCode(e);
    throw new AtsmError({
      code: code === "ENOENT" ? "NOT_FOUND" : "IO_ERROR",
      message: code === "ENOENT" ? "file not found" : `cannot read file (${code || String(e)})`,
      file: path,
      hint: code === "ENOENT" ? "check the path and the file name" : "check the file permissions",
      cause: e,
    });
  }
}

/** Read a small text file (headers, sidecars) capped at 16 MiB. */
export async function readTextFile(path: string, maxBytes = 16 * 1024 * 1024): Promise<string> {
  const b = await readFileBytes(path, maxBytes);
  return new TextDecoder("utf-8").decode(b);
}

/** Write bytes, creating parent folders; IO_ERROR on failure. */
export async function writeFileBytes(path: string, bytes: Uint8Array | string): Promise<void> {
  try {
    await mkdir(dirname(path), { recursive: true });
    await writeFile(path, bytes);
  } catch (e) {
    throw new AtsmError({
      code: "IO_ERROR",
      message: `cannot write file (${nodeCode(e) || String(e)})`,
      file: path,
      hint: "check that the folder is writable and the disk is not full",
      cause: e,
    });
  }
}
