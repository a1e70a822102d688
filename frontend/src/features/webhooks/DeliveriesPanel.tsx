// One webhook's deliveries, newest first, a page of 20 at a time: each with its last answer
// and, unfolded, every attempt; redeliver any of them. While some are still pending (a ping
// just sent, a retry due) the page looks again every 2 s for a minute, as nothing pushes
// deliveries to the browser.
import { useEffect, useState } from "react";

import { webhooks, type Delivery } from "../../lib/api/webhooks";
import { useAction } from "../../shared/hooks/useAction";
import { useLoad } from "../../shared/hooks/useLoad";
import { ACTIONS, DataTable } from "../../shared/ui/DataTable";
import { ErrorMessage } from "../../shared/ui/ErrorMessage";
import { NotLoaded } from "../../shared/ui/NotLoaded";

const POLL_MS = 2000;
const POLLS = 30;

export function DeliveriesPanel({ webhookId }: { webhookId: number }) {
  const [page, setPage] = useState(1);
  const list = useLoad(() => webhooks.deliveries(webhookId, page), [webhookId, page]);
  const pending = list.data?.results.some((d) => d.status === "pending") ?? false;
  const [polls, setPolls] = useState(0);
  const { reload } = list;
  useEffect(() => {
    if (!pending || polls >= POLLS) return;
    const timer = setTimeout(() => {
      setPolls((n) => n + 1);
      void reload();
    }, POLL_MS);
    return () => clearTimeout(timer);
  }, [pending, polls, reload]);

  if (!list.data) return <NotLoaded loaded={list} what="the deliveries" />;
  const { results, count, next, previous } = list.data;
  return (
    <section aria-labelledby="deliveries-heading">
      <h2 id="deliveries-heading">Deliveries</h2>
      <div className="actions">
        <button type="button" onClick={() => void reload()} disabled={list.loading}>
          Refresh
        </button>
        <span className="hint">
          {count} in all{pending ? "; some still pending" : ""}
        </span>
      </div>
      {results.length === 0 ? (
        <p className="hint">Nothing sent yet. Ping it to try the receiver.</p>
      ) : (
        <DataTable
          caption="Deliveries of the webhook"
          columns={["Created", "Event", "Status", "Answer", "Attempts", ACTIONS]}
        >
          {results.map((delivery) => (
            <DeliveryRow key={delivery.id} webhookId={webhookId} delivery={delivery} onSent={() => void reload()} />
          ))}
        </DataTable>
      )}
      <div className="actions">
        <button type="button" disabled={!previous} onClick={() => setPage(page - 1)}>
          Newer
        </button>
        <button type="button" disabled={!next} onClick={() => setPage(page + 1)}>
          Older
        </button>
      </div>
    </section>
  );
}

function answer(d: { status_code?: number | null; duration_ms?: number | null; error?: string }): string {
  if (d.error) return d.error;
  if (d.status_code == null) return "—";
  return `HTTP ${d.status_code} in ${d.duration_ms ?? 0} ms`;
}

function DeliveryRow({ webhookId, delivery, onSent }: { webhookId: number; delivery: Delivery; onSent: () => void }) {
  const { run, busy, error } = useAction();
  const redeliver = () =>
    run(async () => {
      await webhooks.redeliver(webhookId, delivery.id);
      onSent();
    });
  return (
    <tr>
      <td>{new Date(delivery.created_at).toLocaleString()}</td>
      <td>{delivery.event}</td>
      <td data-status={delivery.status}>
        {delivery.status}
        {delivery.next_retry_at && <p className="hint">next try {new Date(delivery.next_retry_at).toLocaleTimeString()}</p>}
      </td>
      <td className="wrap-anywhere">{answer(delivery)}</td>
      <td>
        {delivery.attempt_list.length === 0 ? (
          "0"
        ) : (
          <details>
            <summary>{delivery.attempts}</summary>
            <ol>
              {delivery.attempt_list.map((a) => (
                <li key={a.number}>
                  {new Date(a.created_at).toLocaleTimeString()}: {answer(a)}
                  {a.response_body && <pre className="wrap-anywhere">{a.response_body}</pre>}
                </li>
              ))}
            </ol>
          </details>
        )}
      </td>
      <td>
        <button type="button" disabled={busy} onClick={() => void redeliver()}>
          Redeliver
        </button>
        <ErrorMessage error={error} />
      </td>
    </tr>
  );
}
