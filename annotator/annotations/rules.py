"""The annotation rules every writer applies: the API's services, the import, pre-annotation.

Pure: no Django imports. The functions take plain values (offsets, label ids or names,
tuples), never model instances, so each caller passes what it has and turns a broken rule
into its own error shape.
"""

from collections.abc import Collection, Hashable, Iterable
from itertools import pairwise
from typing import Any, TypeVar

from annotator.common.errors import InvalidInput
from annotator.common.text import check_storable

L = TypeVar("L", bound=Hashable)  # a label: its id or its name, as the caller has it
K = TypeVar("K", bound=Hashable)  # a span's id, or the key a file gives it
S = TypeVar("S", bound=tuple[Any, ...])  # a span as a tuple that starts (start, end, ...)

# --- span overlap ---------------------------------------------------------------------


def spans_overlap(a_start: int, a_end: int, b_start: int, b_end: int) -> bool:
    """Whether the half-open ranges [a_start, a_end) and [b_start, b_end) share a code point."""
    return a_start < b_end and b_start < a_end


def first_overlapping(spans: Iterable[S], start: int, end: int) -> S | None:
    """The first of ``spans`` (tuples starting with start, end) that overlaps [start, end)."""
    for span in spans:
        if spans_overlap(span[0], span[1], start, end):
            return span
    return None


def first_overlapping_pair(
    spans: Iterable[tuple[int, int, L]],
) -> tuple[tuple[int, int, L], tuple[int, int, L]] | None:
    """The first two different (start, end, label) spans that overlap, in sorted order; twins count once."""
    ordered = sorted(set(spans))
    # Sorted by start, any overlap shows in some neighbouring pair.
    for a, b in pairwise(ordered):
        if spans_overlap(a[0], a[1], b[0], b[1]):
            return a, b
    return None


def first_overlapping_other(
    spans: Iterable[tuple[int, int, L]], incoming: Collection[tuple[int, int, L]]
) -> tuple[tuple[int, int, L], tuple[int, int, L]] | None:
    """The first (stored, incoming) pair that overlaps, a stored span identical to an incoming
    one excepted (it is not added again)."""
    for stored in spans:
        for new in incoming:
            if new != stored and spans_overlap(new[0], new[1], stored[0], stored[1]):
                return stored, new
    return None


# --- which span labels a relation label may join --------------------------------------


def label_allowed(allowed: Collection[L], label: L) -> bool:
    """Whether a span label may stand at an end whose allowed labels are ``allowed`` (empty: any)."""
    return not allowed or label in allowed


def relation_labels_breach(
    allowed_sources: Collection[L], allowed_targets: Collection[L], source: L, target: L
) -> tuple[str, list[L]] | None:
    """Which end of a relation breaks its label's rule, "from" or "to", with that end's allowed
    labels sorted; None when both ends are allowed (the source is checked first)."""
    if not label_allowed(allowed_sources, source):
        return "from", sorted(allowed_sources)  # type: ignore[type-var]
    if not label_allowed(allowed_targets, target):
        return "to", sorted(allowed_targets)  # type: ignore[type-var]
    return None


# --- identity: what makes two annotations of one layer the same -----------------------

# The model fields each key is made of, in the key's order, for finding a twin in the database.
SPAN_KEY_FIELDS = ("start", "end", "label_id")
RELATION_KEY_FIELDS = ("source_id", "target_id", "label_id")


def span_key(start: int, end: int, label: L) -> tuple[int, int, L]:
    """What a span is within its layer: two spans with the same key are the same span."""
    return (start, end, label)


def relation_key(source: K, target: K, label: L) -> tuple[K, K, L]:
    """What a relation is within its layer (its two spans and its label)."""
    return (source, target, label)


def span_lookup(start: int, end: int, label_id: int) -> dict[str, int]:
    """The span key as model field lookups, to find a span's twin in its layer."""
    return dict(zip(SPAN_KEY_FIELDS, span_key(start, end, label_id), strict=True))


def relation_lookup(source_id: int, target_id: int, label_id: int) -> dict[str, int]:
    """The relation key as model field lookups, to find a relation's twin."""
    return dict(zip(RELATION_KEY_FIELDS, relation_key(source_id, target_id, label_id), strict=True))


# --- label names ----------------------------------------------------------------------

LABEL_NAME_MAX_LENGTH = 100


def label_name_normal(name: str) -> str:
    """A label name as it is stored and looked up: without surrounding whitespace."""
    return (name or "").strip()


def label_name_fits(name: str) -> bool:
    """Whether a normalised label name is 1 to 100 characters long."""
    return 0 < len(name) <= LABEL_NAME_MAX_LENGTH


def label_name_clean(name: str, field: str = "name") -> str:
    """The normalised label name, once it fits and is storable; else InvalidInput on ``field``."""
    name = label_name_normal(name)
    if not name:
        raise InvalidInput(f"{field} may not be blank", fields={field: ["may not be blank"]})
    if not label_name_fits(name):
        raise InvalidInput(
            f"{field} is too long", fields={field: [f"at most {LABEL_NAME_MAX_LENGTH} characters"]}
        )
    check_storable(name, field)
    return name


# --- an annotator's state for an article ----------------------------------------------

NOT_STARTED = "not_started"
NOT_STARTED_VERSION = 0  # the version of a state not yet written


def article_state(stored: tuple[str, int] | None) -> tuple[str, int]:
    """An annotator's (status, version) for an article: no stored state means not started at 0."""
    return stored if stored is not None else (NOT_STARTED, NOT_STARTED_VERSION)
