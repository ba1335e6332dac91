/**
 * Login guessing brake: at most `maxFailures` failed logins per key (username, and client address
 * separately) in a sliding window. In memory (one server process); a restart forgets it, which is
 * acceptable for a slowdown, not a lockout.
 */
export interface RateLimiter {
  /** Seconds until `key` may try again, or 0 when it may try now. */
  retryAfterS(key: string, nowMs: number): number;
  fail(key: string, nowMs: number): void;
  /** Forget `key` (after a successful login). */
  reset(key: string): void;
}

export function createRateLimiter(maxFailures = 10, windowMs = 15 * 60_000): RateLimiter {
  const failures = new Map<string, number[]>();
  const recent = (key: string, nowMs: number): number[] => {
    const list = (failures.get(key) ?? []).filter((t) => nowMs - t < windowMs);
    if (list.length === 0) failures.delete(key);
    else failures.set(key, list);
    return list;
  };
  return {
    retryAfterS(key, nowMs) {
      const list = recent(key, nowMs);
      if (list.length < maxFailures) return 0;
      const oldest = list[list.length - maxFailures] ?? nowMs;
      return Math.max(1, Math.ceil((oldest + windowMs - nowMs) / 1000));
    },
    fail(key, nowMs) {
      const list = recent(key, nowMs);
      list.push(nowMs);
      failures.set(key, list);
      // Bound memory under a flood of distinct keys.
      if (failures.size > 10_000) {
        const first = failures.keys().next().value;
        if (first !== undefined) failures.delete(first);
      }
    },
    reset(key) {
      failures.delete(key);
    },
  };
}
