/**
 * `npm run bench`: runs every benchmark in bench/ (each compares us with a peer in the same run
 * and prints both times and the ratio). Pass names to run a subset: `npm run bench -- io twin`.
 * Benchmarks are never part of `npm test`.
 */
import { spawnSync } from "node:child_process";
import { readdirSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const here = dirname(fileURLToPath(import.meta.url));
const wanted = process.argv.slice(2);
const benches = readdirSync(here)
  .filter((f) => f.endsWith(".ts") && f !== "run-all.ts")
  .map((f) => f.replace(/\.ts$/, ""))
  .filter((b) => wanted.length === 0 || wanted.includes(b))
  .sort();
let failed = 0;
for (const b of benches) {
  console.log(`\n=== bench/${b}.ts ===`);
  const r = spawnSync(process.execPath, ["--import", "tsx", join(here, `${b}.ts`)], { stdio: "inherit" });
  if (r.status !== 0) {
    failed++;
    console.log(`bench/${b}.ts exited with ${r.status}`);
  }
}
process.exitCode = failed > 0 ? 1 : 0;
