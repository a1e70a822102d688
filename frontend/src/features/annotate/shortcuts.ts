// What a key press means in the workspace (ShortcutHelp.tsx lists them for the user). Pure:
// the page's useShortcuts hook turns the command into the operation.

import type { Label } from "../../lib/api/client";
import type { LocalSpan } from "./model";

export type Command =
  | { kind: "help" }
  | { kind: "escape" }
  | { kind: "undo" }
  | { kind: "redo" }
  | { kind: "submit" }
  | { kind: "skip" }
  | { kind: "accept" }
  | { kind: "reject" }
  | { kind: "delete" }
  | { kind: "label"; label: Label }
  | { kind: "link"; relation: Label }
  | { kind: "linkAcross" };

export interface Key {
  key: string;
  ctrlKey: boolean;
  metaKey: boolean;
  shiftKey: boolean;
  altKey: boolean;
  /** The tag name of the element the key was pressed in. */
  targetTag: string;
}

export interface KeyContext {
  selected: LocalSpan | null;
  /** Text is selected (and not yet labelled). */
  selecting: boolean;
  spanLabels: readonly Label[];
  relationLabels: readonly Label[];
}

/** The command a key press means, or null for one the workspace leaves to the browser. */
export function commandFor(event: Key, { selected, selecting, spanLabels, relationLabels }: KeyContext): Command | null {
  if (["INPUT", "TEXTAREA", "SELECT"].includes(event.targetTag)) return null;
  const key = event.key;
  const ctrl = event.ctrlKey || event.metaKey;
  if (key === "?") return { kind: "help" };
  if (key === "Escape") return { kind: "escape" };
  if (ctrl && key.toLowerCase() === "z") return { kind: event.shiftKey ? "redo" : "undo" };
  if (ctrl && key.toLowerCase() === "y") return { kind: "redo" };
  if (key === "Enter" && event.shiftKey) return { kind: "submit" };
  if (key === "S" && event.shiftKey && !ctrl) return { kind: "skip" };
  if (selected?.suggestion && key === "Enter") return { kind: "accept" };
  if (selected?.suggestion && (key === "Backspace" || key === "Delete" || key === "x")) return { kind: "reject" };
  if (selected && !selected.suggestion && (key === "Backspace" || key === "Delete")) return { kind: "delete" };
  if (!ctrl && !event.altKey && key.length === 1) {
    const pressed = key.toLowerCase();
    const spanLabel = spanLabels.find((l) => l.hotkey && l.hotkey.toLowerCase() === pressed);
    const relation = relationLabels.find((l) => l.hotkey && l.hotkey.toLowerCase() === pressed);
    const own = selected !== null && !selected.suggestion;
    if (spanLabel && (selecting || own)) return { kind: "label", label: spanLabel };
    if (relation && own) return { kind: "link", relation };
    // (after the schema's keys: a label may take "l" for itself)
    if (pressed === "l" && own && !spanLabel && !relation) return { kind: "linkAcross" };
  }
  return null;
}
