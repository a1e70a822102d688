"""The claim_links job: cross-article SAME_CLAIM and REBUTS suggestions written from people's
and the suggestion layer's spans, accepted across articles, and replaced idempotently."""

from typing import Any

import pytest

from annotator.annotations.models import Layer, Relation, Span, SuggestionStatus
from annotator.annotations.rejecting import relation_suggestion_reject
from annotator.annotations.review import relation_suggestion_accept
from annotator.annotations.services import span_create
from annotator.jobs.models import Job, JobStatus
from annotator.jobs.runner import run_job
from annotator.jobs.services import job_create
from annotator.projects.models import Label, Membership, Role
from tests.conftest import World, add_article, result_of
from tests.factories import suggestion_create

pytestmark = pytest.mark.usefixtures("transactional_db")

CLAIM_A = "ferry fares will rise by 12% next spring"
CLAIM_B = "Ferry fares will have to rise by 12% next spring"
REBUTTAL = "Nobody believes that ferry fares will rise by 12% next spring"


def run(world: World) -> Job:
    job = job_create(actor=world.admin, project_id=world.project.pk, kind="claim_links", params={})
    run_job(job.pk, redelivered=False)
    job.refresh_from_db()
    return job


def mark(world: World, article: Any, text: str, label: str) -> Span:
    start = article.text.index(text)
    return span_create(
        actor=world.annotator, article_id=article.pk, start=start, end=start + len(text), label=label
    )


def suggest(world: World, article: Any, text: str, label: str, speaker: str = "") -> Span:
    start = article.text.index(text)
    return suggestion_create(
        article=article,
        label=Label.objects.get(project=world.project, name=label),
        start=start,
        end=start + len(text),
        recogniser="quotes",
        recogniser_version="1",
        score=0.9,
        attributes={"speaker": speaker} if speaker else {},
    )


@pytest.fixture
def three(world: World) -> tuple[Any, Any, Any]:
    a = add_article(world.admin, world.project, f'Helena Varga said "{CLAIM_A}" on Monday.', "a")
    b = add_article(world.admin, world.project, f'"{CLAIM_B}," the chair said.', "b")
    c = add_article(world.admin, world.project, f"{REBUTTAL}, said the union.", "c")
    return a, b, c


def claim_links_suggestions() -> list[tuple[str, int, int, str]]:
    rows = Relation.objects.filter(layer=Layer.SUGGESTION, recogniser="claim_links").select_related(
        "label", "source", "target"
    )
    return sorted((r.label.name, r.source.article_id, r.target.article_id, r.suggestion_status) for r in rows)


def test_the_job_suggests_same_claim_and_rebuts_across_articles(world: World, three: Any) -> None:
    a, b, c = three
    suggest(world, a, CLAIM_A, "CLAIM", "Helena Varga")
    mark(world, b, CLAIM_B, "CLAIM")  # only in a person's layer: gets a suggestion twin
    mark(world, c, REBUTTAL, "REBUTTAL")
    job = run(world)
    assert job.status == JobStatus.SUCCEEDED, job.error
    result = result_of(job)
    assert result["claims"] == 2 and result["rebuttals"] == 1
    assert claim_links_suggestions() == [
        ("REBUTS", c.pk, a.pk, "pending"),
        ("REBUTS", c.pk, b.pk, "pending"),
        ("SAME_CLAIM", a.pk, b.pk, "pending"),
    ]
    twins = Span.objects.filter(layer=Layer.SUGGESTION, recogniser="claim_links")
    assert sorted(s.article_id for s in twins) == [b.pk, c.pk]
    for relation in Relation.objects.filter(recogniser="claim_links"):
        assert relation.source.layer == relation.target.layer == Layer.SUGGESTION
        assert relation.article_id == relation.source.article_id
        assert relation.score is not None and 0 < relation.score <= 1 and relation.attributes["reason"]
        assert relation.recogniser_version == "1"


def test_accepting_a_cross_article_suggestion_makes_a_cross_article_relation(
    world: World, three: Any
) -> None:
    a, b, _ = three
    suggest(world, a, CLAIM_A, "CLAIM")
    own = mark(world, b, CLAIM_B, "CLAIM")
    run(world)
    same = Relation.objects.get(recogniser="claim_links", label__name="SAME_CLAIM")
    relation, created = relation_suggestion_accept(actor=world.annotator, suggestion_id=same.pk)
    assert created
    assert (relation.layer, relation.annotator_id) == (Layer.ANNOTATOR, world.annotator.pk)
    assert relation.source.article_id == a.pk and relation.target.article_id == b.pk
    assert relation.target.pk == own.pk  # the annotator's own span, not a second copy of it
    assert Span.objects.filter(layer=Layer.ANNOTATOR, article=b).count() == 1
    source = relation.source
    assert (source.layer, source.text, source.origin) == (Layer.ANNOTATOR, CLAIM_A, "accepted")
    same.refresh_from_db()
    assert same.suggestion_status == SuggestionStatus.ACCEPTED
    again, created = relation_suggestion_accept(actor=world.annotator, suggestion_id=same.pk)
    assert (again.pk, created) == (relation.pk, False)


def test_a_rerun_replaces_its_pending_suggestions_and_keeps_decided_ones(world: World, three: Any) -> None:
    a, b, c = three
    suggest(world, a, CLAIM_A, "CLAIM")
    claim_b = mark(world, b, CLAIM_B, "CLAIM")
    mark(world, c, REBUTTAL, "REBUTTAL")
    run(world)
    first = {r.pk for r in Relation.objects.filter(recogniser="claim_links")}
    same = Relation.objects.get(recogniser="claim_links", label__name="SAME_CLAIM")
    relation_suggestion_reject(actor=world.annotator, suggestion_id=same.pk)
    to_a = Relation.objects.get(recogniser="claim_links", label__name="REBUTS", target__article=a)
    relation_suggestion_accept(actor=world.annotator, suggestion_id=to_a.pk)

    result = result_of(run(world))
    assert (result["created"], result["removed"], result["kept"], result["skipped_decided"]) == (0, 0, 1, 2)
    assert {r.pk for r in Relation.objects.filter(recogniser="claim_links", layer=Layer.SUGGESTION)} == first

    # The annotator deletes the claim in b: the pending suggestion to it goes, decided ones stay.
    Span.objects.filter(pk=claim_b.pk).delete()
    result = result_of(run(world))
    assert (result["created"], result["removed"]) == (0, 1)
    assert claim_links_suggestions() == [
        ("REBUTS", c.pk, a.pk, "accepted"),
        ("SAME_CLAIM", a.pk, b.pk, "rejected"),
    ]


def test_only_admins_may_run_it_and_the_starter_is_rechecked(world: World) -> None:
    from annotator.common.errors import Forbidden

    with pytest.raises(Forbidden):
        job_create(actor=world.annotator, project_id=world.project.pk, kind="claim_links", params={})
    job = job_create(actor=world.admin, project_id=world.project.pk, kind="claim_links", params={})
    Membership.objects.filter(project=world.project, user=world.admin).update(role=Role.ANNOTATOR)
    run_job(job.pk, redelivered=False)
    job.refresh_from_db()
    assert job.status == JobStatus.FAILED and "Only a project admin" in job.error


def test_an_annotator_cannot_accept_into_an_article_not_assigned_to_them(world: World, three: Any) -> None:
    from annotator.articles.models import Assignment
    from annotator.common.errors import NotFound

    a, b, _ = three
    suggest(world, a, CLAIM_A, "CLAIM")
    suggest(world, b, CLAIM_B, "CLAIM")
    run(world)
    world.project.assignment = "overlap"
    world.project.save()
    Assignment.objects.create(project=world.project, article=a, annotator=world.annotator)
    same = Relation.objects.get(recogniser="claim_links", label__name="SAME_CLAIM")
    with pytest.raises(NotFound):
        relation_suggestion_accept(actor=world.annotator, suggestion_id=same.pk)
    assert not Span.objects.filter(layer=Layer.ANNOTATOR).exists()
    same.refresh_from_db()
    assert same.suggestion_status == SuggestionStatus.PENDING


@pytest.mark.django_db(transaction=True, databases=["default", "snapshot"])
def test_the_evaluation_set_imports_and_the_job_finds_what_the_matcher_finds(world: World) -> None:
    import io
    from pathlib import Path

    from annotator.exchange.importing import ImportOptions, import_file
    from annotator.preannotation.recognisers.crosslinks import claim_links
    from bench.claim_links import EVAL, eval_set

    data = Path(EVAL).read_bytes()
    report = import_file(
        actor=world.admin,
        project_id=world.project.pk,
        open_file=lambda: io.BytesIO(data),
        filename="crossarticle.jsonl",
        options=ImportOptions(),
    )
    assert report.articles_created == 35 and report.relations_created == 49, report
    gold = Relation.objects.filter(article__project=world.project, layer=Layer.GOLD)
    claims, rebuttals, expected = eval_set()
    assert gold.count() == len(expected) and gold.filter(label__name="REBUTS").count() >= 30
    varga = sum(item.speaker == "Helena Varga" for item in claims + rebuttals)
    assert (
        varga and Span.objects.filter(layer=Layer.GOLD, attributes__speaker="Helena Varga").count() == varga
    )

    result = result_of(run(world))
    pairs = claim_links(claims, rebuttals)
    found = {label: sum(p.label == label for p in pairs) for label in {p.label for p in pairs}}
    assert result["proposed"] == found and result["created"] == len(pairs)
    # Every end of a pair gets a suggestion twin of its gold span, and only those.
    assert result["twins_created"] == len({end for p in pairs for end in (p.source, p.target)})
