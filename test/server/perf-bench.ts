/**
 * Per-request server overhead of POST /api/studies/:id/metrics (not a test; never run in CI).
 * In-process server (PGlite in memory), a DICOM PET/CT study from bench/web/study.ts uploaded
 * through the API, then: N sequential warm requests (median and p90 latency, plus the time spent
 * in store calls per request), and autocannon with C connections for D seconds.
 *
 * Run: npx tsx test/server/perf-bench.ts [--pet 128] [--ct 128] [--slices 120] [--seq 60]
 *      [--connections 10] [--duration 10]
 */
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { loadTest } from "../../bench/web/load.js";
import { writeBenchStudy } from "../../bench/web/study.js";
import { startTestServer } from "../helpers/server.js";
import { filesUnder, readParts, upload } from "./upload-helpers.js";

const { values: a } = parseArgs({
  options: {
    pet: { type: "string", default: "128" },
    ct: { type: "string", default: "128" },
    slices: { type: "string", default: "120" },
    seq: { type: "string", default: "60" },
    connections: { type: "string", default: "10" },
    duration: { type: "string", default: "10" },
  },
});

const pct = (xs: number[], p: number): number => {
  const s = [...xs].sort((x, y) => x - y);
  return s[Math.min(s.length - 1, Math.floor(p * s.length))] ?? Number.NaN;
};

const work = await mkdtemp(join(tmpdir(), "atsm-perf-"));
const s = await startTestServer();
try {
  const study = await writeBenchStudy(join(work, "study"), {
    petN: Number(a.pet),
    ctN: Number(a.ct),
    slices: Number(a.slices),
  });
  const pid = (
    (await (await s.api("POST", "/api/projects", { body: { name: "Perf" } })).json()) as { id: string }
  ).id;
  const parts = await readParts([
    ...(await filesUnder(study.petDir)).map((f) => ({ ...f, name: `PT/${f.name}` })),
    ...(await filesUnder(study.ctDir)).map((f) => ({ ...f, name: `CT/${f.name}` })),
  ]);
  const up = await upload(`${s.url}/api/projects/${pid}/uploads`, s.cookie, parts);
  if (up.status !== 201) throw new Error(`upload ${up.status}: ${await up.text()}`);
  const sid = ((await up.json()) as { studies: { id: string }[] }).studies[0]!.id;
  // A project viewer (not a site admin), so the membership lookup is on the path too.
  const viewer = await s.createUser("perf-viewer", "viewer");
  await s.addMember(pid, "perf-viewer", "viewer");
  const body = { tumour: study.tumourSpec, reference: study.referenceSpec };

  // Count database time: wrap every repository method of the raw store under the server's cache.
  let storeMs = 0;
  let storeCalls = 0;
  for (const repo of Object.values(s.store) as unknown[]) {
    if (repo === null || typeof repo !== "object") continue;
    const r = repo as Record<string, unknown>;
    for (const [k, f] of Object.entries(r)) {
      if (typeof f !== "function") continue;
      r[k] = async (...args: unknown[]) => {
        const t = performance.now();
        try {
          return await (f as (...x: unknown[]) => Promise<unknown>).apply(r, args);
        } finally {
          storeMs += performance.now() - t;
          storeCalls += 1;
        }
      };
    }
  }

  const call = async (): Promise<number> => {
    const t = performance.now();
    const r = await s.api("POST", `/api/studies/${sid}/metrics`, { body, cookie: viewer.cookie });
    if (r.status !== 200) throw new Error(`metrics ${r.status}: ${await r.text()}`);
    await r.arrayBuffer();
    return performance.now() - t;
  };
  const t0 = performance.now();
  await call(); // cold: reads the series
  console.log(
    `study ${study.petDims.join("×")} PET, ${study.ctDims.join("×")} CT; cold metrics ${(performance.now() - t0).toFixed(0)} ms`,
  );
  for (let i = 0; i < 5; i++) await call();
  storeMs = 0;
  storeCalls = 0;
  const n = Number(a.seq);
  const times: number[] = [];
  for (let i = 0; i < n; i++) times.push(await call());
  console.log(
    `sequential warm x${n}: median ${pct(times, 0.5).toFixed(2)} ms, p90 ${pct(times, 0.9).toFixed(2)} ms; ` +
      `store ${(storeMs / n).toFixed(2)} ms and ${(storeCalls / n).toFixed(1)} calls per request`,
  );
  const o = await loadTest(`${s.url}/api/studies/${sid}/metrics`, body, {
    connections: Number(a.connections),
    durationS: Number(a.duration),
    headers: { cookie: viewer.cookie },
  });
  console.log(
    `autocannon ${a.connections} conn ${a.duration} s: ${o.reqPerS.toFixed(1)} req/s, p50 ${o.p50Ms} ms, ` +
      `p99 ${o.p99Ms} ms, total ${o.total}, non2xx ${o.non2xx}, errors ${o.errors}`,
  );
} finally {
  await s.close();
  await rm(work, { recursive: true, force: true });
}
