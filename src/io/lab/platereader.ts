/**
 * Plate-reader absorbance for the protein assay. Two layouts are accepted:
 * - long: `well,absorbance` (one row per reading; repeated wells are replicate readings);
 * - grid: the 8 × 12 block most readers export, a header row `,1,2,…,12` and rows `A…H` (as in
 *   the Gen5 / SoftMax Pro result matrices, lab-formats.md §2.1–2.2), wells named A1…H12. Empty
 *   cells are unread wells;
 * - a BioTek/Agilent Gen5 text export (platereader-gen5.ts), raw read of its Results matrix.
 */
import { AtsmError } from "../../core/errors.js";
import type { ProteinReading } from "../../lab/assay/types.js";
import { type CsvOptions, parseCsv } from "../csv.js";
import { isGen5Text, readGen5Results } from "./platereader-gen5.js";

export function readPlateAbsorbance(text: string, options: CsvOptions = {}): ProteinReading[] {
  if (isGen5Text(text))
    return readGen5Results(text, options.file !== undefined ? { file: options.file } : {});
  const t = parseCsv(text, options);
  const file = options.file;
  const src = (row: number) => ({ ...(file !== undefined ? { file } : {}), row });
  if (t.has("well") && t.has("absorbance")) {
    const cWell = t.column("well");
    const cAbs = t.column("absorbance");
    return t.rows.map((row) => ({
      well: t.requiredText(row, cWell),
      absorbance: t.number(row, cAbs),
      source: src(row.line),
    }));
  }
  const cols = t.header.slice(1).map((h) => h.trim());
  if (cols.length > 0 && cols.every((c) => /^\d{1,2}$/.test(c) || c === "")) {
    const out: ProteinReading[] = [];
    for (const row of t.rows) {
      const r = t.text(row, 0).toUpperCase();
      if (!/^[A-P]$/.test(r)) {
        throw new AtsmError({
          code: "PARSE_ERROR",
          message: "plate grid row label must be a letter A–P",
          value: t.text(row, 0),
          row: row.line,
          field: "row label",
          ...(file !== undefined ? { file } : {}),
          hint: "grid layout: header ,1,2,…,12 then rows A…H",
        });
      }
      for (let j = 0; j < cols.length; j++) {
        if (cols[j] === "") continue;
        const v = t.optionalNumber(row, j + 1);
        if (v !== null) out.push({ well: `${r}${Number(cols[j])}`, absorbance: v, source: src(row.line) });
      }
    }
    return out;
  }
  throw new AtsmError({
    code: "MISSING_INPUT",
    message: "protein file is neither `well,absorbance` nor an 8×12 grid",
    ...(file !== undefined ? { file } : {}),
    row: t.headerLine,
    field: "absorbance",
    hint: `found header ${t.header.map((h) => JSON.stringify(h)).join(", ")}; write a header well,absorbance or a grid header ,1,2,…,12`,
  });
}
