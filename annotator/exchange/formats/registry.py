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
from typing import IO, Any

from . import brat, conll, doccano, labelstudio, native
from .records import ANNOTATOR, GOLD, ArticleRecord, LayerRecord

# What an upload may be, whatever its format: read by these extensions (see files.py).
UPLOAD_EXTENSIONS = (".jsonl", ".json", ".txt", ".zip")

# The export's line objects (native JSON) -> the file's bytes, piece by piece. ``columns``
# gives the layer names of formats that need one fixed set for the whole file (CoNLL).
Columns = Callable[[], list[str]]
Stream = Callable[[Iterable[dict[str, Any]], Columns], Iterator[bytes]]
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
    # -> a record (formats of file pairs in a zip). None for both: not importable.
    read_json: Callable[[Any], ArticleRecord] | None = None
    read_pair: Callable[[str, str, str], ArticleRecord] | None = None
    pair_suffix: str = ""  # the annotation file of a pair, next to the .txt
    # Export: streamed (the API's export and files), or written whole (export files only).
    stream: Stream | None = None
    write_file: FileWriter | None = None
    tombstones: bool = False  # can say an article was deleted (incremental pulls)

    @property
    def importable(self) -> bool:
        return self.read_json is not None or self.read_pair is not None

    def write(self, objects: Iterable[dict[str, Any]], out: IO[bytes], columns: Columns) -> None:
        """The whole export file into ``out``."""
        if self.write_file is not None:
            self.write_file(objects, out)
        else:
            assert self.stream is not None
            out.writelines(self.stream(objects, columns))


# --- writers ----------------------------------------------------------------------------


def _one_layer(record: ArticleRecord) -> LayerRecord:
    return record.layers[0] if record.layers else LayerRecord(layer=GOLD)


def _layer_named(name: str) -> LayerRecord:
    if name.startswith(f"{ANNOTATOR}:"):
        return LayerRecord(layer=ANNOTATOR, annotator=name.split(":", 1)[1])
    return LayerRecord(layer=name)


def _native_lines(objects: Iterable[dict[str, Any]], columns: Columns) -> Iterator[bytes]:
    return map(native.dumps, objects)


def _doccano_lines(objects: Iterable[dict[str, Any]], columns: Columns) -> Iterator[bytes]:
    for record in map(native.to_record, objects):
        yield doccano.dumps(record, _one_layer(record)).encode()


def _labelstudio_lines(objects: Iterable[dict[str, Any]], columns: Columns) -> Iterator[bytes]:
    separator = "[\n"
    for record in map(native.to_record, objects):
        yield (separator + json.dumps(labelstudio.to_json(record), ensure_ascii=False)).encode()
        separator = ",\n"
    yield b"[\n]\n" if separator == "[\n" else b"\n]\n"


def _conll_lines(objects: Iterable[dict[str, Any]], columns: Columns) -> Iterator[bytes]:
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


# --- the table --------------------------------------------------------------------------

_ALL_FORMATS = (
    Format(
        "native",
        "jsonl",
        "application/x-ndjson",
        ALL,
        read_json=native.from_json,
        stream=_native_lines,
        tombstones=True,
    ),
    Format(
        "doccano", "jsonl", "application/x-ndjson", ONE, read_json=doccano.from_json, stream=_doccano_lines
    ),
    Format(
        "labelstudio",
        "json",
        "application/json",
        ALL,
        read_json=labelstudio.from_json,
        stream=_labelstudio_lines,
    ),
    Format("conll", "conll", "text/plain", ALL, stream=_conll_lines),
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
