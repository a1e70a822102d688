import { describe, expect, it } from "vitest";

import { UndoHistory } from "./undo";

describe("UndoHistory", () => {
  it("undoes the last step first, redoes in order, and a new step clears the redo list", () => {
    const log: string[] = [];
    const step = (name: string) => ({ describe: name, undo: () => log.push(`undo ${name}`), redo: () => log.push(`redo ${name}`) });
    const history = new UndoHistory();
    history.record(step("a"));
    history.record(step("b"));
    history.undo();
    history.undo();
    history.undo(); // nothing left: nothing happens
    history.redo();
    history.record(step("c"));
    history.redo(); // cleared by c
    expect(log).toEqual(["undo b", "undo a", "redo a"]);
    history.clear();
    history.undo();
    expect(log).toHaveLength(3);
  });
});
