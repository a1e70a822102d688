"""UTF-16 offsets (Utf16Offsets) against Python's own encoding, astral characters included. No database."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from annotator.exchange.formats.offsets import Utf16Offsets
from tests.unit.exchange.format_helpers import FAMILY, TEXT, at, utf16_len

# --- offsets ----------------------------------------------------------------------------


def test_utf16_offsets_without_astral_characters_are_the_identity():
    text = "The cafe\u0301 cost £1,400.\r\nNobody paid."
    conv = Utf16Offsets(text)
    assert conv.utf16_length == len(text) == utf16_len(text)
    for i in range(len(text) + 1):
        assert conv.to_utf16(i) == i
        assert conv.to_codepoint(i) == i


def test_utf16_offsets_count_an_astral_emoji_twice():
    conv = Utf16Offsets("a\U0001f600b")
    assert [conv.to_utf16(i) for i in range(4)] == [0, 1, 3, 4]
    assert [conv.to_codepoint(u) for u in (0, 1, 3, 4)] == [0, 1, 2, 3]
    with pytest.raises(ValueError, match="surrogate pair"):
        conv.to_codepoint(2)


def test_utf16_offsets_of_a_zwj_sequence():
    text = f"{FAMILY} said 4.75%"
    conv = Utf16Offsets(text)
    # Three astral people and two one-unit joiners.
    assert len(FAMILY) == 5
    assert conv.to_utf16(len(FAMILY)) == 8
    assert conv.to_codepoint(8) == 5
    assert conv.to_codepoint(3) == 2  # after the first person and the joiner
    for inside in (1, 4, 7):
        with pytest.raises(ValueError, match="inside a surrogate pair"):
            conv.to_codepoint(inside)


def test_utf16_offsets_accept_the_end_and_refuse_beyond():
    text = "Rates \U0001f4c8\r\n"
    conv = Utf16Offsets(text)
    assert conv.to_utf16(len(text)) == utf16_len(text) == len(text) + 1
    assert conv.to_codepoint(utf16_len(text)) == len(text)
    with pytest.raises(ValueError, match="outside the text"):
        conv.to_codepoint(utf16_len(text) + 1)
    with pytest.raises(ValueError, match="outside the text"):
        conv.to_utf16(len(text) + 1)
    with pytest.raises(ValueError, match="outside the text"):
        conv.to_codepoint(-1)


def test_utf16_offsets_on_the_tricky_text():
    conv = Utf16Offsets(TEXT)
    start, end = at(TEXT, "£1,400")
    encoded = TEXT.encode("utf-16-le")
    u16_start, u16_end = conv.to_utf16(start), conv.to_utf16(end)
    assert (u16_start, u16_end) == (start + 4, end + 4)  # three family members and one eye-roll
    assert encoded[2 * u16_start : 2 * u16_end].decode("utf-16-le") == "£1,400"


@given(
    st.lists(st.sampled_from(["a", " ", "\r\n", "\u0301", "\u200d", "é", "£", "\U0001f600", FAMILY])).map(
        "".join
    )
)
def test_utf16_offsets_agree_with_python_encoding(text):
    conv = Utf16Offsets(text)
    for i in range(len(text) + 1):
        u16 = utf16_len(text[:i])
        assert conv.to_utf16(i) == u16
        assert conv.to_codepoint(u16) == i
