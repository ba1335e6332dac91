/** BlobStore: content addressing, idempotent puts, hash validation, orphans and staging clean-up. */
import { createHash } from "node:crypto";
import { existsSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { BlobStore } from "../../../src/app/library/index.js";
import { expectAtsmError, expectAtsmErrorAsync } from "../../helpers/errors.js";
import { listTree, tempDir } from "./helpers.js";

let t: { dir: string; cleanup: () => void };
let blobs: BlobStore;
beforeEach(() => {
  t = tempDir("blobs");
  blobs = new BlobStore(t.dir);
});
afterEach(() => t.cleanup());

const sha = (b: Uint8Array | string) => createHash("sha256").update(b).digest("hex");

describe("BlobStore", () => {
  it("stores bytes under blobs/ab/<sha256> and reads them back", async () => {
    const bytes = new TextEncoder().encode("hello blob");
    const r = await blobs.putBytes(bytes);
    expect(r).toEqual({ sha256: sha(bytes), sizeBytes: bytes.length });
    expect(blobs.path(r.sha256)).toBe(join(t.dir, "blobs", r.sha256.slice(0, 2), r.sha256));
    expect(await blobs.has(r.sha256)).toBe(true);
    expect(Buffer.from(await blobs.read(r.sha256)).toString()).toBe("hello blob");
    expect(listTree(join(t.dir, "tmp"))).toEqual([]); // nothing left in staging
  });

  it("is idempotent: the same content twice gives one file, not rewritten", async () => {
    const a = await blobs.putBytes(new TextEncoder().encode("same"));
    const mtime = statSync(blobs.path(a.sha256)).mtimeMs;
    const staged = join(blobs.tmpDir(), "staged");
    writeFileSync(staged, "same");
    const b = await blobs.putFile(staged);
    expect(b).toEqual(a);
    expect(existsSync(staged)).toBe(false); // the staged copy is consumed
    expect(statSync(blobs.path(a.sha256)).mtimeMs).toBe(mtime);
    expect(listTree(join(t.dir, "blobs"))).toHaveLength(1);
  });

  it("putFile moves a staged file in, named by its content", async () => {
    const staged = join(blobs.tmpDir(), "x");
    writeFileSync(staged, "content of x");
    const r = await blobs.putFile(staged);
    expect(r.sha256).toBe(sha("content of x"));
    expect(readFileSync(blobs.path(r.sha256), "utf8")).toBe("content of x");
  });

  it("rejects hashes that are not 64 hex digits (path traversal)", async () => {
    for (const bad of [
      "../../etc/passwd",
      "ab",
      `${"a".repeat(63)}/`,
      "A".repeat(64),
      `${"0".repeat(62)}..`,
    ]) {
      expectAtsmError(() => blobs.path(bad), { code: "INVALID_ARGUMENT", message: /invalid blob hash/ });
    }
    await expectAtsmErrorAsync(() => blobs.read("../x"), { code: "INVALID_ARGUMENT" });
    await expectAtsmErrorAsync(() => blobs.read("0".repeat(64)), { code: "NOT_FOUND" });
  });

  it("removeOrphans deletes only unreferenced blobs; cleanTmp empties staging", async () => {
    const keep = await blobs.putBytes(new Uint8Array([1, 2, 3]));
    const drop1 = await blobs.putBytes(new Uint8Array([4]));
    const drop2 = await blobs.putBytes(new Uint8Array([5]));
    writeFileSync(join(blobs.tmpDir(), "half-written-upload"), "x");
    expect(await blobs.removeOrphans(new Set([keep.sha256]))).toBe(2);
    expect(await blobs.has(keep.sha256)).toBe(true);
    expect(await blobs.has(drop1.sha256)).toBe(false);
    expect(await blobs.has(drop2.sha256)).toBe(false);
    expect(await blobs.list()).toEqual([keep.sha256]);
    await blobs.cleanTmp();
    expect(listTree(blobs.tmpDir())).toEqual([]);
    expect(existsSync(blobs.tmpDir())).toBe(true);
  });
});
