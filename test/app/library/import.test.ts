/**
 * importFiles: DICOM folders, zips (zip-slip and zip-bomb safe), NIfTI + sidecar, Inveon and
 * Interfile pairs; corrupt files fail the upload naming the file and leave nothing behind.
 * Fixture: the small demo twin (96×64×32 PET, 4 mm; CT) generated once, plus committed
 * Inveon/Interfile fixtures (test/fixtures/make/preclinical_fixtures.py).
 */
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { zipSync } from "fflate";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { BlobStore, importFiles } from "../../../src/app/library/index.js";
import { isUnsafeEntryName, sanitiseName, uniqueName } from "../../../src/app/library/names.js";
import { identityDirection, maskOnGrid } from "../../../src/core/types.js";
import { SEG_CODES, writeDicomSeg } from "../../../src/io/dicom/seg.js";
import { expectAtsmErrorAsync } from "../../helpers/errors.js";
import { writeAnalyticStudy } from "../study-fixture.js";
import { type DemoFixture, listTree, makeDemo, stage, stageFolder, tempDir } from "./helpers.js";

const FIXTURES = join(__dirname, "../../fixtures/data");

let demoDir: { dir: string; cleanup: () => void };
let demo: DemoFixture;
beforeAll(async () => {
  demoDir = tempDir("demo");
  demo = await makeDemo(demoDir.dir);
});
afterAll(() => demoDir.cleanup());

let t: { dir: string; cleanup: () => void };
let blobs: BlobStore;
beforeEach(() => {
  t = tempDir("import");
  blobs = new BlobStore(t.dir);
});
afterEach(() => t.cleanup());

/** Nothing in the blob store and nothing left in staging. */
function expectNothingKept(): void {
  expect(listTree(join(t.dir, "blobs"))).toEqual([]);
  expect(listTree(blobs.tmpDir())).toEqual([]);
}

function zipOfFolder(root: string, prefix: string): Record<string, Uint8Array> {
  const out: Record<string, Uint8Array> = {};
  for (const n of listTree(root)) out[prefix + n] = new Uint8Array(readFileSync(join(root, n)));
  return out;
}

describe("names", () => {
  it("sanitises client names into relative paths", () => {
    expect(sanitiseName("../../etc/passwd")).toBe("etc/passwd");
    expect(sanitiseName("/abs/x.dcm")).toBe("abs/x.dcm");
    expect(sanitiseName("C:\\Users\\me\\..\\pet.nii.gz")).toBe("Users/me/pet.nii.gz");
    expect(sanitiseName("a\u0000b\nc.dcm")).toBe("a_b_c.dcm");
    expect(sanitiseName("..")).toBe("file");
    expect(isUnsafeEntryName("../evil")).toBe(true);
    expect(isUnsafeEntryName("a/../../evil")).toBe(true);
    expect(isUnsafeEntryName("/etc/x")).toBe(true);
    expect(isUnsafeEntryName("a/b.dcm")).toBe(false);
    const taken = new Set<string>();
    expect([
      uniqueName("x.nii.gz", taken),
      uniqueName("X.nii.gz", taken),
      uniqueName("x.nii.gz", taken),
    ]).toEqual(["x.nii.gz", "X (2).nii.gz", "x (3).nii.gz"]);
  });
});

describe("importFiles", () => {
  it("imports the demo DICOM folder: one study, PT + CT, metadata, files in the blob store", async () => {
    const staged = stageFolder(blobs, demo.dicomDir, "dicom/");
    writeFileSync(join(demoDir.dir, "README.txt"), "not an image");
    // A DICOM SEG next to the images (1-bit pixels): not an image series, skipped rather than an error.
    const grid = {
      dims: [4, 4, 2] as const,
      spacingMm: [1, 1, 1] as const,
      originMm: [0, 0, 0] as const,
      direction: identityDirection(),
    };
    const seg = writeDicomSeg(maskOnGrid(grid, new Uint8Array(32).fill(1, 0, 5), new Map([[1, "x"]])), {
      segments: [{ label: 1, name: "x", category: SEG_CODES.tissue, type: SEG_CODES.muscle }],
    });
    writeFileSync(join(demoDir.dir, "seg.dcm"), seg);
    staged.push(
      ...stage(blobs, [
        { name: "dicom/README.txt", from: join(demoDir.dir, "README.txt") },
        { name: "dicom/SEG/seg.dcm", from: join(demoDir.dir, "seg.dcm") },
      ]),
    );
    const progress: number[] = [];
    const t0 = performance.now();
    const r = await importFiles(blobs, staged, { onProgress: (f) => progress.push(f) });
    console.log(
      `import of the small demo study (${staged.length} files): ${(performance.now() - t0).toFixed(0)} ms`,
    );
    expect(r.skipped).toEqual([
      { name: "dicom/README.txt", reason: "not an image file (unrecognised format)" },
      { name: "dicom/SEG/seg.dcm", reason: "DICOM SEG object (not an image series)" },
    ]);
    expect(r.studies).toHaveLength(1);
    const s = r.studies[0]!;
    expect(s.studyInstanceUid).toMatch(/^[0-9.]+$/);
    expect(s.series.map((x) => x.modality).sort()).toEqual(["CT", "PT"]);
    const pt = s.series.find((x) => x.modality === "PT")!;
    expect(pt.format).toBe("dicom");
    expect(pt.dims).toEqual([96, 64, 32]);
    expect(pt.spacingMm).toEqual([4, 4, 4]);
    expect(pt.unit).toBe("Bq/mL");
    expect(pt.frames).toBe(1);
    expect(pt.files).toHaveLength(32); // one file per slice
    expect(pt.files.every((f) => f.name.startsWith("dicom/PT/"))).toBe(true);
    expect(s.injection?.nuclide).toBe("Cu-60");
    expect(s.injection?.activityBq).toBeGreaterThan(0);
    expect(s.patient?.weightKg).toBeGreaterThan(0);
    const all = s.series.flatMap((x) => x.files);
    expect(all).toHaveLength(staged.length - 2);
    for (const f of all) expect(await blobs.has(f.sha256)).toBe(true);
    expect(listTree(blobs.tmpDir())).toEqual([]); // staged inputs consumed, skipped file deleted
    expect(progress[progress.length - 1]).toBe(1);
  });

  it("imports a zip; a zip-slip entry and macOS junk are skipped, nothing lands outside", async () => {
    const entries = zipOfFolder(demo.dicomDir, "study/");
    entries["../../evil.txt"] = new TextEncoder().encode("escaped");
    entries["__MACOSX/study/._PT000001.dcm"] = new Uint8Array([0, 1]);
    const zipPath = join(demoDir.dir, "upload.zip");
    writeFileSync(zipPath, zipSync(entries, { level: 1 }));
    const r = await importFiles(blobs, stage(blobs, [{ name: "upload.zip", from: zipPath }]));
    expect(r.studies).toHaveLength(1);
    expect(r.studies[0]!.series).toHaveLength(2);
    expect(r.skipped).toEqual([
      { name: "upload.zip:../../evil.txt", reason: "unsafe path in zip (absolute or '..')" },
    ]);
    expect(listTree(t.dir).filter((p) => p.includes("evil"))).toEqual([]);
    // Where "../../evil.txt" would land from the unzip folder (tmp/<work>/files) and above.
    for (const p of [
      join(t.dir, "evil.txt"),
      join(t.dir, "..", "evil.txt"),
      join(blobs.tmpDir(), "evil.txt"),
    ])
      expect(existsSync(p), p).toBe(false);
    expect(listTree(blobs.tmpDir())).toEqual([]);
  });

  it("stops a zip bomb with LIMIT_EXCEEDED and keeps nothing", async () => {
    // 16 MiB of zeros deflates to ~16 KiB (ratio ~1000); the cap is 4 MiB.
    const zipPath = join(t.dir, "bomb.zip");
    writeFileSync(zipPath, zipSync({ "bomb.bin": new Uint8Array(16 * 1024 * 1024) }, { level: 6 }));
    const staged = stage(blobs, [{ name: "bomb.zip", from: zipPath }]);
    await expectAtsmErrorAsync(() => importFiles(blobs, staged, { maxInflatedBytes: 4 * 1024 * 1024 }), {
      code: "LIMIT_EXCEEDED",
      message: /inflated bytes/,
    });
    expectNothingKept();
    // Per-entry and entry-count caps.
    const staged2 = stage(blobs, [{ name: "bomb.zip", from: zipPath }]);
    await expectAtsmErrorAsync(() => importFiles(blobs, staged2, { maxEntryBytes: 1024 * 1024 }), {
      code: "LIMIT_EXCEEDED",
      message: /inflates to more than/,
    });
    const many: Record<string, Uint8Array> = {};
    for (let i = 0; i < 30; i++) many[`f${i}.txt`] = new Uint8Array([i]);
    writeFileSync(zipPath, zipSync(many));
    const staged3 = stage(blobs, [{ name: "many.zip", from: zipPath }]);
    await expectAtsmErrorAsync(() => importFiles(blobs, staged3, { maxEntries: 10 }), {
      code: "LIMIT_EXCEEDED",
      message: /more than 10 files/,
    });
    expectNothingKept();
  });

  it("rejects a corrupt DICOM file naming it, and keeps nothing", async () => {
    const staged = stageFolder(blobs, demo.dicomDir, "dicom/");
    const victim = staged.find((s) => s.name === "dicom/PT/PT000005.dcm")!;
    const bytes = readFileSync(victim.path);
    writeFileSync(victim.path, bytes.subarray(0, Math.floor(bytes.length / 2)));
    const e = await expectAtsmErrorAsync(() => importFiles(blobs, staged), {});
    expect(["TRUNCATED", "PARSE_ERROR"]).toContain(e.code);
    expect(e.file).toBe("dicom/PT/PT000005.dcm");
    expect(e.message).toContain("dicom/PT/PT000005.dcm");
    expect(e.message).not.toContain(blobs.tmpDir());
    expectNothingKept();
  });

  it("imports NIfTI with its BIDS sidecar as one series of two files", async () => {
    const { petPath } = await writeAnalyticStudy(join(t.dir, "nifti-src"));
    const r = await importFiles(
      blobs,
      stage(blobs, [
        { name: "pet.nii.gz", from: petPath },
        { name: "pet.json", from: petPath.replace(/\.nii\.gz$/, ".json") },
      ]),
    );
    expect(r.skipped).toEqual([]);
    const s = r.studies[0]!;
    expect(s.studyInstanceUid).toBeNull();
    expect(s.studyDate).toBe("2024-05-14");
    expect(s.series).toHaveLength(1);
    const pet = s.series[0]!;
    expect(pet.format).toBe("nifti");
    expect(pet.modality).toBe("PT");
    expect(pet.dims).toEqual([32, 32, 32]);
    expect(pet.files.map((f) => f.name)).toEqual(["pet.nii.gz", "pet.json"]);
    expect(s.injection).toMatchObject({ nuclide: "Cu-64", activityBq: 350e6 });
    expect(s.patient?.weightKg).toBe(70);
  });

  it("imports an Inveon .img + .img.hdr pair and an Interfile header + data", async () => {
    const r = await importFiles(
      blobs,
      stage(blobs, [
        { name: "mouse/dyn_int16.img.hdr", from: join(FIXTURES, "inveon/dyn_int16.img.hdr") },
        { name: "mouse/dyn_int16.img", from: join(FIXTURES, "inveon/dyn_int16.img") },
        { name: "pet_f32le.hv", from: join(FIXTURES, "interfile/pet_f32le.hv") },
        { name: "pet_f32le.v", from: join(FIXTURES, "interfile/pet_f32le.v") },
      ]),
    );
    expect(r.skipped).toEqual([]);
    const series = r.studies[0]!.series;
    const inveon = series.find((x) => x.format === "inveon")!;
    expect(inveon.files.map((f) => f.name)).toEqual(["mouse/dyn_int16.img.hdr", "mouse/dyn_int16.img"]);
    expect(inveon.frames).toBe(2);
    const inter = series.find((x) => x.format === "interfile")!;
    expect(inter.files.map((f) => f.name)).toEqual(["pet_f32le.hv", "pet_f32le.v"]);
  });

  it("an upload with no images is UNSUPPORTED and keeps nothing", async () => {
    writeFileSync(join(t.dir, "notes.txt"), "hello");
    await expectAtsmErrorAsync(
      () => importFiles(blobs, stage(blobs, [{ name: "notes.txt", from: join(t.dir, "notes.txt") }])),
      { code: "UNSUPPORTED", hint: /notes\.txt/ },
    );
    expectNothingKept();
  });
});
