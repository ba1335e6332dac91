/** Project list (GET /api/projects) and a "new project" form (POST /api/projects). */
import { type FormEvent, useEffect, useState } from "react";
import { api } from "../api.js";
import { navigate } from "../router.js";
import type { Project } from "../types.js";
import { ErrorBanner, Link, Spinner } from "../ui.js";

export function ProjectsPage() {
  const [projects, setProjects] = useState<Project[] | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [name, setName] = useState("");
  const [description, setDescription] = useState("");

  useEffect(() => {
    api<Project[]>("GET", "/projects").then(setProjects, setError);
  }, []);

  const create = async (e: FormEvent) => {
    e.preventDefault();
    setError(null);
    try {
      const p = await api<Project>("POST", "/projects", { name, description });
      navigate(`/projects/${p.id}`);
    } catch (err) {
      setError(err);
    }
  };

  return (
    <div className="page">
      <h1>Projects</h1>
      <ErrorBanner error={error} onClose={() => setError(null)} />
      {projects === null ? (
        <Spinner label="Loading projects…" />
      ) : projects.length === 0 ? (
        <p className="muted">No projects yet: create one below.</p>
      ) : (
        <table className="table" data-testid="project-list">
          <thead>
            <tr>
              <th>Name</th>
              <th>Description</th>
              <th>Your role</th>
              <th>Created</th>
            </tr>
          </thead>
          <tbody>
            {projects.map((p) => (
              <tr key={p.id} className="clickable" onClick={() => navigate(`/projects/${p.id}`)}>
                <td>
                  <Link href={`/projects/${p.id}`} testId={`project-${p.name}`}>
                    {p.name}
                  </Link>
                </td>
                <td>{p.description}</td>
                <td>{p.role ?? "site admin"}</td>
                <td>{p.createdAt.slice(0, 10)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <form className="card inline-form" onSubmit={create}>
        <h2>New project</h2>
        <label>
          Name
          <input value={name} onChange={(e) => setName(e.target.value)} required data-testid="project-name" />
        </label>
        <label>
          Description
          <input value={description} onChange={(e) => setDescription(e.target.value)} />
        </label>
        <button type="submit" className="primary">
          Create
        </button>
      </form>
    </div>
  );
}
