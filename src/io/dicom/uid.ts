/**
 * DICOM UIDs under the "2.25" arc: the decimal form of a 128-bit number (PS3.5 §B.2, ISO/IEC
 * 9834-8). `newUid()` is random (UUID v4); `uidFromSeed(seed)` is a stable hash of a string, so a
 * writer given the same series UID writes the same SOPInstanceUIDs (reproducible twins).
 */
import { createHash, randomUUID } from "node:crypto";

function fromHex(hex32: string): string {
  return `2.25.${BigInt(`0x${hex32}`).toString(10)}`;
}

/** A fresh random UID (2.25.<uuid as decimal>), at most 44 characters. */
export function newUid(): string {
  return fromHex(randomUUID().replace(/-/g, ""));
}

/** A UID derived from a string by SHA-256 (first 128 bits); same seed → same UID. */
export function uidFromSeed(seed: string): string {
  return fromHex(createHash("sha256").update(seed).digest("hex").slice(0, 32));
}

/** True for a syntactically valid UID (PS3.5 §9.1: digits and dots, ≤ 64 chars, no leading zeros). */
export function isValidUid(uid: string): boolean {
  return uid.length <= 64 && /^(0|[1-9]\d*)(\.(0|[1-9]\d*))*$/.test(uid);
}
