"""Every exchange format in one table: its name, files, readers, writers and layers.

Pure: no Django. The import, the export, the API's choices and the commands all ask this
table what a format can do, instead of each keeping its own list or branching on names.
"""

from __future__ import annotations

import json
import re
import zipfile
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from typing import IO, Any, Protocol

from . import brat, conll, doccano, labelstudio, native, offsets
from .records import ANNOTATOR, GOLD, ArticleRecord, LayerRecord, RecordError

# What an upload may be, whatever its format: read by these extensions (see files.py).
UPLOAD_EXTENSIONS = (".jsonl", ".json", ".txt", ".conll", ".zip")


@dataclass(frozen=True)
class Options:
    """How a file counts offsets and which of its format's forms it takes; "" is the format's
    default (the first of its ``offsets`` or ``forms``). Formats without a choice take none."""

    offsets: str = ""
    form: str = ""


DEFAULT_OPTIONS = Options()

Columns = Callable[[], list[str]]


class JsonReader(Protocol):
    """One JSON object -> a record."""

    def __call__(self, obj: Any, options: Options = ..., /) -> ArticleRecord: ...


class Stream(Protocol):
    """The export's line objects (native JSON) -> the file's bytes, piece by piece. ``columns``
    gives the layer names of formats that need one fixed set for the whole file (CoNLL)."""

    def __call__(
        self, objects: Iterable[dict[str, Any]], columns: Columns, options: Options = ..., /
    ) -> Iterator[bytes]: ...


# The lines of a text file -> (a line number, a record or the error that stopped it), per
# document (CoNLL).
LinesReader = Callable[[Iterable[str]], Iterator[tuple[int, ArticleRecord | RecordError]]]
# The export's line objects -> a file that cannot be streamed (a zip).
FileWriter = Callable[[Iterable[dict[str, Any]], IO[bytes]], None]

ONE = "one"  # one layer per article: the export must select exactly one
ALL = "all"  # every selected layer


@dataclass(frozen=True)
class Format:
    name: str
    extension: str  # of an export file, without the dot
    content_type: str  # of an export file
    layers: str  # ONE or ALL: which layers of an article one record carries
    # Import: one JSON object -> a record (JSON formats); or a text and its annotation file
    # -> a record (formats of file pairs in a zip); or a text file's lines -> records (its
    # .txt and .conll files). None for all: not importable.
    read_json: JsonReader | None = None
    read_lines: LinesReader | None = None
    read_pair: Callable[[str, str, str], ArticleRecord] | None = None
    pair_suffix: str = ""  # the annotation file of a pair, next to the .txt
    # Export: streamed (the API's export and files), or written whole (export files only).
    stream: Stream | None = None
    write_file: FileWriter | None = None
    tombstones: bool = False  # can say an article was deleted (incremental pulls)
    offsets: tuple[str, ...] = ()  # units its offsets may count in (import and export), default first
    forms: tuple[str, ...] = ()  # shapes an export may take, default first

    def options_problem(self, options: Options, *, exporting: bool) -> tuple[str, str] | None:
        """(field, message) when ``options`` do not fit this format, else None."""
        for name, value, allowed in (
            ("offsets", options.offsets, self.offsets),
            ("form", options.form, self.forms if exporting else ()),
        ):
            if value and value not in allowed:
                if not allowed:
                    return name, f"{self.name} takes no {name} option"
                return name, f"one of {', '.join(allowed)}"
        return None

    @property
    def importable(self) -> bool:
        return any(r is not None for r in (self.read_json, self.read_pair, self.read_lines))

    def write(
        self,
        objects: Iterable[dict[str, Any]],
        out: IO[bytes],
        columns: Columns,
        options: Options = DEFAULT_OPTIONS,
    ) -> None:
        """The whole export file into ``out``."""
        if self.write_file is not None:
            self.write_file(objects, out)
        else:
            assert self.stream is not None
            out.writelines(self.stream(objects, columns, options))


# --- writers ----------------------------------------------------------------------------


def _one_layer(record: ArticleRecord) -> LayerRecord:
    return record.layers[0] if record.layers else LayerRecord(layer=GOLD)


def _layer_named(name: str) -> LayerRecord:
    if name.startswith(f"{ANNOTATOR}:"):
        return LayerRecord(layer=ANNOTATOR, annotator=name.split(":", 1)[1])
    return LayerRecord(layer=name)


def _native_lines(
    objects: Iterable[dict[str, Any]], columns: Columns, options: Options = DEFAULT_OPTIONS
) -> Iterator[bytes]:
    return map(native.dumps, objects)


def _doccano_lines(
    objects: Iterable[dict[str, Any]], columns: Columns, options: Options = DEFAULT_OPTIONS
) -> Iterator[bytes]:
    form = options.form or doccano.RELATIONS
    unit = options.offsets or offsets.UTF16
    for record in map(native.to_record, objects):
        yield doccano.dumps(record, _one_layer(record), form, unit).encode()


def _labelstudio_lines(
    objects: Iterable[dict[str, Any]], columns: Columns, options: Options = DEFAULT_OPTIONS
) -> Iterator[bytes]:
    separator = "[\n"
    for record in map(native.to_record, objects):
        yield (separator + json.dumps(labelstudio.to_json(record), ensure_ascii=False)).encode()
        separator = ",\n"
    yield b"[\n]\n" if separator == "[\n" else b"\n]\n"


def _conll_lines(
    objects: Iterable[dict[str, Any]], columns: Columns, options: Options = DEFAULT_OPTIONS
) -> Iterator[bytes]:
    names = columns()
    yield conll.header(names).encode()
    for record in map(native.to_record, objects):
        by_name = {layer.name: layer for layer in record.layers}
        yield conll.dumps(record, [by_name.get(name) or _layer_named(name) for name in names]).encode()


def _safe_name(external_id: str, taken: set[str]) -> str:
    name = re.sub(r"[^A-Za-z0-9._-]+", "_", external_id).strip("._") or "article"
    candidate, n = name, 1
    while candidate in taken:
        n += 1
        candidate = f"{name}-{n}"
    taken.add(candidate)
    return candidate


def _brat_zip(objects: Iterable[dict[str, Any]], out: IO[bytes]) -> None:
    taken: set[str] = set()
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for record in map(native.to_record, objects):
            txt, ann = brat.to_files(record, _one_layer(record))
            name = _safe_name(record.external_id, taken)
            archive.writestr(f"{name}.txt", txt)
            archive.writestr(f"{name}.ann", ann)


# --- readers ----------------------------------------------------------------------------


def _native_read(obj: Any, options: Options = DEFAULT_OPTIONS) -> ArticleRecord:
    return native.from_json(obj)


def _doccano_read(obj: Any, options: Options = DEFAULT_OPTIONS) -> ArticleRecord:
    return doccano.from_json(obj, options.offsets or offsets.UTF16)


def _labelstudio_read(obj: Any, options: Options = DEFAULT_OPTIONS) -> ArticleRecord:
    return labelstudio.from_json(obj)


# --- the table --------------------------------------------------------------------------

_ALL_FORMATS = (
    Format(
        "native",
        "jsonl",
        "application/x-ndjson",
        ALL,
        read_json=_native_read,
        stream=_native_lines,
        tombstones=True,
    ),
    Format(
        "doccano",
        "jsonl",
        "application/x-ndjson",
        ONE,
        read_json=_doccano_read,
        stream=_doccano_lines,
        offsets=offsets.UNITS,
        forms=doccano.FORMS,
    ),
    Format(
        "labelstudio",
        "json",
        "application/json",
        ALL,
        read_json=_labelstudio_read,
        stream=_labelstudio_lines,
    ),
    Format("conll", "conll", "text/plain", ALL, read_lines=conll.read_lines, stream=_conll_lines),
    Format(
        "brat",
        "zip",
        "application/zip",
        ONE,
        read_pair=brat.from_pair,
        pair_suffix=".ann",
        write_file=_brat_zip,
    ),
)
FORMATS: dict[str, Format] = {f.name: f for f in _ALL_FORMATS}

IMPORT_FORMATS = tuple(f.name for f in _ALL_FORMATS if f.importable)
STREAM_FORMATS = tuple(f.name for f in _ALL_FORMATS if f.stream is not None)  # the API's streaming export
FILE_FORMATS = tuple(FORMATS)  # export jobs: every format, streamed or not
EXTENSIONS = {f.name: f.extension for f in _ALL_FORMATS}
CONTENT_TYPES = {f.name: f.content_type for f in _ALL_FORMATS}


def get(name: str) -> Format:
    """The format called ``name`` (KeyError if there is none: callers check names first)."""
    return FORMATS[name]
