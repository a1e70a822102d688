// The layer's relations drawn as arcs above the text (as brat and INCEpTION draw them), and a
// marker on each span with a relation to or from another article. An SVG over the article
// text, placed from the span elements' boxes: it never re-renders the text. Positions are
// measured after the frame that draws a change or resize, in the frame of a scroll, and only
// for the text's blocks in or near the viewport (those out of it are not laid out:
// content-visibility); a measuring that moves nothing renders nothing again.

import { memo, useEffect, useRef, useState, type RefObject } from "react";

import { afterPaint } from "../../shared/frame/afterPaint";
import type { CrossMarker } from "./arcs";

export interface Arc {
  id: number;
  from: number; // span ids
  to: number;
  label: string;
  level: number;
  symmetric: boolean;
  colour: string;
}

interface Props {
  /** The positioned element holding the article text (and this overlay). */
  container: RefObject<HTMLDivElement | null>;
  arcs: readonly Arc[];
  markers: readonly CrossMarker[];
  /** Changes whenever the text's spans do (the boxes move). */
  drawnKey: unknown;
  articleName: (id: number) => string;
  onFollow: (marker: CrossMarker) => void;
}

interface Box {
  x: number; // the middle of the span's first piece
  y: number; // its top
  right: number; // the end of its last piece
  top: number;
}

interface Placed {
  width: number;
  height: number;
  arcs: { arc: Arc; a: Box; b: Box }[];
  markers: { marker: CrossMarker; box: Box; nth: number }[];
}

const LEVEL_PX = 6;
const MAX_LEVEL = 5;
const EMPTY: Placed = { width: 0, height: 0, arcs: [], markers: [] };

/** The paragraphs within a viewport's height of the screen. */
function nearParagraphs(root: HTMLElement): HTMLElement[] {
  const reach = window.innerHeight;
  return [...root.querySelectorAll<HTMLElement>(".para")].filter((para) => {
    const r = para.getBoundingClientRect();
    return r.bottom >= -reach && r.top <= 2 * reach;
  });
}

/** The boxes of the spans ``wanted`` (arcs' ends; markers' spans need ``last`` too) in
 * ``paragraphs``, relative to ``root``. Only the pieces that give a box are measured: a span's
 * first piece, and the last one of a marked span. */
function measure(root: HTMLElement, paragraphs: readonly HTMLElement[], wanted: ReadonlySet<number>, marked: ReadonlySet<number>): Map<number, Box> {
  const origin = root.getBoundingClientRect();
  const boxes = new Map<number, Box>();
  const lastPiece = new Map<number, HTMLElement>();
  for (const para of paragraphs) {
    for (const seg of para.querySelectorAll<HTMLElement>("[data-spans]")) {
      for (const id of seg.dataset.spans!.split(" ").map(Number)) {
        if (!wanted.has(id)) continue;
        if (marked.has(id)) lastPiece.set(id, seg);
        if (boxes.has(id)) continue;
        const first = seg.getClientRects()[0];
        if (!first) continue;
        const x = first.left + first.width / 2 - origin.left;
        const y = first.top - origin.top;
        boxes.set(id, { x, y, right: first.right - origin.left, top: y });
      }
    }
  }
  for (const [id, seg] of lastPiece) {
    const rects = seg.getClientRects();
    const last = rects[rects.length - 1];
    const box = boxes.get(id);
    if (last && box) Object.assign(box, { right: last.right - origin.left, top: last.top - origin.top });
  }
  return boxes;
}

/** Whether two placings draw the same: then the overlay is not rendered again. */
function samePlaced(a: Placed, b: Placed): boolean {
  const sameBox = (x: Box, y: Box) => x.x === y.x && x.y === y.y && x.right === y.right && x.top === y.top;
  return (
    a.width === b.width &&
    a.height === b.height &&
    a.arcs.length === b.arcs.length &&
    a.markers.length === b.markers.length &&
    a.arcs.every((p, i) => p.arc === b.arcs[i]!.arc && sameBox(p.a, b.arcs[i]!.a) && sameBox(p.b, b.arcs[i]!.b)) &&
    a.markers.every((p, i) => p.marker === b.markers[i]!.marker && p.nth === b.markers[i]!.nth && sameBox(p.box, b.markers[i]!.box))
  );
}

export function ArcsOverlay({ container, arcs, markers, drawnKey, articleName, onFollow }: Props) {
  const [placed, setPlaced] = useState<Placed>(EMPTY);
  const latest = useRef({ arcs, markers });
  // Set by the listeners' effect: asks for a measuring (after a change's frame, in a scroll's).
  const schedule = useRef<(scrolled: boolean) => void>(() => undefined);

  // The listeners, once: a scroll, a resize or a change asks for one measuring a frame.
  useEffect(() => {
    const root = container.current;
    if (!root) return;
    let waiting = false; // a measuring is scheduled
    let live = true;
    let measured = ""; // the paragraphs last measured
    let forced = false; // a change or resize is waiting: measure even if no paragraph came near
    // A scroll that brings no other paragraph near moves nothing relative to the text.
    const place = (scrolled: boolean) => {
      const near = nearParagraphs(root);
      const which = `${near[0]?.dataset.at}-${near[near.length - 1]?.dataset.at}`;
      if (scrolled && which === measured) return;
      measured = which;
      const { arcs: shownArcs, markers: shownMarkers } = latest.current;
      const marked = new Set(shownMarkers.map((m) => m.spanId));
      const wanted = new Set([...marked, ...shownArcs.flatMap((a) => [a.from, a.to])]);
      const boxes = measure(root, near, wanted, marked);
      const seen = new Map<number, number>();
      const next: Placed = {
        width: root.scrollWidth,
        height: root.scrollHeight,
        arcs: shownArcs.flatMap((arc) => {
          const a = boxes.get(arc.from);
          const b = boxes.get(arc.to);
          return a && b ? [{ arc, a, b }] : [];
        }),
        markers: shownMarkers.flatMap((marker) => {
          const box = boxes.get(marker.spanId);
          if (!box) return [];
          const nth = seen.get(marker.spanId) ?? 0;
          seen.set(marker.spanId, nth + 1);
          return [{ marker, box, nth }];
        }),
      };
      // A label action rarely moves an arc: then nothing is rendered again.
      setPlaced((current) => (samePlaced(current, next) ? current : next));
    };
    // A change is measured after the frame that draws it, not in it: a label action's frame
    // then draws its span without waiting for the measuring (a forced layout); an arc that
    // moved follows a frame later. A scroll is measured in its own frame (an animation frame
    // callback), as before: that frame lays the page out anyway.
    schedule.current = (scrolled: boolean) => {
      forced ||= !scrolled;
      if (waiting) return;
      waiting = true;
      const run = () => {
        waiting = false;
        if (!live) return;
        const scrolledOnly = !forced;
        forced = false;
        place(scrolledOnly);
      };
      if (scrolled) requestAnimationFrame(run);
      else afterPaint(run);
    };
    const onScroll = () => schedule.current(true);
    const resized = new ResizeObserver(() => schedule.current(false));
    window.addEventListener("scroll", onScroll, { passive: true });
    resized.observe(root);
    return () => {
      window.removeEventListener("scroll", onScroll);
      resized.disconnect();
      live = false;
      schedule.current = () => undefined;
    };
  }, [container]);

  // A change of the arcs, the markers or the text's spans (their boxes may move).
  useEffect(() => {
    latest.current = { arcs, markers };
    schedule.current(false);
  }, [arcs, markers, drawnKey]);

  return (
    <>
      <ArcsDrawing placed={placed} />
      {placed.markers.map(({ marker, box, nth }) => {
        const other = articleName(marker.otherArticle);
        const what =
          marker.direction === "out" ? `${marker.label} a span in ${other}` : `${marker.label} from a span in ${other}`;
        return (
          <button
            type="button"
            key={`${marker.direction}${marker.relationId}`}
            className={`cross-marker ${marker.direction}`}
            style={{ left: box.right + nth * 14, top: box.top - 8 }}
            aria-label={`Open ${what}`}
            title={what}
            data-marker-relation={marker.relationId}
            onMouseUp={(e) => e.stopPropagation()}
            onClick={() => onFollow(marker)}
          >
            {marker.direction === "out" ? "↗" : "↙"}
          </button>
        );
      })}
    </>
  );
}

// The arcs as placed (memo: the page's renders that move no arc, a label action's, skip it).
const ArcsDrawing = memo(function ArcsDrawing({ placed }: { placed: Placed }) {
  return (
    <svg className="arcs" width={placed.width} height={placed.height} aria-hidden="true" data-testid="arcs">
      <defs>
        <marker id="arc-arrow" viewBox="0 0 8 8" refX="7" refY="4" markerWidth="7" markerHeight="7" orient="auto">
          <path d="M0,0 L8,4 L0,8 z" fill="#444" />
        </marker>
      </defs>
      {placed.arcs.map(({ arc, a, b }) => {
        const rise = 6 + Math.min(arc.level, MAX_LEVEL) * LEVEL_PX;
        const top = Math.min(a.y, b.y) - rise;
        const d = `M${a.x},${a.y} L${a.x},${top} L${b.x},${top} L${b.x},${b.y}`;
        return (
          <g key={arc.id} className="arc" data-arc-id={arc.id} data-arc-label={arc.label}>
            <path d={d} stroke={arc.colour} markerEnd={arc.symmetric ? undefined : "url(#arc-arrow)"} />
            <text x={(a.x + b.x) / 2} y={top - 1}>
              {arc.label}
            </text>
          </g>
        );
      })}
    </svg>
  );
});
