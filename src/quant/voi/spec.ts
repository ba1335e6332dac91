/**
 * VOI specification language: parse and print the text form of a volume of interest.
 *
 * Grammar (also shown in every parse error, see `VOI_GRAMMAR`):
 *
 *     voi     := base | derived
 *     base    := sphere:X,Y,Z,R                 LPS mm centre, radius mm
 *              | box:X0,Y0,Z0,X1,Y1,Z1          two opposite LPS corners, mm (axis-aligned in LPS)
 *              | mask:PATH[:LABEL]              label map file (NIfTI / DICOM SEG); all non-zero labels
 *                                               when LABEL is omitted
 *     derived := threshold:LEVEL[@voi]          voxels of voi (whole image if omitted) with value ≥ LEVEL
 *              | component[:6|:26]@voi          connected component of voi holding its hottest voxel
 *              | grow:X,Y,Z,LEVEL[@voi]         region grown from the seed point over voxels ≥ LEVEL
 *     LEVEL   := N | Nsuv | Nbqml | Ntm         absolute: SUV (default), Bq/mL, or T/M (needs --reference)
 *              | P%max | P%peak | P%seed        relative: P % of the inner VOI's max / SUVpeak, or of the
 *                                               seed voxel (grow only)
 *
 * Derived specs nest to the right: `component@threshold:41%max@sphere:10,-20,35,30` is "the connected
 * part, holding the hottest voxel, of the voxels ≥ 41 % of SUVmax inside the 30 mm sphere". Split at
 * the FIRST `@`, so a mask path may itself contain `@` or `:` (only a trailing `:N` is a label).
 */
import { AtsmError } from "../../core/errors.js";
import type { Vec3 } from "../../core/types.js";

/** Threshold level of `threshold:` and `grow:`. */
export type VoiLevel =
  | { readonly kind: "absolute"; readonly value: number; readonly unit: "suv" | "bqml" | "tm" }
  | { readonly kind: "relative"; readonly fraction: number; readonly of: "max" | "peak" | "seed" };

/** Parsed VOI spec. `text` is the canonical form (see `formatVoiSpec`). */
export type VoiSpec =
  | { readonly kind: "sphere"; readonly centerMm: Vec3; readonly radiusMm: number }
  | { readonly kind: "box"; readonly minMm: Vec3; readonly maxMm: Vec3 }
  | { readonly kind: "mask"; readonly path: string; readonly label: number | null }
  | { readonly kind: "threshold"; readonly level: VoiLevel; readonly inner: VoiSpec | null }
  | { readonly kind: "component"; readonly connectivity: 6 | 26; readonly inner: VoiSpec }
  | {
      readonly kind: "grow";
      readonly seedMm: Vec3;
      readonly level: VoiLevel;
      readonly inner: VoiSpec | null;
    };

/** The accepted grammar, shown in parse-error hints. */
export const VOI_GRAMMAR =
  "VOI := sphere:X,Y,Z,R | box:X0,Y0,Z0,X1,Y1,Z1 | mask:PATH[:LABEL] | threshold:LEVEL[@VOI] | " +
  "component[:6|:26]@VOI | grow:X,Y,Z,LEVEL[@VOI]; LEVEL := N (SUV) | Nsuv | Nbqml | Ntm (T/M) | " +
  "P%max | P%peak | P%seed (grow only); coordinates LPS mm; " +
  "e.g. sphere:10,-20,35,15 or threshold:41%max@sphere:10,-20,35,30";

const MAX_SPEC_LENGTH = 4096;
const MAX_NESTING = 16;

function fail(spec: string, what: string, value?: string): never {
  throw new AtsmError({
    code: "INVALID_ARGUMENT",
    message: `invalid VOI spec ${JSON.stringify(spec)}: ${what}`,
    ...(value !== undefined ? { value } : {}),
    field: "voi",
    hint: `accepted grammar: ${VOI_GRAMMAR}`,
  });
}

function num(spec: string, text: string, what: string): number {
  const t = text.trim();
  // Number("") is 0 and Number("0x10") is 16: accept only decimal literals.
  if (!/^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(t)) fail(spec, `${what} is not a number`, text);
  const v = Number(t);
  if (!Number.isFinite(v)) fail(spec, `${what} is not finite`, text);
  return v;
}

function numbers(spec: string, text: string, count: number, names: readonly string[]): number[] {
  const parts = text.split(",");
  if (parts.length !== count)
    fail(spec, `expected ${count} comma-separated numbers (${names.join(",")}), got ${parts.length}`, text);
  return parts.map((p, i) => num(spec, p, names[i] ?? "value"));
}

/** Parse a LEVEL (see grammar). `allowSeed` enables `P%seed` (grow only). */
export function parseVoiLevel(text: string, spec: string = text, allowSeed = false): VoiLevel {
  const t = text.trim().toLowerCase();
  const rel = /^(.*)%(max|peak|seed)$/.exec(t);
  if (rel) {
    const of = rel[2] as "max" | "peak" | "seed";
    if (of === "seed" && !allowSeed) fail(spec, "P%seed is only valid in grow:", text);
    const p = num(spec, rel[1] ?? "", "percentage");
    if (!(p > 0 && p <= 100)) fail(spec, "percentage must be in (0, 100]", text);
    return { kind: "relative", fraction: p / 100, of };
  }
  const abs = /^(.*?)(suv|bqml|tm)?$/.exec(t);
  const unit = (abs?.[2] ?? "suv") as "suv" | "bqml" | "tm";
  const v = num(spec, abs?.[1] ?? "", "threshold level");
  if (unit === "tm" && !(v > 0)) fail(spec, "a T/M level must be > 0", text);
  return { kind: "absolute", value: v, unit };
}

function parseAt(spec: string, text: string, depth: number): VoiSpec {
  if (depth > MAX_NESTING) fail(spec, `nesting deeper than ${MAX_NESTING}`);
  const t = text.trim();
  const colon = t.indexOf(":");
  const at = t.indexOf("@");
  // Head keyword ends at the first ':' or '@', whichever comes first.
  const headEnd = colon < 0 ? at : at < 0 ? colon : Math.min(colon, at);
  const kind = (headEnd < 0 ? t : t.slice(0, headEnd)).trim().toLowerCase();
  switch (kind) {
    case "sphere": {
      if (colon !== headEnd) fail(spec, "sphere needs :X,Y,Z,R");
      const [x, y, z, r] = numbers(spec, t.slice(colon + 1), 4, ["X", "Y", "Z", "R"]) as [
        number,
        number,
        number,
        number,
      ];
      if (!(r > 0)) fail(spec, "sphere radius must be > 0 mm", String(r));
      return { kind: "sphere", centerMm: [x, y, z], radiusMm: r };
    }
    case "box": {
      if (colon !== headEnd) fail(spec, "box needs :X0,Y0,Z0,X1,Y1,Z1");
      const v = numbers(spec, t.slice(colon + 1), 6, ["X0", "Y0", "Z0", "X1", "Y1", "Z1"]);
      const [x0, y0, z0, x1, y1, z1] = v as [number, number, number, number, number, number];
      const minMm: Vec3 = [Math.min(x0, x1), Math.min(y0, y1), Math.min(z0, z1)];
      const maxMm: Vec3 = [Math.max(x0, x1), Math.max(y0, y1), Math.max(z0, z1)];
      if (!(maxMm[0] > minMm[0] && maxMm[1] > minMm[1] && maxMm[2] > minMm[2]))
        fail(spec, "box has zero extent along an axis (corners must differ in x, y and z)");
      return { kind: "box", minMm, maxMm };
    }
    case "mask": {
      if (colon !== headEnd) fail(spec, "mask needs :PATH[:LABEL]");
      let path = t.slice(colon + 1);
      let label: number | null = null;
      const m = /:(\d+)$/.exec(path);
      if (m) {
        label = Number(m[1]);
        path = path.slice(0, m.index);
        if (label < 1 || label > 255) fail(spec, "mask label must be 1..255", m[1]);
      }
      if (path.trim() === "") fail(spec, "mask path is empty");
      return { kind: "mask", path, label };
    }
    case "threshold": {
      if (colon !== headEnd) fail(spec, "threshold needs :LEVEL");
      const rest = t.slice(colon + 1);
      const a = rest.indexOf("@");
      const levelText = a < 0 ? rest : rest.slice(0, a);
      const level = parseVoiLevel(levelText, spec);
      const inner = a < 0 ? null : parseAt(spec, rest.slice(a + 1), depth + 1);
      return { kind: "threshold", level, inner };
    }
    case "component": {
      if (at < 0) fail(spec, "component needs an inner VOI: component@VOI");
      let connectivity: 6 | 26 = 6;
      if (colon === headEnd) {
        const c = t.slice(colon + 1, at).trim();
        if (c === "26") connectivity = 26;
        else if (c !== "6") fail(spec, "component connectivity must be 6 or 26", c);
      }
      return { kind: "component", connectivity, inner: parseAt(spec, t.slice(at + 1), depth + 1) };
    }
    case "grow": {
      if (colon !== headEnd) fail(spec, "grow needs :X,Y,Z,LEVEL");
      const rest = t.slice(colon + 1);
      const a = rest.indexOf("@");
      const args = (a < 0 ? rest : rest.slice(0, a)).split(",");
      if (args.length !== 4) fail(spec, `grow expects X,Y,Z,LEVEL, got ${args.length} fields`, rest);
      const seedMm: Vec3 = [num(spec, args[0]!, "X"), num(spec, args[1]!, "Y"), num(spec, args[2]!, "Z")];
      const level = parseVoiLevel(args[3]!, spec, true);
      const inner = a < 0 ? null : parseAt(spec, rest.slice(a + 1), depth + 1);
      return { kind: "grow", seedMm, level, inner };
    }
    default:
      return fail(spec, `unknown VOI kind ${JSON.stringify(kind)}`);
  }
}

/**
 * Parse a VOI spec (grammar at the top of this file). Throws `AtsmError` (INVALID_ARGUMENT)
 * naming the spec and showing the grammar.
 */
export function parseVoiSpec(text: string): VoiSpec {
  if (typeof text !== "string" || text.trim() === "") fail(String(text), "empty VOI spec");
  if (text.length > MAX_SPEC_LENGTH) fail(text, `longer than ${MAX_SPEC_LENGTH} characters`);
  return parseAt(text, text, 0);
}

function fmt(v: number): string {
  return String(v);
}

/** Canonical text of a level (round-trips through `parseVoiLevel`). */
export function formatVoiLevel(level: VoiLevel): string {
  if (level.kind === "relative") return `${fmt(+(level.fraction * 100).toPrecision(12))}%${level.of}`;
  return `${fmt(level.value)}${level.unit}`;
}

/** Canonical text of a spec (round-trips through `parseVoiSpec`). */
export function formatVoiSpec(spec: VoiSpec): string {
  switch (spec.kind) {
    case "sphere":
      return `sphere:${[...spec.centerMm, spec.radiusMm].map(fmt).join(",")}`;
    case "box":
      return `box:${[...spec.minMm, ...spec.maxMm].map(fmt).join(",")}`;
    case "mask":
      return `mask:${spec.path}${spec.label === null ? "" : `:${spec.label}`}`;
    case "threshold":
      return `threshold:${formatVoiLevel(spec.level)}${spec.inner ? `@${formatVoiSpec(spec.inner)}` : ""}`;
    case "component":
      return `component${spec.connectivity === 26 ? ":26" : ""}@${formatVoiSpec(spec.inner)}`;
    case "grow":
      return `grow:${spec.seedMm.map(fmt).join(",")},${formatVoiLevel(spec.level)}${
        spec.inner ? `@${formatVoiSpec(spec.inner)}` : ""
      }`;
  }
}

/** Mask file paths a spec refers to (the app loads them and passes them to `rasterizeVoi`). */
export function voiMaskPaths(spec: VoiSpec): string[] {
  switch (spec.kind) {
    case "mask":
      return [spec.path];
    case "threshold":
    case "grow":
      return spec.inner ? voiMaskPaths(spec.inner) : [];
    case "component":
      return voiMaskPaths(spec.inner);
    default:
      return [];
  }
}

/** Whether resolving the spec needs the reference (muscle) mean, i.e. uses a `tm` level. */
export function voiNeedsReference(spec: VoiSpec): boolean {
  switch (spec.kind) {
    case "threshold":
    case "grow":
      return (
        (spec.level.kind === "absolute" && spec.level.unit === "tm") ||
        (spec.inner !== null && voiNeedsReference(spec.inner))
      );
    case "component":
      return voiNeedsReference(spec.inner);
    default:
      return false;
  }
}
