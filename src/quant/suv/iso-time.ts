/**
 * Epoch ms → ISO-8601 UTC text without the Date object (core code never touches Date; see the
 * layering test). Days → civil date by H. Hinnant's `civil_from_days` algorithm
 * (http://howardhinnant.github.io/date_algorithms.html), exact for the proleptic Gregorian calendar.
 */
export function isoUtc(ms: number): string {
  if (!Number.isFinite(ms)) return String(ms);
  const totalS = Math.floor(ms / 1000);
  const frac = ms - totalS * 1000;
  const days = Math.floor(totalS / 86400);
  const sod = totalS - days * 86400;
  const z = days + 719468;
  const era = Math.floor(z / 146097);
  const doe = z - era * 146097;
  const yoe = Math.floor(
    (doe - Math.floor(doe / 1460) + Math.floor(doe / 36524) - Math.floor(doe / 146096)) / 365,
  );
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  const d = doy - Math.floor((153 * mp + 2) / 5) + 1;
  const m = mp < 10 ? mp + 3 : mp - 9;
  const y = yoe + era * 400 + (m <= 2 ? 1 : 0);
  const p = (n: number, w = 2) => String(n).padStart(w, "0");
  const hh = Math.floor(sod / 3600);
  const mi = Math.floor((sod % 3600) / 60);
  const ss = sod % 60;
  const fracText = frac > 0 ? `.${p(Math.round(frac), 3)}` : "";
  return `${p(y, 4)}-${p(m)}-${p(d)}T${p(hh)}:${p(mi)}:${p(ss)}${fracText}Z`;
}
