/**
 * One project: its studies (table, upload) and subjects (list, new-subject form).
 * GET /api/projects/:pid, /projects/:pid/studies, /projects/:pid/subjects.
 */
import { type FormEvent, useCallback, useEffect, useState } from "react";
import { api } from "../api.js";
import { Field, numOrNull } from "../forms.js";
import { navigate } from "../router.js";
import type { Project, Study, Subject } from "../types.js";
import { ErrorBanner, fmtDate, Link, Spinner } from "../ui.js";
import { UploadPanel } from "./Upload.js";

export function ProjectPage(props: { projectId: string }) {
  const pid = props.projectId;
  const [project, setProject] = useState<Project | null>(null);
  const [studies, setStudies] = useState<Study[] | null>(null);
  const [subjects, setSubjects] = useState<Subject[]>([]);
  const [error, setError] = useState<unknown>(null);

  const reload = useCallback(() => {
    const p = encodeURIComponent(pid);
    api<Project>("GET", `/projects/${p}`).then(setProject, setError);
    api<Study[]>("GET", `/projects/${p}/studies`).then(setStudies, setError);
    api<Subject[]>("GET", `/projects/${p}/subjects`).then(setSubjects, setError);
  }, [pid]);
  useEffect(reload, [reload]);

  const subjectLabel = (id: string | null) => subjects.find((s) => s.id === id)?.label ?? "–";

  return (
    <div className="page">
      <div className="crumbs">
        <Link href="/">Projects</Link> / <span>{project?.name ?? "…"}</span>
      </div>
      <h1>{project?.name ?? "Project"}</h1>
      {project?.description ? <p className="muted">{project.description}</p> : null}
      <ErrorBanner error={error} onClose={() => setError(null)} />
      <section>
        <h2>Studies</h2>
        {studies === null ? (
          <Spinner label="Loading studies…" />
        ) : studies.length === 0 ? (
          <p className="muted">No studies yet: upload one below.</p>
        ) : (
          <table className="table" data-testid="study-list">
            <thead>
              <tr>
                <th>Subject</th>
                <th>Date</th>
                <th>Description</th>
                <th>Modalities</th>
                <th>Series</th>
                <th />
              </tr>
            </thead>
            <tbody>
              {studies.map((s) => (
                <tr key={s.id} className="clickable" onClick={() => navigate(`/studies/${s.id}`)}>
                  <td>
                    {s.subjectId ? (
                      <Link href={`/subjects/${s.subjectId}`}>{subjectLabel(s.subjectId)}</Link>
                    ) : (
                      "–"
                    )}
                  </td>
                  <td>{fmtDate(s.studyDate)}</td>
                  <td>
                    <Link href={`/studies/${s.id}`} testId="study-link">
                      {s.description || "(no description)"}
                    </Link>
                  </td>
                  <td>{[...new Set(s.series.map((x) => x.modality))].join(", ")}</td>
                  <td>{s.series.length}</td>
                  <td>
                    <Link href={`/studies/${s.id}/results`}>results</Link>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </section>
      <UploadPanel projectId={pid} subjects={subjects} onDone={reload} />
      <section>
        <h2>Subjects</h2>
        {subjects.length === 0 ? <p className="muted">No subjects yet.</p> : null}
        <ul className="chips">
          {subjects.map((s) => (
            <li key={s.id}>
              <Link href={`/subjects/${s.id}`}>{s.label}</Link>{" "}
              <span className="muted">
                {s.kind === "patient" ? "patient" : [s.species, s.strain].filter(Boolean).join(" ")}
              </span>
            </li>
          ))}
        </ul>
        <SubjectForm projectId={pid} onCreated={reload} />
      </section>
    </div>
  );
}

function SubjectForm(props: { projectId: string; onCreated: () => void }) {
  const [f, setF] = useState({
    label: "",
    kind: "animal",
    species: "",
    strain: "",
    sex: "",
    weightKg: "",
    heightM: "",
    notes: "",
  });
  const [error, setError] = useState<unknown>(null);
  const set = (k: keyof typeof f) => (e: { target: { value: string } }) =>
    setF({ ...f, [k]: e.target.value });

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setError(null);
    try {
      await api("POST", `/projects/${encodeURIComponent(props.projectId)}/subjects`, {
        label: f.label,
        kind: f.kind,
        species: f.species || null,
        strain: f.strain || null,
        sex: f.sex || null,
        weightKg: numOrNull(f.weightKg),
        heightM: numOrNull(f.heightM),
        notes: f.notes,
      });
      setF({ ...f, label: "", notes: "" });
      props.onCreated();
    } catch (err) {
      setError(err);
    }
  };

  return (
    <form className="card grid-form" onSubmit={submit} data-testid="subject-form">
      <h3>New subject</h3>
      <ErrorBanner error={error} onClose={() => setError(null)} />
      <Field name="label" label="Label" error={error}>
        <input value={f.label} onChange={set("label")} required />
      </Field>
      <Field name="kind" label="Kind" error={error}>
        <select value={f.kind} onChange={set("kind")}>
          <option value="animal">animal</option>
          <option value="patient">patient</option>
        </select>
      </Field>
      {f.kind === "animal" ? (
        <>
          <Field name="species" label="Species" error={error}>
            <input value={f.species} onChange={set("species")} placeholder="mouse" />
          </Field>
          <Field name="strain" label="Strain" error={error}>
            <input value={f.strain} onChange={set("strain")} placeholder="BALB/c nude" />
          </Field>
        </>
      ) : (
        <Field name="heightM" label="Height (m)" error={error}>
          <input value={f.heightM} onChange={set("heightM")} inputMode="decimal" placeholder="1.70" />
        </Field>
      )}
      <Field name="sex" label="Sex" error={error}>
        <select value={f.sex} onChange={set("sex")}>
          <option value="">–</option>
          <option value="F">F</option>
          <option value="M">M</option>
          <option value="O">O</option>
        </select>
      </Field>
      <Field name="weightKg" label="Weight (kg)" error={error}>
        <input value={f.weightKg} onChange={set("weightKg")} inputMode="decimal" placeholder="0.022" />
      </Field>
      <Field name="notes" label="Notes" error={error}>
        <input value={f.notes} onChange={set("notes")} />
      </Field>
      <button type="submit" className="primary">
        Add subject
      </button>
    </form>
  );
}
