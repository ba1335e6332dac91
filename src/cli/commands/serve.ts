/**
 * `atsm serve`: the web Workbench (HTTP API + web app) on a data folder, with an embedded
 * PostgreSQL (PGlite) or a PostgreSQL server from DATABASE_URL.
 */
import { resolve } from "node:path";
import { AtsmError } from "../../core/errors.js";
import { startWorkbench } from "../../server/start.js";
import { redactUrl } from "../../store/index.js";
import { type CliContext, optionalString, parseCommandArgs } from "../context.js";
import { progressBar } from "../progress.js";

const HELP = `usage: atsm serve [--port N] [--host H] [--data DIR] [--demo] [--dicomweb URL] [--max-upload-mb N]

Starts the web Workbench: the JSON API under /api (described at /api/openapi.json) and the web app
(dist/web). Data lives in DIR: pglite/ (embedded database), blobs/ (uploaded files, by SHA-256),
tmp/ (upload staging, emptied at start), cache/ (rebuildable). On first start it creates the site
admin "admin" and prints a one-time sign-in link (24 h); on a loopback host it prints a fresh link
at every start. Stop with Ctrl-C.

  --port N            TCP port (default 8787; 0 = any free port)
  --host H            address to listen on (default 127.0.0.1; use 0.0.0.0 to serve the network)
  --data DIR          data folder (default ./atsm-data)
  --demo              seed project "Demo" with the synthetic Cu-ATSM PET/CT study (digital twin,
                      patient-cervix-hypoxic) when it has no study yet
  --dicomweb URL      PACS DICOMweb root for search/import (default: $ATSM_DICOMWEB_URL),
                      e.g. http://127.0.0.1:8042/dicom-web
  --max-upload-mb N   largest upload request, MiB (default 2048)

environment:
  DATABASE_URL        postgres://user:pass@host:port/db: use a PostgreSQL server instead of PGlite
  ATSM_DICOMWEB_URL   as --dicomweb
`;

const OPTIONS = {
  help: { type: "boolean", short: "h" },
  port: { type: "string" },
  host: { type: "string" },
  data: { type: "string" },
  demo: { type: "boolean" },
  "demo-small": { type: "boolean" },
  dicomweb: { type: "string" },
  "max-upload-mb": { type: "string" },
} as const;

function parsePort(text: string | undefined): number {
  if (text === undefined) return 8787;
  const n = Number(text);
  if (!Number.isInteger(n) || n < 0 || n > 65535) {
    throw new AtsmError({
      code: "INVALID_ARGUMENT",
      message: "invalid --port",
      value: text,
      field: "--port",
      hint: "an integer 0-65535, e.g. --port 8787",
    });
  }
  return n;
}

function parseMaxUploadMb(text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  const n = Number(text);
  if (!Number.isFinite(n) || n <= 0 || n > 1024 * 1024) {
    throw new AtsmError({
      code: "INVALID_ARGUMENT",
      message: "invalid --max-upload-mb",
      value: text,
      field: "--max-upload-mb",
      hint: "a positive number of MiB, e.g. --max-upload-mb 4096",
    });
  }
  return Math.round(n * 1024 ** 2);
}

export async function run(argv: readonly string[], ctx: CliContext): Promise<number> {
  const { values } = parseCommandArgs("serve", argv, OPTIONS, false);
  if (values.help === true) {
    ctx.stdout(HELP);
    return 0;
  }
  const port = parsePort(optionalString(values, "port"));
  const host = optionalString(values, "host") ?? "127.0.0.1";
  const dataDir = resolve(ctx.cwd, optionalString(values, "data") ?? "atsm-data");
  const maxUploadBytes = parseMaxUploadMb(optionalString(values, "max-upload-mb"));
  const dicomwebUrl = optionalString(values, "dicomweb") ?? (process.env.ATSM_DICOMWEB_URL || undefined);
  const databaseUrl = process.env.DATABASE_URL || undefined;
  const demo = values.demo === true || values["demo-small"] === true;
  const bar = demo ? progressBar(ctx, "demo") : null;
  ctx.stderr(
    `data folder ${dataDir}; database ${databaseUrl !== undefined ? redactUrl(databaseUrl) : "PGlite (embedded)"}\n`,
  );
  const wb = await startWorkbench({
    dataDir,
    port,
    host,
    demo,
    ...(values["demo-small"] === true ? { demoSmall: true } : {}),
    ...(databaseUrl !== undefined ? { databaseUrl } : {}),
    ...(dicomwebUrl !== undefined ? { dicomwebUrl } : {}),
    ...(maxUploadBytes !== undefined ? { maxUploadBytes } : {}),
    ...(bar !== null ? { onProgress: bar } : {}),
  });
  bar?.done();
  ctx.stdout(
    wb.loginLink !== null
      ? `Workbench ready: ${wb.loginLink}\n(one-time sign-in link for user "admin", valid 24 h; then ${wb.url}/)\n`
      : `Workbench ready: ${wb.url}/\n`,
  );
  await new Promise<void>((resolveStop) => {
    const stop = (): void => {
      process.off("SIGINT", stop);
      process.off("SIGTERM", stop);
      ctx.stderr("shutting down…\n");
      resolveStop();
    };
    process.on("SIGINT", stop);
    process.on("SIGTERM", stop);
  });
  await wb.close();
  return 0;
}
