// Pure helpers of the label schema editor.
import type { Label, LabelFields } from "../../lib/api/client";

export interface LabelDraft {
  name: string;
  colour: string;
  hotkey: string;
  description: string;
  allowed_sources: string[];
  allowed_targets: string[];
}

export function draftOf(label: Label): LabelDraft {
  return {
    name: label.name,
    colour: label.colour,
    hotkey: label.hotkey,
    description: label.description,
    allowed_sources: [...label.allowed_sources],
    allowed_targets: [...label.allowed_targets],
  };
}

const sameSet = (a: readonly string[], b: readonly string[]) =>
  a.length === b.length && a.every((x) => b.includes(x));

/** The PATCH body: only what changed (constraints only for relation labels). */
export function changesOf(label: Label, draft: LabelDraft): Partial<LabelFields> {
  const changes: Partial<LabelFields> = {};
  if (draft.name.trim() !== label.name) changes.name = draft.name.trim();
  if (draft.colour.toLowerCase() !== label.colour.toLowerCase()) changes.colour = draft.colour;
  if (draft.hotkey !== label.hotkey) changes.hotkey = draft.hotkey;
  if (draft.description !== label.description) changes.description = draft.description;
  if (label.kind === "relation") {
    if (!sameSet(draft.allowed_sources, label.allowed_sources)) changes.allowed_sources = draft.allowed_sources;
    if (!sameSet(draft.allowed_targets, label.allowed_targets)) changes.allowed_targets = draft.allowed_targets;
  }
  return changes;
}

export const RESERVED_HOTKEYS = ["?", "x", " "];

/** What is wrong with a hotkey before asking the server ("" when nothing is). */
export function hotkeyProblem(hotkey: string, labels: readonly Label[], exceptId: number | null): string {
  if (!hotkey) return "";
  if ([...hotkey].length !== 1) return "One character.";
  if (RESERVED_HOTKEYS.includes(hotkey)) return `“${hotkey === " " ? "space" : hotkey}” is reserved by the annotation page.`;
  const other = labels.find((l) => l.id !== exceptId && l.hotkey === hotkey);
  return other ? `Already the hotkey of ${other.name}.` : "";
}


/** Labels in the order the editor shows them: span, relation, document; then by id. */
export const KINDS = [
  { kind: "span", title: "Span labels" },
  { kind: "relation", title: "Relation labels" },
  { kind: "document", title: "Document labels" },
] as const;
