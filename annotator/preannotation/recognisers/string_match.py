"""String match: what annotators of a project have labelled, proposed wherever the same
string recurs (case and whitespace aside), with the label most often given to it.

Its entries come from the project's spans (the pre-annotation job reads them); the
registered instance has none and proposes nothing. Pure: no Django.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Iterable

from .base import Proposal

# Words and single marks: "55 NHS trusts," matches "55 nhs   trusts" and stops before the
# comma; a string never matches inside a longer word ("cent" in "percentage").
_TOKEN = re.compile(r"\w+|[^\w\s]")
MAX_TOKENS = 60  # longer strings (whole paragraphs) are not worth looking for


def normalise(text: str) -> tuple[str, ...]:
    """The tokens ``text`` is matched by: words and marks, lower-cased."""
    return tuple(token.casefold() for token in _TOKEN.findall(text))


class StringMatch:
    """Proposes every recurrence of a labelled string: leftmost, then longest, never overlapping."""

    name: str = "string_match"
    version: str = "1.0"
    description: str = (
        "Anything annotators in this project have already labelled, proposed wherever the same "
        "string recurs (ignoring case and whitespace), with the label most often used for it; "
        "the score is the share of its uses that had that label."
    )
    labels: tuple[str, ...] = ()  # any of the project's span labels
    relations: tuple[str, ...] = ()

    def __init__(self, entries: dict[tuple[str, ...], tuple[str, float]] | None = None) -> None:
        self.entries = entries or {}
        # Entries by first token, longest first: one look-up per token of the text.
        self._by_first: dict[str, list[tuple[int, tuple[str, ...]]]] = defaultdict(list)
        for key in self.entries:
            self._by_first[key[0]].append((len(key), key))
        for candidates in self._by_first.values():
            candidates.sort(reverse=True)

    @classmethod
    def from_examples(cls, examples: Iterable[tuple[str, str]]) -> StringMatch:
        """Entries from (span text, label) pairs: each string's most used label (ties: by name)
        and its share of the uses."""
        uses: dict[tuple[str, ...], Counter[str]] = defaultdict(Counter)
        for text, label in examples:
            key = normalise(text)
            # A lone mark or a single letter would match everywhere.
            if (
                0 < len(key) <= MAX_TOKENS
                and sum(len(t) for t in key) >= 2
                and any(t[0].isalnum() or t[0] == "_" for t in key)
            ):
                uses[key][label] += 1
        entries = {}
        for key, counts in uses.items():
            label, count = min(counts.items(), key=lambda item: (-item[1], item[0]))
            entries[key] = (label, count / sum(counts.values()))
        return cls(entries)

    def propose(self, text: str) -> list[Proposal]:
        if not self.entries:
            return []
        matches = list(_TOKEN.finditer(text))
        tokens = [m.group().casefold() for m in matches]
        found: list[Proposal] = []
        i = 0
        while i < len(tokens):
            for length, key in self._by_first.get(tokens[i], ()):
                if tuple(tokens[i : i + length]) == key:
                    label, share = self.entries[key]
                    found.append(Proposal(matches[i].start(), matches[i + length - 1].end(), label, share))
                    i += length
                    break
            else:
                i += 1
        return found
