import { describe, expect, it } from "vitest";

import type { Label } from "../../lib/api/client";
import type { LocalSpan } from "./model";
import { commandFor, type Key, type KeyContext } from "./shortcuts";

const label = (name: string, kind: Label["kind"], hotkey: string) =>
  ({ id: name.length, project: 1, kind, name, colour: "#123456", hotkey, description: "", allowed_sources: [], allowed_targets: [], cross_article: false, symmetric: false }) as Label;
const CLAIM = label("CLAIM", "span", "c");
const REBUTS = label("rebuts", "relation", "r");
const span = (suggestion: boolean): LocalSpan => ({
  id: 1, start: 0, end: 3, text: "abc", label: "CLAIM", version: 1, suggestion, score: null, recogniser: "",
});
const press = (key: string, more: Partial<Key> = {}): Key => ({
  key, ctrlKey: false, metaKey: false, shiftKey: false, altKey: false, targetTag: "BODY", ...more,
});
const context = (more: Partial<KeyContext> = {}): KeyContext => ({
  selected: null, selecting: false, spanLabels: [CLAIM], relationLabels: [REBUTS], ...more,
});

describe("commandFor", () => {
  it("leaves keys typed into a form field alone", () => {
    expect(commandFor(press("c", { targetTag: "INPUT" }), context({ selecting: true }))).toBeNull();
  });

  it("knows help, escape, undo and redo, submit and skip", () => {
    expect(commandFor(press("?"), context())).toEqual({ kind: "help" });
    expect(commandFor(press("Escape"), context())).toEqual({ kind: "escape" });
    expect(commandFor(press("z", { ctrlKey: true }), context())).toEqual({ kind: "undo" });
    expect(commandFor(press("Z", { metaKey: true, shiftKey: true }), context())).toEqual({ kind: "redo" });
    expect(commandFor(press("y", { ctrlKey: true }), context())).toEqual({ kind: "redo" });
    expect(commandFor(press("Enter", { shiftKey: true }), context())).toEqual({ kind: "submit" });
    expect(commandFor(press("S", { shiftKey: true }), context())).toEqual({ kind: "skip" });
  });

  it("accepts or rejects a selected suggestion, deletes a selected span", () => {
    expect(commandFor(press("Enter"), context({ selected: span(true) }))).toEqual({ kind: "accept" });
    expect(commandFor(press("x"), context({ selected: span(true) }))).toEqual({ kind: "reject" });
    expect(commandFor(press("Backspace"), context({ selected: span(false) }))).toEqual({ kind: "delete" });
    expect(commandFor(press("Enter"), context({ selected: span(false) }))).toBeNull();
  });

  it("labels a selection or an own span, and links from an own span only", () => {
    expect(commandFor(press("C"), context({ selecting: true }))).toEqual({ kind: "label", label: CLAIM });
    expect(commandFor(press("c"), context({ selected: span(false) }))).toEqual({ kind: "label", label: CLAIM });
    expect(commandFor(press("c"), context({ selected: span(true) }))).toBeNull();
    expect(commandFor(press("c"), context())).toBeNull();
    expect(commandFor(press("r"), context({ selected: span(false) }))).toEqual({ kind: "link", relation: REBUTS });
    expect(commandFor(press("r"), context({ selecting: true }))).toBeNull();
    expect(commandFor(press("c", { altKey: true }), context({ selecting: true }))).toBeNull();
  });
});
