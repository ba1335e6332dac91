/**
 * bench/web: the Workbench in a browser and under load, each next to a peer in the same run.
 *
 * (a) Open a 300-slice PET/CT study (DICOM PET N×N×S, CT M×M×S; bench/web/study.ts) imported
 *     through the API: time from navigating to /studies/:id to the first fused render, as the
 *     page reports it (`window.__atsmFirstRender`, ms since navigation start: both volumes loaded
 *     and a frame drawn). Peer: a bare NiiVue page (bench/web/peer) loading the SAME two NIfTI
 *     volumes (downloaded once from our /api/series/:id/volume.nii.gz) from a static server.
 *     Each run uses a fresh browser context (cold HTTP cache) for both.
 * (b) Throughput of POST /api/studies/:id/metrics (tumour + muscle spheres) with autocannon,
 *     C connections for D seconds on loopback. Peer: Python ThreadingHTTPServer + numpy/scipy
 *     (bench/web/metrics_peer.py) computing the same read-out on the same SUV volume.
 *
 * Run: npx tsx bench/web.ts [--slices 300] [--pet 192] [--ct 512] [--runs 3] [--duration 10]
 *      [--connections 10]. Not a test; never run in CI. Needs /usr/bin/chromium and python3+numpy.
 */
import { createReadStream, existsSync, mkdirSync, openAsBlob, readdirSync, writeFileSync } from "node:fs";
import { createServer } from "node:http";
import { cpus, totalmem } from "node:os";
import { join, relative } from "node:path";
import { parseArgs } from "node:util";
import { build } from "vite";
import {
  api,
  ensureWebBuild,
  freePort,
  loginWithOneTimeUrl,
  REPO_ROOT,
  removeDir,
  startServer,
  tempDataDir,
} from "../test/e2e/harness.js";
import { launchBrowser } from "../test/helpers/browser.js";
import { loadTest, startPythonPeer } from "./web/load.js";
import { writeBenchStudy } from "./web/study.js";

const { values: a } = parseArgs({
  options: {
    slices: { type: "string", default: "300" },
    pet: { type: "string", default: "192" },
    ct: { type: "string", default: "512" },
    runs: { type: "string", default: "3" },
    duration: { type: "string", default: "10" },
    connections: { type: "string", default: "10" },
    "timeout-s": { type: "string", default: "300" },
  },
});
const slices = Number(a.slices);
const runs = Number(a.runs);
const durationS = Number(a.duration);
const connections = Number(a.connections);
const renderTimeoutMs = Number(a["timeout-s"]) * 1000;

const median = (xs: number[]): number => {
  const s = [...xs].sort((p, q) => p - q);
  return s.length === 0 ? Number.NaN : (s[(s.length - 1) >> 1]! + s[s.length >> 1]!) / 2;
};
const fmt = (x: number, d = 0): string => x.toFixed(d);

console.log(
  `machine: ${cpus()[0]?.model ?? "?"} × ${cpus().length} logical CPUs, ${fmt(totalmem() / 2 ** 30, 1)} GiB, ` +
    `node ${process.version}, ${process.platform}`,
);
const work = tempDataDir("atsm-bench-web-");
const cleanups: (() => Promise<void> | void)[] = [() => removeDir(work)];
try {
  let t0 = performance.now();
  const study = await writeBenchStudy(join(work, "study"), {
    petN: Number(a.pet),
    ctN: Number(a.ct),
    slices,
  });
  console.log(
    `study: PET ${study.petDims.join("×")}, CT ${study.ctDims.join("×")} DICOM, written in ${fmt((performance.now() - t0) / 1000, 1)} s`,
  );
  ensureWebBuild();
  const server = await startServer({ dataDir: join(work, "data") });
  cleanups.push(() => server.stop());
  if (server.oneTimeUrl === null) throw new Error(`no one-time link:\n${server.output()}`);
  const cookie = await loginWithOneTimeUrl(server.oneTimeUrl);
  const pid = (await api<{ id: string }>(server.url, cookie, "POST", "/projects", { name: "Bench" })).id;

  // Upload: one multipart request streamed from disk.
  t0 = performance.now();
  const form = new FormData();
  for (const dir of [study.petDir, study.ctDir]) {
    for (const f of readdirSync(dir).sort()) {
      const blob = await openAsBlob(join(dir, f));
      form.append("file", blob, relative(join(work, "study"), join(dir, f)));
    }
  }
  const up = await fetch(`${server.url}/api/projects/${pid}/uploads`, {
    method: "POST",
    headers: { cookie },
    body: form,
  });
  if (up.status !== 201) throw new Error(`upload → ${up.status}: ${await up.text()}`);
  const studyId = ((await up.json()) as { studies: { id: string }[] }).studies[0]!.id;
  console.log(`upload + import through the API: ${fmt((performance.now() - t0) / 1000, 1)} s`);

  // The two NIfTI volumes the viewer loads, for the peer page and the Python peer.
  const info = await api<{ pet: { url: string }; ct: { url: string } | null }>(
    server.url,
    cookie,
    "GET",
    `/studies/${studyId}/viewer`,
  );
  const peerDir = join(work, "peer");
  mkdirSync(peerDir, { recursive: true });
  t0 = performance.now();
  for (const [name, url] of [
    ["pet", info.pet.url],
    ["ct", info.ct?.url],
  ] as const) {
    if (url === undefined) throw new Error("the study has no CT series");
    const r = await fetch(`${server.url}${url}`, { headers: { cookie } });
    if (!r.ok) throw new Error(`${url} → ${r.status}`);
    writeFileSync(join(peerDir, `${name}.nii.gz`), new Uint8Array(await r.arrayBuffer()));
  }
  console.log(
    `viewer volumes (first request, converted + gzipped by the server): ${fmt(performance.now() - t0)} ms`,
  );
  await build({
    root: join(REPO_ROOT, "bench/web/peer"),
    configFile: false,
    logLevel: "warn",
    build: { outDir: peerDir, emptyOutDir: false, target: "esnext" },
  });
  const peerPort = await freePort();
  const peerUrl = `http://127.0.0.1:${peerPort}/`;
  const statics = createServer((req, res) => {
    const name = (req.url ?? "/").split("?")[0] === "/" ? "index.html" : (req.url ?? "").replace(/^\/+/, "");
    const file = join(peerDir, name.replace(/\.\.+/g, ""));
    if (!existsSync(file)) {
      res.writeHead(404).end();
      return;
    }
    const type = file.endsWith(".html")
      ? "text/html"
      : file.endsWith(".js")
        ? "text/javascript"
        : "application/gzip";
    res.writeHead(200, { "content-type": type });
    createReadStream(file).pipe(res);
  });
  await new Promise<void>((ok) => statics.listen(peerPort, "127.0.0.1", ok));
  cleanups.push(() => new Promise<void>((ok) => statics.close(() => ok())));

  // (a) first fused render
  const launched = await launchBrowser();
  if (launched === null) throw new Error("chromium is needed for bench/web");
  cleanups.push(() => launched.browser.close());
  console.log(`browser: ${launched.browser.version()}, WebGL2 renderer ${launched.webglRenderer}`);
  const [host, value] = cookie.split("=") as [string, string];
  const times: Record<"ours" | "peer", number[]> = { ours: [], peer: [] };
  for (let r = 0; r < runs; r++) {
    const line: string[] = [];
    for (const which of ["ours", "peer"] as const) {
      const ms = await firstRender(which, which === "ours" ? `${server.url}/studies/${studyId}` : peerUrl);
      if (ms !== null) times[which].push(ms);
      line.push(`${which} ${ms === null ? `> ${renderTimeoutMs} (timed out)` : fmt(ms)} ms`);
    }
    console.log(`  run ${r + 1}: ${line.join(", ")}`);
  }
  const mo = median(times.ours);
  const mp = median(times.peer);
  console.log(
    `first fused render (median of the finished runs: ours ${times.ours.length}/${runs}, peer ${times.peer.length}/${runs}): ` +
      `ours ${fmt(mo)} ms, bare NiiVue ${fmt(mp)} ms, ratio ${(mo / mp).toFixed(2)}`,
  );

  /** ms from navigation start to the first fused render in a fresh context, or null on timeout. */
  async function firstRender(which: "ours" | "peer", target: string): Promise<number | null> {
    if (launched === null) throw new Error("no browser");
    const ctx = await launched.browser.newContext({ viewport: { width: 1280, height: 800 } });
    try {
      await ctx.addCookies([{ name: host, value, url: server.url }]);
      const page = await ctx.newPage();
      page.setDefaultTimeout(renderTimeoutMs);
      page.on("pageerror", (e) => console.log(`  [${which}] page error: ${e.message}`));
      await page.goto(target);
      // Ours: the page's own mark when it sets one, else the first animation frame (polling "raf")
      // at which the canvas says data-ready="true" (both volumes loaded and drawn).
      const handle = await page.waitForFunction(
        (m) => {
          const w = (window as unknown as Record<string, unknown>)[m];
          if (typeof w === "number") return w;
          if (m !== "__atsmFirstRender") return null;
          const ready = document.querySelector('[data-testid="viewer-canvas"][data-ready="true"]');
          return ready === null ? null : performance.now();
        },
        which === "ours" ? "__atsmFirstRender" : "__peerFirstRender",
        { timeout: renderTimeoutMs, polling: "raf" },
      );
      return Number(await handle.jsonValue());
    } catch (e) {
      console.log(`  [${which}] no first render: ${String(e).split("\n")[0]}`);
      return null;
    } finally {
      await ctx.close();
    }
  }

  // (b) metrics endpoint under load
  const body = { tumour: study.tumourSpec, reference: study.referenceSpec };
  const check = await api<{ tmrMax: number; tmrPeak: number }>(
    server.url,
    cookie,
    "POST",
    `/studies/${studyId}/metrics`,
    body,
  );
  const py = await startPythonPeer(join(peerDir, "pet.nii.gz"), await freePort());
  cleanups.push(() => {
    py.proc.kill("SIGKILL");
  });
  const pyCheck = (await (
    await fetch(py.url, {
      method: "POST",
      body: JSON.stringify(body),
      headers: { "content-type": "application/json" },
    })
  ).json()) as { tmrMax: number; tmrPeak: number };
  console.log(
    `same answer? T/Mmax ours ${check.tmrMax.toFixed(4)} peer ${pyCheck.tmrMax.toFixed(4)}; ` +
      `T/Mpeak ours ${check.tmrPeak.toFixed(4)} peer ${pyCheck.tmrPeak.toFixed(4)}`,
  );
  const o = await loadTest(`${server.url}/api/studies/${studyId}/metrics`, body, {
    connections,
    durationS,
    headers: { cookie },
  });
  const p = await loadTest(py.url, body, { connections, durationS });
  for (const [name, r] of [
    ["ours", o],
    ["python+numpy", p],
  ] as const) {
    console.log(
      `metrics ${name}: ${fmt(r.reqPerS, 1)} req/s, p50 ${r.p50Ms} ms, p99 ${r.p99Ms} ms ` +
        `(${r.total} requests, ${r.non2xx} non-2xx, ${r.errors} errors; ${connections} connections, ${durationS} s)`,
    );
  }
  console.log(`metrics throughput ratio ours/peer: ${(o.reqPerS / p.reqPerS).toFixed(2)}`);
} finally {
  for (const c of cleanups.reverse()) await c();
}
