/** Form helpers: a labelled field that shows the API error's message + hint when `error.field` names it. */
import type { ReactNode } from "react";
import { ApiError } from "./api.js";

export function Field(props: { name: string; label: string; error: unknown; children: ReactNode }) {
  const e =
    props.error instanceof ApiError && fieldName(props.error.field) === props.name ? props.error : null;
  return (
    // biome-ignore lint/a11y/noLabelWithoutControl: the control is passed in as children
    <label className={e ? "field invalid" : "field"}>
      <span>{props.label}</span>
      {props.children}
      {e ? (
        <span className="field-error" data-testid={`field-error-${props.name}`}>
          {e.message}
          {e.hint ? ` — ${e.hint}` : ""}
        </span>
      ) : null}
    </label>
  );
}

/** The API names body fields `body.weightKg`; forms use `weightKg`. */
function fieldName(f: string | null): string | null {
  return f?.startsWith("body.") ? f.slice(5) : f;
}

/** `""` → null, else the number (NaN stays NaN so the server's validation names the field). */
export function numOrNull(s: string): number | null {
  return s.trim() === "" ? null : Number(s);
}

/** datetime-local value → ISO string (local time), `""` → null. */
export function isoOrNull(s: string): string | null {
  if (s.trim() === "") return null;
  const d = new Date(s);
  return Number.isNaN(d.getTime()) ? s : d.toISOString();
}
