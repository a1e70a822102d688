// The one place where the browser's UTF-16 offsets meet the API's code points.
//
// JavaScript strings, DOM text nodes and selections count UTF-16 code units; the API counts
// Unicode code points (Python str indices). They differ after every astral character (most
// emoji, some CJK): "👍a" has a at code unit 2 but code point 1. Everything the app sends or
// receives as a span offset passes through an OffsetMap of the article's text, and the article
// text's renderer reads DOM offsets back through it: the rest of the app counts code points.

// A sentence's end and the spaces after it, before the next sentence's first character
// (a closing quote or bracket stays with its sentence); not a line break, which ends a paragraph.
const SENTENCE_END = /[.!?]["'”’)\]]*[ \t]+(?=\S)/g;

const isHigh = (unit: number) => unit >= 0xd800 && unit <= 0xdbff;
const isLow = (unit: number) => unit >= 0xdc00 && unit <= 0xdfff;

export class OffsetMap {
  readonly text: string;
  /** UTF-16 offset of each code point offset (length: code points + 1). */
  private readonly utf16At: Uint32Array;
  /** Code point offset of each UTF-16 offset (length: units + 1); a low surrogate maps to its pair's start. */
  private readonly codePointAt: Uint32Array;
  /** Grapheme cluster boundaries (UTF-16), worked out on the first ``snap``. */
  private clusters: number[] | null = null;

  constructor(text: string) {
    this.text = text;
    const units = text.length;
    const codePointAt = new Uint32Array(units + 1);
    const utf16At: number[] = [];
    let cp = 0;
    for (let i = 0; i < units; i++) {
      codePointAt[i] = cp;
      utf16At.push(i);
      if (isHigh(text.charCodeAt(i)) && i + 1 < units && isLow(text.charCodeAt(i + 1))) {
        codePointAt[i + 1] = cp; // inside the pair: rounds down to its start
        i++;
      }
      cp++;
    }
    codePointAt[units] = cp;
    utf16At.push(units);
    this.codePointAt = codePointAt;
    this.utf16At = Uint32Array.from(utf16At);
  }

  /** The text's length in code points (what the API calls its length). */
  get length(): number {
    return this.utf16At.length - 1;
  }

  /** The UTF-16 offset of a code point offset (clamped to the text). */
  toUtf16(codePoint: number): number {
    const at = Math.max(0, Math.min(codePoint, this.length));
    return this.utf16At[at]!;
  }

  /** The code point offset of a UTF-16 offset. One that falls inside a surrogate pair
   * (half an emoji) rounds down to the pair's start, or up past it with ``round = "up"``. */
  toCodePoint(utf16: number, round: "down" | "up" = "down"): number {
    const at = Math.max(0, Math.min(utf16, this.text.length));
    const cp = this.codePointAt[at]!;
    if (round === "up" && at > 0 && at < this.text.length && this.splitsPair(at)) return cp + 1;
    return cp;
  }

  /** A UTF-16 range as API offsets; its ends never cut a surrogate pair. */
  rangeToCodePoints(start: number, end: number): { start: number; end: number } {
    return { start: this.toCodePoint(start, "down"), end: this.toCodePoint(end, "up") };
  }

  /** API offsets as a UTF-16 range, for slicing the string and finding DOM positions. */
  rangeToUtf16(start: number, end: number): { start: number; end: number } {
    return { start: this.toUtf16(start), end: this.toUtf16(end) };
  }

  /** The text between two code point offsets. */
  slice(start: number, end: number): string {
    return this.text.slice(this.toUtf16(start), this.toUtf16(end));
  }

  /** The code point offset ``units`` UTF-16 units after code point ``at``: where a DOM offset
   * inside a piece of text that starts at ``at`` falls. */
  advance(at: number, units: number, round: "down" | "up" = "down"): number {
    return this.toCodePoint(this.toUtf16(at) + units, round);
  }

  /** Where paragraphs start (code points): 0 and after every line break. */
  paragraphStarts(): number[] {
    const text = this.text;
    const starts = [0];
    for (let i = text.indexOf("\n"); i !== -1 && i + 1 < text.length; i = text.indexOf("\n", i + 1)) {
      starts.push(this.toCodePoint(i + 1));
    }
    return starts;
  }

  /** Where the renderer's blocks start (code points): every paragraph, and inside a paragraph
   * longer than ``longest`` UTF-16 units, after the first sentence end (". ", "? ", "! ") once a
   * block is that long. A browser lays out, paints and skips offscreen (content-visibility)
   * whole blocks: an article imported without line breaks would otherwise be one block of
   * 100 KB, laid out again in full for every label added to it. */
  blockStarts(longest: number): number[] {
    const text = this.text;
    const ends = [...this.paragraphStarts().slice(1).map((cp) => this.toUtf16(cp)), text.length];
    const starts: number[] = [];
    let from = 0;
    for (const end of ends) {
      starts.push(this.toCodePoint(from));
      for (let block = from; end - block > longest; ) {
        SENTENCE_END.lastIndex = block + longest;
        const found = SENTENCE_END.exec(text);
        const next = found ? found.index + found[0].length : end;
        if (next >= end) break;
        starts.push(this.toCodePoint(next));
        block = next;
      }
      from = end;
    }
    return starts;
  }

  /** A selection in code points snapped as ``snapRange`` does (whole grapheme clusters, and
   * with ``words`` whole words, whitespace trimmed), in code points; null when nothing is left. */
  snap(start: number, end: number, words: boolean): { start: number; end: number } | null {
    this.clusters ??= graphemeBoundaries(this.text);
    const range = snapRange(this.text, this.toUtf16(start), this.toUtf16(end), { words, bounds: this.clusters });
    return range && this.rangeToCodePoints(range.start, range.end);
  }

  private splitsPair(utf16: number): boolean {
    return isLow(this.text.charCodeAt(utf16)) && isHigh(this.text.charCodeAt(utf16 - 1));
  }
}

/** The text's length in code points (what the API, and Python, call its length). */
export function codePointLength(text: string): number {
  let length = text.length;
  for (let i = 0; i + 1 < text.length; i++) {
    if (isHigh(text.charCodeAt(i)) && isLow(text.charCodeAt(i + 1))) {
      length--;
      i++;
    }
  }
  return length;
}

const graphemes = new Intl.Segmenter(undefined, { granularity: "grapheme" });
const WORD_CHAR = /[\p{L}\p{N}\p{M}]/u;

/** Grapheme cluster boundaries (UTF-16) of ``text``, 0 and text.length included: a ZWJ family
 * emoji or a letter with a combining accent is one cluster, never split by a selection. */
export function graphemeBoundaries(text: string): number[] {
  const bounds = [...graphemes.segment(text)].map((s) => s.index);
  bounds.push(text.length);
  return bounds;
}

/** Widen a UTF-16 range to whole grapheme clusters, and (``words``) to whole words, then trim
 * the whitespace at its ends. Returns null when nothing but whitespace is left. */
export function snapRange(
  text: string,
  start: number,
  end: number,
  { words = true, bounds }: { words?: boolean; bounds?: number[] } = {},
): { start: number; end: number } | null {
  let s = Math.max(0, Math.min(start, end));
  let e = Math.min(text.length, Math.max(start, end));
  const clusters = bounds ?? graphemeBoundaries(text);
  s = floorIn(clusters, s);
  e = ceilIn(clusters, e);
  if (words) {
    const wordAt = (i: number) => WORD_CHAR.test(clusterAt(text, clusters, i));
    while (s > 0 && e > s && wordAt(s) && wordAt(floorIn(clusters, s - 1))) s = floorIn(clusters, s - 1);
    while (e < text.length && e > s && wordAt(floorIn(clusters, e - 1)) && wordAt(e)) e = ceilIn(clusters, e + 1);
  }
  while (s < e && /\s/u.test(text[s]!)) s++;
  while (e > s && /\s/u.test(text[e - 1]!)) e--;
  return e > s ? { start: s, end: e } : null;
}

function clusterAt(text: string, bounds: number[], at: number): string {
  return text.slice(at, ceilIn(bounds, at + 1));
}

function floorIn(sorted: number[], value: number): number {
  let lo = 0;
  let hi = sorted.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (sorted[mid]! <= value) lo = mid;
    else hi = mid - 1;
  }
  return sorted[lo]!;
}

function ceilIn(sorted: number[], value: number): number {
  let lo = 0;
  let hi = sorted.length - 1;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (sorted[mid]! >= value) hi = mid;
    else lo = mid + 1;
  }
  return sorted[lo]!;
}
