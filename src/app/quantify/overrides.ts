/**
 * SUV overrides from text (CLI flags and batch CSV columns share the names): weight-kg,
 * height-cm, sex, dose-mbq, dose, injection-time, half-life, nuclide, scan-time.
 *
 * Times: DICOM times carry no zone and are read as wall-clock "as if UTC"; a time written without
 * a zone (2024-05-14T10:00:00) is taken as the same wall-clock; a time with Z or an offset is
 * converted to UTC.
 */
import { AtsmError } from "../../core/errors.js";
import { parseActivityBq, parseDurationS, parseFiniteNumber, parseIsoTimeMs } from "../../core/units.js";
import type { SuvOverrides } from "../../quant/suv/types.js";

/** Names of the override fields (flags `--NAME`, batch columns `NAME`). */
export const OVERRIDE_NAMES = [
  "weight-kg",
  "height-cm",
  "sex",
  "dose-mbq",
  "dose",
  "injection-time",
  "half-life",
  "nuclide",
  "scan-time",
] as const;

function positive(text: string, field: string): number {
  const v = parseFiniteNumber(text, field);
  if (!(v > 0))
    throw new AtsmError({ code: "INVALID_ARGUMENT", message: `${field} must be > 0`, value: text, field });
  return v;
}

/** Wall-clock time (see file comment), epoch ms. */
export function parseWallClockMs(text: string, field: string): number {
  const t = text.trim().replace(" ", "T");
  const zoned = /(Z|[+-]\d{2}:?\d{2})$/.test(t) && /T\d/.test(t);
  return parseIsoTimeMs(zoned ? t : `${t}Z`, field);
}

/** Parse the overrides present in `get(name)` (undefined/"" = absent). `prefix` names fields in messages. */
export function parseSuvOverrides(get: (name: string) => string | undefined, prefix = "--"): SuvOverrides {
  const o: { -readonly [K in keyof SuvOverrides]: SuvOverrides[K] } = {};
  const s = (k: string) => {
    const v = get(k)?.trim();
    return v === undefined || v === "" ? undefined : v;
  };
  const f = (k: string) => `${prefix}${k}`;
  if (s("weight-kg")) o.weightKg = positive(s("weight-kg")!, f("weight-kg"));
  if (s("height-cm")) o.heightM = positive(s("height-cm")!, f("height-cm")) / 100; // cm -> m
  const sex = s("sex");
  if (sex) {
    const up = sex.toUpperCase();
    if (up !== "M" && up !== "F") {
      throw new AtsmError({
        code: "INVALID_ARGUMENT",
        message: `${f("sex")} must be M or F`,
        value: sex,
        field: f("sex"),
      });
    }
    o.sex = up;
  }
  if (s("dose-mbq")) o.injectedDoseBq = positive(s("dose-mbq")!, f("dose-mbq")) * 1e6; // MBq -> Bq
  if (s("dose")) o.injectedDoseBq = parseActivityBq(s("dose")!, f("dose"));
  if (s("injection-time")) o.injectionTimeMs = parseWallClockMs(s("injection-time")!, f("injection-time"));
  if (s("half-life")) o.halfLifeS = parseDurationS(s("half-life")!, f("half-life"));
  if (s("nuclide")) o.nuclide = s("nuclide")!;
  if (s("scan-time")) o.scanTimeMs = parseWallClockMs(s("scan-time")!, f("scan-time"));
  return o;
}
