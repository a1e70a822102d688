"""The recommender: training examples read from the database, the training job run in this
process (the runner, not a worker), who may train, and retraining after N submissions.

transactional_db: the runner's heartbeat thread has its own connection and must see the rows.
"""

from pathlib import Path
from typing import Any

import pytest

from annotator.annotations.models import Layer, Origin, Span
from annotator.annotations.services import span_create, state_set
from annotator.articles.models import Article
from annotator.common.errors import Conflict, Forbidden, InvalidInput, NotFound
from annotator.jobs.models import Job, JobStatus
from annotator.jobs.runner import run_job
from annotator.preannotation.evaluation import Counts, parse_marked, score
from annotator.preannotation.models import RecommenderModel
from annotator.preannotation.recognisers.learned import MIN_POSITIVES, Example
from annotator.preannotation.recommender import training_examples
from annotator.preannotation.services import (
    TRAIN,
    preannotate_start,
    recommender_retrain_if_due,
    recommender_train_start,
    state_set_and_maybe_retrain,
)
from annotator.preannotation.sources import learned_recogniser
from annotator.projects.models import Label
from tests.conftest import World, add_article
from tests.factories import suggestion_create

pytestmark = pytest.mark.usefixtures("transactional_db")

EVAL_SET = Path(__file__).resolve().parent.parent / "data" / "preannotation" / "eval.txt"
EVAL = parse_marked(EVAL_SET.read_text())


def annotate(world: World, count: int, *, first: int = 0, who: str = "annotator") -> list[Article]:
    """``count`` articles of the evaluation set from ``first`` on, their CLAIM and REBUTTAL
    marks made by ``who`` by hand, each submitted as the API does."""
    user = world.users[who]
    articles = []
    for marked in EVAL[first : first + count]:
        article = add_article(world.users["admin"], world.project, marked.text, marked.id)
        for s in marked.spans:
            if s.label in ("CLAIM", "REBUTTAL"):
                span_create(actor=user, article_id=article.pk, start=s.start, end=s.end, label=s.label)
        state_set_and_maybe_retrain(actor=user, article_id=article.pk, status="submitted", expected_version=0)
        articles.append(article)
    return articles


def train(world: World) -> Job:
    job = recommender_train_start(actor=world.users["admin"], project_id=world.project.pk)
    run_job(job.pk, redelivered=False)
    job.refresh_from_db()
    return job


def submit_new(world: World, n: int, *, retrain: bool = True) -> list[Job | None]:
    """Submit ``n`` fresh articles as the annotator, the way the API does."""
    queued = []
    for _ in range(n):
        number = Article.objects.count()
        article = add_article(world.users["admin"], world.project, f"Filler article {number}.", f"f{number}")
        submit: Any = state_set_and_maybe_retrain if retrain else state_set
        submit(actor=world.users["annotator"], article_id=article.pk, status="submitted", expected_version=0)
        queued.append(Job.objects.filter(kind=TRAIN, status=JobStatus.QUEUED).first())
    return queued


# --- examples ------------------------------------------------------------------------------


def test_examples_are_the_sentences_of_annotated_articles(world: World) -> None:
    admin, annotator, reviewer = (world.users[r] for r in ("admin", "annotator", "reviewer"))
    text = (
        '"Fares will fall," the mayor said. But the union denied it. Trains ran late. '
        '"Buses are free," she added. Tickets cost £4. An imported "claim" here.'
    )
    article = add_article(admin, world.project, text, "marked")

    def at(part: str) -> tuple[int, int]:
        return text.index(part), text.index(part) + len(part)

    span_create(
        actor=annotator,
        article_id=article.pk,
        start=at("Fares will fall")[0],
        end=at("Fares will fall")[1],
        label="CLAIM",
    )
    start, end = at("the union denied it")
    span_create(actor=reviewer, article_id=article.pk, start=start, end=end, label="REBUTTAL", layer="gold")
    start, end = at("£4")
    span_create(actor=annotator, article_id=article.pk, start=start, end=end, label="FIGURE")
    claim = Label.objects.get(project=world.project, name="CLAIM")
    start, end = at("Buses are free")  # a pending suggestion is nobody's decision: a negative
    suggestion_create(
        article=article, label=claim, start=start, end=end, recogniser="quotes", recogniser_version="1.0"
    )
    start, end = at("claim")  # imported: neither learned from nor taken as a negative
    Span.objects.create(
        article=article,
        label=claim,
        layer=Layer.GOLD,
        origin=Origin.IMPORTED,
        start=start,
        end=end,
        text="claim",
    )
    submitted = add_article(admin, world.project, "Nothing to see. Really nothing.", "submitted")
    state_set(actor=annotator, article_id=submitted.pk, status="submitted", expected_version=0)
    add_article(admin, world.project, "Never opened. By anyone.", "untouched")
    # world.article is untouched too.

    progress: list[tuple[int, int]] = []
    examples = training_examples(project_id=world.project.pk, progress=lambda *p: progress.append(p))
    assert sorted(examples, key=lambda e: e.text) == sorted(
        [
            Example('"Fares will fall," the mayor said.', frozenset({"CLAIM"})),
            Example("But the union denied it.", frozenset({"REBUTTAL"})),
            Example("Trains ran late."),
            Example('"Buses are free," she added.'),
            Example("Tickets cost £4."),
            Example("Nothing to see."),
            Example("Really nothing."),
        ],
        key=lambda e: e.text,
    )
    assert progress == [(2, 2)]
    assert training_examples(project_id=world.other_project.pk) == []


# --- training ------------------------------------------------------------------------------


def test_learned_recogniser_says_how_to_train_before_any_model(world: World) -> None:
    with pytest.raises(InvalidInput) as refused:
        learned_recogniser(world.project.pk)
    assert f"POST /api/v1/projects/{world.project.pk}/recommender/train/" in refused.value.message


def test_a_training_job_stores_a_model_the_recogniser_uses(world: World) -> None:
    annotate(world, 20)
    job = train(world)
    assert job.status == JobStatus.SUCCEEDED, job.error
    result: dict[str, Any] = job.result or {}
    assert result["model_version"] == 1 and result["labels"] == ["CLAIM", "REBUTTAL"]
    assert result["examples"]["CLAIM"] >= MIN_POSITIVES and result["examples"]["NONE"] > 0
    for label in ("CLAIM", "REBUTTAL"):
        assert set(result["metrics"][label]) == {"precision", "recall", "f1", "folds"}
        assert 0 <= result["metrics"][label]["recall"] <= 1 and result["metrics"][label]["f1"] > 0.5
    assert (job.progress_done, job.progress_total) == (2, 2) and job.message.startswith("model 1 trained")
    model = RecommenderModel.objects.get(project=world.project)
    assert (model.version, model.trained_on_submissions, model.metrics) == (1, 20, result["metrics"])

    recogniser = learned_recogniser(world.project.pk)
    assert (recogniser.name, recogniser.version) == ("learned", "1.1+model.1")
    unseen = EVAL[30].text
    proposals = recogniser.propose(unseen)
    assert proposals and {p.label for p in proposals} <= {"CLAIM", "REBUTTAL"}
    assert all(p.attributes == {"model_version": 1} and 0.5 <= p.score <= 1 for p in proposals)
    with pytest.raises(InvalidInput):
        learned_recogniser(world.other_project.pk)


def test_versions_count_up_and_only_the_latest_two_keep_their_classifier(world: World) -> None:
    annotate(world, 12)
    for _ in range(3):
        assert train(world).status == JobStatus.SUCCEEDED
    models = {m.version: m for m in RecommenderModel.objects.filter(project=world.project)}
    assert sorted(models) == [1, 2, 3]
    assert bytes(models[1].blob) == b"" and bytes(models[2].blob) and bytes(models[3].blob)
    assert models[1].metrics == models[3].metrics  # same examples, same figures: kept for the history
    assert learned_recogniser(world.project.pk).version == "1.1+model.3"


def test_training_with_too_few_examples_fails_saying_how_many_it_needs(world: World) -> None:
    annotate(world, 2)
    job = train(world)
    assert job.status == JobStatus.FAILED
    assert f"at least {MIN_POSITIVES} sentences marked CLAIM" in job.error
    result: dict[str, Any] = job.result or {}
    assert result["needed"] == {"CLAIM": MIN_POSITIVES, "REBUTTAL": MIN_POSITIVES, "NONE": 20}
    assert 0 < result["examples"]["CLAIM"] < MIN_POSITIVES
    assert not RecommenderModel.objects.exists()


def test_only_admins_train_and_one_training_at_a_time(world: World) -> None:
    for role in ("reviewer", "annotator", "researcher"):
        with pytest.raises(Forbidden):
            recommender_train_start(actor=world.users[role], project_id=world.project.pk)
    with pytest.raises(NotFound):
        recommender_train_start(actor=world.users["outsider"], project_id=world.project.pk)
    job = recommender_train_start(actor=world.users["admin"], project_id=world.project.pk)
    assert (job.kind, job.status, job.params) == (TRAIN, "queued", {"trigger": "manual", "submissions": 0})
    with pytest.raises(Conflict, match=f"already queued \\(job {job.pk}\\)"):
        recommender_train_start(actor=world.users["admin"], project_id=world.project.pk)
    assert Job.objects.filter(kind=TRAIN).count() == 1


def test_the_model_improves_as_the_project_is_annotated(world: World, settings: Any) -> None:
    """10 articles annotated, trained; 20 more annotated, retrained by the submissions. The
    last 16 articles of the evaluation set, never annotated, are the held-out test."""
    settings.RECOMMENDER_RETRAIN_EVERY = 20
    held_out = EVAL[30:]

    def span_f1(recogniser: Any) -> dict[str, float]:
        counts = {"CLAIM": Counts(), "REBUTTAL": Counts()}
        for article in held_out:
            predicted = [(p.start, p.end, p.label) for p in recogniser.propose(article.text)]
            for label in counts:
                counts[label] += score(article.spans, predicted, label, "overlap")
        return {label: c.f1 for label, c in counts.items()}

    annotate(world, 10)
    assert train(world).status == JobStatus.SUCCEEDED
    before = span_f1(learned_recogniser(world.project.pk))
    annotate(world, 19, first=10)
    assert not Job.objects.filter(status=JobStatus.QUEUED).exists()
    annotate(world, 1, first=29)  # the 20th submission since training
    retraining = Job.objects.get(kind=TRAIN, status=JobStatus.QUEUED)
    run_job(retraining.pk, redelivered=False)
    after = span_f1(learned_recogniser(world.project.pk))

    first, second = RecommenderModel.objects.filter(project=world.project).order_by("version")
    assert (first.trained_on_submissions, second.trained_on_submissions) == (10, 30)
    assert second.examples["CLAIM"] > 2 * first.examples["CLAIM"]
    for label in ("CLAIM", "REBUTTAL"):
        assert second.metrics[label]["f1"] > first.metrics[label]["f1"], label  # cross-validated
        assert after[label] >= before[label] > 0.8, label  # held out, spans matched by overlap


# --- retraining after N submissions --------------------------------------------------------


def test_retrains_after_every_n_submissions_once_trained(world: World, settings: Any) -> None:
    settings.RECOMMENDER_RETRAIN_EVERY = 3
    annotate(world, 12)
    assert submit_new(world, 3) == [None] * 3  # never trained: not retrained either
    assert (train(world).result or {})["model_version"] == 1  # trained on 15 submissions

    first, second, third = submit_new(world, 3)
    assert first is None and second is None and third is not None  # the third since training
    assert third.params == {"trigger": "submissions", "submissions": 18}
    assert third.created_by == world.users["admin"]
    assert submit_new(world, 3)[-1] == third  # one at a time: the queued one stands
    assert Job.objects.filter(kind=TRAIN, status=JobStatus.QUEUED).count() == 1

    run_job(third.pk, redelivered=False)
    latest = RecommenderModel.objects.filter(project=world.project).first()
    assert latest is not None and (latest.version, latest.trained_on_submissions) == (2, 21)
    assert submit_new(world, 2) == [None, None]
    assert submit_new(world, 1)[0] is not None


def test_a_failed_retraining_waits_for_n_more_submissions(world: World, settings: Any) -> None:
    settings.RECOMMENDER_RETRAIN_EVERY = 2
    annotate(world, 12)
    train(world)
    job = submit_new(world, 2)[-1]
    assert job is not None
    Job.objects.filter(pk=job.pk).update(status=JobStatus.FAILED)  # e.g. its worker died
    assert submit_new(world, 1) == [None]
    assert submit_new(world, 1)[0] is not None


def test_retraining_is_off_at_zero_and_only_submissions_count(world: World, settings: Any) -> None:
    settings.RECOMMENDER_RETRAIN_EVERY = 1
    annotate(world, 12)
    train(world)
    article = add_article(world.users["admin"], world.project, "Another one.", "x1")
    state_set_and_maybe_retrain(
        actor=world.users["annotator"], article_id=article.pk, status="in_progress", expected_version=0
    )
    assert not Job.objects.filter(kind=TRAIN, status=JobStatus.QUEUED).exists()
    settings.RECOMMENDER_RETRAIN_EVERY = 0
    assert submit_new(world, 2) == [None, None]
    assert recommender_retrain_if_due(project_id=world.project.pk) is None
    settings.RECOMMENDER_RETRAIN_EVERY = 1
    assert recommender_retrain_if_due(project_id=world.project.pk) is not None


def test_pre_annotation_with_the_learned_model_writes_versioned_scored_suggestions(world: World) -> None:
    admin = world.users["admin"]
    with pytest.raises(InvalidInput, match="No model trained for this project yet"):
        preannotate_start(actor=admin, project_id=world.project.pk, params={"recognisers": ["learned"]})
    annotate(world, 20)
    assert train(world).status == JobStatus.SUCCEEDED
    unseen = add_article(admin, world.project, EVAL[40].text, "unseen")
    job = preannotate_start(
        actor=admin, project_id=world.project.pk, params={"recognisers": ["learned"], "articles": [unseen.pk]}
    )
    run_job(job.pk, redelivered=False)
    job.refresh_from_db()
    assert job.status == JobStatus.SUCCEEDED, job.error
    made = Span.objects.filter(article=unseen, layer=Layer.SUGGESTION)
    assert made.exists()
    for span in made:
        assert (span.recogniser, span.recogniser_version) == ("learned", "1.1+model.1")
        assert span.attributes == {"model_version": 1} and span.score is not None and 0.5 <= span.score <= 1
        assert span.label.name in ("CLAIM", "REBUTTAL")
