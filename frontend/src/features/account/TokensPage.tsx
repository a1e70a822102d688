// Personal API tokens: create one (its key is shown once, here), list them, revoke one.
import { useEffect, useState, type FormEvent } from "react";
import { Link } from "react-router-dom";

import { apiTokens, type NewToken, type Token } from "../../lib/api/client";
import { useAction } from "../../shared/hooks/useAction";
import { CopyButton } from "../../shared/ui/CopyButton";
import { ACTIONS, DataTable } from "../../shared/ui/DataTable";
import { ErrorMessage } from "../../shared/ui/ErrorMessage";
import { fieldError } from "../../shared/ui/errors";
import { useLoad } from "../../shared/hooks/useLoad";

import "../../shared/ui/admin.css";

export function TokensPage() {
  const list = useLoad(() => apiTokens.list().then((page) => page.results), []);
  const [created, setCreated] = useState<NewToken | null>(null);
  useEffect(() => {
    document.title = "API tokens · annotator";
  }, []);
  const rows = list.data ?? [];

  return (
    <section className="project-page">
      <p className="breadcrumb">
        <Link to="/">Projects</Link>
      </p>
      <h1>API tokens</h1>
      <p className="hint">
        Scripts send a token as <code>Authorization: Bearer &lt;token&gt;</code>. A token acts as you in every project
        you are a member of. The server keeps only a hash: the key is shown once, when it is made.
      </p>
      <CreateToken
        onCreated={(token) => {
          setCreated(token);
          const { id, name, prefix, created_at, last_used_at } = token;
          list.setData([{ id, name, prefix, created_at, last_used_at }, ...rows]);
        }}
      />
      {created && (
        <div className="token-box" role="region" aria-label="New token">
          <p>
            <strong>Your new token{created.name ? ` “${created.name}”` : ""}. Copy it now: it will not be shown again.</strong>
          </p>
          <code aria-label="Token key">{created.token}</code>
          <div className="actions">
            <CopyButton text={created.token}>Copy token</CopyButton>
            <button type="button" onClick={() => setCreated(null)}>
              I have copied it
            </button>
          </div>
        </div>
      )}

      <h2 id="tokens-heading">Your tokens</h2>
      {list.loading && !list.data && <p className="loading">Loading…</p>}
      <ErrorMessage error={list.error} prefix="The tokens could not be loaded:" />
      {list.data && rows.length === 0 && <p className="hint">You have no tokens.</p>}
      {rows.length > 0 && (
        <DataTable labelledBy="tokens-heading" columns={["Name", "Starts with", "Created", "Last used", ACTIONS]}>
          {rows.map((token) => (
            <TokenRow
              key={token.id}
              token={token}
              onRevoked={() => {
                list.setData(rows.filter((t) => t.id !== token.id));
                if (created?.id === token.id) setCreated(null);
              }}
            />
          ))}
        </DataTable>
      )}
    </section>
  );
}

function CreateToken({ onCreated }: { onCreated: (token: NewToken) => void }) {
  const [name, setName] = useState("");
  const { run, busy, error } = useAction();

  async function submit(event: FormEvent) {
    event.preventDefault();
    await run(async () => {
      onCreated(await apiTokens.create(name.trim()));
      setName("");
    });
  }

  return (
    <form className="card" onSubmit={(e) => void submit(e)} aria-label="Create a token">
      <div className="form-grid">
        <label>
          Name
          <input
            value={name}
            onChange={(e) => setName(e.target.value)}
            maxLength={100}
            placeholder="e.g. nightly export"
          />
          {fieldError(error, "name") && <span className="field-error">{fieldError(error, "name")}</span>}
        </label>
      </div>
      <ErrorMessage error={error} prefix="No token was made:" />
      <div className="actions">
        <button type="submit" className="primary" disabled={busy}>
          {busy ? "Creating…" : "Create token"}
        </button>
      </div>
    </form>
  );
}

function TokenRow({ token, onRevoked }: { token: Token; onRevoked: () => void }) {
  const { run, busy, error } = useAction();

  async function revoke() {
    await run(async () => {
      await apiTokens.revoke(token.id);
      onRevoked();
    });
  }

  return (
    <tr>
      <th scope="row">{token.name || <span className="hint">(no name)</span>}</th>
      <td>
        <code>{token.prefix}…</code>
      </td>
      <td>{new Date(token.created_at).toLocaleString()}</td>
      <td>{token.last_used_at ? new Date(token.last_used_at).toLocaleString() : "never"}</td>
      <td>
        <button type="button" className="danger" onClick={() => void revoke()} disabled={busy}>
          {busy ? "Revoking…" : "Revoke"}
        </button>
        <ErrorMessage error={error} />
      </td>
    </tr>
  );
}
