import { describe, expect, it } from "vitest";

import { OffsetMap, codePointLength, graphemeBoundaries, snapRange } from "./offsets";

// What Python's str counts: code points.
const codePoints = (s: string) => [...s].length;

describe("OffsetMap", () => {
  it("is the identity on text without astral characters, CRLF included", () => {
    const text = "Rents rose 4.75%.\r\nCafe\u0301 prices: £1,400.";
    const map = new OffsetMap(text);
    expect(map.length).toBe(text.length);
    for (let i = 0; i <= text.length; i++) {
      expect(map.toCodePoint(i)).toBe(i);
      expect(map.toUtf16(i)).toBe(i);
    }
  });

  it("counts an astral character as one code point and two UTF-16 units", () => {
    const text = "a👍b😀c";
    const map = new OffsetMap(text);
    expect(map.length).toBe(codePoints(text));
    expect(map.toCodePoint(text.indexOf("b"))).toBe(2);
    expect(map.toCodePoint(text.indexOf("c"))).toBe(4);
    expect(map.toUtf16(2)).toBe(text.indexOf("b"));
    expect(map.toUtf16(map.length)).toBe(text.length);
  });

  it("round-trips every code point offset, and agrees with Python's slicing", () => {
    const text = "The minister 👩‍👩‍👧 said inflation was 4.75%.\r\nBut critics 🙄 said £1,400.";
    const map = new OffsetMap(text);
    for (let cp = 0; cp <= map.length; cp++) expect(map.toCodePoint(map.toUtf16(cp))).toBe(cp);
    const u16 = text.indexOf("4.75%");
    const { start, end } = map.rangeToCodePoints(u16, u16 + 5);
    expect([...text].slice(start, end).join("")).toBe("4.75%");
    expect(start).toBe(codePoints(text.slice(0, u16)));
  });

  it("never splits a surrogate pair: inside one rounds down for a start and up for an end", () => {
    const text = "x😀y";
    const map = new OffsetMap(text);
    expect(map.toCodePoint(2, "down")).toBe(1);
    expect(map.toCodePoint(2, "up")).toBe(2);
    expect(map.rangeToCodePoints(2, 2)).toEqual({ start: 1, end: 2 });
  });

  it("clamps offsets outside the text", () => {
    const map = new OffsetMap("ab");
    expect(map.toUtf16(-3)).toBe(0);
    expect(map.toUtf16(99)).toBe(2);
    expect(map.toCodePoint(99)).toBe(2);
  });
});

describe("snapRange", () => {
  const text = "Only 55 NHS trusts 👩‍👩‍👧 replied,\r\nsaid the cafe\u0301 owner.";

  it("widens a selection to whole words and trims whitespace", () => {
    const s = text.indexOf("NHS") + 1;
    const snapped = snapRange(text, s, s + 4);
    expect(snapped && text.slice(snapped.start, snapped.end)).toBe("NHS trusts");
    const spaced = snapRange(text, text.indexOf(" 55"), text.indexOf("55") + 2);
    expect(spaced && text.slice(spaced.start, spaced.end)).toBe("55");
  });

  it("keeps a ZWJ sequence whole and a combining accent with its letter", () => {
    const family = text.indexOf("👩");
    const half = snapRange(text, family + 2, family + 3, { words: false });
    expect(half && text.slice(half.start, half.end)).toBe("👩‍👩‍👧");
    const cafe = text.indexOf("cafe");
    const word = snapRange(text, cafe, cafe + 4);
    expect(word && text.slice(word.start, word.end)).toBe("cafe\u0301");
  });

  it("with word snapping off, keeps the exact characters", () => {
    const s = text.indexOf("trusts");
    const exact = snapRange(text, s + 1, s + 3, { words: false });
    expect(exact && text.slice(exact.start, exact.end)).toBe("ru");
  });

  it("does not cross CRLF or punctuation when widening to words", () => {
    const s = text.indexOf("replied");
    const snapped = snapRange(text, s + 2, text.indexOf("said") + 2);
    expect(snapped && text.slice(snapped.start, snapped.end)).toBe("replied,\r\nsaid");
  });

  it("gives null for a whitespace-only or empty selection", () => {
    expect(snapRange(text, 4, 5)).toBeNull();
    expect(snapRange(text, 3, 3, { words: false })).toBeNull();
  });

  it("grapheme boundaries include both ends", () => {
    const bounds = graphemeBoundaries("a👩‍👩‍👧b");
    expect(bounds[0]).toBe(0);
    expect(bounds.at(-1)).toBe("a👩‍👩‍👧b".length);
    expect(bounds).toHaveLength(4);
  });
});

describe("OffsetMap in code points", () => {
  const text = "a👍b said\r\n😀 4.75%\n\nend";
  const map = new OffsetMap(text);
  it("counts code points as Python does", () => {
    expect(codePointLength(text)).toBe(codePoints(text));
    expect(codePointLength("")).toBe(0);
    expect(codePointLength("\ud83d")).toBe(1); // a lone surrogate is one
  });

  it("slices and advances by code points", () => {
    expect(map.slice(1, 3)).toBe("👍b");
    expect(map.slice(0, map.length)).toBe(text);
    // two UTF-16 units after "a" is "b"'s start, past the emoji: one code point on
    expect(map.advance(1, 2)).toBe(2);
    expect(map.advance(1, 1)).toBe(1);
    expect(map.advance(1, 1, "up")).toBe(2);
  });

  it("finds paragraph starts in code points, CRLF included", () => {
    expect(map.paragraphStarts()).toEqual([0, 10, 18, 19]);
    expect(new OffsetMap("ab\r\ncd\n\nef").paragraphStarts()).toEqual([0, 4, 7, 8]);
    expect(new OffsetMap("no breaks").paragraphStarts()).toEqual([0]);
    expect(new OffsetMap("ends\n").paragraphStarts()).toEqual([0]);
  });

  it("cuts long paragraphs into blocks after a sentence end, in code points", () => {
    // 👍 is two UTF-16 units but one code point: the cut after "one. " is at code point 8, not 9
    const text = "👍a one. b. “Two!” c\nshort. one\nlast one. end";
    const got = new OffsetMap(text).blockStarts(6);
    expect(got).toEqual([0, 8, 18, 20, 31, 41]);
    const cps = [...text];
    expect(got.map((at) => cps.slice(at, at + 3).join(""))).toEqual(["👍a ", "b. ", "c\ns", "sho", "las", "end"]);
    // "short. one" ends no sentence after its first 6 units; a paragraph under the limit, or
    // with no sentence end, stays whole
    expect(new OffsetMap(text).blockStarts(1000)).toEqual([0, 20, 31]);
    expect(new OffsetMap("no sentence ends here at all").blockStarts(3)).toEqual([0]);
  });

  it("snaps a selection to whole words and gives it in code points", () => {
    // "sai" of "said" after the emoji: the whole word, at code points 4 to 8
    expect(map.snap(4, 7, true)).toEqual({ start: 4, end: 8 });
    expect(map.snap(4, 7, false)).toEqual({ start: 4, end: 7 });
    expect(map.snap(8, 9, true)).toBeNull();
  });
});
