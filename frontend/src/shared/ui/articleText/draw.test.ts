import { describe, expect, it } from "vitest";

import { OffsetMap } from "../../../lib/text/offsets";
import { BlockDrawer, type DrawInput, type DrawnSpan } from "./draw";

// Five blocks of one sentence each ("Sentence n is here. "), 20 code points apiece.
const text = Array.from({ length: 5 }, (_, n) => `Sentence ${n} is here.`).join(" ");
const map = new OffsetMap(text);
const starts = map.blockStarts(10);

const span = (id: number, start: number, end: number, colour = "#ff0000", suggestion = false): DrawnSpan => ({
  id,
  start,
  end,
  colour,
  suggestion,
  title: suggestion ? "CLAIM suggestion" : "CLAIM",
});

function input(over: Partial<DrawInput> = {}): DrawInput {
  return { map, starts, spans: [], look: "underline", selectedId: null, highlight: null, targetIds: null, threadIds: null, ...over };
}

/** What a drawer that has drawn nothing before draws: the reference. */
const fresh = (i: DrawInput) => new BlockDrawer().draw(i);

describe("BlockDrawer", () => {
  const a = span(1, 0, 8); // "Sentence" of block 0
  const b = span(2, 40, 48); // "Sentence" of block 2
  const c = span(3, 54, 66, "#00ff00", true); // "here. Senten": blocks 2 and 3, a suggestion
  const base = input({ spans: [a, b, c] });

  it("cuts blocks at their starts and the segments at span boundaries", () => {
    expect(starts).toEqual([0, 20, 40, 60, 80]);
    const blocks = fresh(base);
    expect(blocks.map((bl) => [bl.at, bl.end])).toEqual([
      [0, 20],
      [20, 40],
      [40, 60],
      [60, 80],
      [80, 99],
    ]);
    expect(blocks[0]!.pieces.map((p) => [p.text, p.spans, p.underlines])).toEqual([
      ["Sentence", "1", "#ff0000@0"],
      [" 0 is here. ", "", ""],
    ]);
    // the suggestion crosses into block 3: cut at the block start, drawn dashed in both
    expect(blocks[2]!.pieces.at(-1)).toMatchObject({ text: "here. ", spans: "3", dashed: "#00ff00", className: "seg suggested" });
    expect(blocks[3]!.pieces[0]).toMatchObject({ text: "Senten", spans: "3" });
  });

  it("draws only the blocks a change touches, and the same as drawing afresh", () => {
    const drawer = new BlockDrawer();
    const first = drawer.draw(base);
    // a pending selection in block 1, then a label action there: a new span, selected
    const selecting = input({ spans: [a, b, c], highlight: { start: 31, end: 33 } });
    const second = drawer.draw(selecting);
    expect(second).toEqual(fresh(selecting));
    expect(second.map((bl, i) => bl === first[i])).toEqual([true, false, true, true, true]);
    expect(second[1]!.pieces.map((p) => p.className)).toContain("seg selecting");

    const d = span(4, 31, 33); // "is" of block 1
    const labelled = input({ spans: [a, b, c, d], selectedId: 4 });
    const third = drawer.draw(labelled);
    expect(third).toEqual(fresh(labelled));
    expect(third.map((bl, i) => bl === second[i])).toEqual([true, false, true, true, true]);
    expect(third[1]!.pieces.find((p) => p.spans === "4")!.className).toBe("seg selected");

    // selecting another span redraws the old selected span's block and the new one's
    const other = input({ spans: [a, b, c, d], selectedId: 1 });
    const fourth = drawer.draw(other);
    expect(fourth).toEqual(fresh(other));
    expect(fourth.map((bl, i) => bl === third[i])).toEqual([false, false, true, true, true]);

    // a relabelled span is a new object (another colour); a removed one redraws its block
    const relabelled = input({ spans: [a, { ...b, colour: "#0000ff" }, c], selectedId: 1 });
    const fifth = drawer.draw(relabelled);
    expect(fifth).toEqual(fresh(relabelled));
    expect(fifth.map((bl, i) => bl === fourth[i])).toEqual([true, false, false, true, true]);
  });

  it("finds a span removed from the middle of the list, or the list reordered", () => {
    const d = span(4, 31, 33);
    const drawer = new BlockDrawer();
    const first = drawer.draw(input({ spans: [a, b, c, d] }));
    const removed = input({ spans: [a, c, d] });
    const second = drawer.draw(removed);
    expect(second).toEqual(fresh(removed));
    const reordered = input({ spans: [d, c, a] });
    const third = drawer.draw(reordered);
    expect(third).toEqual(fresh(reordered));
    expect(third.map((bl, i) => bl === second[i])).toEqual([true, true, true, true, true]);
    expect(first.length).toBe(5);
  });

  it("redraws a span elsewhere whose lane a change moved", () => {
    // y = [21, 25) and z = [24, 45) take lanes 0 and 1; x = [0, 25), added, is over y, which
    // moves up to lane 1, and z to lane 2: in block 2 too, which x does not reach
    const y = span(6, 21, 25);
    const z = span(7, 24, 45);
    const x = span(5, 0, 25);
    const drawer = new BlockDrawer();
    const first = drawer.draw(input({ spans: [y, z] }));
    expect(first[2]!.pieces[0]).toMatchObject({ text: "Sente", underlines: "#ff0000@1" });
    const added = input({ spans: [y, z, x] });
    const second = drawer.draw(added);
    expect(second).toEqual(fresh(added));
    expect(second[2]!.pieces[0]).toMatchObject({ text: "Sente", underlines: "#ff0000@2" });
  });

  it("draws everything again when the look, the targets or the threads change", () => {
    const drawer = new BlockDrawer();
    const first = drawer.draw(base);
    const linking = input({ spans: [a, b, c], targetIds: new Set([2]) });
    const second = drawer.draw(linking);
    expect(second).toEqual(fresh(linking));
    expect(second.every((bl, i) => bl !== first[i])).toBe(true);
    const filled = input({ spans: [a, b, c], look: "fill" });
    expect(drawer.draw(filled)).toEqual(fresh(filled));
    expect(fresh(filled)[0]!.pieces[0]).toMatchObject({ fill: "#ff0000", underlines: "", className: "" });
  });

  it("draws no block for an empty text", () => {
    const empty = new OffsetMap("");
    expect(new BlockDrawer().draw(input({ map: empty, starts: empty.blockStarts(10) }))).toEqual([]);
  });
});
