/**
 * DICOM DA / TM / DT value parsing to epoch milliseconds, at the io/ boundary (the core never sees
 * DA/TM strings). DICOM times carry no zone: they are read as if UTC so that every difference
 * between two of them is exact (see PetInstanceMetadata).
 *
 * DA = YYYYMMDD (also tolerates the old YYYY.MM.DD); TM = HH[MM[SS[.FFFFFF]]] (also tolerates the
 * old HH:MM:SS); DT = YYYYMMDDHHMMSS.FFFFFF&ZZXX (offset honoured when present).
 */
import { AtsmError } from "../../core/errors.js";

function bad(field: string, value: string, what: string): AtsmError {
  return new AtsmError({
    code: "PARSE_ERROR",
    message: `invalid DICOM ${what} in ${field}`,
    value,
    field,
    hint: `${what} must look like ${what === "DA" ? "20250301" : what === "TM" ? "083000 or 083000.123" : "20250301083000"}`,
  });
}

/** Epoch ms at 00:00 UTC of a DA value, or null for empty. */
export function parseDicomDateMs(da: string | undefined | null, field = "date"): number | null {
  const t = (da ?? "").trim().replace(/\./g, "");
  if (t === "") return null;
  const m = /^(\d{4})(\d{2})(\d{2})$/.exec(t);
  if (!m) throw bad(field, t, "DA");
  const y = Number(m[1]);
  const mo = Number(m[2]);
  const d = Number(m[3]);
  if (mo < 1 || mo > 12 || d < 1 || d > 31) throw bad(field, t, "DA");
  const ms = Date.UTC(y, mo - 1, d);
  // Date.UTC rolls 20250230 over to 2 March: a day past the month's end is a bad DA, not a date.
  if (new Date(ms).getUTCDate() !== d) throw bad(field, t, "DA");
  return ms;
}

/** Milliseconds since midnight of a TM value, or null for empty. */
export function parseDicomTimeMs(tm: string | undefined | null, field = "time"): number | null {
  const t = (tm ?? "").trim().replace(/:/g, "");
  if (t === "") return null;
  const m = /^(\d{2})(\d{2})?(\d{2})?(?:\.(\d{1,6}))?$/.exec(t);
  if (!m) throw bad(field, t, "TM");
  const h = Number(m[1]);
  const mi = Number(m[2] ?? "0");
  const s = Number(m[3] ?? "0");
  const frac = m[4] === undefined ? 0 : Number(`0.${m[4]}`);
  if (h > 23 || mi > 59 || s > 60) throw bad(field, t, "TM");
  return ((h * 60 + mi) * 60 + s + frac) * 1000;
}

/** Epoch ms of DA + TM, or null when either is empty. */
export function combineDicomDateTimeMs(
  da: string | null | undefined,
  tm: string | null | undefined,
  field = "datetime",
): number | null {
  const d = parseDicomDateMs(da, `${field} date`);
  const t = parseDicomTimeMs(tm, `${field} time`);
  if (d === null || t === null) return null;
  return d + t;
}

/** Epoch ms of a DT value (YYYYMMDDHHMMSS.FFFFFF&ZZXX); a zone offset, when present, is applied. */
export function parseDicomDateTimeMs(dt: string | undefined | null, field = "datetime"): number | null {
  const t = (dt ?? "").trim();
  if (t === "") return null;
  const m = /^(\d{8})(\d{2}(?:\d{2}(?:\d{2}(?:\.\d{1,6})?)?)?)?([+-]\d{4})?$/.exec(t);
  if (!m) throw bad(field, t, "DT");
  const day = parseDicomDateMs(m[1], field)!;
  const time = m[2] === undefined ? 0 : parseDicomTimeMs(m[2], field)!;
  let offsetMs = 0;
  if (m[3] !== undefined) {
    const sign = m[3].startsWith("-") ? -1 : 1;
    offsetMs = sign * (Number(m[3].slice(1, 3)) * 60 + Number(m[3].slice(3, 5))) * 60_000;
  }
  return day + time - offsetMs;
}

/** Format epoch ms (read as UTC) as DICOM DA and TM strings. */
export function formatDicomDateTime(ms: number): { da: string; tm: string } {
  const d = new Date(ms);
  const p = (n: number, w = 2) => String(n).padStart(w, "0");
  const da = `${d.getUTCFullYear()}${p(d.getUTCMonth() + 1)}${p(d.getUTCDate())}`;
  const frac = d.getUTCMilliseconds();
  const tm = `${p(d.getUTCHours())}${p(d.getUTCMinutes())}${p(d.getUTCSeconds())}${frac ? `.${p(frac, 3)}` : ""}`;
  return { da, tm };
}
