"""What every recogniser is: plain Python that proposes labelled spans in a text.

Pure: no Django. Offsets are code points (Python ``str`` indices), half-open ``[start, end)``,
like every span in the project.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Protocol


@dataclass(frozen=True)
class Link:
    """A relation from the proposed span to the span at ``[start, end)`` (a REBUTTAL rebuts
    the CLAIM there): named by its range, so it can join a suggestion or a span of any layer."""

    label: str
    start: int
    end: int


@dataclass(frozen=True)
class Proposal:
    """One proposed span: ``text[start:end]`` labelled ``label``, with a score in [0, 1]."""

    start: int
    end: int
    label: str
    score: float
    attributes: dict[str, Any] = field(default_factory=dict)
    links: tuple[Link, ...] = ()


class Recogniser(Protocol):
    """Registered by ``name``; ``version`` changes whenever what it proposes may change, so
    re-running a version replaces only that version's own pending suggestions."""

    name: str
    version: str
    description: str
    labels: tuple[str, ...]  # the span labels it proposes (none named: any of the project's)
    relations: tuple[str, ...]  # the relation labels of its proposals' links

    def propose(self, text: str) -> list[Proposal]: ...
