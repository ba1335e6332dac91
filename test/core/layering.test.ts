/**
 * Layering is tested, not hoped for (STYLE.md §2): core folders import no I/O, no edge layer, no
 * clock or randomness; and no module import cycles anywhere under src/.
 */
import { readdirSync, readFileSync, statSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import { describe, expect, it } from "vitest";

const SRC = resolve(import.meta.dirname, "../../src");
const CORE = [
  "core",
  "physics",
  "image",
  "quant",
  "kinetics",
  "sim",
  "scanner",
  "dosimetry",
  "radiobiology",
  "lab",
  "clinical",
  "stats",
];
const EDGE = ["io", "app", "store", "cli", "server", "web", "workers"];

function walk(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) out.push(...walk(p));
    else if (/\.(ts|tsx)$/.test(name) && !name.endsWith(".d.ts")) out.push(p);
  }
  return out;
}

const IMPORT_RE =
  /(?:^|\n)\s*(?:import|export)\s+(?:type\s+)?(?:[^"';]*?\s+from\s+)?["']([^"']+)["']|import\(\s*["']([^"']+)["']\s*\)/g;

function importsOf(file: string): { spec: string; typeOnly: boolean }[] {
  const text = readFileSync(file, "utf8");
  const out: { spec: string; typeOnly: boolean }[] = [];
  for (const m of text.matchAll(IMPORT_RE)) {
    const spec = m[1] ?? m[2];
    if (spec !== undefined)
      out.push({ spec, typeOnly: /^\s*(import|export)\s+type\s/.test(m[0].trimStart()) });
  }
  return out;
}

function resolveLocal(from: string, spec: string): string | null {
  if (!spec.startsWith(".")) return null;
  const base = resolve(dirname(from), spec);
  const cands = [
    base.replace(/\.js$/, ".ts"),
    base.replace(/\.js$/, ".tsx"),
    `${base}.ts`,
    join(base, "index.ts"),
  ];
  for (const c of cands) {
    try {
      if (statSync(c).isFile()) return c;
    } catch {
      /* try next */
    }
  }
  return null;
}

const files = walk(SRC);

describe("layering", () => {
  it("finds source files", () => {
    expect(files.length).toBeGreaterThan(5);
  });

  it("core folders import nothing from node:*, edge layers, and use no clock/randomness/process", () => {
    const problems: string[] = [];
    for (const f of files) {
      const top = relative(SRC, f).split("/")[0]!;
      if (!CORE.includes(top)) continue;
      for (const { spec } of importsOf(f)) {
        if (
          spec.startsWith("node:") ||
          ["fs", "path", "os", "zlib", "worker_threads", "child_process"].includes(spec)
        ) {
          problems.push(`${relative(SRC, f)} imports ${spec}`);
        }
        const target = resolveLocal(f, spec);
        if (target !== null) {
          const tTop = relative(SRC, target).split("/")[0]!;
          if (EDGE.includes(tTop)) problems.push(`${relative(SRC, f)} imports edge layer ${spec}`);
        }
      }
      const text = readFileSync(f, "utf8").replace(/\/\*[\s\S]*?\*\/|\/\/.*$/gm, "");
      for (const banned of ["Date.now", "Math.random", "process.", "new Date("]) {
        if (text.includes(banned)) problems.push(`${relative(SRC, f)} uses ${banned}`);
      }
    }
    expect(problems).toEqual([]);
  });

  it("io/, store/ and app/ never import the CLI, server or web layers (they call app/, not the reverse)", () => {
    const problems: string[] = [];
    for (const f of files) {
      const top = relative(SRC, f).split("/")[0]!;
      if (!["io", "store", "app", "workers"].includes(top)) continue;
      for (const { spec } of importsOf(f)) {
        const target = resolveLocal(f, spec);
        if (target === null) continue;
        const tTop = relative(SRC, target).split("/")[0]!;
        if (["cli", "server", "web"].includes(tTop)) problems.push(`${relative(SRC, f)} imports ${spec}`);
        if (top === "io" && tTop === "app") problems.push(`${relative(SRC, f)} imports ${spec}`);
      }
    }
    expect(problems).toEqual([]);
  });

  it("server/ never imports the CLI or web layers; store/ never imports app/ (it sits beside io/)", () => {
    const problems: string[] = [];
    for (const f of files) {
      const top = relative(SRC, f).split("/")[0]!;
      if (top !== "server" && top !== "store") continue;
      for (const { spec } of importsOf(f)) {
        const target = resolveLocal(f, spec);
        if (target === null) continue;
        const tTop = relative(SRC, target).split("/")[0]!;
        if (top === "server" && ["cli", "web"].includes(tTop))
          problems.push(`${relative(SRC, f)} imports ${spec}`);
        if (top === "store" && ["app", "io", "server", "cli"].includes(tTop))
          problems.push(`${relative(SRC, f)} imports ${spec}`);
      }
    }
    expect(problems).toEqual([]);
  });

  it("the web app (web/src) reaches the server only over HTTP: at most type imports from src/", () => {
    const WEB = resolve(import.meta.dirname, "../../web/src");
    let webFiles: string[] = [];
    try {
      webFiles = walk(WEB);
    } catch {
      webFiles = [];
    }
    const problems: string[] = [];
    for (const f of webFiles) {
      for (const { spec, typeOnly } of importsOf(f)) {
        if (!spec.startsWith(".")) continue;
        const target = resolve(dirname(f), spec);
        if (target.startsWith(SRC) && !typeOnly) problems.push(`${relative(WEB, f)} imports ${spec}`);
      }
    }
    expect(problems).toEqual([]);
  });

  it("has no import cycles (value imports)", () => {
    const graph = new Map<string, string[]>();
    for (const f of files) {
      const deps: string[] = [];
      for (const { spec, typeOnly } of importsOf(f)) {
        if (typeOnly) continue;
        const t = resolveLocal(f, spec);
        if (t !== null) deps.push(t);
      }
      graph.set(f, deps);
    }
    const state = new Map<string, 0 | 1 | 2>();
    const cycles: string[] = [];
    const stack: string[] = [];
    const visit = (n: string): void => {
      state.set(n, 1);
      stack.push(n);
      for (const d of graph.get(n) ?? []) {
        const s = state.get(d) ?? 0;
        if (s === 1)
          cycles.push([...stack.slice(stack.indexOf(d)), d].map((p) => relative(SRC, p)).join(" -> "));
        else if (s === 0) visit(d);
      }
      stack.pop();
      state.set(n, 2);
    };
    for (const f of files) if ((state.get(f) ?? 0) === 0) visit(f);
    expect(cycles).toEqual([]);
  });
});
