/**
 * App shell: session check (GET /api/auth/me), login on 401, header with navigation, the routes and the
 * keyboard help overlay (`?`).
 */
import { useCallback, useEffect, useState } from "react";
import { api, onUnauthenticated } from "./api.js";
import { HelpOverlay } from "./help.js";
import { LoginPage } from "./pages/Login.js";
import { ProjectPage } from "./pages/Project.js";
import { ProjectsPage } from "./pages/Projects.js";
import { ResultsPage } from "./pages/Results.js";
import { SubjectPage } from "./pages/Subject.js";
import { ViewerPage } from "./pages/Viewer.js";
import { match, navigate, usePath } from "./router.js";
import type { User } from "./types.js";
import { BusyBar, Link, Spinner } from "./ui.js";

type Session = { state: "checking" } | { state: "out" } | { state: "in"; user: User };

export function App() {
  const path = usePath();
  const [session, setSession] = useState<Session>({ state: "checking" });
  const [help, setHelp] = useState(false);

  useEffect(() => {
    api<{ user: User }>("GET", "/auth/me").then(
      (r) => setSession({ state: "in", user: r.user }),
      () => setSession({ state: "out" }),
    );
    return onUnauthenticated(() => setSession({ state: "out" }));
  }, []);

  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (isTyping(e)) return;
      if (e.key === "?") setHelp((h) => !h);
      else if (e.key === "Escape") setHelp(false);
    };
    window.addEventListener("keydown", onKey);
    return () => window.removeEventListener("keydown", onKey);
  }, []);

  const logout = useCallback(async () => {
    try {
      await api("POST", "/auth/logout", {});
    } finally {
      setSession({ state: "out" });
      navigate("/", true);
    }
  }, []);

  if (session.state === "checking")
    return (
      <div className="center-page">
        <Spinner label="Connecting…" />
      </div>
    );
  if (session.state === "out") return <LoginPage onLogin={(user) => setSession({ state: "in", user })} />;

  return (
    <div className="app">
      <BusyBar />
      <header className="topbar">
        <Link href="/" className="brand">
          ATSM Workbench
        </Link>
        <span className="spacer" />
        <button type="button" className="ghost" onClick={() => setHelp(true)} title="Keyboard shortcuts (?)">
          ?
        </button>
        <span className="user" data-testid="current-user">
          {session.user.username} · {session.user.role}
        </span>
        <button type="button" className="ghost" onClick={logout} data-testid="logout">
          Log out
        </button>
      </header>
      <main className="content">{route(path)}</main>
      {help ? <HelpOverlay onClose={() => setHelp(false)} /> : null}
    </div>
  );
}

function route(path: string) {
  let m: Record<string, string> | null;
  if ((m = match("/studies/:id", path))) return <ViewerPage key={m.id} studyId={m.id ?? ""} />;
  if ((m = match("/studies/:id/results", path))) return <ResultsPage key={m.id} studyId={m.id ?? ""} />;
  if ((m = match("/projects/:pid", path))) return <ProjectPage key={m.pid} projectId={m.pid ?? ""} />;
  if ((m = match("/subjects/:sid", path))) return <SubjectPage key={m.sid} subjectId={m.sid ?? ""} />;
  return <ProjectsPage />;
}

/** True when the key event goes to a text field (shortcuts must not fire there). */
export function isTyping(e: KeyboardEvent): boolean {
  const t = e.target as HTMLElement | null;
  if (!t) return false;
  const tag = t.tagName;
  return tag === "INPUT" || tag === "TEXTAREA" || tag === "SELECT" || t.isContentEditable;
}
