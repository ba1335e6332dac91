/**
 * Create a report output folder, turning "exists and is a file" / "cannot create" into an
 * AtsmError naming the path and flag (instead of an EEXIST/ENOTDIR stack trace).
 */
import { mkdir, stat } from "node:fs/promises";
import { AtsmError } from "../../core/errors.js";

export async function makeOutputDir(dir: string, flag = "--out"): Promise<void> {
  const existing = await stat(dir).catch(() => null);
  if (existing !== null && !existing.isDirectory()) {
    throw new AtsmError({
      code: "IO_ERROR",
      message: `${flag} must be a folder, but a file of that name exists`,
      file: dir,
      field: flag,
      hint: `choose another ${flag} folder (it is created if missing), or move the file away`,
    });
  }
  try {
    await mkdir(dir, { recursive: true });
  } catch (e) {
    const code = typeof e === "object" && e !== null && "code" in e ? String(e.code) : "";
    throw new AtsmError({
      code: "IO_ERROR",
      message: `cannot create the ${flag} folder (${code || "error"})`,
      file: dir,
      field: flag,
      hint: "check that the parent folder exists as a folder and is writable",
      cause: e,
    });
  }
}
