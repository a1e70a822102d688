// What ArticleText draws: its blocks, each a list of pieces (Blocks.tsx) with their values
// summed up in one string. A BlockDrawer remembers its last drawing and, for the next one,
// works out again only the blocks that a change touches: the ranges of the spans added,
// removed, changed (a new object) or moved to another lane, of the old and new selected span,
// and of the old and new pending selection. A label action on a 100 KB article then cuts and
// describes one block of it, not its 4,000 segments. Pure (no React, no DOM).

import type { OffsetMap } from "../../../lib/text/offsets";
import { pieceSig, type Piece } from "./Blocks";
import { lanes, segments, type Placed } from "./layout";

export interface DrawnSpan extends Placed {
  colour: string; // "fill": the background as it is drawn
  suggestion: boolean; // drawn dashed
  title: string; // label, and score for suggestions
}

export interface DrawInput {
  map: OffsetMap;
  starts: readonly number[]; // where blocks start (OffsetMap.blockStarts)
  spans: readonly DrawnSpan[];
  look: "underline" | "fill";
  selectedId: number | null;
  highlight: { start: number; end: number } | null;
  targetIds: ReadonlySet<number> | null;
  threadIds: ReadonlySet<number> | null;
}

export interface DrawnBlock {
  at: number;
  end: number;
  pieces: Piece[];
  sig: string;
}

// The pending text selection is laid out as one more span under this id, which no span has:
// the server's ids are positive, the page's own (not saved yet) negative.
const SELECTION = 0;

type Range = { start: number; end: number };

export class BlockDrawer {
  private last: { input: DrawInput; laneOf: Map<number, number>; blocks: DrawnBlock[] } | null = null;

  draw(input: DrawInput): DrawnBlock[] {
    const { map, starts, spans } = input;
    const laneOf = lanes(spans);
    const dirty = this.changed(input, laneOf);
    const previous = this.last?.blocks ?? [];
    const blocks: DrawnBlock[] = [];
    for (let i = 0; i < starts.length && map.length > 0; i++) {
      const at = starts[i]!;
      const end = i + 1 < starts.length ? starts[i + 1]! : map.length;
      const before = previous[i];
      const touched = dirty === "all" || dirty.some((r) => r.start < end && r.end > at);
      blocks.push(!touched && before && before.at === at && before.end === end ? before : drawBlock(input, laneOf, at, end));
    }
    this.last = { input, laneOf, blocks };
    return blocks;
  }

  /** The ranges to draw again since the last drawing, or "all". */
  private changed(input: DrawInput, laneOf: Map<number, number>): Range[] | "all" {
    const last = this.last;
    if (!last) return "all";
    const was = last.input;
    if (was.map !== input.map || was.starts !== input.starts || was.look !== input.look) return "all";
    if (was.targetIds !== input.targetIds || was.threadIds !== input.threadIds) return "all";
    const dirty: Range[] = [];
    // The spans added and removed (by identity): a change keeps the other span objects, and
    // most keep their places (a label action appends one), so only what lies between the
    // common head and tail of the two lists is compared as sets.
    const a = was.spans;
    const b = input.spans;
    let head = 0;
    while (head < a.length && head < b.length && a[head] === b[head]) head++;
    let tail = 0;
    while (tail < a.length - head && tail < b.length - head && a[a.length - 1 - tail] === b[b.length - 1 - tail]) tail++;
    const before = new Set(a.slice(head, a.length - tail));
    const now = new Set(b.slice(head, b.length - tail));
    for (const s of now) if (!before.has(s)) dirty.push(s);
    for (const s of before) if (!now.has(s)) dirty.push(s);
    for (const s of b) if (last.laneOf.get(s.id) !== laneOf.get(s.id)) dirty.push(s);
    if (was.selectedId !== input.selectedId) {
      for (const s of [...was.spans, ...input.spans]) {
        if (s.id === was.selectedId || s.id === input.selectedId) dirty.push(s);
      }
    }
    const h0 = was.highlight;
    const h1 = input.highlight;
    if (h0?.start !== h1?.start || h0?.end !== h1?.end) {
      if (h0) dirty.push(h0);
      if (h1) dirty.push(h1);
    }
    return dirty;
  }
}

/** The block [at, end): its segments (cut at the boundaries of the spans over it) described. */
function drawBlock(input: DrawInput, laneOf: Map<number, number>, at: number, end: number): DrawnBlock {
  const { map, spans, look, selectedId, highlight, targetIds, threadIds } = input;
  const over: Placed[] = spans.filter((s) => s.start < end && s.end > at);
  const byId = new Map(over.map((s) => [s.id, s as DrawnSpan]));
  if (highlight && highlight.start < end && highlight.end > at) over.push({ id: SELECTION, ...highlight });
  const cuts = segments(map.length, over, [at, end]).filter((seg) => seg.start >= at && seg.end <= end);
  const pieces = cuts.map((seg): Piece => {
    const covering = seg.covering.filter((id) => id !== SELECTION);
    const drawn = covering.map((id) => byId.get(id)!);
    const discussed = !!threadIds && covering.some((id) => threadIds.has(id));
    const piece: Piece = {
      at: seg.start,
      end: seg.end,
      text: map.slice(seg.start, seg.end),
      spans: covering.join(" "),
      underlines: "",
      dashed: "",
      fill: "",
      className: "",
      title: "",
    };
    if (look === "fill") {
      piece.fill = drawn[0]?.colour ?? "";
      piece.className = [drawn.length > 1 ? "nested" : "", discussed ? "has-thread" : ""].join(" ").trim();
      piece.title = [...drawn].reverse().map((s) => s.title).join(" + ");
      return piece;
    }
    const own = drawn.filter((s) => !s.suggestion);
    const suggested = drawn.filter((s) => s.suggestion);
    const classes = ["seg"];
    if (selectedId !== null && covering.includes(selectedId)) classes.push("selected");
    if (seg.covering.includes(SELECTION)) classes.push("selecting");
    if (targetIds && covering.some((id) => targetIds.has(id))) classes.push("target");
    if (suggested.length && !own.length) classes.push("suggested");
    if (discussed) classes.push("has-thread");
    piece.underlines = own.map((s) => `${s.colour}@${laneOf.get(s.id)!}`).join(" ");
    piece.dashed = suggested[0]?.colour ?? "";
    piece.className = classes.join(" ");
    piece.title = drawn.map((s) => s.title).join("\n");
    return piece;
  });
  return { at, end, pieces, sig: pieces.map(pieceSig).join("\u0001") };
}
