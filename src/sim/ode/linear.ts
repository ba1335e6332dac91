/**
 * Exact propagators of linear constant-coefficient ODE systems, dx/dt = A·x + b·u(t).
 *
 * - Without input: x(t+h) = exp(A·h)·x(t) (matrix exponential, `expm.ts`).
 * - With a scalar input u(t) that is linear over the step, u(t+τ) = u₀ + s·τ, s = (u₁ − u₀)/h,
 *   the augmented-matrix identity (Van Loan, IEEE Trans Autom Control 1978;23:395–404; the
 *   "first-order hold" discretisation of control theory) gives the step exactly:
 *
 *       exp(h·[[A, b, 0], [0, 0, 1], [0, 0, 0]]) = [[Φ, Γ₀, G], [0, 1, h], [0, 0, 1]]
 *       x(t+h) = Φ·x(t) + Γ₀·u₀ + G·s = Φ·x(t) + Γ₀·u₀ + Γ₁·(u₁ − u₀),   Γ₁ = G/h
 *
 * Both are unconditionally stable and exact for any stiffness, so step lengths are chosen only
 * for how finely the input curve is sampled.
 */
import { expm } from "./expm.js";

/** One-step propagator for dx/dt = A·x + b·u with u piecewise linear over the step. */
export interface RampPropagator {
  /** Order n of the system. */
  readonly n: number;
  /** Step length, s. */
  readonly stepS: number;
  /** exp(A·h), n×n row-major. */
  readonly phi: Float64Array;
  /** Response to a constant unit input over the step, length n. */
  readonly gamma0: Float64Array;
  /** Response to a unit input ramp (0 → 1 over the step), length n. */
  readonly gamma1: Float64Array;
}

/**
 * exp(h·M) for the augmented generator M = [[A, b, 0], [0, 0, 1], [0, 0, 0]] of state + input +
 * input slope ((n+2)×(n+2), row-major). M does not depend on h, so exp(2h·M) = exp(h·M)²: a grid
 * whose step lengths are h₀·2^k needs one exponential and k squarings.
 */
export function augmentedExp(a: Float64Array, b: ArrayLike<number>, n: number, stepS: number): Float64Array {
  const m = n + 2;
  const big = new Float64Array(m * m);
  for (let r = 0; r < n; r++) {
    for (let c = 0; c < n; c++) big[r * m + c] = a[r * n + c]! * stepS;
    big[r * m + n] = b[r]! * stepS;
  }
  big[n * m + n + 1] = stepS;
  return expm(big, m);
}

/** The propagator of one step of length `stepS` from its augmented exponential. */
export function propagatorFromAugmented(e: Float64Array, n: number, stepS: number): RampPropagator {
  const m = n + 2;
  const phi = new Float64Array(n * n);
  const gamma0 = new Float64Array(n);
  const gamma1 = new Float64Array(n);
  for (let r = 0; r < n; r++) {
    for (let c = 0; c < n; c++) phi[r * n + c] = e[r * m + c]!;
    gamma0[r] = e[r * m + n]!;
    // The slope state is (u₁ − u₀)/h; fold 1/h in so that the step takes u₁ − u₀.
    gamma1[r] = e[r * m + n + 1]! / stepS;
  }
  return { n, stepS, phi, gamma0, gamma1 };
}

/**
 * Build the propagator of dx/dt = A·x + b·u(t) over a step of `stepS` seconds.
 * @param a - A, n×n row-major, rates in 1/s
 * @param b - input vector, length n
 */
export function rampPropagator(
  a: Float64Array,
  b: ArrayLike<number>,
  n: number,
  stepS: number,
): RampPropagator {
  return propagatorFromAugmented(augmentedExp(a, b, n, stepS), n, stepS);
}

/**
 * Advance x in place by one step of `p`: x ← Φ·x + Γ₀·u₀ + Γ₁·(u₁ − u₀). `scratch` has length ≥ n.
 */
export function stepRamp(
  p: RampPropagator,
  x: Float64Array,
  u0: number,
  u1: number,
  scratch: Float64Array,
): void {
  const n = p.n;
  const du = u1 - u0;
  for (let r = 0; r < n; r++) {
    let s = p.gamma0[r]! * u0 + p.gamma1[r]! * du;
    for (let c = 0; c < n; c++) s += p.phi[r * n + c]! * x[c]!;
    scratch[r] = s;
  }
  for (let r = 0; r < n; r++) x[r] = scratch[r]!;
}
