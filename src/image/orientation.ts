/**
 * Describe a grid's orientation in words (for `atsm info`): the plane of the slices and the
 * patient directions of the i, j, k axes, from the LPS direction cosines (src/core/types.ts).
 */
import type { Grid } from "../core/types.js";

/** A slice normal within this angle of a patient axis counts as that plane, degrees. */
export const PLANE_TOLERANCE_DEG = 1;

/** "axial", "coronal", "sagittal" or "oblique", from the k axis (slice normal). */
export function slicePlane(grid: Grid): "axial" | "coronal" | "sagittal" | "oblique" {
  const d = grid.direction;
  const n = [Math.abs(d[2]!), Math.abs(d[5]!), Math.abs(d[8]!)];
  const cosTol = Math.cos((PLANE_TOLERANCE_DEG * Math.PI) / 180);
  if (n[2]! >= cosTol) return "axial";
  if (n[1]! >= cosTol) return "coronal";
  if (n[0]! >= cosTol) return "sagittal";
  return "oblique";
}

const LETTERS = [
  ["L", "R"],
  ["P", "A"],
  ["S", "I"],
] as const;

/**
 * Patient direction each axis points to, by its dominant LPS component, e.g. "LPS" for identity,
 * "PIL" for a sagittal stack (i → P, j → I, k → L). Oblique axes get their closest letter.
 */
export function axisCodes(grid: Grid): string {
  const d = grid.direction;
  let out = "";
  for (let c = 0; c < 3; c++) {
    const v = [d[c]!, d[3 + c]!, d[6 + c]!];
    let best = 0;
    for (let a = 1; a < 3; a++) if (Math.abs(v[a]!) > Math.abs(v[best]!)) best = a;
    out += LETTERS[best]![v[best]! >= 0 ? 0 : 1];
  }
  return out;
}
