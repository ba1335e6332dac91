/**
 * `atsm convert <in> <out.nii[.gz]> [--series UID | --modality PT|CT]`: one series of a study to
 * NIfTI (4-D for dynamic PET), with a BIDS-PET sidecar carrying the PET header (tracer, injected
 * activity, injection and scan times, decay correction, body weight) so SUV survives the trip.
 */
import { AtsmError } from "../../core/errors.js";
import { writeNifti } from "../../io/nifti/index.js";
import { loadStudy, pickCtSeries, pickPetSeries } from "../../io/study.js";
import type { LoadedSeries } from "../../io/types.js";
import { type CliContext, optionalString, parseCommandArgs } from "../context.js";
import { progressBar } from "../progress.js";

const HELP = `usage: atsm convert <in> <out.nii|out.nii.gz> [--series UID | --modality PT|CT] [--json]

Convert one series of a study (DICOM folder/file, NIfTI, Inveon, Interfile) to NIfTI-1 float32,
LPS → RAS as nibabel/dcm2niix do. A dynamic PET becomes 4-D. PET header fields go to a BIDS-PET
sidecar <out>.json (TimeZero = injection, InjectionStart, ScanStart, FrameTimesStart,
InjectedRadioactivity, TracerRadionuclide, BodyWeight, ImageDecayCorrected, ...).

options:
  --series UID       which series (default: the only one, else the PET series)
  --modality PT|CT   pick the largest series of this modality
  --json             print { "input", "output", "series", "dims", "frames" }
  --help             this text
`;

const OPTIONS = {
  series: { type: "string" },
  modality: { type: "string" },
  json: { type: "boolean" },
  help: { type: "boolean", short: "h" },
} as const;

/** "^64^Copper" / "Cu-64 ATSM" → "Cu-64"; null when not recognised. */
export function nuclideFromHeader(
  codeMeaning: string | null,
  radiopharmaceutical: string | null,
): string | null {
  const SYMBOL: Record<string, string> = {
    copper: "Cu",
    fluorine: "F",
    gallium: "Ga",
    zirconium: "Zr",
    carbon: "C",
    oxygen: "O",
    nitrogen: "N",
    iodine: "I",
  };
  const m = /^\^(\d+)\^([A-Za-z]+)$/.exec((codeMeaning ?? "").trim());
  if (m !== null) {
    const sym = SYMBOL[m[2]!.toLowerCase()];
    if (sym !== undefined) return `${sym}-${m[1]}`;
  }
  const r = /\b([A-Z][a-z]?)-?(\d{1,3})\b/.exec(radiopharmaceutical ?? "");
  return r === null ? null : `${r[1]}-${r[2]}`;
}

function hms(ms: number): { date: string; clock: string } {
  const iso = new Date(ms).toISOString();
  return { date: iso.slice(0, 10), clock: iso.slice(11, 19) };
}

/** BIDS-PET sidecar keys from the first PET instance (times relative to the injection). */
export function bidsFromPet(s: LoadedSeries): Record<string, unknown> {
  const p = s.petInstances[0];
  const out: Record<string, unknown> = { Modality: s.modality, SeriesDescription: s.seriesDescription };
  if (p === undefined) return out;
  if (p.Manufacturer !== null) out.Manufacturer = p.Manufacturer;
  if (p.Radiopharmaceutical !== null) out.TracerName = p.Radiopharmaceutical;
  const nuclide = nuclideFromHeader(p.RadionuclideCodeMeaning, p.Radiopharmaceutical);
  if (nuclide !== null) out.TracerRadionuclide = nuclide;
  if (p.RadionuclideTotalDose !== null) {
    out.InjectedRadioactivity = p.RadionuclideTotalDose / 1e6; // Bq -> MBq
    out.InjectedRadioactivityUnits = "MBq";
  }
  if (p.PatientWeight !== null) out.BodyWeight = p.PatientWeight;
  if (p.PatientSize !== null) out.BodyHeight = p.PatientSize;
  // Not a BIDS-PET key (BIDS keeps sex in participants.tsv); written so SUL survives a round trip.
  if (p.PatientSex !== null) out.PatientSex = p.PatientSex;
  out.AttenuationCorrection = p.CorrectedImage.includes("ATTN") ? "measured" : "none";
  const inj = p.RadiopharmaceuticalStartDateTimeMs;
  const scan = p.SeriesDateTimeMs ?? p.AcquisitionDateTimeMs;
  if (inj !== null) {
    const t = hms(inj);
    out.ScanDate = t.date;
    out.TimeZero = t.clock;
    out.InjectionStart = 0;
    if (scan !== null) out.ScanStart = (scan - inj) / 1000; // ms -> s
    if (s.dynamic === null && scan !== null) {
      out.FrameTimesStart = [(scan - inj) / 1000];
      out.FrameDuration = [
        p.ActualFrameDuration !== null && p.ActualFrameDuration > 0 ? p.ActualFrameDuration / 1000 : 1,
      ];
    }
    const dc = p.DecayCorrection;
    if (s.dynamic === null) {
      out.ImageDecayCorrected = dc === "START" || dc === "ADMIN";
      if (dc === "ADMIN") out.ImageDecayCorrectionTime = 0;
      if (dc === "START" && scan !== null) out.ImageDecayCorrectionTime = (scan - inj) / 1000;
    }
  }
  return out;
}

function choose(
  series: readonly LoadedSeries[],
  uid: string | undefined,
  modality: string | undefined,
): LoadedSeries {
  if (uid !== undefined) return pickPetSeries(series, { seriesInstanceUid: uid });
  if (modality !== undefined) {
    const m = modality.toUpperCase();
    if (m === "PT") return pickPetSeries(series);
    if (m === "CT") return pickCtSeries(series);
    throw new AtsmError({
      code: "INVALID_ARGUMENT",
      message: "--modality must be PT or CT",
      value: modality,
      field: "--modality",
    });
  }
  if (series.length === 1) return series[0]!;
  if (series.some((s) => s.modality === "PT")) return pickPetSeries(series);
  throw new AtsmError({
    code: "INVALID_ARGUMENT",
    message: `the study holds ${series.length} series; say which one to convert`,
    field: "--series",
    hint: `pass --series UID or --modality PT|CT; series: ${series.map((s) => `${s.modality} ${s.seriesInstanceUid ?? s.seriesDescription}`).join(", ")}`,
  });
}

export async function run(argv: readonly string[], ctx: CliContext): Promise<number> {
  const { values, positionals } = parseCommandArgs("convert", argv, OPTIONS);
  if (values.help === true) {
    ctx.stdout(HELP);
    return 0;
  }
  const [input, output] = positionals;
  if (input === undefined || output === undefined || positionals.length > 2) {
    ctx.stderr(`error: atsm convert takes an input and an output path\n${HELP}`);
    return 2;
  }
  const bar = progressBar(ctx, "reading");
  const series = await loadStudy(input, { onProgress: bar });
  bar.done();
  const s = choose(series, optionalString(values, "series"), optionalString(values, "modality"));
  const vol = s.dynamic ?? s.volume;
  const opts: { description: string; modality: string; bidsSidecar?: Record<string, unknown> } = {
    description: s.seriesDescription.slice(0, 79),
    modality: s.modality,
  };
  if (s.modality === "PT") opts.bidsSidecar = bidsFromPet(s);
  await writeNifti(output, vol, opts);
  const frames = s.dynamic === null ? 1 : s.dynamic.frameStartS.length;
  if (values.json === true) {
    ctx.stdout(
      `${JSON.stringify({ input, output, series: s.seriesInstanceUid ?? s.seriesDescription, modality: s.modality, dims: s.volume.dims, frames, unit: s.volume.unit })}\n`,
    );
  } else {
    ctx.stdout(
      `wrote ${output}: ${s.modality} "${s.seriesDescription}" ${s.volume.dims.join("×")}${frames > 1 ? `×${frames} frames` : ""} ${s.volume.unit}\n`,
    );
  }
  return 0;
}
