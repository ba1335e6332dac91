/**
 * Matrix exponential by scaling and squaring with the [13/13] Padé approximant.
 *
 * Algorithm 2.3 of Higham, "The scaling and squaring method for the matrix exponential
 * revisited", SIAM J Matrix Anal Appl 2005;26:1179–1193 (doi:10.1137/04061101X), the method of
 * MATLAB `expm` and scipy `scipy.linalg.expm`: choose s ≥ 0 with ‖A/2^s‖₁ ≤ θ₁₃ = 5.371920351148152,
 * evaluate r₁₃(A/2^s) = (V − U)⁻¹(V + U), then square s times. Backward error ≤ unit roundoff for
 * every A, so it is exact to double precision for the stiff linear compartment models of the twin
 * (rates spanning 1e-6 to 1e2 per s), whatever the step length.
 *
 * (We use only the degree-13 branch; lower degrees are an optimisation Higham adds for small ‖A‖.)
 *
 * Conservative mode: for a closed compartment model the generator's columns sum to zero, so every
 * column of exp(A·t) sums to exactly 1 (a column-stochastic matrix). Rounding in the s squarings
 * makes a column-sum defect δ grow like 2^s·u (2e-8 for a week of a 1e3/s exchange). With
 * `conservative` set, each column is rescaled to sum 1 after the Padé step and after every
 * squaring — a projection onto a set that contains the exact result, so it costs no accuracy and
 * keeps mass conserved to ~s·n·u.
 */
import { identity, matMul, norm1, solve } from "./matrix.js";

/** Padé [13/13] numerator coefficients b₀..b₁₃ (Higham 2005, eq. 2.10 / Table 10.4 of Higham 2008). */
const B13 = [
  64764752532480000, 32382376266240000, 7771770303897600, 1187353796428800, 129060195264000, 10559470521600,
  670442572800, 33522128640, 1323241920, 40840800, 960960, 16380, 182, 1,
] as const;

/** θ₁₃ of Higham 2005 Table 2.3. */
const THETA13 = 5.371920351148152;

/**
 * exp(A) for a square n×n row-major matrix. Returns a new Float64Array(n*n).
 * @param a - the matrix (not modified)
 * @param n - its order
 */
export function expm(a: Float64Array, n: number, conservative = false): Float64Array {
  const nrm = norm1(a, n);
  if (!Number.isFinite(nrm)) throw new Error("expm: matrix has non-finite entries");
  let s = 0;
  if (nrm > THETA13) s = Math.max(0, Math.ceil(Math.log2(nrm / THETA13)));
  const scale = 2 ** -s;
  const n2 = n * n;
  const A = new Float64Array(n2);
  for (let i = 0; i < n2; i++) A[i] = a[i]! * scale;
  const I = identity(n);
  const A2 = matMul(A, A, n, new Float64Array(n2));
  const A4 = matMul(A2, A2, n, new Float64Array(n2));
  const A6 = matMul(A4, A2, n, new Float64Array(n2));
  const b = B13;
  // U = A·[A6(b13 A6 + b11 A4 + b9 A2) + b7 A6 + b5 A4 + b3 A2 + b1 I]
  // V = A6(b12 A6 + b10 A4 + b8 A2) + b6 A6 + b4 A4 + b2 A2 + b0 I
  const t1 = new Float64Array(n2);
  const t2 = new Float64Array(n2);
  for (let i = 0; i < n2; i++) {
    t1[i] = b[13] * A6[i]! + b[11] * A4[i]! + b[9] * A2[i]!;
    t2[i] = b[12] * A6[i]! + b[10] * A4[i]! + b[8] * A2[i]!;
  }
  const u1 = matMul(A6, t1, n, new Float64Array(n2));
  const v1 = matMul(A6, t2, n, new Float64Array(n2));
  for (let i = 0; i < n2; i++) {
    u1[i] = u1[i]! + b[7] * A6[i]! + b[5] * A4[i]! + b[3] * A2[i]! + b[1] * I[i]!;
    v1[i] = v1[i]! + b[6] * A6[i]! + b[4] * A4[i]! + b[2] * A2[i]! + b[0] * I[i]!;
  }
  const U = matMul(A, u1, n, new Float64Array(n2));
  const P = new Float64Array(n2);
  const Q = new Float64Array(n2);
  for (let i = 0; i < n2; i++) {
    P[i] = v1[i]! + U[i]!;
    Q[i] = v1[i]! - U[i]!;
  }
  let R: Float64Array = solve(Q, P, n, n);
  if (conservative) normaliseColumns(R, n);
  let tmp: Float64Array = new Float64Array(n2);
  for (let k = 0; k < s; k++) {
    matMul(R, R, n, tmp);
    const sw = R;
    R = tmp;
    tmp = sw;
    if (conservative) normaliseColumns(R, n);
  }
  return R;
}

/** Rescale every column to sum 1 (column-stochastic projection). */
function normaliseColumns(m: Float64Array, n: number): void {
  for (let c = 0; c < n; c++) {
    let s = 0;
    for (let r = 0; r < n; r++) s += m[r * n + c]!;
    if (s === 0 || !Number.isFinite(s)) continue;
    for (let r = 0; r < n; r++) m[r * n + c] = m[r * n + c]! / s;
  }
}
