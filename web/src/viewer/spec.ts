/**
 * VOI spec text (src/quant/voi/spec.ts grammar) for the viewer's tools, and a small parser of the parts
 * the viewer can draw. Coordinates are LPS mm. The server parses and validates every spec; this parser
 * only decides what to draw and returns null for anything it does not understand.
 */
import type { Vec3 } from "../types.js";
import { fmtMm, fmtPoint } from "./geometry.js";

export const sphereSpec = (c: Vec3, radiusMm: number): string => `sphere:${fmtPoint(c)},${fmtMm(radiusMm)}`;
/**
 * Box from two clicked corners. Two clicks on one slice give no extent through the slice: along such an
 * axis (corners closer than 0.5 mm) the box spans ± `halfDepthMm` around the clicked plane.
 */
export function boxSpec(a: Vec3, b: Vec3, halfDepthMm: number): string {
  const lo = [0, 0, 0];
  const hi = [0, 0, 0];
  for (let i = 0; i < 3; i++) {
    lo[i] = Math.min(a[i]!, b[i]!);
    hi[i] = Math.max(a[i]!, b[i]!);
    if (hi[i]! - lo[i]! < 0.5) {
      const mid = (lo[i]! + hi[i]!) / 2;
      lo[i] = mid - halfDepthMm;
      hi[i] = mid + halfDepthMm;
    }
  }
  return `box:${fmtPoint(lo as unknown as Vec3)},${fmtPoint(hi as unknown as Vec3)}`;
}
export const thresholdSpec = (percent: number, inner: string): string => `threshold:${percent}%max@${inner}`;
export const growSpec = (seed: Vec3, percent: number): string => `grow:${fmtPoint(seed)},${percent}%seed`;

export type Level = { kind: "abs"; value: number } | { kind: "rel"; fraction: number; of: "max" | "seed" };

export type DrawSpec =
  | { kind: "sphere"; c: Vec3; r: number }
  | { kind: "box"; lo: Vec3; hi: Vec3 }
  | { kind: "threshold"; level: Level; inner: DrawSpec | null }
  | { kind: "grow"; seed: Vec3; level: Level; inner: DrawSpec | null }
  | { kind: "component"; inner: DrawSpec }
  | { kind: "mask" };

function nums(s: string, n: number): number[] | null {
  const p = s.split(",").map((x) => Number(x.trim()));
  return p.length === n && p.every(Number.isFinite) ? p : null;
}

function level(s: string): Level | null {
  const m = /^([+-]?[\d.]+(?:e[+-]?\d+)?)(%max|%seed|suv)?$/i.exec(s.trim());
  if (!m) return null;
  const v = Number(m[1]);
  if (!Number.isFinite(v)) return null;
  const suffix = (m[2] ?? "").toLowerCase();
  if (suffix === "%max") return { kind: "rel", fraction: v / 100, of: "max" };
  if (suffix === "%seed") return { kind: "rel", fraction: v / 100, of: "seed" };
  return { kind: "abs", value: v };
}

/** Parse the drawable subset; null when the spec (or a part of it) is outside it. */
export function parseDrawSpec(spec: string, depth = 0): DrawSpec | null {
  if (depth > 16) return null;
  const at = spec.indexOf("@");
  const head = at < 0 ? spec : spec.slice(0, at);
  const innerText = at < 0 ? null : spec.slice(at + 1);
  const inner = innerText === null ? null : parseDrawSpec(innerText, depth + 1);
  if (innerText !== null && inner === null) return null;
  const colon = head.indexOf(":");
  const kind = colon < 0 ? head : head.slice(0, colon);
  const args = colon < 0 ? "" : head.slice(colon + 1);
  if (kind === "sphere" && at < 0) {
    const v = nums(args, 4);
    return v ? { kind, c: [v[0]!, v[1]!, v[2]!], r: v[3]! } : null;
  }
  if (kind === "box" && at < 0) {
    const v = nums(args, 6);
    if (!v) return null;
    return {
      kind,
      lo: [Math.min(v[0]!, v[3]!), Math.min(v[1]!, v[4]!), Math.min(v[2]!, v[5]!)],
      hi: [Math.max(v[0]!, v[3]!), Math.max(v[1]!, v[4]!), Math.max(v[2]!, v[5]!)],
    };
  }
  if (kind === "threshold") {
    const l = level(args);
    return l ? { kind, level: l, inner } : null;
  }
  if (kind === "grow") {
    const parts = args.split(",");
    if (parts.length !== 4) return null;
    const v = nums(parts.slice(0, 3).join(","), 3);
    const l = level(parts[3] ?? "");
    return v && l ? { kind, seed: [v[0]!, v[1]!, v[2]!], level: l, inner } : null;
  }
  if (kind === "component" && inner) return { kind, inner };
  if (kind === "mask") return { kind: "mask" };
  return null;
}
