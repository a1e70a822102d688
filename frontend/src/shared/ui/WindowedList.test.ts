import { describe, expect, it } from "vitest";

import { windowOf } from "./WindowedList";

describe("windowOf", () => {
  it("draws the rows in view and the overscan either side, within the list", () => {
    // rows of 10 px, a 50 px box scrolled to 200: rows 20 to 25 are in view
    expect(windowOf(1000, 200, 50, 10, 2)).toEqual({ first: 18, last: 27 });
    expect(windowOf(1000, 0, 50, 10, 2)).toEqual({ first: 0, last: 7 });
    // scrolled to the end (1000 rows of 10 px less the box's 50)
    expect(windowOf(1000, 9950, 50, 10, 2)).toEqual({ first: 993, last: 1000 });
  });

  it("draws every row of a short list, and none of an empty one", () => {
    expect(windowOf(3, 0, 256, 28, 6)).toEqual({ first: 0, last: 3 });
    expect(windowOf(0, 0, 256)).toEqual({ first: 0, last: 0 });
    // a list that shrank below where its box was scrolled
    expect(windowOf(5, 2800, 256, 28, 6)).toEqual({ first: 0, last: 5 });
  });
});
