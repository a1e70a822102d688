"""The rules (``rules``) applied to the database: overlaps, duplicates, relation labels, and
the change marks a cross-article relation leaves in its other article. Used by the services
and by accepting suggestions (``review``)."""

from annotator.articles.models import Article
from annotator.common.errors import Conflict, InvalidInput
from annotator.projects.models import Label

from . import rules
from .history import changed_elsewhere
from .models import Relation, Span


def check_overlap(
    article: Article, layer: str, annotator_id: int | None, start: int, end: int, exclude: int
) -> None:
    """Refuse [start, end) where the project forbids overlaps and the layer has a span there (409)."""
    if article.project.allow_overlapping_spans:
        return
    same_layer = Span.objects.filter(article=article, layer=layer, annotator_id=annotator_id).exclude(
        pk=exclude
    )
    # In id order, as the span named was before (the first by id among those it overlaps).
    clash = rules.first_overlapping(same_layer.order_by("pk").values_list("start", "end", "pk"), start, end)
    if clash:
        raise Conflict(
            f"This project does not allow overlapping spans: [{start}, {end}) overlaps span "
            f"{clash[2]} [{clash[0]}, {clash[1]})."
        )


def check_span_duplicate(
    article: Article,
    layer: str,
    annotator_id: int | None,
    start: int,
    end: int,
    label: Label,
    exclude: int,
) -> None:
    twin = (
        Span.objects.filter(
            article=article, layer=layer, annotator_id=annotator_id, **rules.span_lookup(start, end, label.pk)
        )
        .exclude(pk=exclude)
        .values_list("pk", flat=True)
        .first()
    )
    if twin:
        raise Conflict(f"The same span already exists in this layer (span {twin}).")


def check_relation_labels(label: Label, source: Span, target: Span) -> None:
    """Refuse a relation whose label may not join these two spans' labels (400 on from/to)."""
    sources = {lab.pk: lab.name for lab in label.allowed_sources.all()}
    targets = {lab.pk: lab.name for lab in label.allowed_targets.all()}
    breach = rules.relation_labels_breach(sources.keys(), targets.keys(), source.label_id, target.label_id)
    if breach is None:
        return
    end, allowed = breach
    if end == "from":
        names = ", ".join(sorted(sources[pk] for pk in allowed))
        raise InvalidInput(
            f"{label.name} must start at a span labelled {names}, not {source.label.name}.",
            fields={"from": [f"must be a {names} span"]},
        )
    names = ", ".join(sorted(targets[pk] for pk in allowed))
    raise InvalidInput(
        f"{label.name} must point to a span labelled {names}, not {target.label.name}.",
        fields={"to": [f"must be a {names} span"]},
    )


def changed_other_end(article: Article, target: Span, relation: Relation) -> None:
    """A cross-article relation is in its target's article's records too: mark that changed."""
    if target.article_id != article.pk:
        changed_elsewhere(
            project_id=article.project_id,
            article_id=target.article_id,
            layer=relation.layer,
            annotator_id=relation.annotator_id,
        )


def check_relation_duplicate(label: Label, source_id: int, target_id: int, exclude: int = 0) -> None:
    """409 if the layer has this relation already (or, for a symmetric label, its reverse)."""
    keys = [(source_id, target_id)] + ([(target_id, source_id)] if label.symmetric else [])
    for a, b in keys:
        if Relation.objects.filter(**rules.relation_lookup(a, b, label.pk)).exclude(pk=exclude).exists():
            raise Conflict("This relation already exists.")
