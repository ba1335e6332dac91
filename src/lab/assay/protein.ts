/**
 * µg protein per sample well from a BCA/Bradford plate: standard curve from `protein-standard`
 * wells (layout `proteinUgPerMl`) and their absorbances, interpolation of each sample well's mean
 * absorbance, times the lysate volume: protein µg = concentration µg/mL × lysate volume mL.
 */
import { AtsmError } from "../../core/errors.js";
import {
  fitStandardCurve,
  interpolateConcentration,
  type StandardCurveResult,
} from "../protein/standard-curve.js";
import type { AssayOptions, AssayWarning, LayoutWell, ProteinReading } from "./types.js";

export interface ProteinResult {
  readonly curve: StandardCurveResult;
  readonly standards: readonly { well: string; concentrationUgPerMl: number; absorbance: number }[];
  /** Sample well → µg protein in the well (null when it could not be read back). */
  readonly proteinUg: ReadonlyMap<string, number | null>;
  readonly concentrationUgPerMl: ReadonlyMap<string, number | null>;
}

function loc(r: ProteinReading): { file?: string; row: number } {
  return { ...(r.source.file !== undefined ? { file: r.source.file } : {}), row: r.source.row };
}

export function computeProtein(
  layout: ReadonlyMap<string, LayoutWell>,
  readings: readonly ProteinReading[],
  options: AssayOptions,
  warnings: AssayWarning[],
): ProteinResult {
  const byWell = new Map<string, ProteinReading[]>();
  for (const r of readings) {
    const l = layout.get(r.well);
    if (l === undefined) {
      throw new AtsmError({
        code: "INCONSISTENT",
        message: `protein reading for well ${JSON.stringify(r.well)}, which is not in the plate layout`,
        ...loc(r),
        field: "well",
        hint: "add the well to the layout (role protein-standard with proteinUgPerMl, or the sample well it was taken from)",
      });
    }
    if (l.role === "background" || l.role === "standard") {
      warnings.push({
        code: "PROTEIN_IGNORED",
        well: r.well,
        ...loc(r),
        field: "absorbance",
        message: `protein reading of ${l.role} well ${r.well} is ignored`,
      });
      continue;
    }
    const g = byWell.get(r.well);
    if (g) g.push(r);
    else byWell.set(r.well, [r]);
  }
  const standards: { well: string; concentrationUgPerMl: number; absorbance: number }[] = [];
  for (const l of layout.values()) {
    if (l.role !== "protein-standard") continue;
    if (l.proteinUgPerMl === null) {
      throw new AtsmError({
        code: "MISSING_INPUT",
        message: `protein-standard well ${l.well} has no proteinUgPerMl`,
        ...(l.source.file !== undefined ? { file: l.source.file } : {}),
        row: l.source.row,
        field: "proteinUgPerMl",
        hint: "give the standard's concentration in µg/mL (e.g. 0, 125, 250, 500, 1000, 2000)",
      });
    }
    const rs = byWell.get(l.well);
    if (!rs) {
      warnings.push({
        code: "PROTEIN_STANDARD_UNREAD",
        well: l.well,
        message: `protein standard ${l.well} has no absorbance reading`,
      });
      continue;
    }
    for (const r of rs)
      standards.push({ well: l.well, concentrationUgPerMl: l.proteinUgPerMl, absorbance: r.absorbance });
  }
  let curve: StandardCurveResult;
  try {
    curve = fitStandardCurve(
      standards.map((s) => ({ concentrationUgPerMl: s.concentrationUgPerMl, absorbance: s.absorbance })),
      options.proteinModel ?? "auto",
    );
  } catch (e) {
    throw new AtsmError({
      code: "MISSING_INPUT",
      message: `cannot fit the protein standard curve: ${(e as Error).message}`,
      field: "protein-standard",
      hint: "list at least 4 protein-standard wells with distinct proteinUgPerMl in the layout and read them on the plate",
    });
  }
  if (curve.fit.r2 < 0.98) {
    warnings.push({
      code: "PROTEIN_CURVE_POOR",
      message: `protein standard curve R² = ${curve.fit.r2.toFixed(4)} (< 0.98): check the standards`,
    });
  }
  const proteinUg = new Map<string, number | null>();
  const conc = new Map<string, number | null>();
  for (const l of layout.values()) {
    if (l.role !== "sample") continue;
    const rs = byWell.get(l.well);
    if (!rs) {
      if (readings.length > 0)
        warnings.push({
          code: "PROTEIN_MISSING",
          well: l.well,
          ...(l.source.file !== undefined ? { file: l.source.file } : {}),
          row: l.source.row,
          message: `sample well ${l.well} has no protein reading: per-µg uptake not computed`,
        });
      proteinUg.set(l.well, null);
      conc.set(l.well, null);
      continue;
    }
    const a = rs.reduce((s, r) => s + r.absorbance, 0) / rs.length;
    const ip = interpolateConcentration(curve, a);
    const r0 = rs[0]!;
    if (ip.concentrationUgPerMl === null) {
      warnings.push({
        code: "PROTEIN_OUT_OF_RANGE",
        well: l.well,
        ...loc(r0),
        field: "absorbance",
        message: `well ${l.well}: absorbance ${a.toFixed(4)} cannot be read on the ${curve.fit.model} curve (${ip.reason}); per-µg uptake not computed`,
      });
      proteinUg.set(l.well, null);
      conc.set(l.well, null);
      continue;
    }
    if (ip.extrapolated) {
      warnings.push({
        code: "PROTEIN_EXTRAPOLATED",
        well: l.well,
        ...loc(r0),
        field: "absorbance",
        message: `well ${l.well}: absorbance ${a.toFixed(4)} is outside the standards (${curve.absorbanceMin.toFixed(4)}–${curve.absorbanceMax.toFixed(4)}); ${ip.concentrationUgPerMl.toFixed(1)} µg/mL is extrapolated`,
      });
    }
    const vol = l.lysateVolumeMl ?? options.lysateVolumeMl;
    if (vol === undefined || vol === null) {
      throw new AtsmError({
        code: "MISSING_INPUT",
        message: `no lysate volume for sample well ${l.well}`,
        ...(l.source.file !== undefined ? { file: l.source.file } : {}),
        row: l.source.row,
        field: "lysateVolumeMl",
        hint: "add a lysateVolumeMl column to the layout or pass --lysate-ml (e.g. 0.5)",
      });
    }
    const ug = ip.concentrationUgPerMl * vol;
    if (!(ug > 0)) {
      warnings.push({
        code: "PROTEIN_NONPOSITIVE",
        well: l.well,
        ...loc(r0),
        field: "absorbance",
        message: `well ${l.well}: protein ${ug.toFixed(2)} µg ≤ 0; per-µg uptake not computed`,
      });
      proteinUg.set(l.well, null);
    } else proteinUg.set(l.well, ug);
    conc.set(l.well, ip.concentrationUgPerMl);
  }
  return { curve, standards, proteinUg, concentrationUgPerMl: conc };
}
