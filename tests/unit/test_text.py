import pytest

from annotator.common.errors import InvalidInput
from annotator.common.text import check_storable, check_storable_json, sha256_hex, span_text


def test_span_text_counts_code_points():
    text = "a👩‍👩‍👧b\r\nc"
    assert span_text(text, 1, 6) == "👩‍👩‍👧"
    assert span_text(text, 6, 9) == "b\r\n"


@pytest.mark.parametrize(("start", "end"), [(-1, 2), (0, 0), (3, 2), (0, 99)])
def test_span_text_refuses_bad_ranges(start, end):
    with pytest.raises(InvalidInput) as info:
        span_text("hello", start, end)
    assert info.value.fields


def test_storable_checks():
    check_storable("fine £ 😀", "text")
    with pytest.raises(InvalidInput):
        check_storable("nul\x00", "text")
    with pytest.raises(InvalidInput):
        check_storable("lone \ud800 surrogate", "text")
    with pytest.raises(InvalidInput):
        check_storable_json({"a": ["ok", {"\x00": 1}]}, "meta")


def test_sha256_is_of_utf8_bytes():
    assert sha256_hex("é") != sha256_hex("e\u0301")  # no normalisation: bytes as given
    assert sha256_hex("") == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
