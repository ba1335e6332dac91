/**
 * Upload names as the client sent them → safe relative paths inside a staging folder.
 *
 * Rules: backslashes count as separators; drive letters, leading slashes, empty, "." and ".."
 * segments are dropped; control characters and characters outside printable Unicode are
 * replaced by "_"; each segment is at most 200 characters, the path at most 16 segments. A name
 * whose segments are all dropped becomes "file". Zip entries keep their sub-folders this way, so
 * `dicom/PT/0001.dcm` stays three segments and can never leave the folder it is unpacked into.
 */
import { AtsmError } from "../../core/errors.js";

const MAX_SEGMENT_CHARS = 200;
const MAX_SEGMENTS = 16;

/** True when a zip entry name tries to leave its folder (absolute path or a ".." segment). */
export function isUnsafeEntryName(name: string): boolean {
  const n = name.replace(/\\/g, "/");
  if (n.startsWith("/") || /^[a-zA-Z]:/.test(n)) return true;
  return n.split("/").some((s) => s === "..");
}

/** True for macOS resource forks, dot files and folders ("__MACOSX/…", ".DS_Store"). */
export function isJunkName(name: string): boolean {
  return name
    .replace(/\\/g, "/")
    .split("/")
    .some((s) => s === "__MACOSX" || (s.startsWith(".") && s !== "." && s !== ".."));
}

/** Sanitise one client-side name into a relative POSIX path (see file comment). */
export function sanitiseName(name: string): string {
  const segments = String(name)
    .replace(/\\/g, "/")
    .replace(/^[a-zA-Z]:/, "")
    .split("/")
    // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what is removed
    .map((s) => s.replace(/[\u0000-\u001f\u007f-\u009f\u2028\u2029]/g, "_").trim())
    .filter((s) => s !== "" && s !== "." && s !== "..")
    .map((s) => s.slice(0, MAX_SEGMENT_CHARS));
  if (segments.length > MAX_SEGMENTS) {
    throw new AtsmError({
      code: "LIMIT_EXCEEDED",
      message: `file name nested more than ${MAX_SEGMENTS} folders deep`,
      value: name,
      field: "file name",
      hint: "zip the study folder itself, not a deep folder tree",
    });
  }
  return segments.length === 0 ? "file" : segments.join("/");
}

/** `name`, or `stem (2).ext`, `stem (3).ext`, … — the first not in `taken` (which it is added to). */
export function uniqueName(name: string, taken: Set<string>): string {
  let out = name;
  const lower = (s: string) => s.toLowerCase();
  if (taken.has(lower(out))) {
    const slash = name.lastIndexOf("/");
    const dot = name.indexOf(".", slash + 1);
    const stem = dot > slash + 1 ? name.slice(0, dot) : name;
    const ext = dot > slash + 1 ? name.slice(dot) : "";
    for (let i = 2; taken.has(lower(out)); i++) out = `${stem} (${i})${ext}`;
  }
  taken.add(lower(out));
  return out;
}
