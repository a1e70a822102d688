"""Code-point offsets <-> the units other tools count in: UTF-16 code units (JavaScript tools)
or grapheme clusters (what a reader sees as one character).

A character outside the Basic Multilingual Plane (most emoji) is one code point but two UTF-16
code units, so every offset after it differs by one per such character. Pure: no Django.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from typing import Protocol

_ASTRAL = re.compile("[\U00010000-\U0010ffff]")


class Utf16Offsets:
    """Converts offsets into one text; O(n) to build, O(log k) per call for k astral characters."""

    __slots__ = ("_astral_cp", "_astral_u16", "length", "utf16_length")

    def __init__(self, text: str) -> None:
        # Only the astral characters' positions are kept: a text without any (the common
        # case) builds two empty lists and every conversion is the identity.
        self._astral_cp: list[int] = [m.start() for m in _ASTRAL.finditer(text)]
        self._astral_u16: list[int] = [cp + i for i, cp in enumerate(self._astral_cp)]
        self.length = len(text)
        self.utf16_length = self.length + len(self._astral_cp)

    def to_utf16(self, cp_index: int) -> int:
        """The UTF-16 offset of code-point offset ``cp_index`` (``len(text)`` is a valid end)."""
        if not 0 <= cp_index <= self.length:
            raise ValueError(f"offset {cp_index} is outside the text (0 to {self.length} code points)")
        return cp_index + bisect_left(self._astral_cp, cp_index)

    def to_codepoint(self, u16_index: int) -> int:
        """The code-point offset of UTF-16 offset ``u16_index``; refuses one inside a surrogate pair."""
        if not 0 <= u16_index <= self.utf16_length:
            raise ValueError(
                f"offset {u16_index} is outside the text (0 to {self.utf16_length} UTF-16 code units)"
            )
        before = bisect_left(self._astral_u16, u16_index)
        if before and self._astral_u16[before - 1] + 1 == u16_index:
            raise ValueError(
                f"UTF-16 offset {u16_index} falls inside a surrogate pair "
                f"(the middle of the character at code point {self._astral_cp[before - 1]})"
            )
        return u16_index - before


# The units an interop file may count offsets in (doccano's ``offsets=`` option).
UTF16 = "utf16"
CODEPOINT = "codepoint"
GRAPHEME = "grapheme"
UNITS = (UTF16, CODEPOINT, GRAPHEME)


class Converter(Protocol):
    """Offsets into one text in some unit <-> code points."""

    def to_units(self, cp_index: int, *, end: bool = False) -> int: ...

    def to_codepoint(self, index: int) -> int: ...


class _Utf16(Utf16Offsets):
    __slots__ = ()

    def to_units(self, cp_index: int, *, end: bool = False) -> int:
        return self.to_utf16(cp_index)


class CodepointOffsets:
    """The identity, with the same range check as the other units."""

    __slots__ = ("length",)

    def __init__(self, text: str) -> None:
        self.length = len(text)

    def to_units(self, cp_index: int, *, end: bool = False) -> int:
        if not 0 <= cp_index <= self.length:
            raise ValueError(f"offset {cp_index} is outside the text (0 to {self.length} code points)")
        return cp_index

    def to_codepoint(self, index: int) -> int:
        return self.to_units(index)


class GraphemeOffsets:
    """Extended grapheme clusters (Unicode UAX #29, as doccano's grapheme mode and most editors
    count "characters"): a CRLF, an emoji ZWJ sequence, a flag or a letter with its combining
    marks is one unit. A code-point offset inside a cluster cannot be written in these units:
    a start is moved back to the cluster's start, an end forward to its end (the span grows to
    whole clusters). Every grapheme offset is a valid code-point offset."""

    __slots__ = ("_starts", "length", "units")

    def __init__(self, text: str) -> None:
        # regex (not re) knows \X, the extended grapheme cluster; imported here because only
        # this unit needs it.
        import regex

        self._starts: list[int] = [m.start() for m in regex.finditer(r"\X", text)]
        self.length = len(text)
        self.units = len(self._starts)

    def to_units(self, cp_index: int, *, end: bool = False) -> int:
        if not 0 <= cp_index <= self.length:
            raise ValueError(f"offset {cp_index} is outside the text (0 to {self.length} code points)")
        if cp_index == self.length:
            return self.units
        at = bisect_right(self._starts, cp_index)  # clusters starting at or before cp_index
        if at and self._starts[at - 1] == cp_index:
            return at - 1
        return at if end else at - 1

    def to_codepoint(self, index: int) -> int:
        if not 0 <= index <= self.units:
            raise ValueError(f"offset {index} is outside the text (0 to {self.units} grapheme clusters)")
        return self._starts[index] if index < self.units else self.length


def converter(text: str, unit: str) -> Converter:
    """The converter between code points and ``unit`` (one of UNITS) for ``text``."""
    if unit == UTF16:
        return _Utf16(text)
    if unit == GRAPHEME:
        return GraphemeOffsets(text)
    if unit == CODEPOINT:
        return CodepointOffsets(text)
    raise ValueError(f"unknown offset unit {unit!r}: one of {', '.join(UNITS)}")
