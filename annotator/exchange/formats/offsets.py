"""Code-point offsets <-> UTF-16 code-unit offsets, for formats written by JavaScript tools.

A character outside the Basic Multilingual Plane (most emoji) is one code point but two UTF-16
code units, so every offset after it differs by one per such character. Pure: no Django.
"""

from __future__ import annotations

import re
from bisect import bisect_left

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
