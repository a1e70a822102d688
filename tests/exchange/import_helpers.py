"""Building import lines and reading what an import wrote: shared by the test_import* modules."""

import io
import json
from collections.abc import Sequence
from typing import Any

from django.contrib.auth.models import User
from django.db.models import Max

from annotator.annotations.models import ArticleState, DocumentLabel, Relation, Span
from annotator.articles.models import Article, ArticleChange
from annotator.exchange.importing import ImportOptions, Report, import_file
from annotator.projects.models import Label
from tests.conftest import World

NEWS = "Rents rose 4.75% last year, the minister said. Critics said rents fell by £1,400."
OTHER = "Seven million people waited for treatment, said 55 NHS trusts."


# --- building lines ----------------------------------------------------------------------------


def at(text: str, fragment: str, nth: int = 0) -> tuple[int, int]:
    """The code-point range of the nth occurrence of ``fragment`` (never counted by hand)."""
    start = -1
    for _ in range(nth + 1):
        start = text.index(fragment, start + 1)
    return start, start + len(fragment)


def span(text: str, fragment: str, label: str, key: str | int | None = None, **extra: Any) -> dict[str, Any]:
    start, end = at(text, fragment)
    obj: dict[str, Any] = {"start": start, "end": end, "label": label, **extra}
    if key is not None:
        obj["id"] = key
    return obj


def rel(source: str | int, target: str | int, label: str) -> dict[str, Any]:
    return {"from": source, "to": target, "label": label}


def layer(
    name: str,
    spans: Sequence[dict[str, Any]] = (),
    relations: Sequence[dict[str, Any]] = (),
    document_labels: Sequence[str | dict[str, str]] = (),
    **extra: Any,
) -> dict[str, Any]:
    return {
        "layer": name,
        "spans": list(spans),
        "relations": list(relations),
        "document_labels": list(document_labels),
        **extra,
    }


def gold(*spans: dict[str, Any], relations: Sequence[dict[str, Any]] = (), **extra: Any) -> dict[str, Any]:
    return layer("gold", spans, relations, **extra)


def article(
    external_id: str | int | None, text: str, *layers: dict[str, Any], **extra: Any
) -> dict[str, Any]:
    obj: dict[str, Any] = {"text": text, **extra}
    if external_id is not None:
        obj["id"] = external_id
    if layers:
        obj["annotations"] = list(layers)
    return obj


def jsonl(*objs: dict[str, Any] | bytes) -> bytes:
    return b"".join(
        o if isinstance(o, bytes) else json.dumps(o, ensure_ascii=False).encode("utf-8") + b"\n" for o in objs
    )


def annotated(external_id: str = "n1", text: str = NEWS) -> dict[str, Any]:
    """A new article with a figure supporting a claim in the gold layer."""
    return article(
        external_id,
        text,
        gold(
            span(text, "Rents rose 4.75% last year", "CLAIM", key="c"),
            span(text, "4.75%", "FIGURE", key="f"),
            relations=[rel("f", "c", "SUPPORTS")],
        ),
    )


def run(
    world: World, data: bytes, *, actor: str | User = "admin", filename: str = "import.jsonl", **options: Any
) -> Report:
    user = world.users[actor] if isinstance(actor, str) else actor
    return import_file(
        actor=user,
        project_id=world.project.pk,
        open_file=lambda: io.BytesIO(data),
        filename=filename,
        options=ImportOptions(**options),
    )


MODELS: dict[str, Any] = {
    "articles": Article,
    "spans": Span,
    "relations": Relation,
    "document_labels": DocumentLabel,
    "states": ArticleState,
    "labels": Label,
    "changes": ArticleChange,
}


def counts() -> dict[str, int]:
    return {name: model.objects.count() for name, model in MODELS.items()}


def errors(report: Report) -> list[tuple[int, str, str]]:
    return [(e["line"], e["field"], e["message"]) for e in report.errors]


def newest_stamp(world: World) -> int:
    return ArticleChange.objects.filter(project=world.project).aggregate(newest=Max("seq"))["newest"]


def nothing_written(report: Report, before: dict[str, int]) -> None:
    assert not report.written
    assert counts() == before
    assert (report.articles_created, report.spans_created, report.relations_created) == (0, 0, 0)
