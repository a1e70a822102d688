import { describe, expect, it } from "vitest";

import { liveUrl, reconnectDelay } from "../../lib/live";
import { NO_ONE, presenceReducer, presentOn } from "./presence";

describe("presence", () => {
  it("follows who opens and leaves which article", () => {
    let state = presenceReducer(NO_ONE, { type: "presence", user: "ann", article: 7, state: "open" });
    state = presenceReducer(state, { type: "presence", user: "rev", article: 7, state: "open" });
    state = presenceReducer(state, { type: "presence", user: "me", article: 7, state: "open" });
    expect(presentOn(state, 7, "me")).toEqual(["ann", "rev"]);
    state = presenceReducer(state, { type: "presence", user: "ann", article: 8, state: "open" });
    // Leaving the article one already left does not undo the move.
    state = presenceReducer(state, { type: "presence", user: "ann", article: 7, state: "left" });
    expect(presentOn(state, 7, "me")).toEqual(["rev"]);
    expect(presentOn(state, 8, "me")).toEqual(["ann"]);
    expect(presenceReducer(state, { type: "reconnected" })).toBe(NO_ONE);
    expect(presenceReducer(state, { type: "span.created", article: 7 })).toBe(state);
  });
});

describe("the live connection", () => {
  it("waits longer after each failed attempt, up to 15 s", () => {
    expect([0, 1, 2, 3, 10].map(reconnectDelay)).toEqual([0.5, 1, 2, 4, 15]);
  });

  it("speaks wss on an https page", () => {
    expect(liveUrl(3, { protocol: "https:", host: "a.example" })).toBe("wss://a.example/ws/projects/3/");
    expect(liveUrl(3, { protocol: "http:", host: "127.0.0.1:8000" })).toBe("ws://127.0.0.1:8000/ws/projects/3/");
  });
});
