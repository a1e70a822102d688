"""Properties of creating spans over the API, each input's outcome worked out from the input:

- offsets in range (``0 <= start < end <= len(text)``, code points) -> 201, and the span's
  text is exactly Python's ``text[start:end]``, whatever the text holds;
- offsets out of range -> 400 naming exactly the offending field(s), nothing written;
- a span identical to one already in the same layer (offsets and label) -> 409;
- a span overlapping one in the same layer, in a project that forbids overlaps -> 409;
- offsets that are not integers -> 400 naming the field.

Every hypothesis example builds its own world inside a savepoint that is rolled back when the
example ends, so no example sees another's articles, spans or project settings: the outcomes
below follow from the example's input alone.
"""

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import User
from django.db import transaction
from hypothesis import event, given, settings
from hypothesis import strategies as st
from rest_framework.test import APIClient

from annotator.annotations.models import Span
from tests.conftest import TRICKY_TEXT, World, add_article, build_world

PIECES = st.sampled_from(
    [
        "a",
        "Z",
        "7",
        " ",
        "  ",
        "\t",
        "\r\n",
        "\n",
        ".",
        "£",
        "é",
        "e\u0301",  # e + combining acute
        "😀",
        "🙄",
        "\U0001d518",  # astral (fraktur capital U)
        "👩\u200d👩\u200d👧",  # ZWJ family
        "🇬🇧",  # regional indicators
        "\u200b",  # zero-width space
    ]
)


def texts(max_pieces: int) -> st.SearchStrategy[str]:
    return st.lists(PIECES, min_size=1, max_size=max_pieces).map("".join).filter(lambda t: t.strip())


def offsets(length: int) -> st.SearchStrategy[tuple[int, int]]:
    """Half of the time a valid [start, end), otherwise any pair around and past the text."""
    valid = st.integers(0, length - 1).flatmap(lambda s: st.tuples(st.just(s), st.integers(s + 1, length)))
    anywhere = st.integers(-3, length + 3)
    return st.one_of(valid, st.tuples(anywhere, anywhere))


def offset_errors(length: int, start: int, end: int) -> set[str]:
    """The fields a 400 names for these offsets: start below 0, end past the text; and only
    when both are in range, an end that is not after start."""
    fields = set()
    if start < 0:
        fields.add("start")
    if end > length:
        fields.add("end")
    if not fields and start >= end:
        fields.add("end")
    return fields


def _user(username: str) -> User:
    # No password: tokens need none, and hashing would dominate each example's time.
    return get_user_model().objects.create_user(username=username)


@contextmanager
def own_world() -> Iterator[World]:
    """A world for one example, in a savepoint rolled back when the example ends (whether it
    passed or failed): nothing it wrote is there for the next example."""
    with transaction.atomic():
        try:
            yield build_world(make=_user)
        finally:
            transaction.set_rollback(True)


def post_span(client: APIClient, article_id: int, body: dict[str, Any]) -> Any:
    return client.post(f"/api/v1/articles/{article_id}/spans/", body, format="json")


@pytest.mark.django_db
@settings(max_examples=60, deadline=None)
@given(text=texts(40), data=st.data())
def test_span_offsets_get_exactly_their_outcome(text: str, data: st.DataObject) -> None:
    start, end = data.draw(offsets(len(text)), label="start, end")
    with own_world() as world:
        article = add_article(world.admin, world.project, text, "h")
        r = post_span(world.client("annotator"), article.pk, {"start": start, "end": end, "label": "CLAIM"})
        errors = offset_errors(len(text), start, end)
        event(f"400 {sorted(errors)}" if errors else "201")
        if errors:
            assert r.status_code == 400, r.json()
            assert set(r.json()["errors"]) == errors, r.json()
            assert not Span.objects.filter(article=article).exists()
        else:
            assert r.status_code == 201, r.json()
            body = r.json()
            assert (body["start"], body["end"], body["text"]) == (start, end, text[start:end])
            stored = Span.objects.get(article=article)
            assert (stored.pk, stored.start, stored.end, stored.text) == (
                body["id"],
                start,
                end,
                text[start:end],
            )


# Who writes, and into which layer. A layer is the annotator's own (one per person) or gold
# (shared by reviewers and admins): "the same layer" below means the same owner.
WRITERS = {
    "annotator": ("annotator", "annotator"),
    "reviewer's own": ("reviewer", "annotator"),
    "gold by reviewer": ("reviewer", "gold"),
    "gold by admin": ("admin", "gold"),
}
OWNER = {
    "annotator": "annotator",
    "reviewer's own": "reviewer",
    "gold by reviewer": "gold",
    "gold by admin": "gold",
}


@dataclass(frozen=True)
class Written:
    owner: str
    start: int
    end: int
    label: str


def expected(
    length: int, allow_overlap: bool, done: list[Written], new: Written
) -> tuple[int, set[str] | str]:
    """(status, fields named for a 400 or the rule behind a 409) for writing ``new`` after
    ``done``: offsets first, then an identical span in the layer, then an overlap."""
    errors = offset_errors(length, new.start, new.end)
    if errors:
        return 400, errors
    same_layer = [w for w in done if w.owner == new.owner]
    if any((w.start, w.end, w.label) == (new.start, new.end, new.label) for w in same_layer):
        return 409, "already exists"
    if not allow_overlap and any(w.start < new.end and new.start < w.end for w in same_layer):
        return 409, "overlap"
    return 201, ""


@pytest.mark.django_db
@settings(max_examples=60, deadline=None)
@given(text=texts(8), allow_overlap=st.booleans(), data=st.data())
def test_identical_and_overlapping_spans_get_exactly_their_outcome(
    text: str, allow_overlap: bool, data: st.DataObject
) -> None:
    writes = data.draw(
        st.lists(
            st.tuples(
                st.sampled_from(sorted(WRITERS)), offsets(len(text)), st.sampled_from(["CLAIM", "FIGURE"])
            ),
            min_size=1,
            max_size=8,
        ),
        label="writes",
    )
    with own_world() as world:
        article = add_article(world.admin, world.project, text, "h")
        patched = world.client("admin").patch(
            f"/api/v1/projects/{world.project.pk}/", {"allow_overlapping_spans": allow_overlap}, format="json"
        )
        assert patched.status_code == 200, patched.json()
        done: list[Written] = []
        for writer, (start, end), label in writes:
            caller, layer = WRITERS[writer]
            new = Written(owner=OWNER[writer], start=start, end=end, label=label)
            status, why = expected(len(text), allow_overlap, done, new)
            event(f"{status} {why if isinstance(why, str) else sorted(why)}")
            body = {"start": start, "end": end, "label": label, "layer": layer}
            r = post_span(world.client(caller), article.pk, body)
            assert r.status_code == status, (writer, body, done, r.json())
            if status == 400:
                assert set(r.json()["errors"]) == why, r.json()
            elif status == 409:
                assert isinstance(why, str) and why in r.json()["detail"], (why, r.json())
            else:
                assert r.json()["text"] == text[start:end]
                done.append(new)
        owner_of = {world.users[role].pk: role for role in ("annotator", "reviewer")}
        stored = [
            Written(
                owner=owner_of[s.annotator_id] if s.annotator_id else "gold",
                start=s.start,
                end=s.end,
                label=s.label.name,
            )
            for s in Span.objects.filter(article=article).select_related("label").order_by("pk")
        ]
        assert stored == done  # what was refused wrote nothing, what was accepted is all there
        assert all(s.text == text[s.start : s.end] for s in Span.objects.filter(article=article))


MISSING = object()
NOT_INTEGERS = ["a", "1.5", 1.5, None, True, False, [], [1], {}, {"n": 1}, MISSING]


@pytest.mark.parametrize("field", ["start", "end"])
@pytest.mark.parametrize("value", NOT_INTEGERS, ids=lambda v: "missing" if v is MISSING else repr(v))
def test_non_integer_offsets_are_400_naming_the_field(world: World, api: Any, field: str, value: Any) -> None:
    body: dict[str, Any] = {"start": 1, "end": 3, "label": "CLAIM"}
    if value is MISSING:
        del body[field]
    else:
        body[field] = value
    r = post_span(api("annotator"), world.article.pk, body)
    assert r.status_code == 400, (body, r.json())
    assert set(r.json()["errors"]) == {field}, r.json()
    assert not Span.objects.filter(article=world.article).exists()


@pytest.mark.parametrize(
    ("start", "end", "outcome"),
    [
        (0, len(TRICKY_TEXT), 201),  # the whole text
        (len(TRICKY_TEXT) - 1, len(TRICKY_TEXT), 201),  # the last code point
        (-1, len(TRICKY_TEXT) + 1, {"start", "end"}),
        (-1, -3, {"start"}),  # reversed too, but start is what is named
        (5, 5, {"end"}),
        (6, 5, {"end"}),
        (len(TRICKY_TEXT), len(TRICKY_TEXT) + 1, {"end"}),
        (len(TRICKY_TEXT) + 5, len(TRICKY_TEXT) + 2, {"end"}),
    ],
)
def test_offset_edges(world: World, api: Any, start: int, end: int, outcome: int | set[str]) -> None:
    r = post_span(api("annotator"), world.article.pk, {"start": start, "end": end, "label": "CLAIM"})
    if outcome == 201:
        assert r.status_code == 201, r.json()
        assert r.json()["text"] == TRICKY_TEXT[start:end]
    else:
        assert r.status_code == 400, r.json()
        assert set(r.json()["errors"]) == outcome, r.json()
        assert not Span.objects.filter(article=world.article).exists()
