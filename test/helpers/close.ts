/**
 * One tolerance helper for every numeric test (STYLE.md §10): failures print actual, expected and
 * the difference. Passes when |a−e| ≤ abs OR |a−e| ≤ rel·|e|.
 */
export interface Tolerance {
  readonly rel?: number;
  readonly abs?: number;
}

export function expectClose(actual: number, expected: number, tol: Tolerance, what = "value"): void {
  const diff = Math.abs(actual - expected);
  const rel = tol.rel ?? 0;
  const abs = tol.abs ?? 0;
  if (!Number.isFinite(actual) && actual !== expected) {
    throw new Error(`${what}: actual ${actual} is not finite (expected ${expected})`);
  }
  if (diff <= abs || diff <= rel * Math.abs(expected) || actual === expected) return;
  throw new Error(
    `${what}: actual ${actual} vs expected ${expected}; |diff| = ${diff.toExponential(3)} ` +
      `(rel ${(diff / Math.abs(expected || 1)).toExponential(3)}) exceeds tolerance rel=${rel} abs=${abs}`,
  );
}

/** expectClose element by element. */
export function expectAllClose(
  actual: ArrayLike<number>,
  expected: ArrayLike<number>,
  tol: Tolerance,
  what = "array",
): void {
  if (actual.length !== expected.length) {
    throw new Error(`${what}: length ${actual.length} vs expected ${expected.length}`);
  }
  for (let i = 0; i < actual.length; i++) expectClose(actual[i]!, expected[i]!, tol, `${what}[${i}]`);
}
