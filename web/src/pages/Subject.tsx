/**
 * Subject page: fields (editable, PATCH /api/subjects/:sid), injections (GET/POST
 * /api/subjects/:sid/injections) and the subject's studies.
 */
import { type FormEvent, useCallback, useEffect, useState } from "react";
import { api } from "../api.js";
import { Field, isoOrNull, numOrNull } from "../forms.js";
import type { Injection, Study, Subject } from "../types.js";
import { ErrorBanner, fmtDate, Link, Spinner } from "../ui.js";

export function SubjectPage(props: { subjectId: string }) {
  const sid = encodeURIComponent(props.subjectId);
  const [subject, setSubject] = useState<Subject | null>(null);
  const [injections, setInjections] = useState<Injection[]>([]);
  const [studies, setStudies] = useState<Study[]>([]);
  const [error, setError] = useState<unknown>(null);

  const reload = useCallback(() => {
    api<Subject>("GET", `/subjects/${sid}`).then((s) => {
      setSubject(s);
      api<Study[]>("GET", `/projects/${encodeURIComponent(s.projectId)}/studies`).then(
        (all) => setStudies(all.filter((x) => x.subjectId === s.id)),
        setError,
      );
    }, setError);
    api<Injection[]>("GET", `/subjects/${sid}/injections`).then(setInjections, setError);
  }, [sid]);
  useEffect(reload, [reload]);

  if (subject === null)
    return (
      <div className="page">
        <ErrorBanner error={error} />
        {error ? null : <Spinner label="Loading subject…" />}
      </div>
    );

  return (
    <div className="page">
      <div className="crumbs">
        <Link href="/">Projects</Link> / <Link href={`/projects/${subject.projectId}`}>project</Link> /{" "}
        <span>{subject.label}</span>
      </div>
      <h1>Subject {subject.label}</h1>
      <ErrorBanner error={error} onClose={() => setError(null)} />
      <SubjectEdit subject={subject} onSaved={setSubject} />
      <section>
        <h2>Injections</h2>
        {injections.length === 0 ? (
          <p className="muted">No injection recorded.</p>
        ) : (
          <table className="table" data-testid="injection-list">
            <thead>
              <tr>
                <th>Radiopharmaceutical</th>
                <th>Nuclide</th>
                <th>Activity (MBq)</th>
                <th>Measured</th>
                <th>Residual (MBq)</th>
                <th>Injected</th>
                <th>Route</th>
              </tr>
            </thead>
            <tbody>
              {injections.map((i) => (
                <tr key={i.id}>
                  <td>{i.radiopharmaceutical}</td>
                  <td>{i.nuclide}</td>
                  <td>{(i.activityBq / 1e6).toFixed(2)}</td>
                  <td>{i.activityTime.replace("T", " ").slice(0, 16)}</td>
                  <td>{i.residualBq === null ? "–" : (i.residualBq / 1e6).toFixed(2)}</td>
                  <td>{i.injectionTime.replace("T", " ").slice(0, 16)}</td>
                  <td>{i.route}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
        <InjectionForm subjectId={props.subjectId} onCreated={reload} />
      </section>
      <section>
        <h2>Studies</h2>
        {studies.length === 0 ? <p className="muted">No studies attached to this subject.</p> : null}
        <ul>
          {studies.map((s) => (
            <li key={s.id}>
              <Link href={`/studies/${s.id}`}>{s.description || "(no description)"}</Link>{" "}
              <span className="muted">
                {fmtDate(s.studyDate)} · {s.series.map((x) => x.modality).join(" + ")}
              </span>
            </li>
          ))}
        </ul>
      </section>
    </div>
  );
}

function SubjectEdit(props: { subject: Subject; onSaved: (s: Subject) => void }) {
  const s = props.subject;
  const [weightKg, setWeight] = useState(s.weightKg === null ? "" : String(s.weightKg));
  const [heightM, setHeight] = useState(s.heightM === null ? "" : String(s.heightM));
  const [notes, setNotes] = useState(s.notes);
  const [error, setError] = useState<unknown>(null);
  const [saved, setSaved] = useState(false);
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setError(null);
    setSaved(false);
    try {
      const r = await api<Subject>("PATCH", `/subjects/${encodeURIComponent(s.id)}`, {
        weightKg: numOrNull(weightKg),
        heightM: numOrNull(heightM),
        notes,
      });
      props.onSaved(r);
      setSaved(true);
    } catch (err) {
      setError(err);
    }
  };
  return (
    <form className="card grid-form" onSubmit={submit}>
      <h3>
        {s.kind === "patient" ? "Patient" : [s.species, s.strain].filter(Boolean).join(", ") || "Animal"}
        {s.sex ? ` · ${s.sex}` : ""}
      </h3>
      <ErrorBanner error={error} onClose={() => setError(null)} />
      <Field name="weightKg" label="Weight (kg)" error={error}>
        <input value={weightKg} onChange={(e) => setWeight(e.target.value)} inputMode="decimal" />
      </Field>
      {s.kind === "patient" ? (
        <Field name="heightM" label="Height (m)" error={error}>
          <input value={heightM} onChange={(e) => setHeight(e.target.value)} inputMode="decimal" />
        </Field>
      ) : null}
      <Field name="notes" label="Notes" error={error}>
        <input value={notes} onChange={(e) => setNotes(e.target.value)} />
      </Field>
      <button type="submit">Save</button>
      {saved ? <span className="ok">saved</span> : null}
    </form>
  );
}

function InjectionForm(props: { subjectId: string; onCreated: () => void }) {
  const [f, setF] = useState({
    radiopharmaceutical: "Cu-ATSM",
    nuclide: "Cu-64",
    activityMBq: "",
    activityTime: "",
    residualMBq: "",
    residualTime: "",
    injectionTime: "",
    route: "iv",
  });
  const [error, setError] = useState<unknown>(null);
  const set = (k: keyof typeof f) => (e: { target: { value: string } }) =>
    setF({ ...f, [k]: e.target.value });
  const mbqToBq = (s: string) => {
    const v = numOrNull(s);
    return v === null ? null : v * 1e6; // MBq → Bq at the edge
  };
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setError(null);
    try {
      const residualBq = mbqToBq(f.residualMBq);
      await api("POST", `/subjects/${encodeURIComponent(props.subjectId)}/injections`, {
        radiopharmaceutical: f.radiopharmaceutical,
        nuclide: f.nuclide,
        activityBq: mbqToBq(f.activityMBq),
        activityTime: isoOrNull(f.activityTime),
        ...(residualBq !== null ? { residualBq, residualTime: isoOrNull(f.residualTime) } : {}),
        injectionTime: isoOrNull(f.injectionTime),
        route: f.route,
      });
      props.onCreated();
    } catch (err) {
      setError(err);
    }
  };
  return (
    <form className="card grid-form" onSubmit={submit} data-testid="injection-form">
      <h3>New injection</h3>
      <ErrorBanner error={error} onClose={() => setError(null)} />
      <Field name="radiopharmaceutical" label="Radiopharmaceutical" error={error}>
        <input value={f.radiopharmaceutical} onChange={set("radiopharmaceutical")} />
      </Field>
      <Field name="nuclide" label="Nuclide" error={error}>
        <input value={f.nuclide} onChange={set("nuclide")} />
      </Field>
      <Field name="activityBq" label="Activity (MBq)" error={error}>
        <input value={f.activityMBq} onChange={set("activityMBq")} inputMode="decimal" required />
      </Field>
      <Field name="activityTime" label="Activity measured at" error={error}>
        <input type="datetime-local" value={f.activityTime} onChange={set("activityTime")} required />
      </Field>
      <Field name="residualBq" label="Residual (MBq)" error={error}>
        <input value={f.residualMBq} onChange={set("residualMBq")} inputMode="decimal" />
      </Field>
      <Field name="residualTime" label="Residual measured at" error={error}>
        <input type="datetime-local" value={f.residualTime} onChange={set("residualTime")} />
      </Field>
      <Field name="injectionTime" label="Injected at" error={error}>
        <input type="datetime-local" value={f.injectionTime} onChange={set("injectionTime")} required />
      </Field>
      <Field name="route" label="Route" error={error}>
        <select value={f.route} onChange={set("route")}>
          <option value="iv">iv</option>
          <option value="ip">ip</option>
          <option value="sc">sc</option>
          <option value="other">other</option>
        </select>
      </Field>
      <button type="submit" className="primary">
        Add injection
      </button>
    </form>
  );
}
