/** Number formatting shared by the assay text summary and report. */

/** Fixed to `digits` significant figures; "–" for null/non-finite. */
export function sig(v: number | null | undefined, digits = 3): string {
  if (v === null || v === undefined || !Number.isFinite(v)) return "–";
  if (v === 0) return "0";
  const a = Math.abs(v);
  if (a >= 1e5 || a < 1e-3) return v.toExponential(digits - 1);
  const d = Math.max(0, digits - 1 - Math.floor(Math.log10(a)));
  return v.toFixed(Math.min(d, 6));
}

/** p-value as text: "< 0.0001" below that, else 2 significant figures. */
export function pText(p: number | null | undefined): string {
  if (p === null || p === undefined || !Number.isFinite(p)) return "–";
  return p < 1e-4 ? "< 0.0001" : p.toPrecision(2);
}

/** "p < 0.0001" or "p = 0.0015". */
export function pEq(p: number | null | undefined): string {
  const t = pText(p);
  return t.startsWith("<") ? `p ${t}` : `p = ${t}`;
}

export function escapeHtml(s: string): string {
  return s.replace(
    /[&<>"']/g,
    (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c]!,
  );
}
