// Project admins' webhooks: register a URL for some events (its secret is shown once, here),
// turn one off or on, see why the server turned it off, ping it, delete it, and open its
// deliveries (DeliveriesPanel) to see each attempt and redeliver.
import { useState, type FormEvent } from "react";

import type { Project } from "../../lib/api/client";
import { EVENT_NAMES, WEBHOOK_EVENTS, webhooks, type Webhook, type WebhookCreated } from "../../lib/api/webhooks";
import { useAction } from "../../shared/hooks/useAction";
import { useLoad } from "../../shared/hooks/useLoad";
import { ConfirmButton } from "../../shared/ui/ConfirmButton";
import { CopyButton } from "../../shared/ui/CopyButton";
import { ACTIONS, DataTable } from "../../shared/ui/DataTable";
import { ErrorMessage } from "../../shared/ui/ErrorMessage";
import { NotLoaded } from "../../shared/ui/NotLoaded";
import { fieldError } from "../../shared/ui/errors";
import { ProjectPage } from "../../shared/ui/ProjectPage";
import { DeliveriesPanel } from "./DeliveriesPanel";

export function WebhooksPage() {
  return (
    <ProjectPage title="Webhooks" roles={["admin"]}>
      {(project) => <WebhooksEditor project={project} />}
    </ProjectPage>
  );
}

function WebhooksEditor({ project }: { project: Project }) {
  const list = useLoad(() => webhooks.list(project.id), [project.id]);
  const [created, setCreated] = useState<WebhookCreated | null>(null);
  const [open, setOpen] = useState<number | null>(null);
  // A ping or redelivery changes the webhook's figures: a counter the rows reload on.
  const [pinged, setPinged] = useState(0);
  if (!list.data) return <NotLoaded loaded={list} what="the webhooks" />;
  const rows = list.data;
  const replace = (hook: Webhook) => list.setData(rows.map((r) => (r.id === hook.id ? hook : r)));

  return (
    <>
      <p className="hint">
        Each event is POSTed as JSON, signed in <code>X-Annotator-Signature</code> (HMAC-SHA256 of the body with the
        webhook&apos;s secret), and retried with backoff when the receiver does not answer 2xx. docs/api.md, &ldquo;Webhooks&rdquo;,
        lists the events and their data.
      </p>
      {rows.length === 0 ? (
        <p className="hint">No webhooks yet.</p>
      ) : (
        <DataTable caption={`Webhooks of ${project.name}`} columns={["URL", "Events", "State", ACTIONS]}>
          {rows.map((hook) => (
            <WebhookRow
              key={hook.id}
              hook={hook}
              open={open === hook.id}
              onToggleOpen={() => setOpen(open === hook.id ? null : hook.id)}
              onChanged={replace}
              onPinged={() => {
                setOpen(hook.id);
                setPinged((n) => n + 1);
              }}
              onRemoved={() => {
                list.setData(rows.filter((r) => r.id !== hook.id));
                if (open === hook.id) setOpen(null);
              }}
            />
          ))}
        </DataTable>
      )}
      {open !== null && <DeliveriesPanel key={`${open}-${pinged}`} webhookId={open} />}
      {created && <SecretBox created={created} onDone={() => setCreated(null)} />}
      <AddWebhook
        projectId={project.id}
        onAdded={(hook) => {
          setCreated(hook);
          list.setData([...rows, hook]);
        }}
      />
    </>
  );
}

function WebhookRow(props: {
  hook: Webhook;
  open: boolean;
  onToggleOpen: () => void;
  onChanged: (hook: Webhook) => void;
  onPinged: () => void;
  onRemoved: () => void;
}) {
  const { hook } = props;
  const { run, busy, error } = useAction();
  const toggle = () => run(async () => props.onChanged(await webhooks.update(hook.id, { active: !hook.active })));
  const ping = () =>
    run(async () => {
      await webhooks.ping(hook.id);
      props.onPinged();
    });
  const remove = () =>
    run(async () => {
      await webhooks.remove(hook.id);
      props.onRemoved();
    });
  return (
    <tr>
      <th scope="row" className="wrap-anywhere">
        {hook.url}
      </th>
      <td>{hook.events.join(", ")}</td>
      <td>
        {hook.active ? "active" : "off"}
        {hook.disabled_reason && <p className="field-error">{hook.disabled_reason}</p>}
        {hook.failing_since && <p className="hint">Failing since {new Date(hook.failing_since).toLocaleString()}</p>}
        {hook.failed_deliveries > 0 && <p className="hint">{hook.failed_deliveries} deliveries gave up</p>}
        <ErrorMessage error={error} />
      </td>
      <td>
        <span className="actions" style={{ margin: 0 }}>
          <button type="button" aria-expanded={props.open} onClick={props.onToggleOpen}>
            {props.open ? "Hide deliveries" : "Deliveries"}
          </button>
          <button type="button" disabled={busy} onClick={() => void ping()}>
            Ping
          </button>
          <button type="button" disabled={busy} onClick={() => void toggle()}>
            {hook.active ? "Turn off" : "Turn on"}
          </button>
          <ConfirmButton confirm="Yes, delete it and its deliveries" busy={busy} onConfirm={remove}>
            Delete
          </ConfirmButton>
        </span>
      </td>
    </tr>
  );
}

function SecretBox({ created, onDone }: { created: WebhookCreated; onDone: () => void }) {
  return (
    <div className="token-box" role="region" aria-label="Webhook secret">
      <p>
        <strong>The secret of {created.url}. Copy it now: it will not be shown again.</strong>
      </p>
      <code aria-label="Secret">{created.secret}</code>
      <div className="actions">
        <CopyButton text={created.secret}>Copy secret</CopyButton>
        <button type="button" onClick={onDone}>
          I have copied it
        </button>
      </div>
    </div>
  );
}

function AddWebhook({ projectId, onAdded }: { projectId: number; onAdded: (hook: WebhookCreated) => void }) {
  const [url, setUrl] = useState("");
  const [events, setEvents] = useState<string[]>(EVENT_NAMES);
  const { run, busy, error } = useAction();
  const flip = (event: string) =>
    setEvents((now) => (now.includes(event) ? now.filter((e) => e !== event) : EVENT_NAMES.filter((e) => e === event || now.includes(e))));

  async function submit(e: FormEvent) {
    e.preventDefault();
    await run(async () => {
      onAdded(await webhooks.create(projectId, { url: url.trim(), events }));
      setUrl("");
    });
  }

  return (
    <section aria-labelledby="add-webhook-heading">
      <h2 id="add-webhook-heading">Add a webhook</h2>
      <form className="card" onSubmit={(e) => void submit(e)}>
        <label>
          Receiver URL (http or https, a public address)
          <input type="url" value={url} onChange={(e) => setUrl(e.target.value)} placeholder="https://example.org/hooks/annotator" required />
          {fieldError(error, "url") && <span className="field-error">{fieldError(error, "url")}</span>}
        </label>
        <fieldset>
          <legend>Events</legend>
          {EVENT_NAMES.map((event) => (
            <label key={event} className="inline" title={WEBHOOK_EVENTS[event]}>
              <input type="checkbox" checked={events.includes(event)} onChange={() => flip(event)} /> {event}
            </label>
          ))}
          {fieldError(error, "events") && <span className="field-error">{fieldError(error, "events")}</span>}
        </fieldset>
        <ErrorMessage error={error} prefix="Not added:" />
        <div className="actions">
          <button type="submit" className="primary" disabled={busy || !url.trim() || events.length === 0}>
            {busy ? "Adding…" : "Add webhook"}
          </button>
        </div>
      </form>
    </section>
  );
}
