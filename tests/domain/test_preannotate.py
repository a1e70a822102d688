"""Pre-annotation jobs run in this process (the runner, not a worker): what they write, what
re-runs replace, and what they never touch.

transactional_db: the runner's heartbeat thread has its own connection and must see the rows.
"""

import json
from typing import Any

import pytest
from django.db.models import Count

from annotator.annotations.models import Layer, Origin, Relation, Span, SuggestionStatus
from annotator.annotations.services import span_create
from annotator.jobs import runner
from annotator.jobs.models import Job, JobStatus
from annotator.jobs.runner import run_job
from annotator.preannotation import jobs as preannotation_jobs
from annotator.preannotation.recognisers import recogniser_get
from annotator.preannotation.services import preannotate_start
from annotator.projects.models import Label
from tests.conftest import World, add_article, result_of, streamed
from tests.factories import suggestion_create

VERSIONS = {name: recogniser_get(name).version for name in ("figures", "quotes")}  # type: ignore[union-attr]

pytestmark = pytest.mark.usefixtures("transactional_db")

TEXT = (
    'Ministers said "the plan will cut waiting lists by 10 per cent this year", the minister said.\n'
    "But critics said the scheme would cost £14billion and help only 55 NHS trusts."
)


def run(world: World, **params: Any) -> Job:
    job = preannotate_start(actor=world.users["admin"], project_id=world.project.pk, params=params)
    run_job(job.pk, redelivered=False)
    job.refresh_from_db()
    assert job.status == JobStatus.SUCCEEDED, (job.error, job.result)
    return job


def suggestions(world: World, **filters: Any) -> list[tuple[str, str, str, str]]:
    rows = Span.objects.filter(article__project=world.project, layer=Layer.SUGGESTION, **filters)
    return sorted(rows.values_list("text", "label__name", "recogniser", "suggestion_status"))


def test_a_run_writes_scored_pending_suggestions_and_reports_progress(world: World) -> None:
    article = add_article(world.users["admin"], world.project, TEXT, "t1")
    job = run(world, recognisers=["figures", "quotes"])
    assert (job.progress_done, job.progress_total) == (2, 2)  # the world's article and this one
    spans = Span.objects.filter(article=article, layer=Layer.SUGGESTION)
    assert {(s.text, s.label.name) for s in spans} >= {
        ("10 per cent", "FIGURE"),
        ("£14billion", "FIGURE"),
        ("55 NHS trusts", "FIGURE"),
        ("the plan will cut waiting lists by 10 per cent this year", "CLAIM"),
    }
    for span in spans:
        assert span.origin == Origin.SUGGESTED and span.suggestion_status == SuggestionStatus.PENDING
        assert (
            span.recogniser in ("figures", "quotes") and span.recogniser_version == VERSIONS[span.recogniser]
        )
        assert span.score is not None and 0 < span.score <= 1
        assert span.text == TEXT[span.start : span.end]
    claim = spans.get(label__name="CLAIM")
    assert claim.attributes.get("speaker")
    assert result_of(job)["created"] == Span.objects.filter(layer=Layer.SUGGESTION).count()
    assert result_of(job)["recognisers"] == VERSIONS
    assert result_of(job)["articles"] == 2


def test_a_rerun_keeps_the_same_suggestions_and_writes_nothing_new(world: World) -> None:
    add_article(world.users["admin"], world.project, TEXT, "t1")
    first = run(world, recognisers=["figures"])
    before = sorted(Span.objects.filter(layer=Layer.SUGGESTION).values_list("pk", "start", "end"))
    again = run(world, recognisers=["figures"])
    after = sorted(Span.objects.filter(layer=Layer.SUGGESTION).values_list("pk", "start", "end"))
    assert before == after and before
    assert result_of(again)["created"] == 0 and result_of(again)["kept"] == result_of(first)["created"]
    assert result_of(again)["removed"] == 0


def test_reruns_never_touch_manual_spans_or_decided_suggestions_and_never_repropose_rejected(
    world: World,
) -> None:
    article = add_article(world.users["admin"], world.project, TEXT, "t1")
    annotator = world.users["annotator"]
    start = TEXT.index("55 NHS trusts")
    manual = span_create(actor=annotator, article_id=article.pk, start=start, end=start + 13, label="FIGURE")
    run(world, recognisers=["figures"])
    pending = Span.objects.filter(article=article, layer=Layer.SUGGESTION)
    rejected = pending.get(text="£14billion")
    accepted = pending.get(text="55 NHS trusts")
    Span.objects.filter(pk=rejected.pk).update(suggestion_status=SuggestionStatus.REJECTED)
    Span.objects.filter(pk=accepted.pk).update(suggestion_status=SuggestionStatus.ACCEPTED)

    job = run(world, recognisers=["figures"])
    assert result_of(job)["skipped_decided"] == 2
    assert Span.objects.filter(article=article, layer=Layer.SUGGESTION, text="£14billion").count() == 1
    assert Span.objects.get(pk=rejected.pk).suggestion_status == SuggestionStatus.REJECTED
    assert Span.objects.get(pk=accepted.pk).suggestion_status == SuggestionStatus.ACCEPTED
    manual.refresh_from_db()
    assert (manual.layer, manual.annotator, manual.version) == (Layer.ANNOTATOR, annotator, 1)


def test_a_pending_suggestion_no_longer_proposed_goes_and_other_recognisers_stay(world: World) -> None:
    article = add_article(world.users["admin"], world.project, TEXT, "t1")
    figure = Label.objects.get(project=world.project, name="FIGURE")
    stale = suggestion_create(
        article=article, label=figure, start=0, end=9, recogniser="figures", recogniser_version="0.9"
    )
    other = suggestion_create(
        article=article, label=figure, start=10, end=14, recogniser="someone_else", recogniser_version="1"
    )
    start = TEXT.index("£14billion")
    old_version = suggestion_create(
        article=article,
        label=figure,
        start=start,
        end=start + 10,
        recogniser="figures",
        recogniser_version="0.9",
        score=0.1,
    )
    job = run(world, recognisers=["figures"])
    assert not Span.objects.filter(pk=stale.pk).exists()
    assert Span.objects.filter(pk=other.pk, suggestion_status=SuggestionStatus.PENDING).exists()
    replaced = Span.objects.get(pk=old_version.pk)  # proposed again: the same row, brought up to date
    assert (
        replaced.recogniser_version == VERSIONS["figures"]
        and replaced.score is not None
        and replaced.score > 0.1
    )
    assert result_of(job)["removed"] == 1 and result_of(job)["kept"] == 1


def test_two_recognisers_proposing_one_span_make_one_suggestion(world: World) -> None:
    article = add_article(world.users["admin"], world.project, TEXT, "t1")
    start = TEXT.index("55 NHS trusts")
    span_create(
        actor=world.users["annotator"], article_id=world.article.pk, start=37, end=42, label="FIGURE"
    )  # "4.75%" in the world's article: string_match proposes it wherever it recurs
    span_create(
        actor=world.users["annotator"], article_id=article.pk, start=start, end=start + 13, label="FIGURE"
    )
    job = run(world, recognisers=["figures", "string_match"])
    twice = (
        Span.objects.filter(layer=Layer.SUGGESTION)
        .values("article", "start", "end", "label")
        .annotate(n=Count("id"))
        .filter(n__gt=1)
    )
    assert not twice.exists()
    assert result_of(job)["skipped_duplicate"] >= 2
    assert Span.objects.get(article=article, layer=Layer.SUGGESTION, start=start).recogniser == "figures"


def test_string_match_proposes_what_annotators_labelled_elsewhere(world: World) -> None:
    first = add_article(world.users["admin"], world.project, "Only 55 NHS trusts replied.", "s1")
    second = add_article(world.users["admin"], world.project, "By March, 55 nhs  TRUSTS had replied.", "s2")
    span_create(actor=world.users["annotator"], article_id=first.pk, start=5, end=18, label="FIGURE")
    run(world, recognisers=["string_match"], articles=[second.pk])
    (suggestion,) = Span.objects.filter(layer=Layer.SUGGESTION)
    assert (suggestion.article_id, suggestion.text, suggestion.label.name) == (
        second.pk,
        "55 nhs  TRUSTS",
        "FIGURE",
    )
    assert (suggestion.recogniser, suggestion.score) == ("string_match", 1.0)


def test_rebuttals_link_to_the_claim_and_propose_it_when_no_suggestion_is_there(world: World) -> None:
    text = (
        'The minister said "rents will fall by a third next year". But critics denied that rents would fall.'
    )
    article = add_article(world.users["admin"], world.project, text, "r1")
    job = run(world, recognisers=["rebuttals"])
    (relation,) = Relation.objects.filter(article=article, layer=Layer.SUGGESTION)
    assert relation.label.name == "REBUTS" and relation.suggestion_status == SuggestionStatus.PENDING
    assert relation.source.label.name == "REBUTTAL" and relation.target.label.name == "CLAIM"
    assert relation.target.text == "rents will fall by a third next year"
    assert relation.recogniser == "rebuttals" and relation.target.recogniser == "rebuttals"
    assert result_of(job)["relations_created"] == 1
    # With quotes too, the claim is one suggestion, and re-running changes nothing.
    again = run(world, recognisers=["quotes", "rebuttals"])
    assert Relation.objects.filter(layer=Layer.SUGGESTION).count() == 1
    assert Span.objects.filter(article=article, layer=Layer.SUGGESTION, label__name="CLAIM").count() == 1
    assert result_of(again)["relations_created"] == 0


def test_a_rejected_relation_suggestion_is_not_proposed_again(world: World) -> None:
    text = (
        'The minister said "rents will fall by a third next year". But critics denied that rents would fall.'
    )
    add_article(world.users["admin"], world.project, text, "r1")
    run(world, recognisers=["quotes", "rebuttals"])
    Relation.objects.update(suggestion_status=SuggestionStatus.REJECTED)
    job = run(world, recognisers=["quotes", "rebuttals"])
    assert Relation.objects.count() == 1 and result_of(job)["relations_created"] == 0


def test_min_score_and_unannotated_articles(world: World) -> None:
    done = add_article(world.users["admin"], world.project, "Rents rose 4.75% in 55 NHS trusts.", "d1")
    todo = add_article(world.users["admin"], world.project, "Rents rose 4.75% in 55 NHS trusts.", "d2")
    span_create(actor=world.users["annotator"], article_id=done.pk, start=11, end=16, label="FIGURE")
    # The model scores a percentage above a count: min_score between the two keeps one.
    scores = {p.start: p.score for p in recogniser_get("figures").propose(todo.text)}  # type: ignore[union-attr]
    assert scores[11] > scores[20]
    job = run(world, recognisers=["figures"], articles="unannotated", min_score=(scores[11] + scores[20]) / 2)
    annotated = set(Span.objects.filter(layer=Layer.SUGGESTION).values_list("article_id", flat=True))
    assert done.pk not in annotated and todo.pk in annotated
    assert job.progress_total == 2  # todo and the world's article, which nobody annotated either
    assert suggestions(world, article=todo) == [("4.75%", "FIGURE", "figures", "pending")]
    assert result_of(job)["skipped_low_score"] >= 1  # 55 NHS trusts scores less


def test_cancel_between_batches_keeps_the_batches_written(
    world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    for i in range(5):
        add_article(world.users["admin"], world.project, f"Rents rose {i + 1}% this year.", f"c{i}")
    monkeypatch.setattr(preannotation_jobs, "BATCH_ARTICLES", 2)
    monkeypatch.setattr(runner, "PROGRESS_WRITE_INTERVAL", 0)  # every progress call looks at the job
    real_write = preannotation_jobs.suggestions_write
    job: Job | None = None

    def write_then_cancel(**kwargs: Any) -> None:
        real_write(**kwargs)
        assert job is not None
        Job.objects.filter(pk=job.pk).update(cancel_requested=True)

    monkeypatch.setattr(preannotation_jobs, "suggestions_write", write_then_cancel)
    job = preannotate_start(
        actor=world.users["admin"], project_id=world.project.pk, params={"recognisers": ["figures"]}
    )
    run_job(job.pk, redelivered=False)
    job.refresh_from_db()
    assert job.status == JobStatus.CANCELLED
    written = Span.objects.filter(layer=Layer.SUGGESTION).values("article").distinct().count()
    assert written == 2 and (job.progress_done, job.progress_total) == (2, 6)


def test_the_registered_recognisers_all_run(world: World) -> None:
    names = ["figures", "quotes", "rebuttals", "string_match"]
    for name in names:
        assert recogniser_get(name) is not None
    add_article(world.users["admin"], world.project, TEXT, "t1")
    job = run(world, recognisers=names)
    assert set(result_of(job)["recognisers"]) == set(names)


@pytest.mark.django_db(transaction=True, databases=["default", "snapshot"])
def test_exports_and_the_article_show_the_suggestion_layer_with_provenance(world: World) -> None:
    text = (
        'The minister said "rents will fall by a third next year". But critics denied that rents would fall.'
    )
    article = add_article(world.users["admin"], world.project, text, "x1")
    run(world, recognisers=["quotes", "rebuttals"])
    client = world.client("researcher")
    body = streamed(client.get(f"/api/v1/projects/{world.project.pk}/export.jsonl?layers=suggestions"))
    line = next(json.loads(row) for row in body.splitlines() if json.loads(row)["id"] == "x1")
    (layer,) = line["annotations"]
    assert layer["layer"] == "suggestions"
    claim = next(s for s in layer["spans"] if s["label"] == "CLAIM")
    assert claim["text"] == "rents will fall by a third next year"
    assert claim["provenance"]["origin"] == "suggested" and claim["provenance"]["recogniser"] == "quotes"
    assert claim["provenance"]["score"] > 0 and claim["attributes"] == {"speaker": "The minister"}
    assert [r["label"] for r in layer["relations"]] == ["REBUTS"]
    shown = world.client("annotator").get(f"/api/v1/articles/{article.pk}/").json()
    suggested = [s for s in shown["spans"] if s["layer"] == "suggestion"]
    assert {s["provenance"]["recogniser"] for s in suggested} == {"quotes", "rebuttals"}
    assert all(s["suggestion_status"] == "pending" and s["provenance"]["score"] for s in suggested)
