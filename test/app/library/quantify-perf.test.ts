/**
 * quantifyLoaded memoisation (prepared image per window/overrides, VOI rasters per spec) and its
 * cost per request. Oracle: the un-memoised path (`prepareQuantify` + `completeQuantify` on the same
 * loaded series) and `quantifyStudy` on the file; results must be identical (toEqual, exact), since
 * the memo only skips recomputing the same numbers.
 * Cost is checked structurally, not by wall clock: while a warm request runs, every typed-array
 * allocation is recorded (the global constructors are wrapped) and none may be volume-sized.
 */
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { BlobStore } from "../../../src/app/library/blobs.js";
import { quantifyLoaded, quantifyLoadedWithImages } from "../../../src/app/library/quantify.js";
import type { LoadedStudy, QuantifyLoadedRequest } from "../../../src/app/library/types.js";
import { loadSeries } from "../../../src/app/quantify/load.js";
import { completeQuantify, prepareQuantify, quantifyStudy } from "../../../src/app/quantify/run.js";
import type { QuantifyResult } from "../../../src/app/quantify/types.js";
import { voxelCount } from "../../../src/core/types.js";
import { writeNiftiLabelMap } from "../../../src/io/nifti/index.js";
import type { LoadedSeries } from "../../../src/io/types.js";
import { sphereVoi, voiToMask } from "../../../src/quant/voi/raster.js";
import { parseVoiSpec } from "../../../src/quant/voi/spec.js";
import type { StudyRow } from "../../../src/store/types.js";
import { REFERENCE_SPEC, TUMOR_SPEC, writeDynamicAnalyticPet } from "../study-fixture.js";

let dir: string;
let petPath: string;
let pet: LoadedSeries;
let blobs: BlobStore;
let maskSpec: string;

/** A LoadedStudy around a series, as StudyCache builds one (row fields unused by quantify). */
function loadedStudy(series: LoadedSeries): LoadedStudy {
  const row = { id: "perf-series" } as StudyRow["series"][number];
  return {
    studyId: "perf-study",
    row: { id: "perf-study", series: [row] } as unknown as StudyRow,
    series: [{ row, loaded: series }],
    pet: { row, loaded: series },
    ct: null,
    pickWarnings: [],
    sizeBytes: series.volume.data.byteLength,
    blobs,
  };
}

/** The un-memoised computation (what quantifyLoaded did before), fresh every call. */
function fresh(series: LoadedSeries, req: QuantifyLoadedRequest): QuantifyResult {
  const prep = prepareQuantify({
    pet: series,
    ct: null,
    pickWarnings: [],
    tumor: parseVoiSpec(req.tumour),
    reference: parseVoiSpec(req.reference),
    ...(req.window !== undefined ? { window: req.window } : {}),
    ...(req.overrides !== undefined ? { overrides: req.overrides } : {}),
  });
  const masks = new Map(prep.maskPaths.map((p) => [p, maskOf(p)] as const));
  const out = completeQuantify(prep, masks, {
    ...(req.cutoff !== undefined ? { cutoff: req.cutoff } : {}),
    images: false,
  });
  return { ...out.result, study: { ...out.result.study, source: "series/perf-series" } };
}

let tumourMask: ReturnType<typeof voiToMask>;
function maskOf(path: string): ReturnType<typeof voiToMask> {
  if (path !== maskSpec.slice("mask:".length, -2)) throw new Error(`unexpected mask ${path}`);
  return tumourMask;
}

/** The dynamic analytic study (study-fixture.ts writeDynamicAnalyticPet) and a stored tumour mask. */
beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), "atsm-qperf-"));
  const written = await writeDynamicAnalyticPet(dir);
  petPath = written.petPath;
  const volume = written.volume;
  pet = (await loadSeries(petPath))[0]!;
  blobs = new BlobStore(join(dir, "data"));
  // A stored (brush-like) tumour mask: a 10 mm sphere around the tumour centre, label 1.
  tumourMask = voiToMask(sphereVoi("s", volume, [10, 0, 0], 10), 1, "tumour");
  await writeNiftiLabelMap(join(dir, "mask.nii.gz"), tumourMask);
  const { sha256 } = await blobs.putBytes(new Uint8Array(readFileSync(join(dir, "mask.nii.gz"))));
  maskSpec = `mask:blob:${sha256}:1`;
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const BASE = { tumour: TUMOR_SPEC, reference: REFERENCE_SPEC, cutoff: "cervix", window: "30m-60m" };

describe("quantifyLoaded memoisation", () => {
  it("equals the un-memoised computation for several windows and overrides on one loaded study", () => {
    const study = loadedStudy(pet);
    const reqs: QuantifyLoadedRequest[] = [
      BASE,
      { ...BASE, window: "0m-30m" },
      { ...BASE, overrides: { weightKg: 80 } },
      { ...BASE, tumour: "sphere:10,0,0,8" },
      { ...BASE, cutoff: "2" },
      BASE, // back to the first window: served from the memo
      { ...BASE, window: "45m-60m", overrides: { weightKg: 60 } },
    ];
    const first = quantifyLoaded(study, BASE);
    for (const req of reqs) {
      const live = quantifyLoaded(study, req);
      expect(live).toEqual(fresh(pet, req));
    }
    expect(quantifyLoaded(study, BASE)).toEqual(first);
    // Different windows really are different images (the memo does not mix them up).
    const a = quantifyLoaded(study, BASE).tumor.nativeMax;
    const b = quantifyLoaded(study, { ...BASE, window: "0m-30m" }).tumor.nativeMax;
    expect(a / b).toBeCloseTo(2.5, 6); // frames 2+3 averaged (2.5×) vs frame 1 (1×)
    const w = quantifyLoaded(study, { ...BASE, overrides: { weightKg: 80 } }).tumor.suvMax!;
    expect(w / quantifyLoaded(study, BASE).tumor.suvMax!).toBeCloseTo(80 / 70, 9);
  });

  it("equals quantifyStudy on the file (the `atsm quantify` path), stored mask VOIs included", async () => {
    const study = loadedStudy(pet);
    for (const tumour of [TUMOR_SPEC, maskSpec]) {
      const req = { ...BASE, tumour };
      const live = quantifyLoaded(study, req);
      const again = quantifyLoaded(study, req); // rasters and prepared image from the memo
      expect(again).toEqual(live);
      if (tumour === TUMOR_SPEC) {
        const cli = (
          await quantifyStudy({
            study: petPath,
            tumor: TUMOR_SPEC,
            reference: REFERENCE_SPEC,
            cutoff: "cervix",
            window: "30m-60m",
          })
        ).result;
        expect({ ...live, study: { ...live.study, source: "" } }).toEqual({
          ...cli,
          study: { ...cli.study, source: "" },
        });
      } else expect(live).toEqual(fresh(pet, req));
    }
  });

  it("builds the label map only when images are asked for, with the same content", () => {
    const study = loadedStudy(pet);
    const req = { ...BASE, reference: "sphere:10,0,0,4" }; // overlaps the tumour
    const { result, images } = quantifyLoadedWithImages(study, req);
    expect(result.warnings.some((w) => /overlap in \d+ voxels/.test(w))).toBe(true);
    const prep = prepareQuantify({
      pet,
      ct: null,
      pickWarnings: [],
      tumor: parseVoiSpec(req.tumour),
      reference: parseVoiSpec(req.reference),
      window: req.window,
    });
    const lazy = completeQuantify(prep, new Map(), { cutoff: "cervix", images: false });
    expect(lazy.result.warnings).toEqual(result.warnings);
    expect(Array.from(lazy.images.mask.data)).toEqual(Array.from(images.mask.data));
    expect(lazy.images.mask.data.filter((v) => v === 2).length).toBe(0); // tumour wins
  });
});

const TYPED = [
  "Float32Array",
  "Float64Array",
  "Uint8Array",
  "Int32Array",
  "Uint16Array",
  "Int16Array",
] as const;

/** Lengths of every typed array created with `new` (or `.from`) while `fn` runs. */
function typedAllocations(fn: () => void): number[] {
  const sizes: number[] = [];
  const g = globalThis as unknown as Record<string, unknown>;
  const saved = TYPED.map((name) => g[name]);
  TYPED.forEach((name, n) => {
    const real = saved[n] as new (...args: unknown[]) => ArrayLike<number>;
    g[name] = new Proxy(real, {
      construct(target, args, newTarget) {
        const made = Reflect.construct(target, args, newTarget === g[name] ? target : newTarget);
        sizes.push(made.length);
        return made;
      },
    });
  });
  try {
    fn();
  } finally {
    TYPED.forEach((name, n) => {
      g[name] = saved[n];
    });
  }
  return sizes;
}

describe("quantifyLoaded cost per request", () => {
  it("the allocation spy sees volume-sized arrays (it works)", () => {
    const sizes = typedAllocations(() => {
      void new Float32Array(voxelCount(pet.volume.dims));
    });
    expect(sizes).toEqual([voxelCount(pet.volume.dims)]);
  });

  it("allocates nothing volume-sized once the window is prepared, new VOI specs included", () => {
    const study = loadedStudy(pet);
    const nVox = voxelCount(pet.volume.dims);
    // First request for this window: the summed window is volume-sized (once per window).
    const cold = typedAllocations(() => quantifyLoaded(study, BASE));
    expect(Math.max(...cold)).toBeGreaterThanOrEqual(nVox);
    for (const req of [BASE, { ...BASE, tumour: "sphere:10,0,0,9" }, { ...BASE, tumour: maskSpec }]) {
      quantifyLoaded(study, req); // (mask: decoded from the blob once per study)
      for (const again of [req, { ...req, cutoff: "2" }]) {
        const sizes = typedAllocations(() => quantifyLoaded(study, again));
        // Largest per-request arrays are VOI bounding boxes (+ the SUVpeak margin): ≤ 1/3 here.
        expect(Math.max(0, ...sizes), `${again.tumour} ${again.cutoff}`).toBeLessThan(nVox / 3);
      }
    }
    // A new tumour sphere (raster not memoised yet) is still bounded by its box, not the volume.
    const sizes = typedAllocations(() => quantifyLoaded(study, { ...BASE, tumour: "sphere:10,0,0,7" }));
    expect(Math.max(0, ...sizes)).toBeLessThan(nVox / 3);
  });
});
