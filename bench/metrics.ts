/**
 * bench/metrics: latency of the live metrics computation (`quantifyLoaded`, behind
 * POST /api/studies/:id/metrics) on a cached 300-slice PET study (bench/web/study.ts, DICOM PET
 * 128×128×300 in Bq/mL, imported and loaded through the library as the server does), two spheres
 * (tumour r = 15 mm, muscle r = 15 mm) and the cervix cutoff.
 *
 * - ours:   `quantifyLoaded` (memoised prepared image and VOI rasters, sparse work per request);
 * - before: the un-memoised path it replaced (`prepareQuantify` + `completeQuantify` + the full-size
 *           label map on every call), same inputs, same numbers;
 * - peer:   bench/web/metrics_peer.py's numpy/scipy read-out, called in-process (no HTTP) on the
 *           SAME SUV volume (our viewer NIfTI of the study), median of the same number of calls.
 * Prints medians and the ratio ours / peer; checks that the T/M values agree with the peer.
 *
 * Run: npx tsx bench/metrics.ts [--slices 300] [--pet 128] [--calls 60]. Not a test; needs
 * /usr/bin/python3 with numpy + scipy.
 */
import { spawnSync } from "node:child_process";
import { copyFileSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { BlobStore, importFiles, quantifyLoaded, StudyCache, viewerNifti } from "../src/app/library/index.js";
import type { LoadedStudy, QuantifyLoadedRequest } from "../src/app/library/types.js";
import { completeQuantify, prepareQuantify } from "../src/app/quantify/run.js";
import { parseCutoff } from "../src/quant/prognosis.js";
import { parseVoiSpec } from "../src/quant/voi/spec.js";
import type { StudyRow } from "../src/store/types.js";
import { writeBenchStudy } from "./web/study.js";

const here = dirname(fileURLToPath(import.meta.url));
const { values: a } = parseArgs({
  options: {
    slices: { type: "string", default: "300" },
    pet: { type: "string", default: "128" },
    calls: { type: "string", default: "60" },
  },
});
const slices = Number(a.slices);
const petN = Number(a.pet);
const calls = Number(a.calls);

const median = (xs: number[]): number => {
  const s = [...xs].sort((p, q) => p - q);
  return (s[(s.length - 1) >> 1]! + s[s.length >> 1]!) / 2;
};

/** Import the PET folder as the server's upload route would and load it through a StudyCache. */
async function loadStudy(dir: string, petDir: string): Promise<LoadedStudy> {
  const blobs = new BlobStore(join(dir, "data"));
  mkdirSync(blobs.tmpDir(), { recursive: true });
  const files = readdirSync(petDir).map((name, n) => {
    const path = join(blobs.tmpDir(), `upload-${n}`);
    copyFileSync(join(petDir, name), path);
    return { name: `PT/${name}`, path };
  });
  const s = (await importFiles(blobs, files)).studies[0]!;
  const row: StudyRow = {
    id: "bench-study",
    projectId: "bench",
    subjectId: null,
    injectionId: null,
    description: s.description,
    studyInstanceUid: s.studyInstanceUid,
    studyDate: s.studyDate,
    createdAt: new Date(0).toISOString(),
    createdBy: "bench",
    series: s.series.map((x, i) => ({
      id: `bench-series-${i}`,
      studyId: "bench-study",
      modality: x.modality,
      format: x.format,
      description: x.description,
      seriesInstanceUid: x.seriesInstanceUid,
      dims: x.dims,
      frames: x.frames,
      spacingMm: x.spacingMm,
      unit: x.unit,
      meta: x.meta,
      files: x.files,
    })),
  };
  return new StudyCache(blobs, join(dir, "data", "cache")).load(row);
}

/** The replaced path: everything recomputed per call, full-size label map built. */
function before(study: LoadedStudy, req: QuantifyLoadedRequest): number {
  const prep = prepareQuantify({
    pet: study.pet.loaded,
    ct: study.ct?.loaded ?? null,
    pickWarnings: study.pickWarnings,
    tumor: parseVoiSpec(req.tumour),
    reference: parseVoiSpec(req.reference),
  });
  const out = completeQuantify(prep, new Map(), { cutoff: req.cutoff ?? "2", images: false });
  return out.images.mask.data.length + out.result.tmrMax;
}

function time(fn: () => unknown): number[] {
  for (let n = 0; n < 5; n++) fn(); // warm-up (JIT, memo fill)
  const t: number[] = [];
  for (let n = 0; n < calls; n++) {
    const t0 = performance.now();
    fn();
    t.push(performance.now() - t0);
  }
  return t;
}

const dir = mkdtempSync(join(tmpdir(), "atsm-bench-metrics-"));
try {
  const bench = await writeBenchStudy(join(dir, "study"), { petN, ctN: 16, slices });
  const study = await loadStudy(dir, bench.petDir);
  const [nx, ny, nz] = study.pet.loaded.volume.dims;
  // Tumour centred in the bench study's tumour, muscle sphere in the 1-SUV background.
  const tumourC = parseVoiSpec(bench.tumourSpec);
  const muscleC = parseVoiSpec(bench.referenceSpec);
  if (tumourC.kind !== "sphere" || muscleC.kind !== "sphere") throw new Error("bench specs are spheres");
  const req = {
    tumour: `sphere:${tumourC.centerMm.join(",")},15`,
    reference: `sphere:${muscleC.centerMm.join(",")},15`,
    cutoff: "cervix",
  };
  const cutoffTm = parseCutoff("cervix").cutoffTm;
  console.log(`bench/metrics: cached PET ${nx}×${ny}×${nz}, ${req.tumour} / ${req.reference}, cutoff cervix`);

  const tBefore = time(() => before(study, req));
  const tOurs = time(() => quantifyLoaded(study, req));
  const ours = quantifyLoaded(study, req);

  const nii = join(dir, "pet-suv.nii.gz");
  writeFileSync(nii, viewerNifti(study, study.pet.row.id).bytes);
  const peerReq = JSON.stringify({ tumour: req.tumour, reference: req.reference, cutoff: cutoffTm });
  const py = `
import importlib.util, json, sys, time
spec = importlib.util.spec_from_file_location("peer", sys.argv[1]); m = importlib.util.module_from_spec(spec)
spec.loader.exec_module(m)
vol, org, sp = m.read_nifti(sys.argv[2]); metrics = m.make_metrics(vol, org, sp)
req = json.loads(sys.argv[3]); n = int(sys.argv[4])
for _ in range(5): out = metrics(req)
ts = []
for _ in range(n):
    t0 = time.perf_counter(); out = metrics(req); ts.append((time.perf_counter() - t0) * 1000)
print(json.dumps({"times": ts, "out": out}))
`;
  const r = spawnSync(
    "/usr/bin/python3",
    ["-c", py, join(here, "web", "metrics_peer.py"), nii, peerReq, String(calls)],
    { encoding: "utf8", maxBuffer: 64 << 20 },
  );
  if (r.status !== 0) throw new Error(`peer failed: ${r.stderr}`);
  const peer = JSON.parse(r.stdout) as {
    times: number[];
    out: { tmrMax: number; tmrMean: number; tmrPeak: number; hypoxicVolumeMl: number };
  };

  const mb = median(tBefore);
  const mo = median(tOurs);
  const mp = median(peer.times);
  console.log(`before (un-memoised): median ${mb.toFixed(2)} ms`);
  console.log(
    `ours (quantifyLoaded): median ${mo.toFixed(2)} ms  (p90 ${[...tOurs].sort((p, q) => p - q)[Math.floor(0.9 * calls)]!.toFixed(2)} ms)`,
  );
  console.log(`peer (numpy/scipy):    median ${mp.toFixed(2)} ms`);
  console.log(`ratio ours/peer ${(mo / mp).toFixed(2)}, before/ours ${(mb / mo).toFixed(2)}`);
  console.log(
    `T/M max ${ours.tmrMax.toFixed(4)} vs ${peer.out.tmrMax.toFixed(4)}, mean ${ours.tmrMean.toFixed(4)} vs ${peer.out.tmrMean.toFixed(4)}, ` +
      `peak ${ours.tmrPeak.toFixed(4)} vs ${peer.out.tmrPeak.toFixed(4)}, hypoxic mL ${ours.hypoxicVolumeMl.toFixed(3)} vs ${peer.out.hypoxicVolumeMl.toFixed(3)}`,
  );
} finally {
  rmSync(dir, { recursive: true, force: true });
}
