/**
 * Nuclide lookup by any common spelling: "Cu-64", "64Cu", "cu64", "Copper-64", "^64^Copper"
 * (DICOM code meaning), "C-127A2" / "3932008" (DICOM CID 4020 SRT / SNOMED CT code values).
 * Data and sources: nuclide-data.ts.
 */
import { AtsmError } from "../core/errors.js";
import { NUCLIDES } from "./nuclide-data.js";
import type { Nuclide } from "./nuclide-types.js";

export { NUCLIDES } from "./nuclide-data.js";
export type { DecayBranch, DecayMode, Nuclide, NuclideDicomCodes, NuclideField } from "./nuclide-types.js";

/** Canonical names of all nuclides in the table. */
export const NUCLIDE_NAMES: readonly string[] = NUCLIDES.map((n) => n.name);

const BY_KEY: ReadonlyMap<string, Nuclide> = buildIndex();

function buildIndex(): Map<string, Nuclide> {
  const m = new Map<string, Nuclide>();
  for (const n of NUCLIDES) {
    const el = n.element.toLowerCase();
    const name = n.elementName.toLowerCase();
    const a = String(n.massNumber);
    for (const k of [el + a, a + el, name + a, a + name]) m.set(k, n);
    if (n.dicom) {
      m.set(n.dicom.srtCode.toLowerCase(), n);
      m.set(n.dicom.sctCode, n);
    }
  }
  return m;
}

/** Normalise a name: lower case, drop spaces, "-", "_" and "^" ("^64^Copper" → "64copper"). */
function normalise(text: string): string {
  return text
    .trim()
    .toLowerCase()
    .replace(/[\s_^-]+/g, "");
}

/** Look a nuclide up; undefined when the name is not recognised. */
export function findNuclide(name: string): Nuclide | undefined {
  const raw = name.trim().toLowerCase();
  // DICOM code values keep their dash ("c-127a2"): try them before normalising.
  return BY_KEY.get(raw) ?? BY_KEY.get(normalise(name));
}

/**
 * Look a nuclide up by name or DICOM code; throws AtsmError UNKNOWN_NUCLIDE listing the accepted
 * names when it is not in the table.
 */
export function getNuclide(name: string, field = "nuclide"): Nuclide {
  const n = findNuclide(name);
  if (n === undefined) {
    throw new AtsmError({
      code: "UNKNOWN_NUCLIDE",
      message: `unknown nuclide`,
      value: name,
      field,
      hint: `accepted nuclides: ${NUCLIDE_NAMES.join(", ")} (also written 64Cu, cu64, Copper-64, ^64^Copper, or a DICOM CID 4020 code such as C-127A2)`,
    });
  }
  return n;
}

/**
 * Find the nuclide named inside free text such as a Radiopharmaceutical attribute ("Cu-64 ATSM",
 * "[18F]FDG", "64Cu-ATSM"); undefined when none or more than one nuclide is named.
 */
export function findNuclideInText(text: string): Nuclide | undefined {
  const direct = findNuclide(text);
  if (direct) return direct;
  const found = new Set<Nuclide>();
  const re = /(\d{1,3})\s*-?\s*([a-z]{1,2})(?![a-z])|(?<![a-z])([a-z]{1,2})\s*-?\s*(\d{1,3})(?!\d)/gi;
  for (const m of text.matchAll(re)) {
    const key = m[1] !== undefined ? `${m[2]}${m[1]}` : `${m[3]}${m[4]}`;
    const n = BY_KEY.get(key.toLowerCase());
    if (n) found.add(n);
  }
  for (const n of NUCLIDES) {
    const re2 = new RegExp(
      `${n.elementName}\\s*-?\\s*${n.massNumber}(?!\\d)|${n.massNumber}\\s*-?\\s*${n.elementName}`,
      "i",
    );
    if (re2.test(text)) found.add(n);
  }
  return found.size === 1 ? [...found][0] : undefined;
}

/** Decay constant λ = ln 2 / T½, 1/s. */
export function decayConstantPerS(halfLifeS: number): number {
  return Math.LN2 / halfLifeS;
}
