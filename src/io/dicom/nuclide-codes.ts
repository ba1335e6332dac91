/**
 * RadionuclideCodeSequence codes for the nuclides we write: DICOM PS3.16 CID 4020 "PET
 * Radionuclide" (context group version 20160119), SNOMED CT ("SCT") code values, with the code
 * meanings of the standard (values as listed in PS3.16 2016a CID 4020). Nuclides outside CID 4020
 * (e.g. Cu-67, a β− emitter) are written with an empty code sequence and the name in
 * Radiopharmaceutical.
 */
export interface NuclideCode {
  readonly codeValue: string;
  readonly codingSchemeDesignator: "SCT";
  readonly codeMeaning: string;
}

const CODES: Readonly<Record<string, NuclideCode>> = {
  "C-11": { codeValue: "40565003", codingSchemeDesignator: "SCT", codeMeaning: "^11^Carbon" },
  "N-13": { codeValue: "21576001", codingSchemeDesignator: "SCT", codeMeaning: "^13^Nitrogen" },
  "O-15": { codeValue: "129504001", codingSchemeDesignator: "SCT", codeMeaning: "^15^Oxygen" },
  "F-18": { codeValue: "77004003", codingSchemeDesignator: "SCT", codeMeaning: "^18^Fluorine" },
  "Cu-60": { codeValue: "425364008", codingSchemeDesignator: "SCT", codeMeaning: "^60^Copper" },
  "Cu-61": { codeValue: "71425003", codingSchemeDesignator: "SCT", codeMeaning: "^61^Copper" },
  "Cu-62": { codeValue: "422934004", codingSchemeDesignator: "SCT", codeMeaning: "^62^Copper" },
  "Cu-64": { codeValue: "3932008", codingSchemeDesignator: "SCT", codeMeaning: "^64^Copper" },
  "Ga-68": { codeValue: "35337001", codingSchemeDesignator: "SCT", codeMeaning: "^68^Gallium" },
  "Zr-89": { codeValue: "63360001", codingSchemeDesignator: "SCT", codeMeaning: "^89^Zirconium" },
  "I-124": { codeValue: "40937006", codingSchemeDesignator: "SCT", codeMeaning: "^124^Iodine" },
};

/** Code of a nuclide written like "Cu-64" (case-insensitive, "64Cu" and "Cu64" accepted); null if unknown. */
export function nuclideCode(nuclide: string): NuclideCode | null {
  const t = nuclide.trim();
  const m = /^([A-Za-z]{1,2})-?(\d{1,3})$/.exec(t) ?? /^(\d{1,3})([A-Za-z]{1,2})$/.exec(t);
  if (m === null) return null;
  const [sym, mass] = /^\d/.test(m[1]!) ? [m[2]!, m[1]!] : [m[1]!, m[2]!];
  const key = `${sym[0]!.toUpperCase()}${sym.slice(1).toLowerCase()}-${mass}`;
  return CODES[key] ?? null;
}

/** Nuclides with a code, e.g. for error hints. */
export const CODED_NUCLIDES: readonly string[] = Object.keys(CODES);
