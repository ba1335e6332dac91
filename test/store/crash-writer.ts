/**
 * Child process for the kill -9 test: opens the PGlite folder argv[2], then creates studies in a
 * loop, printing `ACK <n>` after each commit, until it is killed.
 */
import { openStore } from "../../src/store/index.js";
import { studyInput } from "./fixtures.js";

const dataDir = process.argv[2];
if (dataDir === undefined) throw new Error("usage: crash-writer.ts DATA_DIR");
const store = await openStore({ dataDir });
const user = await store.users.create({ username: "crash", role: "admin", passwordHash: "h" });
const project = await store.projects.create({ name: "crash", description: "", createdBy: user.id });
for (let n = 0; ; n++) {
  await store.studies.create(studyInput(project.id, user.id, 2, { description: `n=${n}` }));
  process.stdout.write(`ACK ${n}\n`);
}
