"""The pre-annotation and recommender training job handlers; the services that start them
are in ``services``."""

from __future__ import annotations

from typing import Any

from django.db.models import Max

from annotator.common.errors import InvalidInput
from annotator.jobs.models import Job
from annotator.jobs.registry import job_kind
from annotator.jobs.runner import JobContext, JobFailed
from annotator.jobs.services import job_starter
from annotator.preannotation.claim_links import check_params as claim_links_params
from annotator.preannotation.claim_links import claim_links_run
from annotator.preannotation.recognisers import Recogniser, crosslinks, learned
from annotator.preannotation.recommender import training_examples
from annotator.preannotation.selectors import selected_articles, submitted_count
from annotator.preannotation.services import PREANNOTATE, TRAIN, recommender_model_create
from annotator.preannotation.sources import recogniser_for
from annotator.preannotation.suggestions import Schema, Tally, schema_of, suggestions_write
from annotator.projects.access import ADMIN_ONLY

BATCH_ARTICLES = 200  # per transaction: a cancel is seen, and progress moves, this often


@job_kind(
    PREANNOTATE,
    description="Run recognisers over a project's articles and write their proposals as suggestions.",
)
def run_preannotate(job: Job, ctx: JobContext) -> dict[str, Any]:
    """Replace the chosen recognisers' pending suggestions in the chosen articles, batch by
    batch (each its own transaction); decided suggestions and annotators' layers stay."""
    job_starter(job, roles=ADMIN_ONLY, action="run pre-annotation")
    params = job.params  # checked by preannotate_start
    ctx.progress(0, None, "preparing the recognisers")
    chosen: list[Recogniser] = [
        recogniser_for(name, project_id=job.project_id) for name in params["recognisers"]
    ]
    schema: Schema = schema_of(job.project_id)
    articles = selected_articles(job.project_id, params["articles"])
    # Articles imported while this runs are left for the next run: the total stays honest.
    last_id = articles.aggregate(last=Max("id"))["last"] or 0
    articles = articles.filter(pk__lte=last_id).order_by("pk")
    total = articles.count()
    ctx.progress(0, total, "pre-annotating")
    tally = Tally()
    done = after = 0
    while batch := list(articles.filter(pk__gt=after).values_list("pk", "text")[:BATCH_ARTICLES]):
        suggestions_write(
            project_id=job.project_id,
            articles=batch,
            recognisers=chosen,
            schema=schema,
            min_score=params["min_score"],
            tally=tally,
        )
        done += len(batch)
        after = batch[-1][0]
        # Between batches: a cancel stops here, with the batches so far written.
        ctx.progress(done, total, f"{done} of {total} articles, {tally.created} suggestions so far")
    ctx.progress(done, total, f"{done} articles pre-annotated: {tally.created} new suggestions")
    return {
        "articles": done,
        "recognisers": {r.name: r.version for r in chosen},
        "min_score": params["min_score"],
        **tally.as_dict(),
    }


@job_kind(
    TRAIN,
    description="Train the project's learned classifier on its CLAIM and REBUTTAL annotations.",
)
def run_train(job: Job, ctx: JobContext) -> dict[str, Any]:
    """Store a new model version, or fail saying how many examples are missing."""
    job_starter(job, roles=ADMIN_ONLY, action="train the recommender")
    submissions = submitted_count(project_id=job.project_id)  # before reading: none is missed
    ctx.progress(0, 2, "reading examples")
    examples = training_examples(
        project_id=job.project_id,
        progress=lambda done, total: ctx.progress(0, 2, f"reading examples: {done} of {total} articles"),
    )
    try:
        model = learned.train(examples, progress=lambda message: ctx.progress(1, 2, message))
    except learned.NotEnoughExamples as exc:
        raise JobFailed(str(exc), {"examples": exc.counts, "needed": exc.needed}) from None
    saved = recommender_model_create(project_id=job.project_id, model=model, submissions=submissions)
    scores = ", ".join(
        f"{label} P {m['precision']:.2f} R {m['recall']:.2f}" for label, m in saved.metrics.items()
    )
    ctx.progress(2, 2, f"model {saved.version} trained ({scores})")
    return {
        "model_version": saved.version,
        "examples": saved.examples,
        "metrics": saved.metrics,
        "labels": saved.labels,
        "left_out": saved.left_out,
    }


@job_kind(
    crosslinks.NAME,
    api_startable=True,
    description="Suggest SAME_CLAIM and REBUTS relations between claims and rebuttals of different articles.",
    check_params=claim_links_params,
)
def run_claim_links(job: Job, ctx: JobContext) -> dict[str, Any]:
    """Replace the project's pending claim_links suggestions with what the matcher proposes
    now; decided suggestions and people's layers stay."""
    job_starter(job, roles=ADMIN_ONLY, action="run pre-annotation")
    try:
        return claim_links_run(
            project_id=job.project_id,
            schema=schema_of(job.project_id),
            progress=lambda done, total, message: ctx.progress(done, total, message),
        )
    except InvalidInput as exc:
        raise JobFailed(exc.message, {}) from None
