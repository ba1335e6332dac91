/**
 * NIfTI affine selection and conversion to/from our LPS `Grid` (see src/core/types.ts).
 *
 * Selection follows nibabel 5 `Nifti1Header.get_best_affine()` exactly:
 *   sform_code ≠ 0 → sform (srow_x/y/z);
 *   else qform_code ≠ 0 → qform: R(quaternion) · diag(pixdim[1], pixdim[2], qfac·pixdim[3]) with
 *        offset qoffset_{x,y,z} (nibabel `get_qform`, `quaternions.fillpositive`, `quat2mat`);
 *   else the Analyze base affine `shape_zoom_affine(dim, pixdim, x_flip=True)`:
 *        diag(−pixdim[1], pixdim[2], pixdim[3]) with offset −(dim−1)/2 · zooms.
 * NIfTI world is RAS+; our world is LPS: negate the x and y rows.
 *
 * Factorisation: column j of the 3×3 part is direction_j · spacing_j with spacing_j = |column j|.
 * Columns orthogonal to within |cos| ≤ ORTHO_COS_TOL (float32 rounding of srow) are kept exactly.
 * More sheared affines are replaced by the nearest orthonormal direction matrix (polar
 * decomposition), keeping origin and spacings, and the reader adds a warning giving the largest
 * voxel-centre displacement this causes.
 */
import { AtsmError } from "../../core/errors.js";
import { invert3Unchecked } from "../../core/geometry.js";
import type { Grid, Vec3 } from "../../core/types.js";
import type { NiftiHeader } from "./header.js";

/** Largest |cos| between axis directions accepted as orthogonal (float32 srow noise is ~1e-7). */
export const ORTHO_COS_TOL = 1e-4;

export type AffineSource = "sform" | "qform" | "base";

export interface BestAffine {
  /** 3×4 row-major RAS affine (voxel index → RAS mm). */
  readonly ras: Float64Array;
  readonly source: AffineSource;
}

/** nibabel `fillpositive` + `quat2mat`: rotation matrix (row-major 3×3) from quatern_b/c/d. */
export function quaternionToMatrix(b: number, c: number, d: number, version: 1 | 2): Float64Array {
  // nibabel quaternion_threshold: -3·eps of the stored float type.
  const thresh = version === 1 ? -3 * 1.1920928955078125e-7 : -3 * 2.220446049250313e-16;
  const w2 = 1 - (b * b + c * c + d * d);
  let a: number;
  if (w2 < 0) {
    if (w2 < thresh) throw new RangeError(`quaternion (b,c,d) has norm > 1 (1-|bcd|² = ${w2})`);
    a = 0;
  } else a = Math.sqrt(w2);
  const nq = a * a + b * b + c * c + d * d;
  if (nq < 2.220446049250313e-16) return new Float64Array([1, 0, 0, 0, 1, 0, 0, 0, 1]);
  const s = 2 / nq;
  const X = b * s,
    Y = c * s,
    Z = d * s;
  const wX = a * X,
    wY = a * Y,
    wZ = a * Z;
  const xX = b * X,
    xY = b * Y,
    xZ = b * Z;
  const yY = c * Y,
    yZ = c * Z,
    zZ = d * Z;
  return new Float64Array([
    1 - (yY + zZ),
    xY - wZ,
    xZ + wY,
    xY + wZ,
    1 - (xX + zZ),
    yZ - wX,
    xZ - wY,
    yZ + wX,
    1 - (xX + yY),
  ]);
}

/**
 * Quaternion (b, c, d with a ≥ 0) of a proper rotation matrix (row-major), as
 * nifti_clib `nifti_mat44_to_quatern` does.
 */
export function matrixToQuaternion(m: ArrayLike<number>): [number, number, number] {
  const r11 = m[0]!,
    r12 = m[1]!,
    r13 = m[2]!,
    r21 = m[3]!,
    r22 = m[4]!,
    r23 = m[5]!,
    r31 = m[6]!,
    r32 = m[7]!,
    r33 = m[8]!;
  let a = r11 + r22 + r33 + 1;
  let b: number, c: number, d: number;
  if (a > 0.5) {
    a = 0.5 * Math.sqrt(a);
    b = (0.25 * (r32 - r23)) / a;
    c = (0.25 * (r13 - r31)) / a;
    d = (0.25 * (r21 - r12)) / a;
  } else {
    const xd = 1 + r11 - (r22 + r33);
    const yd = 1 + r22 - (r11 + r33);
    const zd = 1 + r33 - (r11 + r22);
    if (xd > 1) {
      b = 0.5 * Math.sqrt(xd);
      c = (0.25 * (r12 + r21)) / b;
      d = (0.25 * (r13 + r31)) / b;
      a = (0.25 * (r32 - r23)) / b;
    } else if (yd > 1) {
      c = 0.5 * Math.sqrt(yd);
      b = (0.25 * (r12 + r21)) / c;
      d = (0.25 * (r23 + r32)) / c;
      a = (0.25 * (r13 - r31)) / c;
    } else {
      d = 0.5 * Math.sqrt(zd);
      b = (0.25 * (r13 + r31)) / d;
      c = (0.25 * (r23 + r32)) / d;
      a = (0.25 * (r21 - r12)) / d;
    }
    if (a < 0) {
      b = -b;
      c = -c;
      d = -d;
    }
  }
  return [b, c, d];
}

function geomError(file: string, field: string, byteOffset: number, message: string, value: unknown) {
  return new AtsmError({
    code: "PARSE_ERROR",
    message,
    value,
    file,
    field,
    byteOffset,
    hint: "fix the header geometry (e.g. with nibabel or fslorient) or re-export the image",
  });
}

/** nibabel `get_best_affine()` as a 3×4 RAS matrix. */
export function bestAffine(h: NiftiHeader, file: string): BestAffine {
  if (h.sformCode !== 0) return { ras: Float64Array.from(h.srow), source: "sform" };
  const o = h.offsets;
  if (h.qformCode !== 0) {
    let R: Float64Array;
    try {
      R = quaternionToMatrix(h.quatern[0], h.quatern[1], h.quatern[2], h.version);
    } catch (e) {
      throw geomError(file, "quatern_b", o.quatern, (e as Error).message, h.quatern);
    }
    const vox = [h.pixdim[1]!, h.pixdim[2]!, h.pixdim[3]!];
    if (vox.some((v) => !(v > 0) || !Number.isFinite(v))) {
      throw geomError(file, "pixdim", o.pixdim + (h.version === 1 ? 4 : 8), "pixdim[1..3] must be > 0", vox);
    }
    // nibabel raises for qfac not in (-1, 1); NIfTI-1 spec (nifti1.h) says treat 0 as 1. We
    // follow the spec: anything but -1 is taken as 1.
    const qfac = h.pixdim[0] === -1 ? -1 : 1;
    vox[2] = vox[2]! * qfac;
    const ras = new Float64Array(12);
    for (let r = 0; r < 3; r++) {
      for (let c = 0; c < 3; c++) ras[4 * r + c] = R[3 * r + c]! * vox[c]!;
      ras[4 * r + 3] = h.qoffset[r]!;
    }
    return { ras, source: "qform" };
  }
  const nd = Math.max(1, Math.min(h.dim[0]!, 7));
  const zooms = [1, 1, 1];
  const shape = [1, 1, 1];
  for (let i = 0; i < 3 && i < nd; i++) {
    zooms[i] = h.pixdim[i + 1]!;
    shape[i] = h.dim[i + 1]!;
  }
  if (zooms.some((v) => !(v > 0) || !Number.isFinite(v))) {
    throw geomError(file, "pixdim", o.pixdim + (h.version === 1 ? 4 : 8), "pixdim[1..3] must be > 0", zooms);
  }
  zooms[0] = -zooms[0]!; // nibabel default_x_flip = True
  const ras = new Float64Array(12);
  for (let r = 0; r < 3; r++) {
    ras[4 * r + r] = zooms[r]!;
    ras[4 * r + 3] = (-(shape[r]! - 1) / 2) * zooms[r]!;
  }
  return { ras, source: "base" };
}

/** Result of factorising an affine into our grid. */
export interface FactoredGrid {
  readonly grid: Grid;
  /** Set when the affine was sheared and the direction was orthonormalised. */
  readonly shearWarning: string | null;
}

/** Convert a 3×4 RAS affine to an LPS grid (negate x, y rows; factor columns). */
export function rasAffineToGrid(
  ras: ArrayLike<number>,
  dims: Vec3,
  ctx: { file: string; field: string; byteOffset: number },
): FactoredGrid {
  const lps = new Float64Array(12);
  for (let c = 0; c < 4; c++) {
    lps[c] = -ras[c]!;
    lps[4 + c] = -ras[4 + c]!;
    lps[8 + c] = ras[8 + c]!;
  }
  for (let i = 0; i < 12; i++) {
    if (!Number.isFinite(lps[i]!)) {
      throw geomError(ctx.file, ctx.field, ctx.byteOffset, "affine has a non-finite entry", Array.from(ras));
    }
  }
  const spacing: number[] = [];
  const dir = new Float64Array(9);
  for (let c = 0; c < 3; c++) {
    const x = lps[c]!,
      y = lps[4 + c]!,
      z = lps[8 + c]!;
    const n = Math.hypot(x, y, z);
    if (!(n > 1e-12)) {
      throw geomError(
        ctx.file,
        ctx.field,
        ctx.byteOffset,
        `voxel spacing along axis ${"ijk"[c]} is zero (affine column ${c} is zero)`,
        Array.from(ras),
      );
    }
    spacing.push(n);
    dir[c] = x / n + 0; // + 0 turns -0 into 0
    dir[3 + c] = y / n + 0;
    dir[6 + c] = z / n + 0;
  }
  const origin: Vec3 = [lps[3]! + 0, lps[7]! + 0, lps[11]! + 0];
  let maxCos = 0;
  for (const [a, b] of [
    [0, 1],
    [0, 2],
    [1, 2],
  ] as const) {
    const cos = dir[a]! * dir[b]! + dir[3 + a]! * dir[3 + b]! + dir[6 + a]! * dir[6 + b]!;
    maxCos = Math.max(maxCos, Math.abs(cos));
  }
  const det =
    dir[0]! * (dir[4]! * dir[8]! - dir[5]! * dir[7]!) -
    dir[1]! * (dir[3]! * dir[8]! - dir[5]! * dir[6]!) +
    dir[2]! * (dir[3]! * dir[7]! - dir[4]! * dir[6]!);
  if (Math.abs(det) < 1e-6) {
    throw geomError(
      ctx.file,
      ctx.field,
      ctx.byteOffset,
      "affine is singular (axes are parallel)",
      Array.from(ras),
    );
  }
  const spacingMm: Vec3 = [spacing[0]!, spacing[1]!, spacing[2]!];
  if (maxCos <= ORTHO_COS_TOL) {
    return { grid: { dims, spacingMm, originMm: origin, direction: dir }, shearWarning: null };
  }
  const q = nearestOrthonormal(dir);
  // Largest displacement of a corner voxel centre caused by replacing dir with q.
  let maxShift = 0;
  for (let corner = 0; corner < 8; corner++) {
    const idx = [corner & 1 ? dims[0] - 1 : 0, corner & 2 ? dims[1] - 1 : 0, corner & 4 ? dims[2] - 1 : 0];
    let d2 = 0;
    for (let r = 0; r < 3; r++) {
      let dv = 0;
      for (let c = 0; c < 3; c++) dv += (dir[3 * r + c]! - q[3 * r + c]!) * spacing[c]! * idx[c]!;
      d2 += dv * dv;
    }
    maxShift = Math.max(maxShift, Math.sqrt(d2));
  }
  const angleDeg = (Math.acos(Math.min(1, maxCos)) * 180) / Math.PI;
  return {
    grid: { dims, spacingMm, originMm: origin, direction: q },
    shearWarning:
      `affine (${ctx.field}) is sheared: axes meet at ${angleDeg.toFixed(3)}° instead of 90°; ` +
      `the nearest orthonormal direction was used, moving voxel centres by up to ${maxShift.toFixed(3)} mm`,
  };
}

/** Nearest orthonormal matrix (polar factor) by Newton iteration Q ← (Q + Q⁻ᵀ)/2. */
export function nearestOrthonormal(m: ArrayLike<number>): Float64Array {
  let q = Float64Array.from(m as ArrayLike<number>);
  for (let it = 0; it < 50; it++) {
    const inv = invert3Unchecked(q);
    const next = new Float64Array(9);
    let delta = 0;
    for (let r = 0; r < 3; r++) {
      for (let c = 0; c < 3; c++) {
        const v = 0.5 * (q[3 * r + c]! + inv[3 * c + r]!); // inverse transposed
        delta = Math.max(delta, Math.abs(v - q[3 * r + c]!));
        next[3 * r + c] = v;
      }
    }
    q = next;
    if (delta < 1e-15) break;
  }
  return q;
}

/** Our LPS grid → 3×4 RAS affine (the sform we write). */
export function gridToRasAffine(grid: Grid): Float64Array {
  const d = grid.direction;
  const s = grid.spacingMm;
  const o = grid.originMm;
  const ras = new Float64Array(12);
  for (let r = 0; r < 3; r++) {
    const sign = r < 2 ? -1 : 1;
    for (let c = 0; c < 3; c++) ras[4 * r + c] = sign * d[3 * r + c]! * s[c]!;
    ras[4 * r + 3] = sign * o[r]!;
  }
  return ras;
}

/** qform parameters (quaternion, qfac, offset) of our grid, for the writer. */
export function gridToQform(grid: Grid): {
  quatern: [number, number, number];
  qfac: 1 | -1;
  qoffset: [number, number, number];
} {
  const d = nearestOrthonormal(grid.direction);
  // RAS rotation: negate rows 0 and 1.
  const R = new Float64Array(9);
  for (let r = 0; r < 3; r++) for (let c = 0; c < 3; c++) R[3 * r + c] = (r < 2 ? -1 : 1) * d[3 * r + c]!;
  const det =
    R[0]! * (R[4]! * R[8]! - R[5]! * R[7]!) -
    R[1]! * (R[3]! * R[8]! - R[5]! * R[6]!) +
    R[2]! * (R[3]! * R[7]! - R[4]! * R[6]!);
  let qfac: 1 | -1 = 1;
  if (det < 0) {
    qfac = -1;
    R[2] = -R[2]!;
    R[5] = -R[5]!;
    R[8] = -R[8]!;
  }
  return {
    quatern: matrixToQuaternion(R),
    qfac,
    qoffset: [-grid.originMm[0], -grid.originMm[1], grid.originMm[2]],
  };
}
