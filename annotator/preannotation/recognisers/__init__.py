"""The recognisers, registered by name. Pure: no Django."""

from __future__ import annotations

from .base import Link, Proposal, Recogniser
from .figures import Figures
from .learned import LearnedRecogniser
from .quotes import Quotes
from .rebuttals import Rebuttals
from .string_match import StringMatch

__all__ = ["Link", "Proposal", "Recogniser", "recogniser_get", "recognisers"]

_REGISTRY: dict[str, Recogniser] = {
    r.name: r for r in (Figures(), LearnedRecogniser(), Quotes(), Rebuttals(), StringMatch())
}


def recognisers() -> list[Recogniser]:
    """Every registered recogniser, by name."""
    return [_REGISTRY[name] for name in sorted(_REGISTRY)]


def recogniser_get(name: str) -> Recogniser | None:
    return _REGISTRY.get(name)
