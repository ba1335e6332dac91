/** Multipart upload helpers for the server tests: files from disk (or bytes) as `file` parts. */
import { readdir, readFile } from "node:fs/promises";
import { join, relative } from "node:path";

/** Every file under `dir`, with names relative to it. */
export async function filesUnder(dir: string): Promise<{ name: string; path: string }[]> {
  const out: { name: string; path: string }[] = [];
  const walk = async (d: string): Promise<void> => {
    for (const e of await readdir(d, { withFileTypes: true })) {
      const p = join(d, e.name);
      if (e.isDirectory()) await walk(p);
      else out.push({ name: relative(dir, p), path: p });
    }
  };
  await walk(dir);
  return out.sort((a, b) => a.name.localeCompare(b.name));
}

/** POST a multipart upload; `parts` are files (name + bytes) and plain fields. */
export async function upload(
  url: string,
  cookie: string | null,
  files: readonly { name: string; bytes: Uint8Array }[],
  fields: Record<string, string> = {},
): Promise<Response> {
  const form = new FormData();
  for (const [k, v] of Object.entries(fields)) form.append(k, v);
  for (const f of files) form.append("file", new Blob([f.bytes.slice()]), f.name);
  return fetch(url, { method: "POST", body: form, headers: cookie !== null ? { cookie } : {} });
}

/** Read files from disk for `upload`. */
export async function readParts(
  files: readonly { name: string; path: string }[],
): Promise<{ name: string; bytes: Uint8Array }[]> {
  return Promise.all(
    files.map(async (f) => ({ name: f.name, bytes: new Uint8Array(await readFile(f.path)) })),
  );
}
