/**
 * Live metrics of the active tumour and reference VOIs (POST /api/studies/:id/metrics): SUVmax/mean/peak,
 * volume, T/Mmax/mean/peak, hypoxic volume and fraction. Test hooks: tm-mean, tm-max, tm-peak carry the
 * value (3 decimals) as text and the full-precision number in `data-value`.
 */
import type { QuantifyResult, VoiSummary } from "../types.js";
import { ErrorBanner, fmt, Spinner } from "../ui.js";

export type MetricsState =
  | { state: "idle"; reason: string }
  | { state: "loading"; last: QuantifyResult | null }
  | { state: "ready"; result: QuantifyResult }
  | { state: "error"; error: unknown };

function Tm(props: { id: string; label: string; value: number | undefined }) {
  return (
    <div className="tm">
      <span className="tm-label">{props.label}</span>
      <span className="tm-value" data-testid={props.id} data-value={props.value ?? ""}>
        {fmt(props.value, 3)}
      </span>
    </div>
  );
}

function VoiRow(props: { label: string; v: VoiSummary; suv: boolean }) {
  const { v } = props;
  return (
    <tr>
      <th>{props.label}</th>
      <td>{fmt(props.suv ? v.suvMax : v.nativeMax)}</td>
      <td>{fmt(props.suv ? v.suvMean : v.nativeMean)}</td>
      <td>{fmt(props.suv ? v.suvPeak : v.nativePeak)}</td>
      <td>{fmt(v.volumeMl, 1)}</td>
    </tr>
  );
}

export function MetricsPanel(props: { m: MetricsState }) {
  const m = props.m;
  const r = m.state === "ready" ? m.result : m.state === "loading" ? m.last : null;
  const suv = r ? r.tumor.suvMax !== null : true;
  return (
    <section className="panel metrics" data-testid="metrics" data-state={m.state}>
      <h3>
        Metrics {m.state === "loading" ? <Spinner /> : null}
        {r?.prognosis ? (
          <span className={`badge ${r.prognosis.class}`} data-testid="prognosis-class">
            {r.prognosis.class}
          </span>
        ) : null}
      </h3>
      {m.state === "idle" ? <p className="muted small">{m.reason}</p> : null}
      {m.state === "error" ? <ErrorBanner error={m.error} /> : null}
      {r ? (
        <>
          <div className="tm-row">
            <Tm id="tm-max" label="T/M max" value={r.tmrMax} />
            <Tm id="tm-mean" label="T/M mean" value={r.tmrMean} />
            <Tm id="tm-peak" label="T/M peak" value={r.tmrPeak} />
          </div>
          <table className="table compact">
            <thead>
              <tr>
                <th />
                <th>{suv ? "SUVmax" : "max"}</th>
                <th>{suv ? "SUVmean" : "mean"}</th>
                <th>{suv ? "SUVpeak" : "peak"}</th>
                <th>mL</th>
              </tr>
            </thead>
            <tbody>
              <VoiRow label="Tumour" v={r.tumor} suv={suv} />
              <VoiRow label="Reference" v={r.reference} suv={suv} />
            </tbody>
          </table>
          <p className="small">
            Hypoxic (T/M ≥ {fmt(r.hypoxicCutoffTm, 2)}):{" "}
            <strong data-testid="hypoxic-volume">{fmt(r.hypoxicVolumeMl, 2)} mL</strong> (
            <span data-testid="hypoxic-fraction">{fmt(r.hypoxicFraction * 100, 1)} %</span>)
          </p>
          {r.warnings.length > 0 ? (
            <details className="small">
              <summary>{r.warnings.length} warning(s)</summary>
              <ul>
                {r.warnings.map((w) => (
                  <li key={w}>{w}</li>
                ))}
              </ul>
            </details>
          ) : null}
        </>
      ) : null}
    </section>
  );
}
