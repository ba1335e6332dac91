/**
 * Password hashes: scrypt (node:crypto) with a per-user random salt, stored with its parameters as
 * `scrypt$N$r$p$saltB64$hashB64` so that the cost can be raised later without breaking old hashes.
 * Verification recomputes with the stored parameters and compares in constant time.
 */
import { randomBytes, scrypt, timingSafeEqual } from "node:crypto";

/** Cost parameters (OWASP minimum for scrypt: N=2^17 r=8 p=1; 2^15 keeps a login under ~60 ms on a laptop). */
const SCRYPT_N = 1 << 15;
const SCRYPT_R = 8;
const SCRYPT_P = 1;
const KEY_BYTES = 32;
const SALT_BYTES = 16;

function derive(
  password: string,
  salt: Buffer,
  n: number,
  r: number,
  p: number,
  len: number,
): Promise<Buffer> {
  return new Promise((resolveKey, reject) => {
    // maxmem: 128·N·r bytes plus headroom (the default 32 MiB is exactly N=2^15, r=8).
    scrypt(password, salt, len, { N: n, r, p, maxmem: 256 * n * r }, (err, key) => {
      if (err) reject(err);
      else resolveKey(key);
    });
  });
}

/** Hash a password for storage. */
export async function hashPassword(password: string): Promise<string> {
  const salt = randomBytes(SALT_BYTES);
  const key = await derive(password, salt, SCRYPT_N, SCRYPT_R, SCRYPT_P, KEY_BYTES);
  return `scrypt$${SCRYPT_N}$${SCRYPT_R}$${SCRYPT_P}$${salt.toString("base64")}$${key.toString("base64")}`;
}

/** True when `password` matches `encoded`; false for a malformed or foreign hash (never throws). */
export async function verifyPassword(password: string, encoded: string): Promise<boolean> {
  const parts = encoded.split("$");
  if (parts.length !== 6 || parts[0] !== "scrypt") return false;
  const n = Number(parts[1]);
  const r = Number(parts[2]);
  const p = Number(parts[3]);
  // Refuse absurd parameters from a tampered row rather than burning CPU or memory on them.
  if (!Number.isInteger(n) || n < 2 || n > 1 << 20 || (n & (n - 1)) !== 0) return false;
  if (!Number.isInteger(r) || r < 1 || r > 32 || !Number.isInteger(p) || p < 1 || p > 16) return false;
  const salt = Buffer.from(parts[4] ?? "", "base64");
  const expected = Buffer.from(parts[5] ?? "", "base64");
  if (salt.length === 0 || expected.length < 16) return false;
  const key = await derive(password, salt, n, r, p, expected.length);
  return timingSafeEqual(key, expected);
}

/** Password rules for new accounts (length only; no composition rules, NIST SP 800-63B §5.1.1). */
export const MIN_PASSWORD_CHARS = 8;
