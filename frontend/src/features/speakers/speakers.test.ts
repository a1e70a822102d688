import { describe, expect, it } from "vitest";

import type { Speaker } from "../../lib/api/speakers";
import { moveSpelling, otherSpellings, parseSpellings } from "./speakers";

const speaker = (id: number, name: string, others: string[]): Speaker => ({
  id,
  name,
  spellings: [name, ...others].sort(),
  created_at: "",
  updated_at: "",
});

const barclay = speaker(1, "Steve Barclay", ["Mr Barclay"]);
const reeves = speaker(2, "Rachel Reeves", ["the Chancellor"]);

describe("speakers", () => {
  it("keeps the name out of the other spellings", () => {
    expect(otherSpellings(barclay)).toEqual(["Mr Barclay"]);
  });

  it("gives an unnamed spelling to a speaker with one PATCH", () => {
    expect(moveSpelling([barclay, reeves], "the Health Secretary", 1)).toEqual([
      { id: 1, spellings: ["Mr Barclay", "the Health Secretary"] },
    ]);
  });

  it("takes a spelling off its old speaker before giving it to the new one", () => {
    expect(moveSpelling([barclay, reeves], "Mr Barclay", 2)).toEqual([
      { id: 1, spellings: [] },
      { id: 2, spellings: ["the Chancellor", "Mr Barclay"] },
    ]);
    expect(moveSpelling([barclay, reeves], "Mr Barclay", null)).toEqual([{ id: 1, spellings: [] }]);
    expect(moveSpelling([barclay, reeves], "Mr Barclay", 1)).toEqual([]);
  });

  it("never moves a speaker's own name", () => {
    expect(moveSpelling([barclay, reeves], "Steve Barclay", 2)).toBeNull();
  });

  it("reads one spelling per line as the server cleans them", () => {
    expect(parseSpellings(" Mr  Barclay \n\nthe Health Secretary\nMr Barclay\n")).toEqual([
      "Mr Barclay",
      "the Health Secretary",
    ]);
  });
});
