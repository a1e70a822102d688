// The article's text with its spans drawn over it. Text is rendered as React text nodes only
// (never as HTML). Each segment of text between span boundaries is one element carrying its
// UTF-16 start and end, so a DOM selection maps back to offsets in the text without measuring.
// Each paragraph is a block of its own: a label action lays out one paragraph again, not a
// whole long article.

import { memo, useMemo, useRef, type MouseEvent } from "react";

import { lanes, paragraphStarts, segments, type Placed, type Segment as Cut } from "./layout";

export interface DrawnSpan extends Placed {
  colour: string;
  suggestion: boolean; // drawn dashed
  title: string; // label, and score for suggestions
}

interface Props {
  text: string;
  spans: readonly DrawnSpan[];
  selectedId: number | null;
  highlight: { start: number; end: number } | null; // the pending text selection (UTF-16)
  targetIds: ReadonlySet<number> | null; // while linking: spans that may be the target
  onSelectText: (start: number, end: number) => void;
  onClickAt: (offset: number) => void;
}

const LANE_PX = 3;
// The pending text selection is laid out as one more span under this id, which no span has:
// the server's ids are positive, the page's own (not saved yet) negative.
const SELECTION = 0;

export const ArticleText = memo(function ArticleText(props: Props) {
  const { text, spans, selectedId, highlight, targetIds, onSelectText, onClickAt } = props;
  const container = useRef<HTMLDivElement>(null);
  const paragraphs = useMemo(() => paragraphStarts(text), [text]);
  const cuts = useMemo(() => {
    const extra = highlight ? [{ id: SELECTION, start: highlight.start, end: highlight.end }] : [];
    return segments(text.length, [...spans, ...extra], paragraphs);
  }, [text, spans, highlight, paragraphs]);
  const byId = useMemo(() => new Map(spans.map((s) => [s.id, s])), [spans]);
  const laneOf = useMemo(() => lanes(spans), [spans]);
  const blocks = useMemo(() => {
    const starts = new Set(paragraphs);
    const grouped: Cut[][] = [];
    for (const cut of cuts) {
      if (starts.has(cut.start) || grouped.length === 0) grouped.push([]);
      grouped[grouped.length - 1]!.push(cut);
    }
    return grouped;
  }, [cuts, paragraphs]);

  function offsetOf(node: Node, offset: number): number | null {
    // A text node: its segment element says where its text starts.
    if (node.nodeType === Node.TEXT_NODE) {
      const segment = node.parentElement?.closest<HTMLElement>("[data-at]");
      return segment ? Number(segment.dataset.at) + offset : null;
    }
    // An element (a segment, a paragraph, the container): ``offset`` counts its children.
    const element = node as HTMLElement;
    if (element !== container.current && element.dataset.at === undefined) return null;
    const child = element.childNodes[offset];
    if (child instanceof HTMLElement && child.dataset.at !== undefined) return Number(child.dataset.at);
    if (offset === 0 && element.dataset.at !== undefined) return Number(element.dataset.at);
    return element.dataset.end !== undefined ? Number(element.dataset.end) : text.length;
  }

  function mouseUp(event: MouseEvent) {
    const selection = window.getSelection();
    if (!selection || selection.rangeCount === 0) return;
    const range = selection.getRangeAt(0);
    if (!container.current?.contains(range.commonAncestorContainer)) return;
    const start = offsetOf(range.startContainer, range.startOffset);
    const end = offsetOf(range.endContainer, range.endOffset);
    if (start === null || end === null) return;
    if (start === end) {
      onClickAt(start);
    } else {
      onSelectText(Math.min(start, end), Math.max(start, end));
    }
    event.preventDefault();
  }

  return (
    <div ref={container} className="article-text" data-testid="article-text" onMouseUp={mouseUp}>
      {blocks.map((block) => (
        <div key={block[0]!.start} className="para" data-at={block[0]!.start} data-end={block[block.length - 1]!.end}>
          {block.map((seg) => {
            const covering = seg.covering.filter((id) => id !== SELECTION);
            const drawn = covering.map((id) => byId.get(id)!);
            const own = drawn.filter((s) => !s.suggestion);
            const suggested = drawn.filter((s) => s.suggestion);
            const classes = ["seg"];
            if (selectedId !== null && covering.includes(selectedId)) classes.push("selected");
            if (highlight !== null && seg.covering.includes(SELECTION)) classes.push("selecting");
            if (targetIds && covering.some((id) => targetIds.has(id))) classes.push("target");
            if (suggested.length && !own.length) classes.push("suggested");
            return (
              <Segment
                key={seg.start}
                at={seg.start}
                end={seg.end}
                text={text.slice(seg.start, seg.end)}
                spans={covering.join(" ")}
                underlines={own.map((s) => `${s.colour}@${laneOf.get(s.id)!}`).join(" ")}
                dashed={suggested[0]?.colour ?? ""}
                className={classes.join(" ")}
                title={drawn.map((s) => s.title).join("\n")}
              />
            );
          })}
        </div>
      ))}
    </div>
  );
});


interface SegmentProps {
  at: number;
  end: number;
  text: string;
  spans: string; // the covering span ids, innermost first
  underlines: string; // "colour@lane ..." of the own spans covering it, innermost first
  dashed: string; // a suggestion's colour, if one covers it
  className: string;
  title: string;
}

// Plain values only: a label action re-renders the segments it changed, not all of them.
const Segment = memo(function Segment({ at, end, text, spans, underlines, dashed, className, title }: SegmentProps) {
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
