/**
 * Packed-tarball import test (STYLE.md §15, after ITK-Wasm's `.d.js` typo): build the package,
 * `npm pack` it, install the tarball into an empty project and import every subpath of the
 * exports map from a child `node` process, as a user would.
 *
 * - The build goes to node_modules/.cache/atsm-pack/dist (incremental, so a re-run only recompiles
 *   what changed); ./dist is never touched. The pack is made from a staging copy, with
 *   --ignore-scripts so that `prepare` does not rebuild.
 * - Install: `npm install --offline` (dependencies come from the npm cache); when that fails the
 *   tarball is unpacked and the repository's node_modules is linked under it instead.
 * - Skips, printing why, when `npm pack` is not available.
 */
import { spawnSync } from "node:child_process";
import {
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from "node:fs";
import { builtinModules } from "node:module";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

const ROOT = resolve(import.meta.dirname, "../..");
const CACHE = join(ROOT, "node_modules", ".cache", "atsm-pack");
const TSC = join(ROOT, "node_modules", "typescript", "bin", "tsc");
const PKG = JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8")) as {
  name: string;
  version: string;
  files: string[];
  bin: Record<string, string>;
  sideEffects: unknown;
  exports: Record<string, string | Record<string, string>>;
};

/** Subpaths whose modules must run in a browser: no node:* anywhere in their import graph. */
const BROWSER_SAFE = ["./core", "./physics", "./quant", "./quant/suv", "./lab", "./sim"];

/** Named exports each subpath must have (a sample of the public API, docs/api.md). */
const REQUIRED: Readonly<Record<string, readonly string[]>> = {
  ".": [
    "AtsmError",
    "parseActivityBq",
    "voxelToWorld",
    "getNuclide",
    "decayFactor",
    "computeSuvScaleFactors",
    "quantifyHypoxia",
    "loadStudy",
    "readNifti",
    "writeNifti",
    "readDicom",
    "writeDicomSeries",
    "planLabelling",
    "analyzeChromatogram",
    "analyzeAssay",
    "solveOxygen",
    "simulateAssay",
  ],
  "./core": ["AtsmError", "voxelToWorld", "worldToVoxel", "parseActivityBq", "createRng"],
  "./physics": ["getNuclide", "decayFactor", "activityAt", "NUCLIDES"],
  "./quant": ["quantifyHypoxia", "parseVoiSpec", "computeVoiMetrics", "tumourToReference"],
  "./quant/suv": ["computeSuvScaleFactors", "emptyPetInstanceMetadata"],
  "./io": [
    "loadStudy",
    "pickPetSeries",
    "readNifti",
    "writeNifti",
    "readDicom",
    "writeDicomSeries",
    "readInveon",
    "readInterfile",
    "readDicomSeg",
    "writeDicomSeg",
    "readChromatogram",
  ],
  "./lab": ["planLabelling", "radiochemicalYield", "analyzeChromatogram", "analyzeAssay", "fitStandardCurve"],
  "./sim": ["solveOxygen", "kroghPo2MmHg", "simulateAssay", "getCellLine", "buildPhantomStudy"],
};

/** Names two subpaths export with different values; the root picks the other one (docs/api.md). */
const ROOT_AMBIGUITIES = ["./lab:decayCorrectionFactor"];

interface Run {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

function run(cmd: string, args: readonly string[], cwd: string, timeoutMs = 60_000): Run {
  const r = spawnSync(cmd, args, {
    cwd,
    encoding: "utf8",
    timeout: timeoutMs,
    env: { ...process.env, TZ: "UTC", NO_COLOR: "1", npm_config_update_notifier: "false" },
    maxBuffer: 64 * 1024 * 1024,
  });
  const err = r.error ? `\n${r.error.message}` : "";
  return { code: r.status ?? -1, stdout: r.stdout ?? "", stderr: `${r.stderr ?? ""}${err}` };
}

const tmp = mkdtempSync(join(tmpdir(), "atsm-pack-test-"));
const app = join(tmp, "app");
const installed = join(app, "node_modules", PKG.name);
let skipReason: string | null = null;
let installMode = "";
let packedFiles: string[] = [];
let child: {
  keys: Record<string, string[]>;
  missingFromRoot: string[];
  differentInRoot: string[];
  halfLifeS: number;
  halfDecay: number;
  niftiRoundTrip: boolean;
  atsmErrorCode: string;
  pkgName: string;
} | null = null;
let childRun: Run | null = null;

/** Run `fn` holding a lock directory, so that two test runs do not build into the cache at once. */
function withLock<T>(dir: string, fn: () => T): T {
  const lock = `${dir}.lock`;
  mkdirSync(dirname(lock), { recursive: true });
  for (let waitedMs = 0; ; waitedMs += 250) {
    try {
      mkdirSync(lock);
      break;
    } catch {
      // A lock older than 5 min is left over from a killed run.
      const st = statSync(lock, { throwIfNoEntry: false });
      if (waitedMs > 300_000 || (st !== undefined && Date.now() - st.mtimeMs > 300_000))
        rmSync(lock, { recursive: true, force: true });
      else Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 250);
    }
  }
  try {
    return fn();
  } finally {
    rmSync(lock, { recursive: true, force: true });
  }
}

function build(): void {
  // Incremental output without its outputs would emit nothing: start clean when dist is gone.
  if (!existsSync(join(CACHE, "dist", "index.js"))) rmSync(CACHE, { recursive: true, force: true });
  mkdirSync(CACHE, { recursive: true });
  const r = run(
    process.execPath,
    [
      TSC,
      "-p",
      "tsconfig.build.json",
      "--outDir",
      join(CACHE, "dist"),
      "--incremental",
      "--tsBuildInfoFile",
      join(CACHE, "build.tsbuildinfo"),
    ],
    ROOT,
    120_000,
  );
  // Type errors elsewhere are `npm test`'s tsc gate; here only the emitted JS matters.
  if (r.code !== 0) console.warn(`tarball test: tsc exited ${r.code}:\n${r.stdout.slice(0, 2000)}`);
  if (!existsSync(join(CACHE, "dist", "index.js")))
    throw new Error(`build produced no dist/index.js:\n${r.stdout}${r.stderr}`);
}

function pack(): string | null {
  const stage = join(tmp, "stage");
  mkdirSync(stage);
  cpSync(join(ROOT, "package.json"), join(stage, "package.json"));
  for (const entry of PKG.files) {
    if (entry.startsWith("!") || /[*?]/.test(entry)) continue;
    const from = entry === "dist" ? join(CACHE, "dist") : join(ROOT, entry);
    if (existsSync(from)) cpSync(from, join(stage, entry), { recursive: true });
  }
  for (const f of ["LICENSE", "README.md"])
    if (existsSync(join(ROOT, f))) cpSync(join(ROOT, f), join(stage, f));
  const r = run("npm", ["pack", "--ignore-scripts", "--json", "--pack-destination", tmp], stage);
  if (r.code !== 0) {
    skipReason = `npm pack is not available (exit ${r.code}): ${r.stderr.trim().split("\n").slice(-3).join(" ")}`;
    return null;
  }
  const start = r.stdout.indexOf("[");
  const info = JSON.parse(r.stdout.slice(start)) as { filename: string; files: { path: string }[] }[];
  packedFiles = info[0]!.files.map((f) => f.path);
  return join(tmp, info[0]!.filename);
}

function install(tarball: string): void {
  mkdirSync(app);
  writeFileSync(
    join(app, "package.json"),
    `${JSON.stringify({ name: "atsm-consumer", private: true, type: "module" }, null, 2)}\n`,
  );
  const r = run(
    "npm",
    ["install", "--offline", "--no-audit", "--no-fund", "--ignore-scripts", "--no-package-lock", tarball],
    app,
  );
  if (r.code === 0 && existsSync(join(installed, "package.json"))) {
    installMode = "npm install --offline";
    return;
  }
  // Fallback: unpack the tarball and borrow the repository's dependencies.
  console.warn(
    `tarball test: offline install failed (${r.stderr.trim().split("\n").slice(-2).join(" ")}); linking`,
  );
  const x = run("tar", ["-xzf", tarball, "-C", tmp], tmp);
  if (x.code !== 0) throw new Error(`cannot unpack ${tarball}: ${x.stderr}`);
  mkdirSync(dirname(installed), { recursive: true });
  cpSync(join(tmp, "package"), installed, { recursive: true });
  symlinkSync(join(ROOT, "node_modules"), join(installed, "node_modules"), "dir");
  installMode = "unpacked + linked node_modules";
}

/** The child script: import every subpath by its package name, as a user would. */
const CHILD = `
import { createRequire } from "node:module";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
const require = createRequire(import.meta.url);
const pkg = require("${PKG.name}/package.json");
const keys = {};
const mods = {};
for (const sub of Object.keys(pkg.exports)) {
  if (sub === "./package.json") continue;
  const spec = sub === "." ? pkg.name : pkg.name + sub.slice(1);
  mods[sub] = await import(spec);
  keys[sub] = Object.keys(mods[sub]).sort();
}
const root = mods["."];
const missingFromRoot = [];
const differentInRoot = [];
for (const [sub, m] of Object.entries(mods)) {
  if (sub === ".") continue;
  for (const k of Object.keys(m)) {
    if (!(k in root)) missingFromRoot.push(sub + ":" + k);
    else if (root[k] !== m[k]) differentInRoot.push(sub + ":" + k);
  }
}
const { getNuclide, decayFactor, AtsmError } = root;
const io = mods["./io"];
const dir = mkdtempSync(join(tmpdir(), "atsm-pack-nifti-"));
let niftiRoundTrip = false;
try {
  const vol = { data: Float32Array.from([0, 1, 2, 3, 4, 5, 6, 7]), dims: [2, 2, 2], spacingMm: [1, 2, 3],
    originMm: [10, 20, 30], direction: new Float64Array([1, 0, 0, 0, 1, 0, 0, 0, 1]), unit: "Bq/mL" };
  const file = join(dir, "v.nii.gz");
  await io.writeNifti(file, vol);
  const [s] = await io.readNifti(file);
  niftiRoundTrip = Array.from(s.volume.data).join() === Array.from(vol.data).join()
    && s.volume.originMm.join() === "10,20,30" && s.volume.spacingMm.join() === "1,2,3";
} finally { rmSync(dir, { recursive: true, force: true }); }
const err = new AtsmError({ code: "INVALID_ARGUMENT", message: "x" });
console.log(JSON.stringify({
  keys, missingFromRoot, differentInRoot,
  halfLifeS: getNuclide("Cu-64").halfLifeS,
  halfDecay: decayFactor(45720, 45720),
  niftiRoundTrip,
  atsmErrorCode: err instanceof Error ? err.code : "not an Error",
  pkgName: pkg.name,
}));
`;

/** Relative and bare specifiers of one emitted JS file. */
function specifiersOf(file: string): string[] {
  // Drop comments first: TSDoc examples hold import lines that are not imports.
  const text = readFileSync(file, "utf8")
    .replace(/\/\*[\s\S]*?\*\//g, "")
    .replace(/^\s*\/\/.*$/gm, "");
  const re =
    /(?:^|[\s;])(?:import|export)\s[^"';]*?from\s*["']([^"']+)["']|import\s*["']([^"']+)["']|import\(\s*["']([^"']+)["']\s*\)/g;
  const out: string[] = [];
  for (const m of text.matchAll(re)) out.push((m[1] ?? m[2] ?? m[3])!);
  return out;
}

/** Node built-ins reachable from `entry` through relative imports: ["node:fs (from io/x.js)", ...]. */
function nodeImportsReachable(entry: string): string[] {
  const seen = new Set<string>();
  const bad: string[] = [];
  const stack = [entry];
  while (stack.length > 0) {
    const f = stack.pop()!;
    if (seen.has(f)) continue;
    seen.add(f);
    for (const s of specifiersOf(f)) {
      if (s.startsWith(".")) stack.push(resolve(dirname(f), s));
      else if (s.startsWith("node:") || builtinModules.includes(s.split("/")[0]!))
        bad.push(`${s} (from ${f.slice(installed.length + 1)})`);
    }
  }
  return bad;
}

function target(sub: string, cond: "types" | "default"): string {
  const e = PKG.exports[sub]!;
  return typeof e === "string" ? e : e[cond]!;
}

beforeAll(() => {
  const npm = run("npm", ["--version"], ROOT);
  if (npm.code !== 0) {
    skipReason = `npm is not available: ${npm.stderr.trim()}`;
    return;
  }
  const tarball = withLock(CACHE, () => {
    build();
    return pack();
  });
  if (tarball === null) return;
  install(tarball);
  writeFileSync(join(app, "check.mjs"), CHILD);
  console.log(`tarball test: ${packedFiles.length} files packed; installed by ${installMode}`);
  childRun = run(process.execPath, ["check.mjs"], app);
  if (childRun.code === 0) child = JSON.parse(childRun.stdout.trim().split("\n").at(-1)!);
}, 180_000);

afterAll(() => rmSync(tmp, { recursive: true, force: true }));

describe("packed tarball", () => {
  it("the exports map lists types first, exports ./package.json, and the package has no side effects", () => {
    expect(PKG.sideEffects).toBe(false);
    expect(PKG.exports["./package.json"]).toBe("./package.json");
    for (const [sub, e] of Object.entries(PKG.exports)) {
      if (sub === "./package.json") continue;
      expect(typeof e, sub).toBe("object");
      expect(Object.keys(e as object), `${sub}: "types" must come first`).toEqual(["types", "default"]);
      expect(target(sub, "types"), sub).toMatch(/^\.\/dist\/.*\.d\.ts$/);
      expect(target(sub, "default"), sub).toBe(target(sub, "types").replace(/\.d\.ts$/, ".js"));
    }
    for (const sub of Object.keys(REQUIRED)) expect(Object.keys(PKG.exports)).toContain(sub);
    const api = readFileSync(join(ROOT, "docs", "api.md"), "utf8");
    for (const sub of Object.keys(PKG.exports))
      expect(api, `docs/api.md documents ${sub}`).toContain(
        `\`${PKG.name}${sub === "." ? "" : sub.slice(1)}\``,
      );
  });

  it("the tarball holds every export target and the bin, and no tests or benchmarks", (ctx) => {
    if (skipReason !== null) {
      console.log(`skipped: ${skipReason}`);
      ctx.skip();
    }
    const files = new Set(packedFiles);
    for (const sub of Object.keys(PKG.exports)) {
      if (sub === "./package.json") continue;
      for (const c of ["types", "default"] as const)
        expect(files.has(target(sub, c).slice(2)), `${sub} ${c} ${target(sub, c)} is packed`).toBe(true);
    }
    for (const b of Object.values(PKG.bin)) expect(files.has(b.replace(/^\.\//, "")), b).toBe(true);
    expect(packedFiles.filter((f) => /^(test|bench|node_modules|examples)\//.test(f))).toEqual([]);
  });

  it("every subpath imports from the installed tarball with its named exports", (ctx) => {
    if (skipReason !== null) {
      console.log(`skipped: ${skipReason}`);
      ctx.skip();
    }
    expect(
      child,
      `child node failed (${installMode}):\n${childRun?.stdout}\n${childRun?.stderr}`,
    ).not.toBeNull();
    const c = child!;
    expect(c.pkgName).toBe(PKG.name);
    expect(Object.keys(c.keys).sort()).toEqual(
      Object.keys(PKG.exports)
        .filter((s) => s !== "./package.json")
        .sort(),
    );
    for (const [sub, names] of Object.entries(REQUIRED))
      for (const n of names) expect(c.keys[sub], `${sub} exports ${n}`).toContain(n);
    // Cu-64 half-life 12.7004 h = 45 720 s (ICRP-107, src/physics/nuclide-data.ts).
    expect(c.halfLifeS).toBe(45720);
    expect(c.halfDecay).toBeCloseTo(0.5, 12); // one half-life: 2^-1 exactly, up to rounding
    expect(c.atsmErrorCode).toBe("INVALID_ARGUMENT");
    expect(c.niftiRoundTrip, "writeNifti → readNifti keeps data, origin and spacing").toBe(true);
    // The root re-exports every subpath's names; where two collide the choice is documented.
    expect(c.missingFromRoot).toEqual([]);
    for (const d of c.differentInRoot)
      expect(ROOT_AMBIGUITIES, `undocumented root ambiguity ${d}`).toContain(d);
  });

  it("browser-facing subpaths pull no node:* module", (ctx) => {
    if (skipReason !== null) {
      console.log(`skipped: ${skipReason}`);
      ctx.skip();
    }
    for (const sub of BROWSER_SAFE)
      expect(nodeImportsReachable(join(installed, target(sub, "default"))), sub).toEqual([]);
    // The check itself sees node:* where it is expected.
    expect(nodeImportsReachable(join(installed, target("./io", "default"))).length).toBeGreaterThan(0);
  });

  it("the types resolve for a TypeScript consumer (module NodeNext)", (ctx) => {
    if (skipReason !== null) {
      console.log(`skipped: ${skipReason}`);
      ctx.skip();
    }
    const lines = Object.entries(REQUIRED).map(([sub, names], i) => {
      const spec = sub === "." ? PKG.name : `${PKG.name}${sub.slice(1)}`;
      return `import * as m${i} from "${spec}";\nexport const use${i} = [${names.map((n) => `m${i}.${n}`).join(", ")}];`;
    });
    lines.push(
      `import { getNuclide } from "${PKG.name}/physics";\nexport const t: number = getNuclide("Cu-64").halfLifeS;`,
    );
    writeFileSync(join(app, "consumer.ts"), `${lines.join("\n")}\n`);
    const r = run(
      process.execPath,
      [
        TSC,
        "--noEmit",
        "--strict",
        "--skipLibCheck",
        "--module",
        "nodenext",
        "--moduleResolution",
        "nodenext",
        "--target",
        "es2022",
        "--types",
        "node",
        "--typeRoots",
        join(ROOT, "node_modules", "@types"),
        "consumer.ts",
      ],
      app,
    );
    expect(r.code, `${r.stdout}${r.stderr}`).toBe(0);
  });

  it("bin.atsm runs --help from the installed package", (ctx) => {
    if (skipReason !== null) {
      console.log(`skipped: ${skipReason}`);
      ctx.skip();
    }
    const linked = join(app, "node_modules", ".bin", "atsm");
    const r = existsSync(linked)
      ? run(linked, ["--help"], app)
      : run(process.execPath, [join(installed, PKG.bin.atsm!), "--help"], app);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain("usage: atsm");
    expect(r.stdout).toContain("decay");
  });
});
