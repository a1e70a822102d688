// ArticleText's blocks and the pieces of text in them. Everything a block draws comes to it as
// plain values summed up in one string (``sig``), so a label action re-renders the block whose
// pieces changed and React skips every other block without looking at their pieces; in that
// block, a piece whose values did not change is skipped too.

import { memo } from "react";

import { textColourOn } from "../colours";

/** One segment of text between span boundaries, as it is drawn. */
export interface Piece {
  at: number; // code points
  end: number;
  text: string;
  spans: string; // the covering span ids, innermost first ("" for none)
  underlines: string; // "colour@lane ..." of the own spans covering it, innermost first
  dashed: string; // a suggestion's colour, if one covers it
  fill: string; // the "fill" look: the innermost span's colour
  className: string;
  title: string;
}

export function pieceSig(p: Piece): string {
  return `${p.at}|${p.end}|${p.spans}|${p.underlines}|${p.dashed}|${p.fill}|${p.className}|${p.title}`;
}

interface BlockProps {
  at: number;
  end: number;
  look: "underline" | "fill";
  pieces: readonly Piece[];
  /** The pieces' values (pieceSig) joined: the block is drawn again only when it changes. */
  sig: string;
  /** How many lines it is guessed to take before it is first laid out (content-visibility). */
  lines: number;
}

const LANE_PX = 3;

export const Block = memo(
  function Block({ at, end, look, pieces, lines }: BlockProps) {
    return (
      <div className="para" data-at={at} data-end={end} style={{ containIntrinsicSize: `auto ${lines}lh` }}>
        {pieces.map((p) => (look === "fill" ? <Filled key={p.at} {...p} /> : <Segment key={p.at} {...p} />))}
      </div>
    );
  },
  (a, b) => a.sig === b.sig && a.at === b.at && a.end === b.end && a.look === b.look && a.lines === b.lines,
);

// Plain values only: a label action re-renders the segments it changed, not all of them.
const Segment = memo(function Segment({ at, end, text, spans, underlines, dashed, className, title }: Piece) {
  if (!spans) {
    return (
      <span data-at={at} data-end={end} className={className}>
        {text}
      </span>
    );
  }
  const style: Record<string, string> = {};
  if (underlines) {
    const lines = underlines.split(" ").map((part) => {
      const [colour, lane] = part.split("@");
      return { colour: colour!, lane: Number(lane) };
    });
    style.background = `${lines[0]!.colour}33`;
    // One underline per span, on its lane: nested and crossing spans stay visible.
    // The first shadow is drawn on top: lower lanes (shorter) first, so each shows as a stripe.
    style.boxShadow = [...lines]
      .sort((a, b) => a.lane - b.lane)
      .map((l) => `inset 0 -${(l.lane + 1) * LANE_PX}px 0 0 ${l.colour}`)
      .join(", ");
    style.paddingBottom = `${Math.max(...lines.map((l) => l.lane + 1)) * LANE_PX}px`;
  }
  if (dashed) {
    style.textDecoration = `underline dashed ${dashed}`;
    style.textUnderlineOffset = "4px";
  }
  return (
    <span data-at={at} data-end={end} data-spans={spans} className={className} style={style} title={title}>
      {text}
    </span>
  );
});

// A piece of a read-only layer: marked in its innermost span's colour, with the text readable
// on it; one covered by more than one span is marked as nested.
const Filled = memo(function Filled({ at, end, text, fill, className, title }: Piece) {
  if (!fill) {
    return (
      <span data-at={at} data-end={end}>
        {text}
      </span>
    );
  }
  return (
    <mark data-at={at} data-end={end} className={className || undefined} style={{ background: fill, color: textColourOn(fill) }} title={title}>
      {text}
    </mark>
  );
});
