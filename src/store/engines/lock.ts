/**
 * One process per PGlite data folder. PGlite has no postmaster to refuse a second opener, and two
 * processes writing the same folder corrupt it, so `openPglite` holds `<dataDir>.lock` (our pid)
 * while the database is open. A lock left by a process that no longer exists (crash, kill -9) is
 * taken over.
 */
import { open, readFile, rm } from "node:fs/promises";
import { AtsmError } from "../../core/errors.js";

/** Lock files this process holds (a recorded pid equal to ours but not in here is a previous life's). */
const held = new Set<string>();

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    // EPERM: the process exists but belongs to someone else.
    return (e as NodeJS.ErrnoException).code === "EPERM";
  }
}

/** Acquire the lock file; returns its release function. */
export async function lockDataDir(dataDir: string): Promise<() => Promise<void>> {
  const lockPath = `${dataDir}.lock`;
  for (let attempt = 0; attempt < 3; attempt++) {
    try {
      const fh = await open(lockPath, "wx");
      await fh.writeFile(`${process.pid}\n`);
      await fh.close();
      held.add(lockPath);
      let released = false;
      return async () => {
        if (released) return;
        released = true;
        held.delete(lockPath);
        await rm(lockPath, { force: true });
      };
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== "EEXIST") throw e;
    }
    const holder = Number.parseInt((await readFile(lockPath, "utf8").catch(() => "")).trim(), 10);
    const ours = holder === process.pid;
    if (ours ? held.has(lockPath) : Number.isInteger(holder) && holder > 0 && alive(holder)) {
      throw new AtsmError({
        code: "IO_ERROR",
        message: `the database folder ${dataDir} is in use by process ${holder}${
          ours ? " (this process: it is already open)" : ""
        }`,
        file: dataDir,
        hint: `stop the other atsm server using this data folder, or pass another --data; delete ${lockPath} only if no such process runs`,
      });
    }
    // Stale (holder gone) or unreadable: remove it and try again.
    await rm(lockPath, { force: true });
  }
  throw new AtsmError({
    code: "IO_ERROR",
    message: `cannot take the lock ${lockPath}`,
    file: lockPath,
    hint: "another process keeps creating it; stop other atsm servers using this data folder",
  });
}
