/**
 * Molar masses computed from molecular formulas (the issue: "MW 260.4 g/mol for H2ATSM; compute,
 * don't trust").
 *
 * Standard atomic weights: IUPAC CIAAW conventional values (Prohaska et al., Pure Appl Chem
 * 2022;94:573, Table 3, "abridged/conventional" values): H 1.008, C 12.011, N 14.007, O 15.999,
 * S 32.06, Cl 35.45, Na 22.990, Cu 63.546.
 */
import { AtsmError } from "../../core/errors.js";

/** g/mol, CIAAW conventional standard atomic weights (see file header). */
export const ATOMIC_WEIGHT_G_PER_MOL: Readonly<Record<string, number>> = {
  H: 1.008,
  C: 12.011,
  N: 14.007,
  O: 15.999,
  S: 32.06,
  Cl: 35.45,
  Na: 22.99,
  Cu: 63.546,
};

/** Avogadro constant, 1/mol (exact, SI 2019 definition). */
export const AVOGADRO_PER_MOL = 6.02214076e23;

/**
 * H2ATSM = diacetyl-bis(N4-methylthiosemicarbazone), CH3C(=NNHC(S)NHCH3)C(=NNHC(S)NHCH3)CH3:
 * C8H16N6S2. Cu(II)-ATSM loses the two hydrazinic protons: CuC8H14N6S2.
 */
export const H2ATSM_FORMULA = "C8H16N6S2";
export const CU_ATSM_FORMULA = "CuC8H14N6S2";

/** Molar mass (g/mol) of a simple formula like "C8H16N6S2" (no brackets). */
export function molarMassGPerMol(formula: string): number {
  const re = /([A-Z][a-z]?)(\d*)/g;
  let total = 0;
  let consumed = 0;
  for (const m of formula.matchAll(re)) {
    if (m[0] === "") continue;
    const el = m[1]!;
    const w = ATOMIC_WEIGHT_G_PER_MOL[el];
    if (w === undefined) {
      throw new AtsmError({
        code: "INVALID_ARGUMENT",
        message: `unknown element ${el} in formula`,
        value: formula,
        field: "formula",
        hint: `known elements: ${Object.keys(ATOMIC_WEIGHT_G_PER_MOL).join(", ")}`,
      });
    }
    total += w * (m[2] === "" ? 1 : Number(m[2]));
    consumed += m[0].length;
  }
  if (consumed !== formula.length || total === 0) {
    throw new AtsmError({
      code: "INVALID_ARGUMENT",
      message: "cannot parse molecular formula",
      value: formula,
      field: "formula",
    });
  }
  return total;
}
