"""Unpack an uploaded file into records: .jsonl, .json, .txt (one article), .conll (CoNLL), or a .zip of those.

Pure: no Django. Reads line by line, so a JSONL upload of any size is never held whole in
memory (a .json array is: it is one JSON document). Every problem becomes a ``Parsed`` with
errors and a location, never an exception, so an import can report all of them.
"""

from __future__ import annotations

import json
import posixpath
import zipfile
import zlib
from collections.abc import Iterator
from dataclasses import dataclass
from typing import IO, Any

import orjson

from . import registry
from .records import ArticleRecord, Located, Parsed, RecordError
from .registry import DEFAULT_OPTIONS, UPLOAD_EXTENSIONS, Options

BOM = b"\xef\xbb\xbf"


@dataclass(frozen=True)
class Limits:
    line_bytes: int  # longest JSONL line accepted
    file_bytes: int  # largest .json or .txt file (read whole)
    zip_entries: int
    zip_bytes: int  # all entries together, uncompressed (a zip bomb stops here)


def extension(name: str) -> str:
    """The lower-cased extension the upload is read by ("" if it has none we know)."""
    lowered = name.lower()
    return next((ext for ext in UPLOAD_EXTENSIONS if lowered.endswith(ext)), "")


def _error(where: Located, field: str, message: str) -> Parsed:
    return Parsed(where, None, [RecordError(field, message)])


def _decode(raw: bytes, where: Located, *, first: bool) -> tuple[str | None, Parsed | None]:
    if first and raw.startswith(BOM):
        raw = raw[len(BOM) :]
    try:
        return raw.decode("utf-8"), None
    except UnicodeDecodeError as exc:
        return None, _error(
            where, "", f"not valid UTF-8: byte 0x{raw[exc.start]:02x} at byte {exc.start + 1} of the line"
        )


def _from_json(obj: Any, fmt: str, where: Located, options: Options) -> Parsed:
    spec = registry.FORMATS.get(fmt)
    reader = spec.read_json if spec is not None else None
    if reader is None:
        suffix = spec.pair_suffix if spec is not None else ".ann"
        return _error(where, "", f"{fmt} files are .txt + {suffix} pairs in a .zip, not JSON")
    try:
        return Parsed(where, reader(obj, options))
    except RecordError as exc:
        return Parsed(where, None, [exc])


def read_jsonl(
    stream: IO[bytes], fmt: str, name: str, limits: Limits, options: Options = DEFAULT_OPTIONS
) -> Iterator[Parsed]:
    """One record per non-blank line; CRLF line ends and a leading BOM are accepted."""
    number = 0
    while True:
        raw = stream.readline(limits.line_bytes + 1)
        if not raw:
            return
        number += 1
        where = Located(name, number)
        if len(raw) > limits.line_bytes and not raw.endswith(b"\n"):
            # Skip the rest of the over-long line without holding it.
            while raw and not raw.endswith(b"\n"):
                raw = stream.readline(1 << 20)
            yield _error(where, "", f"the line is longer than {limits.line_bytes} bytes")
            continue
        try:
            # orjson takes the bytes as they are (checking their UTF-8 itself), with no decoding
            # first, in less time than json (bench/README.md). What it refuses (blank lines, NaN, integers beyond 64 bits, lone
            # surrogates, errors) takes the path below, which accepts or words it as before.
            obj = orjson.loads(raw[len(BOM) :] if number == 1 and raw.startswith(BOM) else raw)
        except orjson.JSONDecodeError:
            pass
        else:
            yield _from_json(obj, fmt, where, options)
            continue
        text, problem = _decode(raw, where, first=number == 1)
        if problem is not None:
            yield problem
            continue
        assert text is not None
        if not text.strip():
            continue
        try:
            obj = json.loads(text)
        except json.JSONDecodeError as exc:
            yield _error(where, "", f"invalid JSON: {exc.msg} (column {exc.colno})")
            continue
        yield _from_json(obj, fmt, where, options)


class _Unreadable(Exception):
    """A line of a text file that cannot be read: it ends the file there."""

    def __init__(self, parsed: Parsed) -> None:
        self.parsed = parsed


def read_text_lines(stream: IO[bytes], fmt: str, name: str, limits: Limits) -> Iterator[Parsed]:
    """A format read from lines of text (CoNLL): each document its format finds, located at its
    first line (an error at its own line). Read line by line, like JSONL; a line that cannot
    be read (too long, not UTF-8) is reported and ends the file, dropping the document it is in."""
    spec = registry.get(fmt)
    assert spec.read_lines is not None, "only for formats read as lines (_as_lines)"

    def lines() -> Iterator[str]:
        number = 0
        while raw := stream.readline(limits.line_bytes + 1):
            number += 1
            where = Located(name, number)
            if len(raw) > limits.line_bytes and not raw.endswith(b"\n"):
                raise _Unreadable(_error(where, "", f"the line is longer than {limits.line_bytes} bytes"))
            text, problem = _decode(raw, where, first=number == 1)
            if problem is not None:
                raise _Unreadable(problem)
            assert text is not None
            yield text

    try:
        for number, found in spec.read_lines(lines()):
            if isinstance(found, RecordError):
                yield Parsed(Located(name, number), None, [found])
            else:
                yield Parsed(Located(name, number), found)
    except _Unreadable as exc:
        yield exc.parsed


def read_json(data: bytes, fmt: str, name: str, options: Options = DEFAULT_OPTIONS) -> Iterator[Parsed]:
    """A JSON array of records (items numbered from 1), or a single record object."""
    text, problem = _decode(data, Located(name, 1), first=True)
    if problem is not None:
        yield problem
        return
    assert text is not None
    try:
        obj = json.loads(text)
    except json.JSONDecodeError as exc:
        yield _error(Located(name, exc.lineno), "", f"invalid JSON: {exc.msg} (column {exc.colno})")
        return
    items = obj if isinstance(obj, list) else [obj]
    for number, item in enumerate(items, start=1):
        yield _from_json(item, fmt, Located(name, number), options)


def read_text(data: bytes, name: str) -> Parsed:
    """A .txt file is one article; its external id is the file's path without extension."""
    where = Located(name, 1)
    text, problem = _decode(data, where, first=True)
    if problem is not None:
        return problem
    assert text is not None
    return Parsed(where, ArticleRecord(text=text, external_id=posixpath.splitext(name)[0]))


def _bad_entry_name(name: str) -> str | None:
    if name.startswith(("/", "\\")) or (len(name) > 1 and name[1] == ":"):
        return "absolute paths are not allowed in a zip"
    if ".." in name.replace("\\", "/").split("/"):
        return "'..' is not allowed in zip entry names"
    return None


def read_zip(
    stream: IO[bytes], fmt: str, limits: Limits, options: Options = DEFAULT_OPTIONS
) -> Iterator[Parsed]:
    """Every .jsonl / .json / .txt entry in name order; a format of file pairs (brat) pairs
    each .txt with its annotation file (.ann)."""
    spec = registry.FORMATS.get(fmt)
    pairs = spec if spec is not None and spec.read_pair is not None else None
    try:
        archive = zipfile.ZipFile(stream)
    except (zipfile.BadZipFile, OSError) as exc:
        yield _error(Located("", 1), "", f"not a readable zip file: {exc}")
        return
    with archive:
        entries = [e for e in archive.infolist() if not e.is_dir()]
        if len(entries) > limits.zip_entries:
            yield _error(
                Located("", 1), "", f"the zip has {len(entries)} files; at most {limits.zip_entries}"
            )
            return
        total = sum(e.file_size for e in entries)
        if total > limits.zip_bytes:
            yield _error(Located("", 1), "", f"the zip unpacks to {total} bytes; at most {limits.zip_bytes}")
            return
        names = {e.filename for e in entries}
        by_lower = {n.lower(): n for n in names}  # brat pairs doc.txt with doc.ann or doc.ANN
        for entry in sorted(entries, key=lambda e: e.filename):
            name = entry.filename
            bad = _bad_entry_name(name)
            if bad:
                yield _error(Located(name, 1), "", bad)
                continue
            ext = extension(name)
            if pairs is not None and name.lower().endswith(pairs.pair_suffix):
                if (posixpath.splitext(name)[0] + ".txt").lower() not in by_lower:
                    yield _error(
                        Located(name, 1),
                        "",
                        f"a {fmt} {pairs.pair_suffix} file needs a .txt file of the same name",
                    )
                continue
            if (
                ext in ("", ".zip")
                or posixpath.basename(name).startswith(".")
                or (ext == ".conll" and not _as_lines(fmt, ext))
            ):
                continue  # not ours (README, __MACOSX/._x, nested zips)
            if ext in (".json", ".txt") and not _as_lines(fmt, ext) and entry.file_size > limits.file_bytes:
                yield _error(Located(name, 1), "", f"the file is larger than {limits.file_bytes} bytes")
                continue
            try:
                with archive.open(entry) as member:
                    if ext == ".jsonl":
                        yield from read_jsonl(member, fmt, name, limits, options)
                    elif ext == ".json":
                        yield from read_json(member.read(), fmt, name, options)
                    elif _as_lines(fmt, ext):
                        yield from read_text_lines(member, fmt, name, limits)
                    elif pairs is not None:
                        yield _read_pair(pairs, archive, name, member.read(), by_lower)
                    else:
                        yield read_text(member.read(), name)
            except (zipfile.BadZipFile, zlib.error, EOFError, OSError) as exc:
                yield _error(Located(name, 1), "", f"the zip entry cannot be read: {exc}")


def _read_pair(
    spec: registry.Format, archive: zipfile.ZipFile, name: str, data: bytes, by_lower: dict[str, str]
) -> Parsed:
    assert spec.read_pair is not None
    parsed = read_text(data, name)
    if parsed.record is None:
        return parsed
    ann_name = by_lower.get((posixpath.splitext(name)[0] + spec.pair_suffix).lower(), "")
    ann = archive.read(ann_name) if ann_name else b""
    ann_text, problem = _decode(ann, Located(ann_name, 1), first=True)
    if problem is not None:
        return problem
    assert ann_text is not None
    try:
        return Parsed(parsed.where, spec.read_pair(parsed.record.external_id, parsed.record.text, ann_text))
    except RecordError as exc:
        return Parsed(parsed.where, None, [exc])


def records_at_most(stream: IO[bytes], filename: str) -> int | None:
    """How many records the upload holds at most, for a progress bar: a JSONL file's lines
    (a fast count of newlines; blank ones hold none); None for other kinds."""
    if extension(filename) != ".jsonl":
        return None
    lines, last = 0, b""
    while block := stream.read(1 << 20):
        lines += block.count(b"\n")
        last = block
    return lines + (1 if last and not last.endswith(b"\n") else 0)


def _as_lines(fmt: str, ext: str) -> bool:
    """Whether a .conll or .txt file is read as lines of text by its format (CoNLL); a .txt
    file is otherwise one article."""
    spec = registry.FORMATS.get(fmt)
    return ext in (".conll", ".txt") and spec is not None and spec.read_lines is not None


def read_upload(
    stream: IO[bytes], filename: str, fmt: str, limits: Limits, options: Options = DEFAULT_OPTIONS
) -> Iterator[Parsed]:
    """Records of an uploaded file, read by its extension; ``stream`` must be seekable for zips.
    ``options`` (offset units) are passed to the format's reader."""
    ext = extension(filename)
    if ext == ".jsonl":
        yield from read_jsonl(stream, fmt, "", limits, options)
    elif _as_lines(fmt, ext):
        yield from read_text_lines(stream, fmt, "", limits)
    elif ext == ".zip":
        yield from read_zip(stream, fmt, limits, options)
    else:
        data = stream.read(limits.file_bytes + 1)
        if len(data) > limits.file_bytes:
            yield _error(Located("", 1), "", f"the file is larger than {limits.file_bytes} bytes")
        elif ext == ".json":
            yield from read_json(data, fmt, "", options)
        elif ext == ".txt":
            yield read_text(data, posixpath.basename(filename))
        elif ext == ".conll":
            yield _error(Located("", 1), "", f"a .conll file is read with format conll, not {fmt}")
        else:
            yield _error(Located("", 1), "", f"unknown file type; use one of {', '.join(UPLOAD_EXTENSIONS)}")
