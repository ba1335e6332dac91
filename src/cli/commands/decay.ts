/**
 * `atsm decay`: decay an activity measured at one time to another time.
 *
 *   atsm decay --nuclide Cu-64 --activity 185MBq --at 2025-03-01T08:00:00Z \
 *              --to 2025-03-01T20:42:00Z [--json]
 *
 * Either --to (ISO time) or --elapsed (duration, e.g. 12.7h) gives the target time. A target before
 * --at decays backwards (decay factor > 1), e.g. to find the activity at calibration time.
 */
import { AtsmError } from "../../core/errors.js";
import {
  ACCEPTED_DURATION_UNITS,
  parseActivityBq,
  parseDurationS,
  parseIsoTimeMs,
} from "../../core/units.js";
import { activityAt, bqToMci, decayFactor, getNuclide } from "../../physics/index.js";
import { type CliContext, optionalString, parseCommandArgs, requireString } from "../context.js";

const HELP = `usage: atsm decay --nuclide NAME --activity A --at TIME (--to TIME | --elapsed DURATION) [--json]

Decay-correct an activity between two times: A(to) = A(at) · 2^(−Δt/T½).

options:
  --nuclide NAME     Cu-64 (or 64Cu, cu64, ^64^Copper, C-127A2), Cu-60, Cu-61, Cu-62, Cu-67,
                     F-18, Ga-68, Zr-89, C-11, O-15, N-13, I-124
  --activity A       activity at --at, e.g. 185MBq, 5mCi, 200uCi, 1.2e9 (Bq)
  --at TIME          time of the measurement, ISO-8601 with zone: 2025-03-01T08:00:00Z
  --to TIME          target time (ISO-8601 with zone); may be before --at (decays backwards)
  --elapsed DURATION target = at + DURATION instead of --to (e.g. 12.7h, 90m; ${ACCEPTED_DURATION_UNITS})
  --json             print one JSON object
  --help             this text

Half-lives are ICRP-107 (see docs/physics.md).
`;

const OPTIONS = {
  nuclide: { type: "string" },
  activity: { type: "string" },
  at: { type: "string" },
  to: { type: "string" },
  elapsed: { type: "string" },
  json: { type: "boolean" },
  help: { type: "boolean", short: "h" },
} as const;

export async function run(argv: readonly string[], ctx: CliContext): Promise<number> {
  const { values } = parseCommandArgs("decay", argv, OPTIONS, false);
  if (values.help === true) {
    ctx.stdout(HELP);
    return 0;
  }
  const nuclide = getNuclide(requireString(values, "nuclide", "decay"), "--nuclide");
  const activityBq = parseActivityBq(requireString(values, "activity", "decay"), "--activity");
  const atText = requireString(values, "at", "decay");
  const atMs = parseIsoTimeMs(atText, "--at");
  const toText = optionalString(values, "to");
  const elapsedText = optionalString(values, "elapsed");
  if ((toText === undefined) === (elapsedText === undefined)) {
    throw new AtsmError({
      code: toText === undefined ? "MISSING_INPUT" : "INVALID_ARGUMENT",
      message: "atsm decay: give exactly one of --to TIME or --elapsed DURATION",
      field: "--to",
      hint: "e.g. --to 2025-03-01T20:42:00Z or --elapsed 12.7h",
    });
  }
  const elapsedS =
    toText !== undefined
      ? (parseIsoTimeMs(toText, "--to") - atMs) / 1000
      : parseDurationS(elapsedText!, "--elapsed");
  const toMs = atMs + elapsedS * 1000;
  // ECMAScript dates end at ±8.64e15 ms (year ±275760); past that the target time cannot be written.
  if (!(Math.abs(toMs) <= 8.64e15)) {
    throw new AtsmError({
      code: "INVALID_ARGUMENT",
      message: `atsm decay: the target time is out of range (${elapsedS.toExponential(3)} s from --at)`,
      value: elapsedText ?? toText,
      field: elapsedText !== undefined ? "--elapsed" : "--to",
      hint: "give an elapsed time of at most a few thousand years, e.g. --elapsed 12.7h or --elapsed 30d",
    });
  }
  const factor = decayFactor(nuclide.halfLifeS, elapsedS);
  const outBq = activityAt(activityBq, nuclide.halfLifeS, elapsedS);
  const result = {
    nuclide: nuclide.name,
    activityBq: outBq,
    elapsedS,
    decayFactor: factor,
    activityMBq: outBq / 1e6,
    activityMCi: bqToMci(outBq),
    initialActivityBq: activityBq,
    at: new Date(atMs).toISOString(),
    to: new Date(toMs).toISOString(),
    halfLifeS: nuclide.halfLifeS,
    source: nuclide.source,
  };
  if (values.json === true) {
    ctx.stdout(`${JSON.stringify(result, null, 2)}\n`);
    return 0;
  }
  const dir = elapsedS < 0 ? " (target before measurement: decayed backwards)" : "";
  ctx.stdout(
    `${nuclide.name} (T½ ${fmt(nuclide.halfLifeS / 3600)} h, ${nuclide.source})\n` +
      `  ${fmt(activityBq / 1e6)} MBq (${fmt(bqToMci(activityBq))} mCi) at ${result.at}\n` +
      `  ${fmt(outBq / 1e6)} MBq (${fmt(bqToMci(outBq))} mCi) at ${result.to}\n` +
      `  elapsed ${fmt(elapsedS)} s = ${fmt(elapsedS / 3600)} h, decay factor ${fmt(factor)}${dir}\n`,
  );
  return 0;
}

function fmt(x: number): string {
  return Number(x.toPrecision(6)).toString();
}
