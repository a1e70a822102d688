// "Link to another article" (key L, or the selected span's button): search the project's spans
// of the shown layer by text, label and speaker (on the server, the first PAGE matches, as the
// user types); pick a result (arrow keys or click) and press a relation label's key (or its
// button) to link the selected span to it. Only relation labels that may cross articles, and
// whose rule allows the pair, are offered.

import { useEffect, useRef, useState, type KeyboardEvent } from "react";

import type { Label } from "../../lib/api/client";
import { graph as graphApi } from "../../lib/api/graph";
import { crossRelations, nodeOf, type SpanNode } from "./crossLink";
import type { LocalSpan } from "./model";

const PAGE = 50;
const TYPING_MS = 250; // one request once typing pauses, not one per key

interface Props {
  projectId: number;
  articleId: number;
  /** The layer searched: "gold", or the caller's username. */
  layer: string;
  from: LocalSpan;
  labels: readonly Label[];
  onLink: (target: SpanNode, relation: Label) => void;
  onClose: () => void;
}

export function LinkAcrossDialog({ projectId, articleId, layer, from, labels, onLink, onClose }: Props) {
  const [found, setFound] = useState<{ spans: SpanNode[]; count: number } | null>(null);
  const [error, setError] = useState("");
  const [query, setQuery] = useState({ q: "", label: "", speaker: "" });
  const [active, setActive] = useState(0);
  const list = useRef<HTMLUListElement>(null);

  useEffect(() => {
    let current = true;
    const timer = setTimeout(() => {
      const search = { ...query, layer, exclude_article: articleId, page_size: PAGE };
      graphApi
        .searchSpans(projectId, search)
        .then((page) => {
          if (!current) return;
          setFound({ spans: page.results.map(nodeOf), count: page.count });
          setError("");
          setActive(0);
        })
        .catch((e: unknown) => current && setError(e instanceof Error ? e.message : String(e)));
    }, TYPING_MS);
    return () => {
      current = false; // an answer to an older query is dropped
      clearTimeout(timer);
    };
  }, [projectId, layer, articleId, query]);

  const spans = found?.spans ?? [];
  const spanLabels = labels.filter((l) => l.kind === "span");
  const picked = spans[Math.min(active, spans.length - 1)];

  const move = (to: number) => {
    const next = Math.max(0, Math.min(spans.length - 1, to));
    setActive(next);
    list.current?.querySelectorAll<HTMLElement>("[role=option]")[next]?.focus();
  };

  const onKey = (event: KeyboardEvent) => {
    event.stopPropagation(); // the workspace's keys stay off while the dialog is open
    if (event.key === "Escape") onClose();
    else if (event.key === "ArrowDown") move((event.target as HTMLElement).getAttribute("role") === "option" ? active + 1 : 0);
    else if (event.key === "ArrowUp") move(active - 1);
    else if ((event.target as HTMLElement).getAttribute("role") === "option" && picked && event.key.length === 1) {
      const relation = crossRelations(labels, from.label, picked.label).find(
        (l) => l.hotkey && l.hotkey.toLowerCase() === event.key.toLowerCase(),
      );
      if (relation) onLink(picked, relation);
    } else return;
    event.preventDefault();
  };

  return (
    <div className="overlay" role="dialog" aria-modal="true" aria-label="Link to another article" onKeyDown={onKey}>
      <div className="card link-across">
        <h2>
          Link {from.label} “{from.text.slice(0, 40)}” to a span of another article
        </h2>
        <div className="filters">
          <input
            autoFocus
            aria-label="Search spans by text"
            placeholder="text"
            value={query.q}
            onChange={(e) => setQuery({ ...query, q: e.target.value })}
          />
          <select aria-label="Label" value={query.label} onChange={(e) => setQuery({ ...query, label: e.target.value })}>
            <option value="">any label</option>
            {spanLabels.map((l) => (
              <option key={l.id} value={l.name}>
                {l.name}
              </option>
            ))}
          </select>
          <input
            aria-label="Speaker"
            placeholder="speaker"
            value={query.speaker}
            onChange={(e) => setQuery({ ...query, speaker: e.target.value })}
          />
        </div>
        {error && <p className="error">Could not search: {error}</p>}
        {!found && !error && <p className="loading">Searching the project's spans…</p>}
        {found && spans.length === 0 && <p>No span of another article matches.</p>}
        {found && found.count > spans.length && (
          <p className="hint">
            The first {spans.length} of {found.count}: add words, a label or a speaker to narrow it.
          </p>
        )}
        <p className="hint">↓ to the results, then a relation's key; Esc closes.</p>
        <ul className="items" role="listbox" aria-label="Spans found" ref={list}>
          {spans.map((n, i) => (
            <li key={n.id} role="option" tabIndex={-1} aria-selected={i === active} className={i === active ? "selected" : ""} onFocus={() => setActive(i)} data-span-id={n.id}>
              <span>
                {n.label} “{n.text.slice(0, 60)}” ({n.article}
                {n.speaker ? `, ${n.speaker}` : ""})
              </span>
              {crossRelations(labels, from.label, n.label).map((r) => (
                <button type="button" key={r.id} onClick={() => onLink(n, r)}>
                  {r.name} {r.hotkey && <kbd>{r.hotkey}</kbd>}
                </button>
              ))}
            </li>
          ))}
        </ul>
        <button type="button" onClick={onClose}>
          Close (Esc)
        </button>
      </div>
    </div>
  );
}
