"""CoNLL-style tokens: one token per line with its offsets and a BIO tag per layer (export and import).

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
columns stay intact.

Reading (``read_lines``) takes the same layout back; see its docstring for what it cannot
restore. Pure: no Django.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Iterable, Iterator
from functools import cache
from typing import Protocol

from .records import ANNOTATOR, GOLD, SUGGESTIONS, ArticleRecord, LayerRecord, RecordError, SpanRecord

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


@cache
def _plain_pattern() -> re.Pattern[str]:
    # The same tokens as _token_pattern on texts _needs_full_pattern passes over, about twice as
    # fast: without marks, joiners, invisible or astral characters (flags, skin tones, tags), a
    # word is \w runs and an emoji a single symbol. tests/exchange/test_conll_tokens.py checks the two agree.
    return re.compile(r"\d+(?:[.,]\d+)+|\w+(?:['\u2019\-]\w+)*|[^\w\s]")


@cache
def _needs_full_pattern() -> re.Pattern[str]:
    # Every astral character sends a text to the full pattern, so this class stays a fast
    # bitmap of the Basic Multilingual Plane.
    marks = _class_ranges(lambda c: unicodedata.category(c).startswith("M"), range(0x10000))
    return re.compile(f"[{marks}{_INVISIBLE}\U00010000-\U0010ffff]")


def _pattern_for(text: str) -> re.Pattern[str]:
    return _token_pattern() if _needs_full_pattern().search(text) else _plain_pattern()


Token = tuple[str, int, int]


def tokens(text: str) -> list[Token]:
    """The tokens of ``text`` as (token, start, end) in code points."""
    return [(m.group(), m.start(), m.end()) for m in _pattern_for(text).finditer(text)]


def token_count(text: str) -> int:
    return len(_pattern_for(text).findall(text))


def tokens_touching(text: str, ranges: Iterable[tuple[int, int]]) -> list[Token]:
    """The tokens of ``text`` that overlap one of the [start, end) ``ranges``, in order, read
    only around the ranges: no token holds whitespace, so tokenising from one whitespace to
    another finds the same tokens there as tokenising the whole text."""
    merged: list[list[int]] = []
    for start, end in sorted(ranges):
        if merged and start <= merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], end)
        else:
            merged.append([start, end])
    found: list[Token] = []
    pattern = _pattern_for(text)
    for start, end in merged:
        low = start
        while low > 0 and not text[low - 1].isspace():
            low -= 1
        high = end
        while high < len(text) and not text[high].isspace():
            high += 1
        for m in pattern.finditer(text, low, high):
            if m.start() < end and start < m.end() and (not found or m.start() >= found[-1][2]):
                found.append((m.group(), m.start(), m.end()))
    return found


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


@cache
def _label(label: str) -> str:
    return _WHITESPACE.sub("_", label)


class Labelled(Protocol):
    @property
    def start(self) -> int: ...
    @property
    def end(self) -> int: ...
    @property
    def label(self) -> str: ...


def bio_tags(toks: list[Token], layer_spans: Iterable[Labelled]) -> list[str]:
    """One BIO tag per token for one layer's spans (also the tokens token-level agreement
    compares: annotator.agreement)."""
    spans = sorted((s for s in layer_spans if s.end > s.start), key=lambda s: (s.start, -s.end))
    tags: list[str] = []
    active: list[Labelled] = []  # stays in the sorted order, so active[0] is the winner
    upcoming = 0
    previous: Labelled | None = None
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
    columns = [bio_tags([t for s in grouped for t in s], layer.spans) for layer in layers]
    i = 0
    for sentence in grouped:
        for token, start, end in sentence:
            lines.append("\t".join([token, str(start), str(end), *(tags[i] for tags in columns)]))
            i += 1
        lines.append("")
    return "\n".join(lines) + "\n"


# --- reading ----------------------------------------------------------------------------

DOCSTART = "-DOCSTART-"
_HEADER = "# columns = "
_FIXED_COLUMNS = ["token", "start", "end"]
_SUGGESTION_RECOGNISER = "import"  # suggestions read from a file name no recogniser


def _layer_of(name: str) -> LayerRecord:
    if name in (GOLD, SUGGESTIONS):
        return LayerRecord(layer=name)
    if name.startswith(f"{ANNOTATOR}:") and name != f"{ANNOTATOR}:":
        return LayerRecord(layer=ANNOTATOR, annotator=name.split(":", 1)[1])
    raise RecordError("columns", f"unknown layer column {name!r}: gold, suggestions or annotator:<username>")


def _number(value: str, field: str) -> int:
    if not value.isdigit():
        raise RecordError(field, f"must be a whole number, not {value!r}")
    return int(value)


class _Document:
    """One -DOCSTART- block as it is read: its tokens and, per layer column, its spans."""

    def __init__(self, external_id: str, line: int, layers: list[str]) -> None:
        self.external_id = external_id
        self.line = line
        self.layer_names = layers
        self.pieces: list[str] = []
        self.length = 0
        self.sentence_ended = False
        self.spans: list[list[SpanRecord]] = [[] for _ in layers]
        self.open: list[SpanRecord | None] = [None for _ in layers]
        self.error: tuple[int, RecordError] | None = None  # the first error and its line

    def sentence_break(self) -> None:
        # Open spans stay open: the export continues a span across sentences with I- tags.
        self.sentence_ended = bool(self.pieces)

    def token(self, fields: list[str]) -> None:
        if len(fields) != 3 + len(self.layer_names):
            raise RecordError("", f"has {len(fields)} tab-separated columns, not {3 + len(self.layer_names)}")
        token, start, end = fields[0], _number(fields[1], "start"), _number(fields[2], "end")
        if not token or end - start != len(token):
            raise RecordError("token", f"token {token!r} does not span {start} to {end}")
        if start < self.length:
            raise RecordError("start", f"{start} is before the end of the previous token ({self.length})")
        # The file keeps tokens, not what lies between them: a line break where a sentence
        # ended, spaces elsewhere, so that every offset stays as the file says.
        gap = start - self.length
        if gap:
            self.pieces.append(("\n" + " " * (gap - 1)) if self.sentence_ended else " " * gap)
        self.pieces.append(token)
        self.length = end
        self.sentence_ended = False
        for column, tag in enumerate(fields[3:]):
            self._tag(column, tag, start, end)

    def _tag(self, column: int, tag: str, start: int, end: int) -> None:
        current = self.open[column]
        if tag == "O":
            self.open[column] = None
            return
        kind, dash, label = tag.partition("-")
        if not dash or kind not in ("B", "I") or not label:
            raise RecordError(self.layer_names[column], f"tag {tag!r} is not O, B-<label> or I-<label>")
        if kind == "I" and current is not None and current.label == label:
            current.end = end
            return
        # B-, or an I- that continues nothing (read as a span's start, as conlleval does). An I-
        # after a sentence break continues the span before it, as the export writes it.
        span = SpanRecord(start=start, end=end, label=label)
        self.spans[column].append(span)
        self.open[column] = span

    def record(self) -> ArticleRecord:
        layers: list[LayerRecord] = []
        for name, spans in zip(self.layer_names, self.spans, strict=True):
            layer = _layer_of(name)
            for key, span in enumerate(spans):
                span.key = key
                if layer.layer == SUGGESTIONS:
                    span.recogniser = _SUGGESTION_RECOGNISER
                    span.status = "pending"
            layer.spans = spans
            layers.append(layer)
        return ArticleRecord(text="".join(self.pieces), external_id=self.external_id, layers=layers)


def _header(line: str) -> list[str]:
    names = line[len(_HEADER) :].split(" ")
    if names[:3] != _FIXED_COLUMNS:
        raise RecordError("columns", f"the columns must start with {' '.join(_FIXED_COLUMNS)}")
    for name in names[3:]:
        _layer_of(name)
    return names[3:]


def read_lines(lines: Iterable[str]) -> Iterator[tuple[int, ArticleRecord | RecordError]]:
    """Documents of a CoNLL file as ``dumps`` writes them: (the line their block starts on, the
    record), or (the line of the first error in a block, the error). Tags are BIO per layer
    column, named by the ``# columns`` header (without one, a single tag column is gold);
    offsets are the start and end columns. The text is rebuilt from the tokens at their
    offsets, with a line break between sentences and spaces elsewhere: whatever else stood
    between the tokens (tabs, CRLF, invisible characters) is not in the file."""
    layers: list[str] | None = None
    doc: _Document | None = None
    for number, raw in enumerate(lines, start=1):
        line = raw.rstrip("\r\n")
        if line.startswith(_HEADER) and doc is None and layers is None:
            try:
                layers = _header(line)
            except RecordError as exc:
                yield number, exc
                return
            continue
        if line.startswith(DOCSTART):
            if doc is not None:
                yield doc.error or (doc.line, doc.record())
            doc = _Document(line[len(DOCSTART) :].strip(), number, layers or [])
            continue
        if not line.strip():
            if doc is not None:
                doc.sentence_break()
            continue
        fields = line.split("\t")
        if layers is None:  # no header: a single tag column is the gold layer
            if len(fields) != 4:
                yield number, RecordError("columns", "name the layer columns in a '# columns = ' header line")
                return
            layers = [GOLD]
            doc = _Document(doc.external_id if doc else "", doc.line if doc else number, layers)
        if doc is None:
            doc = _Document("", number, layers)
        if doc.error is None:
            try:
                doc.token(fields)
            except RecordError as exc:
                doc.error = (number, exc)
    if doc is not None:
        yield doc.error or (doc.line, doc.record())
