// How spans are laid over the text: the text cut at every span boundary into segments, each
// knowing which spans cover it, and each span given a lane so that overlapping spans are
// drawn on different lines (nested and crossing spans stay visible and clickable).
// Offsets here are code points, as the API has them (ArticleText reads the DOM's UTF-16
// offsets back through lib/text's OffsetMap).

export interface Placed {
  id: number;
  start: number; // code points, inclusive
  end: number; // code points, exclusive
}

export interface Segment {
  start: number;
  end: number;
  /** The spans covering this segment, innermost (shortest) first. */
  covering: number[];
}

/** Cut [0, length) at every span boundary (and at ``breaks``, such as paragraph starts);
 * spans outside the text are clamped. */
export function segments(length: number, spans: readonly Placed[], breaks: readonly number[] = []): Segment[] {
  const cuts = new Set<number>([0, length]);
  for (const at of breaks) cuts.add(clamp(at, length));
  for (const s of spans) {
    cuts.add(clamp(s.start, length));
    cuts.add(clamp(s.end, length));
  }
  const points = [...cuts].sort((a, b) => a - b);
  // Sweep: spans sorted by start, the active ones kept while they cover the segment.
  const byStart = [...spans].sort((a, b) => a.start - b.start || b.end - a.end);
  const size = new Map(spans.map((s) => [s.id, s.end - s.start]));
  const result: Segment[] = [];
  let next = 0;
  let active: Placed[] = [];
  for (let i = 0; i + 1 < points.length; i++) {
    const start = points[i]!;
    const end = points[i + 1]!;
    while (next < byStart.length && byStart[next]!.start <= start) active.push(byStart[next++]!);
    active = active.filter((s) => s.end > start);
    const covering = active
      .filter((s) => s.start < end && s.end > start)
      .map((s) => s.id)
      .sort((a, b) => size.get(a)! - size.get(b)! || a - b);
    result.push({ start, end, covering });
  }
  return result;
}

/** A lane per span: the lowest line no overlapping span has taken (greedy by start, longest
 * first, so an outer span gets a lower lane than the spans nested in it). */
export function lanes(spans: readonly Placed[]): Map<number, number> {
  const order = [...spans].sort((a, b) => a.start - b.start || b.end - a.end || a.id - b.id);
  const laneEnds: number[] = []; // per lane: where its last span ends
  const result = new Map<number, number>();
  for (const s of order) {
    let lane = laneEnds.findIndex((end) => end <= s.start);
    if (lane === -1) {
      lane = laneEnds.length;
      laneEnds.push(s.end);
    } else {
      laneEnds[lane] = s.end;
    }
    result.set(s.id, lane);
  }
  return result;
}

/** The span a click at ``offset`` means: the innermost covering it; a second click at the same
 * place (``after`` the one chosen last) takes the next one out, so every span can be reached. */
export function spanAt(segs: readonly Segment[], offset: number, after?: number): number | null {
  const seg = segs.find((s) => s.start <= offset && offset < s.end);
  if (!seg || seg.covering.length === 0) return null;
  const i = after === undefined ? -1 : seg.covering.indexOf(after);
  return seg.covering[(i + 1) % seg.covering.length]!;
}

function clamp(value: number, length: number): number {
  return Math.max(0, Math.min(value, length));
}
