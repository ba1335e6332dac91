/**
 * Results page `/studies/:id/results[?rid=]`: stored results of the study (GET /api/studies/:id/results),
 * the chosen one's T/M, hypoxic volume, prognosis class with the preset's citation, T/M histogram and the
 * export links (/api/results/:rid/export/{csv,json,seg.dcm,report.html,report.pdf}).
 */
import { useEffect, useState } from "react";
import { api } from "../api.js";
import { Histogram } from "../Histogram.js";
import { navigate, usePath } from "../router.js";
import type { ResultRow, Study } from "../types.js";
import { ErrorBanner, fmt, Link, Spinner } from "../ui.js";

const EXPORTS = [
  { format: "csv", label: "CSV" },
  { format: "json", label: "JSON" },
  { format: "seg.dcm", label: "DICOM SEG" },
  { format: "report.html", label: "Report (HTML)" },
  { format: "report.pdf", label: "Report (PDF)" },
] as const;

export function ResultsPage(props: { studyId: string }) {
  const sid = encodeURIComponent(props.studyId);
  const path = usePath();
  const rid = new URLSearchParams(path.split("?")[1] ?? "").get("rid");
  const [study, setStudy] = useState<Study | null>(null);
  const [results, setResults] = useState<ResultRow[] | null>(null);
  const [error, setError] = useState<unknown>(null);

  useEffect(() => {
    api<Study>("GET", `/studies/${sid}`).then(setStudy, setError);
    api<ResultRow[]>("GET", `/studies/${sid}/results`).then(
      (rows) => setResults([...rows].sort((a, b) => b.createdAt.localeCompare(a.createdAt))),
      setError,
    );
  }, [sid]);

  const current = results?.find((r) => r.id === rid) ?? results?.[0] ?? null;
  const res = current?.result ?? null;
  const p = res?.prognosis ?? null;

  return (
    <div className="page">
      <div className="crumbs">
        <Link href="/">Projects</Link> /{" "}
        {study ? <Link href={`/projects/${study.projectId}`}>project</Link> : "…"} /{" "}
        <Link href={`/studies/${props.studyId}`}>{study?.description || "study"}</Link> / <span>results</span>
      </div>
      <h1>Results</h1>
      <ErrorBanner error={error} onClose={() => setError(null)} />
      {results === null ? <Spinner label="Loading results…" /> : null}
      {results !== null && results.length === 0 ? (
        <p className="muted">
          No stored result yet: place a tumour and a reference VOI in the{" "}
          <Link href={`/studies/${props.studyId}`}>viewer</Link> and press “Save result”.
        </p>
      ) : null}
      {current && res ? (
        <div className="results-grid">
          <section className="card" data-testid="result">
            <h2>
              T/M{" "}
              <span className="muted small">result {current.createdAt.replace("T", " ").slice(0, 19)}</span>
            </h2>
            <div className="tm-row big">
              <div className="tm">
                <span className="tm-label">T/M max</span>
                <span className="tm-value" data-testid="result-tm-max">
                  {fmt(res.tmrMax, 3)}
                </span>
              </div>
              <div className="tm">
                <span className="tm-label">T/M mean</span>
                <span className="tm-value" data-testid="result-tm-mean">
                  {fmt(res.tmrMean, 3)}
                </span>
              </div>
              <div className="tm">
                <span className="tm-label">T/M peak</span>
                <span className="tm-value" data-testid="result-tm-peak">
                  {fmt(res.tmrPeak, 3)}
                </span>
              </div>
            </div>
            <p>
              Hypoxic volume (T/M ≥ {fmt(res.hypoxicCutoffTm, 2)}):{" "}
              <strong data-testid="result-hypoxic-volume">{fmt(res.hypoxicVolumeMl, 2)} mL</strong>, fraction{" "}
              <strong>{fmt(res.hypoxicFraction * 100, 1)} %</strong> of {fmt(res.tumor.volumeMl, 2)} mL.
            </p>
            {p ? (
              <div className={`prognosis ${p.class}`} data-testid="result-prognosis">
                <strong>{p.class === "hypoxic" ? "Hypoxic" : "Non-hypoxic"}</strong>: {p.label} — T/M
                {p.statistic} {fmt(p.value, 2)} {p.comparison} {fmt(p.cutoff, 2)}?{" "}
                {p.class === "hypoxic" ? "yes" : "no"}
                <div className="citation small" data-testid="result-citation">
                  {p.citation}
                </div>
                {p.warnings.length > 0 ? (
                  <ul className="small warn">
                    {p.warnings.map((w) => (
                      <li key={w}>{w}</li>
                    ))}
                  </ul>
                ) : null}
              </div>
            ) : (
              <p className="muted">No prognosis preset applied (custom cutoff).</p>
            )}
            <dl className="inputs small">
              <dt>Tumour VOI</dt>
              <dd>
                <code>{res.tumor.spec}</code>
              </dd>
              <dt>Reference VOI</dt>
              <dd>
                <code>{res.reference.spec}</code>
              </dd>
              <dt>Software</dt>
              <dd>{current.softwareVersion}</dd>
            </dl>
            <div className="exports" data-testid="exports">
              {EXPORTS.map((x) => (
                <a
                  key={x.format}
                  className="button"
                  href={`/api/results/${encodeURIComponent(current.id)}/export/${x.format}`}
                  download
                  data-testid={`export-${x.format}`}
                >
                  {x.label}
                </a>
              ))}
            </div>
          </section>
          <section className="card">
            <h2>T/M histogram</h2>
            <Histogram h={res.histogram} cutoffTm={res.hypoxicCutoffTm} />
          </section>
          {results && results.length > 1 ? (
            <section className="card">
              <h2>All results</h2>
              <ul>
                {results.map((r) => (
                  <li key={r.id}>
                    <button
                      type="button"
                      className={r.id === current.id ? "linklike on" : "linklike"}
                      onClick={() => navigate(`/studies/${props.studyId}/results?rid=${r.id}`, true)}
                    >
                      {r.createdAt.replace("T", " ").slice(0, 19)}
                    </button>{" "}
                    T/Mmean {fmt(r.result.tmrMean, 3)}
                  </li>
                ))}
              </ul>
            </section>
          ) : null}
        </div>
      ) : null}
    </div>
  );
}
