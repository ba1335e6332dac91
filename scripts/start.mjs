#!/usr/bin/env node
/**
 * `npm start`: build the CLI/server (tsc) and the web app (Vite) when their outputs are missing or
 * older than their sources, then run `atsm serve --demo` on ./atsm-data (embedded PGlite database),
 * which imports the built-in demo study on first start and prints the one-time login link.
 * Extra arguments go to `atsm serve` (`npm start -- --port 9000`).
 */
import { spawnSync } from "node:child_process";
import { existsSync, readdirSync, statSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const root = resolve(dirname(fileURLToPath(import.meta.url)), "..");

/** Newest modification time (ms) of any file under `dir` (0 when absent). */
function newest(dir) {
  if (!existsSync(dir)) return 0;
  let t = 0;
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    const st = statSync(p);
    t = Math.max(t, st.isDirectory() ? newest(p) : st.mtimeMs);
  }
  return t;
}

function mtime(path) {
  return existsSync(path) ? statSync(path).mtimeMs : 0;
}

function run(cmd, args) {
  const r = spawnSync(cmd, args, { cwd: root, stdio: "inherit" });
  if (r.status !== 0) {
    console.error(`atsm: \`${cmd} ${args.join(" ")}\` failed (exit ${r.status ?? r.signal})`);
    process.exit(r.status ?? 1);
  }
}

const cliBuilt = mtime(join(root, "dist/cli/main.js"));
if (cliBuilt === 0 || cliBuilt < newest(join(root, "src"))) {
  console.error("atsm: building the CLI and server (tsc)…");
  run("npm", ["run", "--silent", "build:ts"]);
}
const webBuilt = mtime(join(root, "dist/web/index.html"));
if (webBuilt === 0 || webBuilt < newest(join(root, "web"))) {
  console.error("atsm: building the web app (vite)…");
  run("npm", ["run", "--silent", "build:web"]);
}

const args = ["dist/cli/main.js", "serve", "--demo", "--data", "atsm-data", ...process.argv.slice(2)];
const child = spawnSync(process.execPath, args, { cwd: root, stdio: "inherit" });
process.exit(child.status ?? 0);
