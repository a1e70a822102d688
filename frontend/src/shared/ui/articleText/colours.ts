// Cuts an article's text into pieces at span boundaries, for showing one layer's spans.
// Offsets are code points (as the API has them): the text is indexed as an array of code
// points here, so no UTF-16 arithmetic is needed (and none is done) for display.

export interface Marked {
  start: number;
  end: number;
}

export interface Piece<S extends Marked> {
  start: number;
  end: number;
  text: string;
  /** The spans covering this piece, outermost (earliest start, then longest) first. */
  spans: S[];
}

export function codePoints(text: string): string[] {
  return Array.from(text);
}

export function segments<S extends Marked>(text: string | string[], spans: readonly S[]): Piece<S>[] {
  const chars = typeof text === "string" ? codePoints(text) : text;
  const length = chars.length;
  const valid = spans
    .filter((s) => Number.isInteger(s.start) && Number.isInteger(s.end) && s.start >= 0 && s.start < s.end && s.end <= length)
    .slice()
    .sort((a, b) => a.start - b.start || b.end - a.end);
  const cuts = new Set<number>([0, length]);
  for (const span of valid) {
    cuts.add(span.start);
    cuts.add(span.end);
  }
  const points = [...cuts].sort((a, b) => a - b);
  const pieces: Piece<S>[] = [];
  for (let i = 0; i + 1 < points.length; i += 1) {
    const start = points[i]!;
    const end = points[i + 1]!;
    if (start === end) continue;
    pieces.push({
      start,
      end,
      text: chars.slice(start, end).join(""),
      spans: valid.filter((s) => s.start <= start && s.end >= end),
    });
  }
  return pieces;
}

/** A readable foreground for a label colour (#rrggbb) used as a background. */
export function textColourOn(background: string): string {
  const match = /^#([0-9a-f]{2})([0-9a-f]{2})([0-9a-f]{2})$/i.exec(background);
  if (!match) return "#000";
  const [r, g, b] = match.slice(1).map((h) => parseInt(h, 16) / 255) as [number, number, number];
  const luminance = 0.2126 * r + 0.7152 * g + 0.0722 * b;
  return luminance > 0.55 ? "#000" : "#fff";
}

/** A colour (#rrggbb) made lighter by mixing it with white: `amount` 0 (itself) to 1 (white). */
export function tint(colour: string, amount: number): string {
  const match = /^#([0-9a-f]{2})([0-9a-f]{2})([0-9a-f]{2})$/i.exec(colour);
  if (!match) return "#eeeeee";
  return (
    "#" +
    match
      .slice(1)
      .map((h) => Math.round(parseInt(h, 16) + (255 - parseInt(h, 16)) * amount).toString(16).padStart(2, "0"))
      .join("")
  );
}
