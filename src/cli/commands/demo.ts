// Placeholder until the command lands; replaced by its implementation.
import { AtsmError } from "../../core/errors.js";
import type { CliContext } from "../context.js";

export async function run(_argv: readonly string[], _ctx: CliContext): Promise<number> {
  throw new AtsmError({ code: "UNSUPPORTED", message: "atsm demo is not implemented yet" });
}
