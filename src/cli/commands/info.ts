/**
 * `atsm info <path> [--json]`: what a study holds — series, modality, grid, orientation, PET
 * radiopharmaceutical, injected activity and times, frames, and SUV factors when computable.
 */
import { isAtsmError } from "../../core/errors.js";
import { axisCodes, slicePlane } from "../../image/orientation.js";
import { loadStudy } from "../../io/study.js";
import type { LoadedSeries } from "../../io/types.js";
import { computeSuvScaleFactors, isoUtc } from "../../quant/suv/index.js";
import { type CliContext, parseCommandArgs } from "../context.js";
import { progressBar } from "../progress.js";

const HELP = `usage: atsm info <path> [--json]

Describe a PET/CT study: a DICOM folder or file, .nii/.nii.gz, Inveon .img(+.img.hdr) or
Interfile .hv/.h33. For each series: modality, dimensions, spacing (mm), orientation (LPS),
units, frames, and for PET the radiopharmaceutical, injected activity and times and the SUV scale
factors when the header has what they need (see 'atsm suv' to supply missing values).

options:
  --json    print one JSON object { "path", "series": [...] }
  --help    this text
`;

const OPTIONS = { json: { type: "boolean" }, help: { type: "boolean", short: "h" } } as const;

const round = (x: number, d = 6) => Number(x.toFixed(d));
const iso = (ms: number | null | undefined) => (ms === null || ms === undefined ? null : isoUtc(ms));

/** Plain-data summary of one series (the JSON form). */
export function describeSeries(s: LoadedSeries): Record<string, unknown> {
  const v = s.volume;
  const d = v.direction;
  const out: Record<string, unknown> = {
    source: s.source,
    format: s.format,
    modality: s.modality,
    seriesInstanceUid: s.seriesInstanceUid,
    seriesDescription: s.seriesDescription,
    dims: [...v.dims],
    spacingMm: v.spacingMm.map((x) => round(x)),
    originMm: v.originMm.map((x) => round(x)),
    direction: [...d].map((x) => round(x, 9)),
    orientation: { plane: slicePlane(v), axes: axisCodes(v) },
    unit: v.unit,
    frames: s.dynamic === null ? 1 : s.dynamic.frameStartS.length,
  };
  if (s.dynamic !== null) {
    out.frameStartS = [...s.dynamic.frameStartS];
    out.frameDurationS = [...s.dynamic.frameDurationS];
    out.decayCorrectedToS = s.dynamic.decayCorrectedToS;
  }
  if (s.frameStartEpochMs !== null) out.frameStart = s.frameStartEpochMs.map((t) => isoUtc(t));
  const p = s.petInstances[0];
  if (p !== undefined) {
    out.pet = {
      radiopharmaceutical: p.Radiopharmaceutical,
      nuclide: p.RadionuclideCodeMeaning,
      halfLifeS: p.RadionuclideHalfLife,
      injectedActivityBq: p.RadionuclideTotalDose,
      injectedActivityMBq: p.RadionuclideTotalDose === null ? null : p.RadionuclideTotalDose / 1e6,
      injectionTime: iso(p.RadiopharmaceuticalStartDateTimeMs),
      seriesTime: iso(p.SeriesDateTimeMs),
      acquisitionTime: iso(p.AcquisitionDateTimeMs),
      timezoneOffsetFromUtc: p.TimezoneOffsetFromUTC,
      units: p.Units,
      decayCorrection: p.DecayCorrection,
      correctedImage: p.CorrectedImage,
      manufacturer: p.Manufacturer,
      patientWeightKg: p.PatientWeight,
      patientHeightM: p.PatientSize,
      patientSex: p.PatientSex,
    };
    try {
      const r = computeSuvScaleFactors(s.petInstances);
      out.suv = {
        suvBwScaleFactor: r.suvBwScaleFactor,
        suvLbmJanmaScaleFactor: r.suvLbmJanmaScaleFactor,
        suvLbmJamesScaleFactor: r.suvLbmJamesScaleFactor,
        suvBsaScaleFactor: r.suvBsaScaleFactor,
        decayCorrection: r.decayCorrection,
        decayFactor: r.decayFactor,
        scanTime: iso(r.scanTimeMs),
        scanTimeRule: r.scanTimeRule,
        perInstance: r.perInstance !== null,
      };
    } catch (e) {
      if (!isAtsmError(e)) throw e;
      out.suv = null;
      out.suvUnavailable = `${e.message}${e.hint ? ` (${e.hint})` : ""}`;
    }
  }
  out.warnings = s.warnings;
  return out;
}

function text(
  path: string,
  series: readonly LoadedSeries[],
  rows: readonly Record<string, unknown>[],
): string {
  const lines = [`${path}: ${series.length} series`];
  series.forEach((s, n) => {
    const r = rows[n]!;
    const v = s.volume;
    const o = r.orientation as { plane: string; axes: string };
    lines.push(
      "",
      `[${n + 1}] ${s.modality} "${s.seriesDescription}" (${s.format}${s.seriesInstanceUid ? `, ${s.seriesInstanceUid}` : ""})`,
      `    grid      ${v.dims.join(" × ")} voxels, spacing ${v.spacingMm.map((x) => round(x, 4)).join(" × ")} mm`,
      `    origin    ${v.originMm.map((x) => round(x, 3)).join(", ")} mm (LPS, centre of voxel 0)`,
      `    plane     ${o.plane}, axes i/j/k → ${o.axes.split("").join("/")}`,
      `    unit      ${v.unit}`,
    );
    if (s.dynamic !== null) {
      const d = s.dynamic;
      // frameStartS is on each reader's own axis (DICOM: from injection, Inveon: from scan start).
      // With absolute frame times and an injection time, say "after injection" unambiguously.
      const inj = s.petInstances[0]?.RadiopharmaceuticalStartDateTimeMs ?? null;
      const starts =
        s.frameStartEpochMs !== null && inj !== null
          ? `starts ${s.frameStartEpochMs.map((t) => round((t - inj) / 1000, 1)).join(", ")} s after injection`
          : `starts ${[...d.frameStartS].map((t) => round(t, 1)).join(", ")} s on the file's time axis (no injection time in the header)`;
      lines.push(
        `    frames    ${d.frameStartS.length}: ${starts}, durations ${[...d.frameDurationS].map((t) => round(t, 1)).join(", ")} s`,
      );
    }
    const pet = r.pet as Record<string, unknown> | undefined;
    if (pet !== undefined) {
      lines.push(
        `    tracer    ${pet.radiopharmaceutical ?? "?"} (${pet.nuclide ?? "nuclide ?"}, T½ ${pet.halfLifeS ?? "?"} s)`,
        `    injected  ${pet.injectedActivityMBq === null ? "?" : `${round(pet.injectedActivityMBq as number, 3)} MBq`} at ${pet.injectionTime ?? "?"}`,
        `    series    ${pet.seriesTime ?? "?"}; units ${pet.units ?? "?"}, decay correction ${pet.decayCorrection ?? "?"}`,
        `    patient   weight ${pet.patientWeightKg === null ? "unknown" : `${pet.patientWeightKg} kg`}, height ${pet.patientHeightM === null ? "unknown" : `${pet.patientHeightM} m`}, sex ${pet.patientSex ?? "unknown"}`,
      );
      const suv = r.suv as Record<string, unknown> | null;
      if (suv !== null && suv !== undefined) {
        lines.push(
          `    SUV       bw ×${(suv.suvBwScaleFactor as number).toExponential(5)} g/Bq, decay ${suv.decayCorrection}, scan time ${suv.scanTime ?? "?"} (${suv.scanTimeRule})`,
        );
      } else lines.push(`    SUV       not computable: ${r.suvUnavailable as string}`);
    }
    for (const w of s.warnings.slice(0, 5)) lines.push(`    warning   ${w}`);
    if (s.warnings.length > 5) lines.push(`    warning   ... and ${s.warnings.length - 5} more`);
  });
  return `${lines.join("\n")}\n`;
}

export async function run(argv: readonly string[], ctx: CliContext): Promise<number> {
  const { values, positionals } = parseCommandArgs("info", argv, OPTIONS);
  if (values.help === true) {
    ctx.stdout(HELP);
    return 0;
  }
  const path = positionals[0];
  if (path === undefined || positionals.length > 1) {
    ctx.stderr(`error: atsm info takes one path\n${HELP}`);
    return 2;
  }
  const bar = progressBar(ctx, "reading");
  const series = await loadStudy(path, { onProgress: bar });
  bar.done();
  const rows = series.map(describeSeries);
  if (values.json === true) ctx.stdout(`${JSON.stringify({ path, series: rows }, null, 2)}\n`);
  else ctx.stdout(text(path, series, rows));
  return 0;
}
