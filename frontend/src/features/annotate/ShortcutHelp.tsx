// The `?` overlay: every key the workspace knows, the label keys from the project's schema.
import type { Label } from "../../lib/api/client";

const KEYS: [string, string][] = [
  ["select text, then a label's key", "mark the selection with that label"],
  ["click a span", "select it (click again: the span around it)"],
  ["a label's key (span selected)", "relabel it"],
  ["Backspace / Delete", "delete the selected span"],
  ["a relation's key, then click", "link the selected span to the span clicked"],
  ["L (span selected)", "link it to a span of another article: search, ↓ to a result, a relation's key"],
  ["Enter", "accept the selected suggestion"],
  ["Backspace / x", "reject the selected suggestion"],
  ["Ctrl+Z / Ctrl+Shift+Z (Ctrl+Y)", "undo / redo"],
  ["Shift+Enter", "submit and go to the next article"],
  ["Shift+S", "skip and go to the next article"],
  ["Esc", "clear the selection, stop linking, close this"],
  ["?", "show or hide this list"],
];

export function ShortcutHelp({ labels, onClose }: { labels: readonly Label[]; onClose: () => void }) {
  const keyed = labels.filter((l) => l.hotkey);
  return (
    <div className="overlay" role="dialog" aria-modal="true" aria-label="Keyboard shortcuts" onClick={onClose}>
      <div className="card" onClick={(e) => e.stopPropagation()}>
        <h2>Keyboard shortcuts</h2>
        <table>
          <tbody>
            {KEYS.map(([key, what]) => (
              <tr key={key}>
                <th>{key}</th>
                <td>{what}</td>
              </tr>
            ))}
            {keyed.map((l) => (
              <tr key={l.id}>
                <th>
                  <kbd>{l.hotkey}</kbd>
                </th>
                <td>
                  {l.kind === "relation" ? "link with" : "label"} {l.name}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
        <button type="button" onClick={onClose}>
          Close (Esc)
        </button>
      </div>
    </div>
  );
}
