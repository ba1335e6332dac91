/** Login: username + password → POST /api/auth/login (sets the session cookie). */
import { type FormEvent, useState } from "react";
import { api } from "../api.js";
import type { User } from "../types.js";
import { ErrorBanner, Spinner } from "../ui.js";

export function LoginPage(props: { onLogin: (user: User) => void }) {
  const [username, setUsername] = useState("");
  const [password, setPassword] = useState("");
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      const r = await api<{ user: User }>("POST", "/auth/login", { username, password });
      props.onLogin(r.user);
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };

  return (
    <div className="center-page">
      <form className="card login" onSubmit={submit} data-testid="login-form">
        <h1>ATSM Workbench</h1>
        <p className="muted">Cu-ATSM hypoxia PET/CT</p>
        <ErrorBanner error={error} />
        <label>
          Username
          <input
            name="username"
            autoComplete="username"
            value={username}
            onChange={(e) => setUsername(e.target.value)}
            data-testid="login-username"
            required
          />
        </label>
        <label>
          Password
          <input
            name="password"
            type="password"
            autoComplete="current-password"
            value={password}
            onChange={(e) => setPassword(e.target.value)}
            data-testid="login-password"
            required
          />
        </label>
        <button type="submit" className="primary" disabled={busy} data-testid="login-submit">
          {busy ? <Spinner label="Signing in…" /> : "Sign in"}
        </button>
        <p className="muted small">
          First start? Open the one-time link that <code>atsm serve</code> printed in the terminal.
        </p>
      </form>
    </div>
  );
}
