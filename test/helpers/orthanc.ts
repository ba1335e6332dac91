/**
 * A private Orthanc with the DICOMweb plugin for integration tests: config and storage in a temp
 * dir, HTTP on a free loopback port, DICOM (C-STORE) server off, no authentication, loopback only.
 *
 * `startOrthanc()` returns null (the caller skips, a reason is printed) only when Orthanc or the
 * plugin is not installed and CI is not "true"; in CI a missing Orthanc is a failure.
 * Debian: `apt-get install orthanc orthanc-dicomweb`.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { closeSync, existsSync, openSync } from "node:fs";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";

export interface OrthancHandle {
  /** DICOMweb root, e.g. http://127.0.0.1:PORT/dicom-web */
  readonly url: string;
  /** Orthanc REST root, e.g. http://127.0.0.1:PORT */
  readonly restUrl: string;
  /** Upload one Part-10 file via REST `POST /instances`; returns Orthanc's instance id. */
  upload(bytes: Uint8Array): Promise<string>;
  stop(): Promise<void>;
}

const ORTHANC_BINS = ["/usr/sbin/Orthanc", "/usr/bin/Orthanc"];
const PLUGIN_PATHS = [
  "/usr/share/orthanc/plugins/libOrthancDicomWeb.so",
  "/usr/lib/orthanc/libOrthancDicomWeb.so",
  "/usr/local/share/orthanc/plugins/libOrthancDicomWeb.so",
];
const START_TIMEOUT_MS = 30_000;

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once("error", reject);
    srv.listen(0, "127.0.0.1", () => {
      const addr = srv.address();
      const port = typeof addr === "object" && addr !== null ? addr.port : 0;
      srv.close(() => resolve(port));
    });
  });
}

function exited(child: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) resolve();
    else child.once("exit", () => resolve());
  });
}

export async function startOrthanc(): Promise<OrthancHandle | null> {
  const bin = ORTHANC_BINS.find((p) => existsSync(p));
  const plugin = PLUGIN_PATHS.find((p) => existsSync(p));
  if (bin === undefined || plugin === undefined) {
    const what = bin === undefined ? "Orthanc (/usr/sbin/Orthanc)" : "the Orthanc DICOMweb plugin";
    if (process.env.CI === "true")
      throw new Error(`${what} is not installed; CI needs apt-get install orthanc orthanc-dicomweb`);
    console.warn(
      `skipping Orthanc tests: ${what} is not installed (apt-get install orthanc orthanc-dicomweb)`,
    );
    return null;
  }
  const dir = await mkdtemp(join(tmpdir(), "atsm-orthanc-"));
  const port = await freePort();
  const config = {
    Name: "atsm-test",
    HttpPort: port,
    DicomServerEnabled: false,
    DicomPort: 0,
    StorageDirectory: join(dir, "storage"),
    IndexDirectory: join(dir, "index"),
    RemoteAccessAllowed: false,
    AuthenticationEnabled: false,
    HttpTimeout: 30,
    Plugins: [plugin],
    DicomWeb: { Enable: true, Root: "/dicom-web/" },
  };
  const configPath = join(dir, "orthanc.json");
  await writeFile(configPath, JSON.stringify(config, null, 2));
  const logPath = join(dir, "orthanc.log");
  const logFd = openSync(logPath, "w");
  const child = spawn(bin, [configPath], { stdio: ["ignore", logFd, logFd] });
  closeSync(logFd);
  const restUrl = `http://127.0.0.1:${port}`;
  let stopped = false;
  const stop = async () => {
    if (stopped) return;
    stopped = true;
    if (child.exitCode === null && child.signalCode === null) {
      child.kill("SIGTERM");
      const timer = setTimeout(() => child.kill("SIGKILL"), 5_000);
      await exited(child);
      clearTimeout(timer);
    }
    await rm(dir, { recursive: true, force: true });
  };
  const deadline = Date.now() + START_TIMEOUT_MS;
  for (;;) {
    if (child.exitCode !== null) {
      const log = await readFile(logPath, "utf8").catch(() => "");
      await stop();
      throw new Error(`Orthanc exited with code ${child.exitCode} at start-up:\n${log.slice(-2000)}`);
    }
    try {
      const res = await fetch(`${restUrl}/system`);
      if (res.ok) {
        await res.arrayBuffer();
        break;
      }
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) {
      const log = await readFile(logPath, "utf8").catch(() => "");
      await stop();
      throw new Error(`Orthanc did not answer /system within ${START_TIMEOUT_MS} ms:\n${log.slice(-2000)}`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  const upload = async (bytes: Uint8Array): Promise<string> => {
    const res = await fetch(`${restUrl}/instances`, {
      method: "POST",
      headers: { "Content-Type": "application/dicom" },
      body: new Blob([new Uint8Array(bytes)]),
    });
    const text = await res.text();
    if (!res.ok) throw new Error(`Orthanc POST /instances answered ${res.status}: ${text.slice(0, 500)}`);
    return (JSON.parse(text) as { ID: string }).ID;
  };
  return { url: `${restUrl}/dicom-web`, restUrl, upload, stop };
}
