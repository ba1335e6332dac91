/**
 * A terminal progress bar on stderr for the one `ProgressFn` callback type. On a TTY it redraws in
 * place; otherwise it prints a line at each 10 % step so logs stay short.
 */
import type { ProgressFn } from "../core/types.js";
import type { CliContext } from "./context.js";

export function progressBar(ctx: CliContext, title: string): ProgressFn & { done(): void } {
  let lastDecile = -1;
  let lastDraw = 0;
  const width = 30;
  const fn = ((fraction: number, label?: string) => {
    const f = Math.min(1, Math.max(0, Number.isFinite(fraction) ? fraction : 0));
    if (ctx.isTty) {
      if (f < 1 && f - lastDraw < 0.005) return;
      lastDraw = f;
      const filled = Math.round(f * width);
      ctx.stderr(
        `\r${title} [${"#".repeat(filled)}${"-".repeat(width - filled)}] ${(f * 100).toFixed(0).padStart(3)}% ${label ?? ""}`.padEnd(
          100,
        ),
      );
    } else {
      const decile = Math.floor(f * 10);
      if (decile > lastDecile) {
        lastDecile = decile;
        ctx.stderr(`${title}: ${decile * 10}%${label ? ` ${label}` : ""}\n`);
      }
    }
  }) as ProgressFn & { done(): void };
  fn.done = () => {
    if (ctx.isTty) ctx.stderr("\n");
  };
  return fn;
}
