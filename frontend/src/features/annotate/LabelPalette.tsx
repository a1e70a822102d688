// The span labels as buttons (each with its key), the snap-to-words switch and the help key.
import type { Label } from "../../lib/api/client";

interface Props {
  spanLabels: readonly Label[];
  /** Text is selected, or an own span: a label applies. */
  canApply: boolean;
  onApply: (label: Label) => void;
  snapWords: boolean;
  onSnapWords: (on: boolean) => void;
  onHelp: () => void;
}

export function LabelPalette({ spanLabels, canApply, onApply, snapWords, onSnapWords, onHelp }: Props) {
  return (
    <div className="palette" aria-label="Labels">
      {spanLabels.map((l) => (
        <button
          type="button"
          key={l.id}
          data-label={l.name}
          style={{ borderColor: l.colour }}
          onClick={() => onApply(l)}
          disabled={!canApply}
          title={l.description}
        >
          <span className="swatch" style={{ background: l.colour }} /> {l.name}
          {l.hotkey && <kbd>{l.hotkey}</kbd>}
        </button>
      ))}
      <label className="inline">
        <input type="checkbox" checked={snapWords} onChange={(e) => onSnapWords(e.target.checked)} />
        Snap selection to words
      </label>
      <button type="button" onClick={onHelp} title="Keyboard shortcuts (?)">
        ?
      </button>
    </div>
  );
}
