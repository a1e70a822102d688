"""Reading uploads into records (``files.read_upload``): line handling, encodings, limits, zips.

No database: everything is read from in-memory bytes with small limits.
"""

import io
import json
import zipfile
from typing import Any

import pytest

from annotator.exchange.formats.files import Limits, read_upload, records_at_most
from annotator.exchange.formats.records import GOLD, Located, Parsed

LIMITS = Limits(line_bytes=200, file_bytes=1000, zip_entries=10, zip_bytes=5000)


def read(
    data: bytes, name: str = "upload.jsonl", fmt: str = "native", limits: Limits = LIMITS
) -> list[Parsed]:
    return list(read_upload(io.BytesIO(data), name, fmt, limits))


def line(text: str, external_id: str | None = None, **extra: Any) -> bytes:
    obj: dict[str, Any] = {"text": text, **extra}
    if external_id is not None:
        obj["id"] = external_id
    return json.dumps(obj, ensure_ascii=False).encode("utf-8")


def make_zip(entries: dict[str, bytes | str]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in entries.items():
            archive.writestr(name, data)
    return buffer.getvalue()


def outline(parsed: list[Parsed]) -> list[tuple[str, int, str | None, list[tuple[str, str]]]]:
    """(file, line, external id or None, [(field, message)]) per record: what an import reports."""
    return [
        (
            p.where.file,
            p.where.line,
            p.record.external_id if p.record is not None else None,
            [(e.field, e.message) for e in p.errors],
        )
        for p in parsed
    ]


def only_record(parsed: list[Parsed]) -> Any:
    assert len(parsed) == 1 and parsed[0].record is not None, outline(parsed)
    return parsed[0].record


# --- JSONL ------------------------------------------------------------------------------------


def test_a_bom_at_the_start_is_dropped() -> None:
    parsed = read(b"\xef\xbb\xbf" + line("Rents rose.", "r1") + b"\n" + line("Wages fell.", "r2") + b"\n")
    assert outline(parsed) == [("", 1, "r1", []), ("", 2, "r2", [])]
    assert parsed[0].record is not None and parsed[0].record.text == "Rents rose."


def test_a_bom_later_in_the_file_is_not_a_line_start() -> None:
    parsed = read(line("Rents rose.", "r1") + b"\n\xef\xbb\xbf" + line("Wages fell.", "r2") + b"\n")
    assert outline(parsed)[0] == ("", 1, "r1", [])
    assert parsed[1].where == Located("", 2) and parsed[1].record is None
    assert parsed[1].errors[0].message.startswith("invalid JSON")


def test_crlf_line_ends_are_accepted_and_escaped_crlf_in_text_is_kept() -> None:
    data = line("First\r\nline.", "a") + b"\r\n" + line("Second.", "b") + b"\r\n"
    parsed = read(data)
    assert outline(parsed) == [("", 1, "a", []), ("", 2, "b", [])]
    assert [p.record.text for p in parsed if p.record] == ["First\r\nline.", "Second."]


def test_blank_lines_are_skipped_but_still_counted() -> None:
    data = b"\n" + line("One.", "a") + b"\n   \n\r\n\t\n" + line("Two.", "b")  # no final newline
    assert outline(read(data)) == [("", 2, "a", []), ("", 6, "b", [])]


def test_an_empty_file_has_no_records() -> None:
    assert read(b"") == []
    assert read(b"\n\n") == []


def test_invalid_json_names_the_line_and_what_is_wrong() -> None:
    data = line("Fine.", "a") + b'\n{"id": "b", "text": }\n' + line("Also fine.", "c") + b"\n"
    assert outline(read(data)) == [
        ("", 1, "a", []),
        ("", 2, None, [("", "invalid JSON: Expecting value (column 21)")]),
        ("", 3, "c", []),
    ]


def test_a_line_that_is_not_an_object_is_an_error() -> None:
    assert outline(read(b"[1, 2]\n")) == [("", 1, None, [("", "each line must be a JSON object, not list")])]


def test_non_utf8_bytes_are_reported_with_the_byte_and_the_next_line_is_read() -> None:
    data = b'{"id": "a", "text": "caf\xe9"}\n' + line("Ok.", "b") + b"\n"
    parsed = read(data)
    assert outline(parsed) == [
        ("", 1, None, [("", "not valid UTF-8: byte 0xe9 at byte 25 of the line")]),
        ("", 2, "b", []),
    ]


def test_an_over_long_line_is_an_error_and_the_next_line_is_read_whole() -> None:
    long_line = line("x" * 500, "long")
    next_line = line("After the long one.", "next")
    parsed = read(line("Before.", "before") + b"\n" + long_line + b"\n" + next_line + b"\n")
    assert outline(parsed) == [
        ("", 1, "before", []),
        ("", 2, None, [("", "the line is longer than 200 bytes")]),
        ("", 3, "next", []),
    ]
    assert parsed[2].record is not None and parsed[2].record.text == "After the long one."


def test_an_over_long_last_line_without_newline_is_an_error() -> None:
    parsed = read(line("Before.", "a") + b"\n" + line("y" * 300, "b"))
    assert outline(parsed) == [("", 1, "a", []), ("", 2, None, [("", "the line is longer than 200 bytes")])]


def test_a_line_of_exactly_the_limit_is_read() -> None:
    exact = line("z" * 100, "edge")
    exact = line("z" * (100 + LIMITS.line_bytes - len(exact)), "edge")
    assert len(exact) == LIMITS.line_bytes
    assert outline(read(exact + b"\n")) == [("", 1, "edge", [])]
    assert outline(read(exact)) == [("", 1, "edge", [])]
    longer = line("z" * (101 + LIMITS.line_bytes - len(line("z" * 100, "edge"))), "edge")
    assert outline(read(longer + b"\n"))[0][3] == [("", "the line is longer than 200 bytes")]


def test_upper_case_extension_is_read() -> None:
    assert outline(read(line("One.", "a") + b"\n", name="EXPORT.JSONL")) == [("", 1, "a", [])]


def test_a_field_error_from_the_format_is_located() -> None:
    parsed = read(line("One.", "a") + b"\n" + b'{"id": "b"}\n' + b'{"text": 7}\n')
    assert outline(parsed) == [
        ("", 1, "a", []),
        ("", 2, None, [("text", "is required")]),
        ("", 3, None, [("text", "must be a string, not an integer")]),
    ]


# --- .json and .txt -----------------------------------------------------------------------------


def test_a_json_array_numbers_its_items() -> None:
    data = json.dumps([{"id": "a", "text": "One."}, {"id": "b"}, 5, {"id": "d", "text": "Four."}]).encode()
    assert outline(read(data, name="batch.json")) == [
        ("", 1, "a", []),
        ("", 2, None, [("text", "is required")]),
        ("", 3, None, [("", "each line must be a JSON object, not int")]),
        ("", 4, "d", []),
    ]


def test_a_json_file_with_one_object_is_one_record() -> None:
    record = only_record(read(b"\xef\xbb\xbf" + line("Only one.", "solo"), name="one.json"))
    assert (record.external_id, record.text) == ("solo", "Only one.")


def test_invalid_json_file_names_the_line_of_the_problem() -> None:
    parsed = read(b'[\n{"id": "a", "text": "One."},\n{"id": oops}\n]', name="bad.json")
    assert len(parsed) == 1 and parsed[0].record is None
    assert parsed[0].where.line == 3
    assert parsed[0].errors[0].message.startswith("invalid JSON: Expecting value")


def test_a_json_file_over_the_size_limit_is_refused() -> None:
    data = json.dumps([{"text": "x" * 600}, {"text": "y" * 600}]).encode()
    assert outline(read(data, name="big.json")) == [
        ("", 1, None, [("", "the file is larger than 1000 bytes")])
    ]


def test_a_txt_file_is_one_article_named_by_its_stem_with_crlf_kept() -> None:
    data = b"\xef\xbb\xbfHeadline\r\n\r\nBody \xf0\x9f\x99\x84 text.\r\n"
    parsed = read(data, name="uploads/2024/story-12.txt")
    assert parsed[0].where == Located("story-12.txt", 1)
    record = only_record(parsed)
    assert record.external_id == "story-12"
    assert record.text == "Headline\r\n\r\nBody \U0001f644 text.\r\n"
    assert record.layers == []


def test_a_txt_file_that_is_not_utf8_is_an_error() -> None:
    assert outline(read(b"Caf\xe9 culture", name="latin1.txt")) == [
        ("latin1.txt", 1, None, [("", "not valid UTF-8: byte 0xe9 at byte 4 of the line")])
    ]


@pytest.mark.parametrize("name", ["data.csv", "data.xml", "data", "archive.tar.gz"])
def test_an_unknown_extension_is_refused(name: str) -> None:
    [parsed] = read(line("One.", "a"), name=name)
    assert parsed.record is None and parsed.where == Located("", 1)
    assert parsed.errors[0].message == "unknown file type; use one of .jsonl, .json, .txt, .conll, .zip"


# --- zips --------------------------------------------------------------------------------------


def test_a_zip_reads_every_entry_in_name_order_with_file_names() -> None:
    data = make_zip(
        {
            "b.jsonl": line("B one.", "b1") + b"\n" + line("B two.", "b2") + b"\n",
            "notes/c.txt": "C text\r\nwith CRLF.",
            "a.jsonl": b"\xef\xbb\xbf" + line("A one.", "a1") + b"\n",
            "d.json": json.dumps([{"id": "d1", "text": "D."}]),
            "README": "not an article",
            "__MACOSX/._a.jsonl": b"\x00\x05\x16\x07",
            "nested.zip": b"PK",
            "empty-dir/": b"",
        }
    )
    parsed = read(data, name="bundle.zip")
    assert outline(parsed) == [
        ("a.jsonl", 1, "a1", []),
        ("b.jsonl", 1, "b1", []),
        ("b.jsonl", 2, "b2", []),
        ("d.json", 1, "d1", []),
        ("notes/c.txt", 1, "notes/c", []),
    ]
    assert parsed[-1].record is not None and parsed[-1].record.text == "C text\r\nwith CRLF."


@pytest.mark.parametrize(
    ("name", "message"),
    [
        ("../evil.jsonl", "'..' is not allowed in zip entry names"),
        ("ok/../../evil.jsonl", "'..' is not allowed in zip entry names"),
        ("..\\evil.jsonl", "'..' is not allowed in zip entry names"),
        ("/abs.jsonl", "absolute paths are not allowed in a zip"),
        ("\\abs.jsonl", "absolute paths are not allowed in a zip"),
        ("C:/abs.jsonl", "absolute paths are not allowed in a zip"),
    ],
)
def test_zip_entries_escaping_the_folder_are_errors_and_the_rest_is_read(name: str, message: str) -> None:
    data = make_zip({name: line("Evil.", "evil") + b"\n", "good.jsonl": line("Good.", "good") + b"\n"})
    parsed = read(data, name="upload.zip")
    by_file = {p.where.file: p for p in parsed}
    assert set(by_file) == {name, "good.jsonl"}
    assert outline([by_file[name]]) == [(name, 1, None, [("", message)])]
    assert outline([by_file["good.jsonl"]]) == [("good.jsonl", 1, "good", [])]


def test_a_name_with_dots_that_is_not_a_parent_is_fine() -> None:
    data = make_zip({"v1..2/notes..jsonl": line("Fine.", "f") + b"\n"})
    assert outline(read(data, name="u.zip")) == [("v1..2/notes..jsonl", 1, "f", [])]


def test_a_zip_with_too_many_entries_is_refused_whole() -> None:
    data = make_zip({f"{n}.txt": f"Article {n}." for n in range(11)})
    assert outline(read(data, name="many.zip")) == [("", 1, None, [("", "the zip has 11 files; at most 10")])]
    assert len(read(data, name="many.zip", limits=Limits(200, 1000, 11, 5000))) == 11


def test_a_zip_that_unpacks_too_large_is_refused_whole() -> None:
    data = make_zip({"a.txt": "a" * 3000, "b.txt": "b" * 2001})  # compresses to very little
    assert len(data) < 1000
    assert outline(read(data, name="bomb.zip")) == [
        ("", 1, None, [("", "the zip unpacks to 5001 bytes; at most 5000")])
    ]


def test_a_zip_entry_over_the_file_limit_is_an_error_of_that_entry() -> None:
    data = make_zip({"big.txt": "x" * 1001, "small.txt": "Small."})
    assert outline(read(data, name="u.zip")) == [
        ("big.txt", 1, None, [("", "the file is larger than 1000 bytes")]),
        ("small.txt", 1, "small", []),
    ]


def test_an_over_long_line_inside_a_zip_entry_is_an_error_of_that_line() -> None:
    data = make_zip({"a.jsonl": line("x" * 300, "long") + b"\n" + line("Short.", "short") + b"\n"})
    assert outline(read(data, name="u.zip")) == [
        ("a.jsonl", 1, None, [("", "the line is longer than 200 bytes")]),
        ("a.jsonl", 2, "short", []),
    ]


@pytest.mark.parametrize("data", [b"", b"not a zip at all", b"PK\x03\x04 truncated"])
def test_bytes_that_are_not_a_zip_are_one_error(data: bytes) -> None:
    [parsed] = read(data, name="upload.zip")
    assert parsed.record is None and parsed.where == Located("", 1)
    assert parsed.errors[0].message.startswith("not a readable zip file: ")


def test_a_corrupt_zip_entry_is_an_error_not_an_exception() -> None:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_STORED) as archive:
        archive.writestr("a.jsonl", line("hello world", "a") + b"\n")
        archive.writestr("b.jsonl", line("Fine.", "b") + b"\n")
    data = buffer.getvalue().replace(b"hello", b"jello")  # the stored CRC no longer matches
    parsed = read(data, name="corrupt.zip")
    assert parsed[0].where.file == "a.jsonl" and parsed[0].record is None
    assert outline(parsed[1:]) == [("b.jsonl", 1, "b", [])]


# --- brat ----------------------------------------------------------------------------------------


BRAT_TEXT = "Rents rose 4.75%.\r\nCritics disagreed."


def test_brat_pairs_each_txt_with_its_ann() -> None:
    ann = "T1\tCLAIM 0 17\tRents rose 4.75%.\nT2\tFIGURE 11 16\t4.75%\nR1\tSUPPORTS Arg1:T2 Arg2:T1\n"
    data = make_zip({"docs/one.txt": BRAT_TEXT, "docs/one.ann": ann, "docs/two.txt": "No annotations."})
    parsed = read(data, name="brat.zip", fmt="brat")
    assert outline(parsed) == [("docs/one.txt", 1, "docs/one", []), ("docs/two.txt", 1, "docs/two", [])]
    one, two = (p.record for p in parsed)
    assert one is not None and two is not None
    assert one.text == BRAT_TEXT
    [layer] = one.layers
    assert layer.layer == GOLD
    assert [(s.key, s.start, s.end, s.label, s.text) for s in layer.spans] == [
        ("T1", 0, 17, "CLAIM", "Rents rose 4.75%."),
        ("T2", 11, 16, "FIGURE", "4.75%"),
    ]
    assert [(r.source, r.target, r.label) for r in layer.relations] == [("T2", "T1", "SUPPORTS")]
    assert [(len(layer.spans), len(layer.relations)) for layer in two.layers] == [(0, 0)]


def test_a_brat_ann_without_its_txt_is_an_error() -> None:
    data = make_zip({"orphan.ann": "T1\tCLAIM 0 4\tText\n", "ok.txt": "Fine."})
    assert outline(read(data, name="brat.zip", fmt="brat")) == [
        ("ok.txt", 1, "ok", []),
        ("orphan.ann", 1, None, [("", "a brat .ann file needs a .txt file of the same name")]),
    ]


def test_a_bad_brat_ann_is_reported_on_its_txt() -> None:
    data = make_zip({"a.txt": BRAT_TEXT, "a.ann": "T1\tCLAIM 0 5\tWrong\n"})
    [(file, number, external_id, errors)] = outline(read(data, name="brat.zip", fmt="brat"))
    assert (file, number, external_id) == ("a.txt", 1, None)
    assert errors == [("ann line 1", "T1 says its text is 'Wrong' but the .txt has 'Rents' at 0-5")]


def test_a_non_utf8_brat_ann_is_an_error_naming_the_ann() -> None:
    data = make_zip({"a.txt": BRAT_TEXT, "a.ann": b"T1\tCLAIM 0 5\tR\xe9nts\n"})
    assert outline(read(data, name="brat.zip", fmt="brat")) == [
        ("a.ann", 1, None, [("", "not valid UTF-8: byte 0xe9 at byte 15 of the line")])
    ]


def test_brat_is_not_read_from_jsonl() -> None:
    data = make_zip({"a.jsonl": line("One.", "a") + b"\n"})
    assert outline(read(data, name="brat.zip", fmt="brat")) == [
        ("a.jsonl", 1, None, [("", "brat files are .txt + .ann pairs in a .zip, not JSON")])
    ]


def test_brat_pairs_an_upper_case_ann_extension() -> None:
    data = make_zip({"doc.txt": BRAT_TEXT, "doc.ANN": "T1\tCLAIM 0 5\tRents\n"})
    record = only_record(read(data, name="brat.zip", fmt="brat"))
    assert [(s.start, s.end, s.label) for s in record.layers[0].spans] == [(0, 5, "CLAIM")]


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        (b"", 0),
        (b'{"text": "a"}\n', 1),
        (b'{"text": "a"}\r\n{"text": "b"}', 2),  # the last line without its newline counts too
        (b'{"text": "a"}\n\n{"text": "b"}\n', 3),  # a blank line: at most, not exactly
        (b'{"text": "' + b"x" * (3 << 20) + b'"}\n{"text": "b"}\n', 2),  # across read blocks
    ],
)
def test_records_at_most_counts_the_lines_of_a_jsonl_upload(data: bytes, expected: int) -> None:
    assert records_at_most(io.BytesIO(data), "upload.jsonl") == expected


@pytest.mark.parametrize("name", ["upload.json", "upload.zip", "article.txt"])
def test_records_at_most_is_unknown_for_other_files(name: str) -> None:
    assert records_at_most(io.BytesIO(b"[]"), name) is None
