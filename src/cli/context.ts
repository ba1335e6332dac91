/**
 * What a CLI command gets from the shell: output sinks and the working directory. Commands never
 * touch process.stdout directly so that tests can run them in-process.
 */
import { parseArgs } from "node:util";
import { AtsmError } from "../core/errors.js";

export interface CliContext {
  readonly stdout: (text: string) => void;
  readonly stderr: (text: string) => void;
  readonly cwd: string;
  /** True when stderr is an interactive terminal (progress bars redraw in place). */
  readonly isTty: boolean;
}

/** A command: parses its own argv (everything after the command name) and returns an exit code. */
export type CommandFn = (argv: readonly string[], ctx: CliContext) => Promise<number>;

export type OptionSpec = Record<
  string,
  { type: "string" | "boolean"; short?: string; multiple?: boolean; default?: string | boolean }
>;

/**
 * node:util parseArgs with errors turned into AtsmError naming the flag and listing the accepted
 * ones.
 */
export function parseCommandArgs<T extends OptionSpec>(
  command: string,
  argv: readonly string[],
  options: T,
  allowPositionals = true,
): { values: Record<string, string | boolean | string[] | boolean[] | undefined>; positionals: string[] } {
  try {
    const r = parseArgs({ args: [...argv], options, allowPositionals, strict: true });
    return {
      values: r.values as Record<string, string | boolean | string[] | boolean[] | undefined>,
      positionals: r.positionals,
    };
  } catch (e) {
    const accepted = Object.keys(options)
      .map((k) => `--${k}`)
      .join(", ");
    const msg = (e as Error).message;
    // "--activity 185 MBq": the unit became a stray positional argument.
    const strayUnit = /Unexpected argument '([a-zA-Zµμ]+)'/.exec(msg);
    const unitHint = strayUnit
      ? `write a quantity and its unit without a space (e.g. 185${strayUnit[1]}) or quote it; `
      : "";
    throw new AtsmError({
      code: "INVALID_ARGUMENT",
      message: `atsm ${command}: ${msg}`,
      hint: `${unitHint}accepted options: ${accepted}; run 'atsm ${command} --help'`,
    });
  }
}

/** Read a required string flag or throw naming it. */
export function requireString(
  values: Record<string, unknown>,
  name: string,
  command: string,
  hint?: string,
): string {
  const v = values[name];
  if (typeof v !== "string" || v === "") {
    throw new AtsmError({
      code: "MISSING_INPUT",
      message: `atsm ${command}: missing --${name}`,
      field: `--${name}`,
      hint: hint ?? `pass --${name} VALUE; run 'atsm ${command} --help'`,
    });
  }
  return v;
}

/** Optional string flag. */
export function optionalString(values: Record<string, unknown>, name: string): string | undefined {
  const v = values[name];
  return typeof v === "string" && v !== "" ? v : undefined;
}
