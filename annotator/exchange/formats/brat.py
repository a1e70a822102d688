"""brat standoff: a ``.txt`` with the exact text and an ``.ann`` beside it.

Offsets are code points of the ``.txt`` exactly as read (CRLF kept, so a Windows file counts two
characters per line break). Read: text-bound ``T`` lines, ``R`` relations and ``#`` AnnotatorNotes
(into the span's ``attributes["note"]``; several notes on one span join with a newline); events,
attributes, normalisations and equivalences (E, A, M, N, ``*``) are skipped. Discontinuous spans
are refused. Written: one gold/annotator/suggestion layer per ``.ann``; a label's whitespace (which
the format cannot hold) becomes ``_``. Pure: no Django.
"""

from __future__ import annotations

import re

from .records import GOLD, ArticleRecord, LayerRecord, RecordError, RelationRecord, SpanRecord

# Every brat annotation id; only T, R and # lines are read, E, A, M, N and * ones are skipped.
_ID = re.compile(r"[TREAMN#]\d+|\*")
_OFFSETS = re.compile(r"(\d+) (\d+)")
_ARG = re.compile(r"([^:\s]+):(\S+)")
_WHITESPACE = re.compile(r"\s+")


def _flat(text: str) -> str:
    # The text column is the rest of one line: a line break inside a span is written as a space.
    return text.replace("\r", " ").replace("\n", " ")


def _span(fields: list[str], text: str, where: str) -> SpanRecord:
    if len(fields) < 2 or " " not in fields[1]:
        raise RecordError(where, "a T line must be T<n><TAB><label> <start> <end><TAB><text>")
    label, _, offsets = fields[1].partition(" ")
    if ";" in offsets:
        raise RecordError(where, f"discontinuous span {fields[0]} ({offsets}) is not supported")
    match = _OFFSETS.fullmatch(offsets)
    if not label or match is None:
        raise RecordError(where, f"{fields[0]}: expected <label> <start> <end>, got {fields[1]!r}")
    start, end = int(match[1]), int(match[2])
    span = SpanRecord(start=start, end=end, label=label, key=fields[0])
    if len(fields) == 3 and 0 <= start <= end <= len(text):
        # A range outside the text is the importer's to report; here only a text mismatch is.
        actual = text[start:end]
        if fields[2] != _flat(actual):
            raise RecordError(
                where,
                f"{fields[0]} says its text is {fields[2]!r} but the .txt has {actual!r} at {start}-{end}",
            )
        span.text = actual
    return span


def _relation(fields: list[str], where: str) -> tuple[str, str, str]:
    parts = fields[1].split() if len(fields) >= 2 else []
    args = [_ARG.fullmatch(p) for p in parts[1:]]
    if len(parts) != 3 or not all(args):
        raise RecordError(where, "an R line must be R<n><TAB><label> Arg1:T<a> Arg2:T<b>")
    first, second = (m for m in args if m is not None)
    if (first[1], second[1]) == ("Arg2", "Arg1"):
        return parts[0], second[2], first[2]
    # Arg1 first, or other role names (from a brat config): the order they are written in.
    return parts[0], first[2], second[2]


def from_pair(name: str, text: str, ann: str) -> ArticleRecord:
    """Read one document from its ``.txt`` text and ``.ann`` content; ``name`` is the path sans extension."""
    layer = LayerRecord(layer=GOLD)
    spans: dict[str, SpanRecord] = {}
    relations: list[tuple[str, str, str, str]] = []  # label, source, target, where
    notes: list[tuple[str, str, str]] = []  # span id, note, where
    # A BOM from a Windows editor is not part of the first annotation id.
    for number, line in enumerate(ann.removeprefix("\ufeff").split("\n"), start=1):
        line = line.removesuffix("\r")
        if not line.strip():
            continue
        where = f"ann line {number}"
        fields = line.split("\t", 2)
        if len(fields) < 2 or not _ID.fullmatch(fields[0]):
            raise RecordError(where, f"not a brat annotation line: {line[:40]!r}")
        kind = fields[0][:1]
        if kind == "T":
            span = _span(fields, text, where)
            if fields[0] in spans:
                raise RecordError(where, f"{fields[0]} is defined twice")
            spans[fields[0]] = span
            layer.spans.append(span)
        elif kind == "R":
            label, source, target = _relation(fields, where)
            relations.append((label, source, target, where))
        elif kind == "#":
            parts = fields[1].split() if len(fields) >= 2 else []
            if parts[:1] == ["AnnotatorNotes"]:
                if len(parts) != 2:
                    raise RecordError(
                        where, "an AnnotatorNotes line must be #<n><TAB>AnnotatorNotes <id><TAB><note>"
                    )
                notes.append((parts[1], fields[2] if len(fields) == 3 else "", where))

    for label, source, target, where in relations:
        for end in (source, target):
            if end not in spans:
                raise RecordError(where, f"{end} is not a text-bound annotation (T line) of this file")
        layer.relations.append(RelationRecord(source=source, target=target, label=label))
    for target, note, where in notes:
        if target[:1] != "T":
            continue  # notes on relations or events have nowhere to go
        if target not in spans:
            raise RecordError(where, f"note on {target}, which is not a T line of this file")
        attributes = spans[target].attributes
        attributes["note"] = f"{attributes['note']}\n{note}" if "note" in attributes else note
    return ArticleRecord(text=text, external_id=name, layers=[layer])


def _label(label: str) -> str:
    return _WHITESPACE.sub("_", label)


def to_files(record: ArticleRecord, layer: LayerRecord) -> tuple[str, str]:
    """The ``.txt`` and ``.ann`` contents for ``layer`` of ``record``."""
    text = record.text
    lines: list[str] = []
    ids: dict[str, str] = {}
    notes: list[tuple[str, str]] = []
    for n, span in enumerate(layer.spans, start=1):
        tid = f"T{n}"
        if span.key is not None:
            ids.setdefault(str(span.key), tid)
        lines.append(
            f"{tid}\t{_label(span.label)} {span.start} {span.end}\t{_flat(text[span.start : span.end])}"
        )
        note = span.attributes.get("note")
        if note is not None:
            # One # line per line of the note: reading joins them back with newlines.
            notes += [(tid, part) for part in str(note).split("\n")]
    for n, rel in enumerate(layer.relations, start=1):
        source, target = ids.get(str(rel.source)), ids.get(str(rel.target))
        if source is None or target is None:
            raise RecordError(f"relations[{n - 1}]", "names a span that is not in this layer")
        lines.append(f"R{n}\t{_label(rel.label)} Arg1:{source} Arg2:{target}")
    lines += [f"#{n}\tAnnotatorNotes {tid}\t{_flat(note)}" for n, (tid, note) in enumerate(notes, start=1)]
    return text, "".join(f"{line}\n" for line in lines)
