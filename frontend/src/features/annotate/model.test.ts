import { describe, expect, it } from "vitest";

import { Ids } from "./model";

describe("Ids", () => {
  it("gives negative local ids and finds the server's id once saved", () => {
    const ids = new Ids();
    const a = ids.temporary();
    const b = ids.temporary();
    expect(a).toBeLessThan(0);
    expect(b).toBeLessThan(a);
    expect(ids.real(a)).toBe(a); // not saved yet
    ids.saveAs(a, 41);
    expect(ids.real(a)).toBe(41);
    expect(ids.current(a)).toBe(a); // still drawn under its local id
    expect(ids.real(7)).toBe(7); // loaded from the server: its own id
  });

  it("follows a span made again by an undo, to its new server id", () => {
    const ids = new Ids();
    const first = ids.temporary();
    ids.saveAs(first, 10);
    const again = ids.temporary(); // the undo of its deletion makes it again
    ids.remadeAs(first, again);
    expect(ids.current(first)).toBe(again);
    expect(ids.real(first)).toBe(again); // the new one is not saved yet
    ids.saveAs(again, 11);
    expect(ids.real(first)).toBe(11);
    const server = 5; // a span from the server, deleted and made again
    ids.remadeAs(server, first);
    expect(ids.real(server)).toBe(11);
  });
});
