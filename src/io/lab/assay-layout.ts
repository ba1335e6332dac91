/**
 * Plate layout CSV of the uptake/retention assay. Required columns (exact names, any order, more
 * allowed): `well,role,condition,timeMin,replicate`. Optional: `standardFraction` (default 1),
 * `proteinUgPerMl`, `lysateVolumeMl`, `o2Percent`, `phase` (`uptake` default, or `efflux` for
 * wells harvested timeMin after medium replacement).
 */
import { AtsmError } from "../../core/errors.js";
import type { AssayPhase, LayoutWell, WellRole } from "../../lab/assay/types.js";
import { type CsvOptions, parseCsv } from "../csv.js";

const ROLES: readonly WellRole[] = ["sample", "background", "standard", "protein-standard"];

export function readAssayLayout(text: string, options: CsvOptions = {}): LayoutWell[] {
  const t = parseCsv(text, options);
  const cWell = t.column("well");
  const cRole = t.column("role");
  const cCond = t.column("condition");
  const cTime = t.column("timeMin");
  const cRep = t.column("replicate");
  const cFrac = t.optionalColumn("standardFraction");
  const cProt = t.optionalColumn("proteinUgPerMl");
  const cLys = t.optionalColumn("lysateVolumeMl");
  const cO2 = t.optionalColumn("o2Percent");
  const cPhase = t.optionalColumn("phase");
  const file = options.file;
  const out: LayoutWell[] = [];
  for (const row of t.rows) {
    const well = t.requiredText(row, cWell);
    const roleText = t.requiredText(row, cRole).toLowerCase();
    if (!(ROLES as readonly string[]).includes(roleText)) {
      throw new AtsmError({
        code: "PARSE_ERROR",
        message: `unknown role in column role`,
        value: t.text(row, cRole),
        row: row.line,
        field: "role",
        ...(file !== undefined ? { file } : {}),
        hint: `one of ${ROLES.join(", ")}`,
      });
    }
    const role = roleText as WellRole;
    const phaseText = cPhase >= 0 ? t.text(row, cPhase).toLowerCase() : "";
    if (phaseText !== "" && phaseText !== "uptake" && phaseText !== "efflux") {
      throw new AtsmError({
        code: "PARSE_ERROR",
        message: "unknown phase in column phase",
        value: t.text(row, cPhase),
        row: row.line,
        field: "phase",
        ...(file !== undefined ? { file } : {}),
        hint: "uptake (incubation with tracer) or efflux (after medium replacement); empty means uptake",
      });
    }
    const timeMin = t.optionalNumber(row, cTime);
    if (timeMin !== null && timeMin < 0) {
      throw new AtsmError({
        code: "INVALID_ARGUMENT",
        message: "timeMin must be ≥ 0",
        value: timeMin,
        row: row.line,
        field: "timeMin",
        ...(file !== undefined ? { file } : {}),
        hint: "minutes of incubation (or after medium replacement)",
      });
    }
    const condition = t.text(row, cCond);
    if (role === "sample" && condition === "") t.requiredText(row, cCond);
    const frac = cFrac >= 0 ? t.optionalNumber(row, cFrac) : null;
    if (frac !== null && !(frac > 0)) {
      throw new AtsmError({
        code: "INVALID_ARGUMENT",
        message: "standardFraction must be > 0",
        value: frac,
        row: row.line,
        field: "standardFraction",
        ...(file !== undefined ? { file } : {}),
        hint: "the fraction of the activity added per well that the standard holds, e.g. 0.1 (empty means 1)",
      });
    }
    const prot = cProt >= 0 ? t.optionalNumber(row, cProt) : null;
    if (role === "protein-standard" && prot === null) {
      if (cProt < 0)
        t.column("proteinUgPerMl", "protein-standard wells need a proteinUgPerMl column (µg/mL)");
      t.requiredText(row, cProt);
    }
    const lys = cLys >= 0 ? t.optionalNumber(row, cLys) : null;
    if (lys !== null && !(lys > 0)) {
      throw new AtsmError({
        code: "INVALID_ARGUMENT",
        message: "lysateVolumeMl must be > 0",
        value: lys,
        row: row.line,
        field: "lysateVolumeMl",
        ...(file !== undefined ? { file } : {}),
        hint: "lysate volume in mL, e.g. 0.5",
      });
    }
    out.push({
      well,
      role,
      condition,
      timeMin,
      replicate: t.text(row, cRep),
      standardFraction: frac ?? 1,
      proteinUgPerMl: prot,
      lysateVolumeMl: lys,
      o2Percent: cO2 >= 0 ? t.optionalNumber(row, cO2) : null,
      phase: (phaseText || "uptake") as AssayPhase,
      source: { ...(file !== undefined ? { file } : {}), row: row.line },
    });
  }
  // "hypoxic" and "Hypoxic" would become two groups of n = 1 with no test between them: a typo.
  const firstRow = new Map<string, { name: string; row: number }>();
  for (const w of out) {
    if (w.condition === "") continue;
    const key = w.condition.toLowerCase().replace(/\s+/g, " ");
    const seen = firstRow.get(key);
    if (seen === undefined) firstRow.set(key, { name: w.condition, row: w.source.row });
    else if (seen.name !== w.condition) {
      throw new AtsmError({
        code: "INCONSISTENT",
        message: `conditions ${JSON.stringify(seen.name)} (row ${seen.row}) and ${JSON.stringify(w.condition)} differ only in case or spacing`,
        value: w.condition,
        row: w.source.row,
        field: "condition",
        ...(file !== undefined ? { file } : {}),
        hint: `write the condition the same way in every row (e.g. ${JSON.stringify(seen.name)}); otherwise they become separate groups`,
      });
    }
  }
  if (out.length === 0) {
    throw new AtsmError({
      code: "MISSING_INPUT",
      message: "the layout has no wells",
      ...(file !== undefined ? { file } : {}),
      hint: "one row per well under the header",
    });
  }
  return out;
}
