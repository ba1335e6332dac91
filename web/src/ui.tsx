/** Small shared UI pieces: error banner (message + hint), spinner, progress bar, link, formatting. */
import { type ReactNode, useEffect, useState } from "react";
import { ApiError, onBusy } from "./api.js";
import { linkClick } from "./router.js";

export function Link(props: { href: string; children: ReactNode; className?: string; testId?: string }) {
  return (
    <a href={props.href} onClick={linkClick} className={props.className} data-testid={props.testId}>
      {props.children}
    </a>
  );
}

/** Error banner showing the API's message, the offending field and the hint. */
export function ErrorBanner(props: { error: unknown; onClose?: () => void }) {
  if (props.error === null || props.error === undefined) return null;
  const e = props.error;
  const message = e instanceof Error ? e.message : String(e);
  const api = e instanceof ApiError ? e : null;
  return (
    <div className="banner error" role="alert" data-testid="error-banner">
      <div>
        <strong>{api ? api.code : "Error"}</strong>: {message}
        {api?.field ? <span className="field"> (field: {api.field})</span> : null}
        {api?.hint ? <div className="hint">Hint: {api.hint}</div> : null}
      </div>
      {props.onClose ? (
        <button type="button" className="close" onClick={props.onClose} aria-label="dismiss">
          ×
        </button>
      ) : null}
    </div>
  );
}

export function Spinner(props: { label?: string }) {
  return (
    <span className="spinner-wrap" role="status">
      <span className="spinner" aria-hidden="true" />
      {props.label ? <span>{props.label}</span> : null}
    </span>
  );
}

/** Determinate bar when `fraction` is a number in [0, 1], indeterminate when null. */
export function ProgressBar(props: { fraction: number | null; label?: string; testId?: string }) {
  const pct = props.fraction === null ? null : Math.round(Math.max(0, Math.min(1, props.fraction)) * 100);
  return (
    <div className="progress" data-testid={props.testId}>
      <div
        className={pct === null ? "progress-bar indeterminate" : "progress-bar"}
        style={pct === null ? undefined : { width: `${pct}%` }}
        role="progressbar"
        aria-valuenow={pct ?? undefined}
        aria-valuemin={0}
        aria-valuemax={100}
      />
      {props.label ? <span className="progress-label">{props.label}</span> : null}
    </div>
  );
}

/** Thin bar at the top of the page while any request is in flight (after 150 ms, to avoid flicker). */
export function BusyBar() {
  const [busy, setBusy] = useState(0);
  const [show, setShow] = useState(false);
  useEffect(() => onBusy(setBusy), []);
  useEffect(() => {
    if (busy === 0) {
      setShow(false);
      return;
    }
    const t = setTimeout(() => setShow(true), 150);
    return () => clearTimeout(t);
  }, [busy]);
  return <div className={show ? "busybar on" : "busybar"} aria-hidden="true" />;
}

/** Number with `digits` significant decimals, "–" for null/NaN. */
export function fmt(v: number | null | undefined, digits = 2): string {
  if (v === null || v === undefined || !Number.isFinite(v)) return "–";
  return v.toFixed(digits);
}

export function fmtBytes(n: number): string {
  if (n < 1024) return `${n} B`;
  if (n < 1024 ** 2) return `${(n / 1024).toFixed(1)} KB`;
  if (n < 1024 ** 3) return `${(n / 1024 ** 2).toFixed(1)} MB`;
  return `${(n / 1024 ** 3).toFixed(2)} GB`;
}

export function fmtDate(iso: string | null | undefined): string {
  if (!iso) return "–";
  return iso.length > 10 ? iso.slice(0, 10) : iso;
}
