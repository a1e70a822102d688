"""CoNLL-style token export (write only): one token per line with its offsets and a BIO tag per layer.

A document is ``-DOCSTART- <external id>``, a blank line, then its sentences, each followed by a
blank line. Columns are tab-separated: token, start, end (code points, end exclusive), then one tag
per layer in the order given; ``header`` names them.

Tokens: words (letters, digits and combining marks, with apostrophes, hyphens and zero-width
joiners inside), numbers with ``,`` or ``.`` between digits (``1,400``, ``4.75``), and otherwise
single punctuation or symbol characters, except that an emoji keeps its modifiers and
ZWJ-joined parts (``👩‍👩‍👧`` is one token) and a flag's two regional indicators stay together.
Whitespace and invisible format characters are never tokens. Sentences end at a line break, and
at ``.``, ``!``, ``?`` or ``…`` (closing quotes or brackets may follow) followed by whitespace.

Tags: a token overlapping a span is tagged with it; ``B-`` where the span starts in or at the
token, ``I-`` on the tokens after. Overlapping spans in one layer: on each token the span that
starts first wins (then the longest), the others are dropped for as long as it lasts; a span that
outlives the winner resumes afterwards with ``B-``. A label's whitespace becomes ``_`` so the
columns stay intact. Pure: no Django.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Iterable
from functools import cache

from .records import ArticleRecord, LayerRecord, SpanRecord

_LINE_BREAKS = frozenset("\n\r\v\f\x1c\x1d\x1e\x85\u2028\u2029")
_SENTENCE_ENDS = frozenset(".!?\u2026\u203d\u3002\uff01\uff1f")  # also ellipsis, interrobang, CJK stops
_CLOSERS = frozenset("\"'\u201d\u2019\u00bb)]}")
_WHITESPACE = re.compile(r"\s+")
# Characters with no visible form: never a token of their own.
_INVISIBLE = "\u00ad\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufeff"


def _class_ranges(keep: Callable[[str], bool], code_points: Iterable[int]) -> str:
    """The body of a regex character class matching the code points ``keep`` accepts."""
    parts: list[str] = []
    run_start = previous = -2
    for cp in code_points:
        if not keep(chr(cp)):
            continue
        if cp != previous + 1:
            if run_start >= 0:
                parts.append(f"\\U{run_start:08x}-\\U{previous:08x}")
            run_start = cp
        previous = cp
    if run_start >= 0:
        parts.append(f"\\U{run_start:08x}-\\U{previous:08x}")
    return "".join(parts)


@cache
def _token_pattern() -> re.Pattern[str]:
    # Python's \w leaves out combining marks ("cafe" + U+0301, most Indic vowel signs), so they
    # are added; built on first use because scanning the Unicode tables takes a few milliseconds.
    marks = _class_ranges(
        lambda c: unicodedata.category(c).startswith("M"),
        [*range(0x20000), *range(0xE0100, 0xE01F0)],
    )
    word_char = f"[\\w{marks}]"
    word = f"{word_char}+(?:['\u2019\\-\u200c\u200d]{word_char}+)*"
    number = r"\d+(?:[.,]\d+)+"
    flag = "[\U0001f1e6-\U0001f1ff]{2}"
    # An emoji's skin tone, variation selector, keycap or tag characters belong to it.
    modifier = f"[{marks}\U0001f3fb-\U0001f3ff\U000e0020-\U000e007f]"
    symbol = f"[^\\w\\s{_INVISIBLE}]{modifier}*"
    emoji = f"{symbol}(?:\u200d{symbol})*"
    return re.compile(f"{number}|{flag}|{word}|{emoji}")


Token = tuple[str, int, int]


def tokens(text: str) -> list[Token]:
    """The tokens of ``text`` as (token, start, end) in code points."""
    return [(m.group(), m.start(), m.end()) for m in _token_pattern().finditer(text)]


def _ends_sentence(text: str, toks: list[Token], i: int) -> bool:
    """Whether a sentence ends between token ``i`` and the next one."""
    gap = text[toks[i][2] : toks[i + 1][1]]
    if any(c in _LINE_BREAKS for c in gap):
        return True
    if not any(c.isspace() for c in gap):  # "4.75%." or "U.S." run on: no break
        return False
    k = i
    while toks[k][0] in _CLOSERS and k > 0 and toks[k - 1][2] == toks[k][1]:
        k -= 1
    return toks[k][0] in _SENTENCE_ENDS


def sentences(text: str) -> list[list[Token]]:
    """The tokens of ``text`` grouped into sentences."""
    toks = tokens(text)
    result: list[list[Token]] = []
    current: list[Token] = []
    for i, tok in enumerate(toks):
        current.append(tok)
        if i + 1 == len(toks) or _ends_sentence(text, toks, i):
            result.append(current)
            current = []
    return result


def _label(label: str) -> str:
    return _WHITESPACE.sub("_", label)


def _tags(toks: list[Token], layer: LayerRecord) -> list[str]:
    """One BIO tag per token for ``layer``."""
    spans = sorted((s for s in layer.spans if s.end > s.start), key=lambda s: (s.start, -s.end))
    tags: list[str] = []
    active: list[SpanRecord] = []  # stays in the sorted order, so active[0] is the winner
    upcoming = 0
    previous: SpanRecord | None = None
    for _, start, end in toks:
        while upcoming < len(spans) and spans[upcoming].start < end:
            active.append(spans[upcoming])
            upcoming += 1
        active = [s for s in active if s.end > start]
        if not active:
            tags.append("O")
            previous = None
            continue
        winner = active[0]
        tags.append(f"{'I' if winner is previous else 'B'}-{_label(winner.label)}")
        previous = winner
    return tags


def header(layer_names: list[str]) -> str:
    """The ``# columns = ...`` comment line (newline included) written once at the top of a file."""
    return " ".join(["# columns = token start end", *(_label(n) for n in layer_names)]) + "\n"


def dumps(record: ArticleRecord, layers: list[LayerRecord]) -> str:
    """One document block: the ``-DOCSTART-`` line, then each sentence and a blank line after it."""
    lines = [f"-DOCSTART- {record.external_id}".rstrip(), ""]
    grouped = sentences(record.text)
    columns = [_tags([t for s in grouped for t in s], layer) for layer in layers]
    i = 0
    for sentence in grouped:
        for token, start, end in sentence:
            lines.append("\t".join([token, str(start), str(end), *(tags[i] for tags in columns)]))
            i += 1
        lines.append("")
    return "\n".join(lines) + "\n"
