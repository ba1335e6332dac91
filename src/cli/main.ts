#!/usr/bin/env node
/**
 * `atsm` command-line entry. Each command lives in its own file under commands/ and is loaded
 * lazily so that `atsm decay` does not load the DICOM stack.
 */
import { realpathSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { isAtsmError } from "../core/errors.js";
import type { CliContext, CommandFn } from "./context.js";

interface CommandEntry {
  readonly summary: string;
  readonly load: () => Promise<{ run: CommandFn }>;
}

export const COMMANDS: Readonly<Record<string, CommandEntry>> = {
  decay: {
    summary: "decay-correct an activity between two times",
    load: () => import("./commands/decay.js"),
  },
  info: {
    summary: "describe a PET/CT study (DICOM, NIfTI, Inveon, Interfile)",
    load: () => import("./commands/info.js"),
  },
  convert: {
    summary: "convert a study to NIfTI (.nii/.nii.gz)",
    load: () => import("./commands/convert.js"),
  },
  suv: { summary: "SUV scale factors of a PET series (QIBA)", load: () => import("./commands/suv.js") },
  quantify: {
    summary: "hypoxia read-out: VOIs, SUV, T/M, hypoxic volume, prognosis, report",
    load: () => import("./commands/quantify.js"),
  },
  demo: {
    summary: "run quantify on the built-in synthetic Cu-ATSM study and write a report",
    load: () => import("./commands/demo.js"),
  },
  twin: {
    summary: "digital twin: cell assay, xenograft T/M, synthetic studies",
    load: () => import("./commands/twin.js"),
  },
  radiolabel: {
    summary: "radiolabelling planner, chromatogram QC, batch record",
    load: () => import("./commands/radiolabel.js"),
  },
  assay: { summary: "in-vitro uptake/retention assay analysis", load: () => import("./commands/assay.js") },
  serve: {
    summary: "web Workbench: HTTP API, web app and database",
    load: () => import("./commands/serve.js"),
  },
};

function usage(): string {
  const lines = Object.entries(COMMANDS).map(([name, c]) => `  ${name.padEnd(12)} ${c.summary}`);
  return `ATSM Workbench — Cu-ATSM hypoxia imaging and theranostics\n\nusage: atsm <command> [options]\n\ncommands:\n${lines.join("\n")}\n\nRun 'atsm <command> --help' for a command's options.\n`;
}

/** Run the CLI in-process; returns the exit code. */
export async function runCli(argv: readonly string[], ctx: CliContext): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === "--help" || name === "-h" || name === "help") {
    ctx.stdout(usage());
    return name === undefined ? 1 : 0;
  }
  if (name === "--version") {
    ctx.stdout("atsm-workbench 0.1.0\n");
    return 0;
  }
  const entry = COMMANDS[name];
  if (entry === undefined) {
    ctx.stderr(
      `error: unknown command ${JSON.stringify(name)}\nhint: one of ${Object.keys(COMMANDS).join(", ")}\n`,
    );
    return 2;
  }
  try {
    const mod = await entry.load();
    return await mod.run(rest, ctx);
  } catch (e) {
    if (isAtsmError(e)) {
      ctx.stderr(`error: ${e.message}\n${e.hint ? `hint: ${e.hint}\n` : ""}`);
      return 2;
    }
    ctx.stderr(
      `internal error: ${(e as Error)?.stack ?? String(e)}\nThis is a bug; please report it with the command you ran.\n`,
    );
    return 70;
  }
}

function isMain(): boolean {
  const arg = process.argv[1];
  if (arg === undefined) return false;
  try {
    return realpathSync(arg) === realpathSync(fileURLToPath(import.meta.url));
  } catch {
    return false;
  }
}

if (isMain()) {
  const ctx: CliContext = {
    stdout: (t) => process.stdout.write(t),
    stderr: (t) => process.stderr.write(t),
    cwd: process.cwd(),
    isTty: Boolean(process.stderr.isTTY),
  };
  runCli(process.argv.slice(2), ctx).then(
    (code) => {
      process.exitCode = code;
    },
    (e) => {
      process.stderr.write(`internal error: ${String(e)}\n`);
      process.exitCode = 70;
    },
  );
}
