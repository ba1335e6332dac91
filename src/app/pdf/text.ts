/**
 * Text helpers shared by the pdf-lib report builders (quantify report, assay report, radiolabel
 * batch record): page size, WinAnsi-safe text for the standard fonts, greedy word wrapping.
 */
import type { PDFFont } from "pdf-lib";

/** A4 page in PDF points (ISO 216: 210 × 297 mm at 72 pt/inch). */
export const A4_PT: [number, number] = [595.28, 841.89];

/** Standard PDF fonts are WinAnsi: map what they lack, drop the rest. */
export function winAnsi(s: string): string {
  const map: Record<string, string> = {
    "≥": ">=",
    "≤": "<=",
    "⁻": "^-",
    "⁺": "^+",
    β: "beta",
    γ: "gamma",
    "→": "->",
    "−": "-",
    "¹": "1",
    "√": "sqrt",
    λ: "lambda",
    "✓": "*",
    "≠": "!=",
    Ö: "O",
    "—": "-",
    "–": "-",
    "½": "1/2",
    ᵀ: "T",
    "‑": "-",
  };
  return [...s]
    .map((c) => map[c] ?? (c.charCodeAt(0) < 256 || "€‚ƒ„…†‡ˆ‰Š‹ŒŽ‘’“”•˜™š›œžŸ".includes(c) ? c : "?"))
    .join("");
}

/**
 * Greedy word wrap of `text` (split at single spaces) to lines no wider than `maxWidth` pt at
 * `size` in `font`; a word wider than the line stays whole on its own line. Lines after the first
 * of a paragraph start with `continuation`. The last line is returned even when empty.
 */
export function wrapWords(
  text: string,
  font: PDFFont,
  size: number,
  maxWidth: number,
  continuation = "",
): string[] {
  const lines: string[] = [];
  let cur = "";
  for (const w of text.split(" ")) {
    const next = cur === "" ? w : `${cur} ${w}`;
    if (font.widthOfTextAtSize(next, size) <= maxWidth || cur === "") cur = next;
    else {
      lines.push(cur);
      cur = `${continuation}${w}`;
    }
  }
  lines.push(cur);
  return lines;
}
