"""Writing the gold layer from the annotators' layers: adjudicating an article (what at least
m layers share), a whole project as a job, and copying one span or relation."""

from collections.abc import Callable
from typing import Any

from django.contrib.auth.models import User
from django.db import transaction

from annotator.annotations.access import can_read
from annotator.annotations.history import changed, history_record, history_state
from annotator.annotations.locking import locked_article, locked_article_pair, write_transaction
from annotator.annotations.models import Layer, Origin, Relation, Span
from annotator.annotations.services import check_overlap
from annotator.articles.models import Article
from annotator.common.errors import InvalidInput, NotFound
from annotator.projects.access import WRITE_GOLD, membership_get, require_role
from annotator.projects.models import Label, Membership, Project

from .adjudication import GoldPlan, check_min_agreement, gold_plan, gold_write, submitted_annotators
from .layers import layers_read

BATCH_ARTICLES = 200  # per transaction of a project adjudication: progress and cancel this often

Progress = Callable[[int, int], None]


def _usernames(user_ids: list[int]) -> dict[int, str]:
    return dict(User.objects.filter(pk__in=user_ids).values_list("pk", "username"))


def _label_names(project_id: int) -> dict[int, str]:
    return dict(Label.objects.filter(project_id=project_id).values_list("pk", "name"))


def _chosen_layers(membership: Membership, usernames: list[str]) -> list[int]:
    found = dict(
        Membership.objects.filter(project_id=membership.project_id, user__username__in=usernames).values_list(
            "user__username", "user_id"
        )
    )
    missing = sorted(set(usernames) - set(found))
    if missing:
        message = f"Not members of this project: {', '.join(missing)}."
        raise InvalidInput(f"layers: {message}", fields={"layers": [message]})
    return sorted(found.values())


def _adjudicate(project: Project, actor: User, chosen: dict[int, list[int]], m: int) -> list[GoldPlan]:
    read = layers_read(chosen)
    names = _usernames(sorted({uid for uids in chosen.values() for uid in uids}))
    labels = _label_names(project.pk)
    plans = []
    for article_id, users in chosen.items():
        layers = read[article_id]
        plan = gold_plan(
            layers, [names[u] for u in users], m, allow_overlap=project.allow_overlapping_spans, labels=labels
        )
        plans.append((plan, layers.gold))
    gold_write(project_id=project.pk, actor=actor, plans=plans)
    return [plan for plan, _ in plans]


@write_transaction
def article_adjudicate(
    *, actor: User, article_id: int, min_agreement: int = 2, layers: list[str] | None = None
) -> GoldPlan:
    """Copy into gold what at least ``min_agreement`` of the chosen layers (default: those
    of the annotators who submitted the article) share; reviewers and admins."""
    article, membership = locked_article(actor=actor, article_id=article_id)
    require_role(membership, WRITE_GOLD, "adjudicate into gold")
    m = check_min_agreement(min_agreement)
    users = (
        submitted_annotators([article_id])[article_id]
        if layers is None
        else _chosen_layers(membership, layers)
    )
    return _adjudicate(membership.project, actor, {article.pk: users}, m)[0]


def project_adjudicate(
    *,
    actor: User,
    project_id: int,
    min_agreement: int,
    ready: list[tuple[int, list[int]]],
    progress: Progress,
) -> dict[str, Any]:
    """Adjudicate every ready article (id, the layers to use), a batch per transaction."""
    m = check_min_agreement(min_agreement)
    totals = {"articles": 0, "spans": 0, "relations": 0, "document_labels": 0, "disagreements": 0}
    for at in range(0, len(ready), BATCH_ARTICLES):
        batch = dict(ready[at : at + BATCH_ARTICLES])
        with transaction.atomic():
            membership = membership_get(user=actor, project_id=project_id)
            require_role(membership, WRITE_GOLD, "adjudicate into gold")
            # Locked in id order, as single adjudications lock theirs: no two write one gold twice.
            list(Article.objects.select_for_update().filter(pk__in=batch).order_by("pk").values_list("pk"))
            for plan in _adjudicate(membership.project, actor, batch, m):
                added = plan.as_dict()["added"]
                for key in ("spans", "relations", "document_labels"):
                    totals[key] += added[key]
                totals["disagreements"] += len(plan.disagreements)
        totals["articles"] += len(batch)
        progress(totals["articles"], len(ready))
    return totals


def _copy_provenance(obj: Span | Relation, actor: User) -> dict[str, Any]:
    owner = obj.annotator.username if obj.annotator is not None else obj.layer
    return {"from": [owner], "by": actor.username}


@write_transaction
def span_copy(*, actor: User, span_id: int, layer: str = Layer.GOLD) -> tuple[Span, bool]:
    """Copy one span of a layer the caller reads into gold (reviewers, admins): (the gold
    span, created?); the same span in gold already is returned, not twinned."""
    source, article, membership = _readable(Span, actor, span_id, layer)
    return _gold_span(source, article, membership, actor)


def _readable(
    model: type[Span] | type[Relation], actor: User, object_id: int, layer: str
) -> tuple[Any, Article, Membership]:
    """An annotation the caller may read, its article locked; then 403 unless they write gold."""
    what = model.__name__
    if layer != Layer.GOLD:
        raise InvalidInput("Copies go into the gold layer.", fields={"layer": ["gold"]})
    article_id = model._default_manager.filter(pk=object_id).values_list("article_id", flat=True).first()
    if article_id is None:
        raise NotFound(f"{what} not found.")
    try:
        article, membership = locked_article(actor=actor, article_id=article_id)
    except NotFound:
        raise NotFound(f"{what} not found.") from None
    obj = model._default_manager.select_related("label", "annotator").filter(pk=object_id).first()
    if obj is None or not can_read(membership, obj.layer, obj.annotator_id):  # gone meanwhile, or hidden
        raise NotFound(f"{what} not found.")
    require_role(membership, WRITE_GOLD, "copy into gold")
    return obj, article, membership


def _gold_span(source: Span, article: Article, membership: Membership, actor: User) -> tuple[Span, bool]:
    twin = Span.objects.filter(
        article=article, layer=Layer.GOLD, start=source.start, end=source.end, label_id=source.label_id
    ).first()
    if twin is not None:
        return twin, False
    check_overlap(article, Layer.GOLD, None, source.start, source.end, exclude=0)
    span = Span.objects.create(
        article=article,
        label=source.label,
        start=source.start,
        end=source.end,
        text=source.text,
        layer=Layer.GOLD,
        created_by=actor,
        origin=Origin.ADJUDICATED,
        attributes=dict(source.attributes),
        adjudication=_copy_provenance(source, actor),
    )
    history_record("span.create", span, actor=actor, article=article, before=None, after=history_state(span))
    changed(article, Layer.GOLD, None)
    return span, True


@write_transaction
def relation_copy(*, actor: User, relation_id: int, layer: str = Layer.GOLD) -> tuple[Relation, bool]:
    """Copy one relation into gold with its two spans (those gold lacks are copied too); across
    articles each span goes into its own article's gold, both articles locked in id order."""
    pair = Relation.objects.filter(pk=relation_id).values_list("article_id", "target__article_id").first()
    other: Article | None = None
    if pair is not None and pair[0] != pair[1]:
        try:
            _, other, _ = locked_article_pair(actor=actor, article_id=pair[0], other_id=pair[1])
        except NotFound:
            raise NotFound("Relation not found.") from None
    source, article, membership = _readable(Relation, actor, relation_id, layer)
    ends = {
        s.pk: s
        for s in Span.objects.select_related("label", "annotator").filter(
            pk__in=[source.source_id, source.target_id]
        )
    }
    gold_source, _ = _gold_span(ends[source.source_id], article, membership, actor)
    gold_target, _ = _gold_span(ends[source.target_id], other or article, membership, actor)
    twin = Relation.objects.filter(source=gold_source, target=gold_target, label_id=source.label_id).first()
    if twin is not None:
        return twin, False
    relation = Relation.objects.create(
        article=article,
        label=source.label,
        layer=Layer.GOLD,
        source=gold_source,
        target=gold_target,
        created_by=actor,
        origin=Origin.ADJUDICATED,
        adjudication=_copy_provenance(source, actor),
    )
    history_record(
        "relation.create", relation, actor=actor, article=article, before=None, after=history_state(relation)
    )
    changed(article, Layer.GOLD, None)
    if other is not None:  # its incremental record lists the relation too
        changed(other, Layer.GOLD, None)
    return relation, True
