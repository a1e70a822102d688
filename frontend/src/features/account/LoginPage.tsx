import { useState, type FormEvent } from "react";
import { useNavigate, useSearchParams } from "react-router-dom";

import { ApiError, auth } from "../../lib/api/client";
import { useAction } from "../../shared/hooks/useAction";
import { useSession } from "../../shared/hooks/session";

export function LoginPage() {
  const [username, setUsername] = useState("");
  const [password, setPassword] = useState("");
  const { run, busy, error } = useAction();
  const { refresh } = useSession();
  const navigate = useNavigate();
  const [params] = useSearchParams();
  const next = params.get("next") ?? "/";

  async function submit(event: FormEvent) {
    event.preventDefault();
    await run(async () => {
      await auth.login(username, password);
      await refresh();
      // Only paths of this app: never an absolute URL from the query string.
      navigate(next.startsWith("/") && !next.startsWith("//") ? next : "/", { replace: true });
    });
  }

  return (
    <form className="login card" onSubmit={(e) => void submit(e)}>
      <h1>Sign in to annotator</h1>
      <label>
        Username
        <input name="username" autoComplete="username" value={username} onChange={(e) => setUsername(e.target.value)} autoFocus />
      </label>
      <label>
        Password
        <input
          name="password"
          type="password"
          autoComplete="current-password"
          value={password}
          onChange={(e) => setPassword(e.target.value)}
        />
      </label>
      {error !== null && (
        <p className="error" role="alert">
          {error instanceof ApiError ? error.message : "The server could not be reached; try again."}
        </p>
      )}
      <button type="submit" disabled={busy || !username || !password}>
        Sign in
      </button>
    </form>
  );
}
