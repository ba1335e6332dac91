/**
 * BioTek/Agilent Gen5 plate-reader text export (tab-separated), the endpoint "Results" matrix
 * (lab-formats.md §2.1; structure as allotropy's test file
 * `tests/parsers/agilent_gen5/testdata/absorbance/endpoint_stdcurve_singleplate_2.txt`):
 *
 * ```
 * Results
 * \t1\t2\t…\t12
 * A\t3.411\t3.329\t…\t450nm:450            ← raw read, label in the last column
 * \t3.410\t3.329\t…\tBlank 450nm:450       ← blank-subtracted
 * \t1014.822\t…\t[Concentration]           ← Gen5's own interpolation
 * B\t…
 * ```
 * Each plate row holds several labelled rows; we take the one whose label equals `label`
 * (default: the first label of row A, the raw read). Wells are named A1…H12.
 */
import { AtsmError } from "../../core/errors.js";
import type { ProteinReading } from "../../lab/assay/types.js";

/** True for a Gen5 export (has "Software Version" and a "Results" line). */
export function isGen5Text(text: string): boolean {
  return /^\s*Software Version\t/m.test(text) && /^Results\s*$/m.test(text);
}

export function readGen5Results(
  text: string,
  options: { file?: string; label?: string } = {},
): ProteinReading[] {
  const file = options.file;
  const lines = text.split(/\r\n|\n|\r/);
  const fail = (message: string, row: number | undefined, hint: string): AtsmError =>
    new AtsmError({
      code: "PARSE_ERROR",
      message,
      ...(file !== undefined ? { file } : {}),
      ...(row !== undefined ? { row } : {}),
      hint,
    });
  const start = lines.findIndex((l) => l.trim() === "Results");
  if (start < 0)
    throw fail("Gen5 export has no Results section", undefined, "export the plate with the Results matrix");
  const header = (lines[start + 1] ?? "").split("\t");
  const cols = header.slice(1).map((c) => c.trim());
  if (cols.length === 0 || !cols.every((c) => /^\d{1,2}$/.test(c))) {
    throw fail(
      "Gen5 Results header is not a column-number row",
      start + 2,
      "expected a tab, then 1, 2, …, 12",
    );
  }
  let label = options.label;
  let plateRow = "";
  const out: ProteinReading[] = [];
  for (let i = start + 2; i < lines.length && i < start + 2 + 16 * 20; i++) {
    const line = lines[i]!;
    if (line.trim() === "") break; // end of the block
    const cells = line.split("\t");
    const first = cells[0]!.trim();
    if (/^[A-P]$/.test(first)) plateRow = first;
    else if (first !== "") break;
    if (plateRow === "")
      throw fail(
        "Gen5 Results row without a plate-row letter",
        i + 1,
        "the first data row must start with A",
      );
    const rowLabel = (cells[cols.length + 1] ?? "").trim();
    label ??= rowLabel;
    if (rowLabel !== label) continue;
    for (let j = 0; j < cols.length; j++) {
      const t = (cells[j + 1] ?? "").trim();
      if (t === "" || t === "?????" || t.toUpperCase() === "OVRFLW") continue;
      const v = Number(t);
      if (!Number.isFinite(v)) {
        throw new AtsmError({
          code: "PARSE_ERROR",
          message: `not a number in Gen5 Results, well ${plateRow}${cols[j]}`,
          value: t,
          ...(file !== undefined ? { file } : {}),
          row: i + 1,
          field: `${plateRow}${cols[j]}`,
          hint: "re-export the plate; overflow (OVRFLW) and ????? cells are skipped, other text is not",
        });
      }
      out.push({
        well: `${plateRow}${Number(cols[j])}`,
        absorbance: v,
        source: { ...(file !== undefined ? { file } : {}), row: i + 1 },
      });
    }
  }
  if (out.length === 0)
    throw fail(`no Gen5 Results rows labelled ${JSON.stringify(label)}`, start + 1, "check --protein-label");
  return out;
}
