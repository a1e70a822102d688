"""The pre-annotation job: run recognisers over a project's articles, in batches, into the
suggestion layer; and the service that starts it."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.models import User
from django.db.models import Exists, Max, OuterRef, QuerySet

from annotator.annotations.models import ArticleState, Layer, Span, Status
from annotator.articles.models import Article
from annotator.common.errors import InvalidInput
from annotator.jobs.models import Job
from annotator.jobs.registry import job_kind
from annotator.jobs.runner import JobContext
from annotator.jobs.services import job_create
from annotator.preannotation.recognisers import Recogniser, recogniser_get, recognisers
from annotator.preannotation.sources import LEARNED, recogniser_for
from annotator.preannotation.suggestions import Schema, Tally, schema_of, suggestions_write
from annotator.projects.access import membership_get, require_admin

PREANNOTATE = "preannotate"
ARTICLE_CHOICES = ("all", "unannotated")
BATCH_ARTICLES = 200  # per transaction: a cancel is seen, and progress moves, this often
MAX_ARTICLE_IDS = 100_000


def _check_params(params: dict[str, Any]) -> dict[str, Any]:
    """The job's params, checked and with their defaults: what the API and command accept."""
    unknown = sorted(set(params) - {"recognisers", "articles", "min_score"})
    if unknown:
        raise InvalidInput(
            f"Unknown parameter(s): {', '.join(unknown)}.", fields={k: ["unknown"] for k in unknown}
        )
    known = [r.name for r in recognisers()]
    names = params.get("recognisers")
    if not isinstance(names, list) or not names or not all(isinstance(n, str) for n in names):
        raise InvalidInput(
            f"recognisers must be a non-empty list of names (of {', '.join(known)}).",
            fields={"recognisers": ["a non-empty list of recogniser names"]},
        )
    wrong = [n for n in names if n not in known]
    if wrong:
        raise InvalidInput(
            f"Unknown recogniser(s) {', '.join(map(repr, wrong))}; known: {', '.join(known)}.",
            fields={"recognisers": [f"one of {', '.join(known)}"]},
        )
    articles = params.get("articles", "all")
    if isinstance(articles, list):
        if not articles or not all(
            isinstance(a, int) and not isinstance(a, bool) and a > 0 for a in articles
        ):
            raise InvalidInput(
                "articles must be 'all', 'unannotated' or a non-empty list of article ids.",
                fields={"articles": ["'all', 'unannotated' or a list of ids"]},
            )
        if len(articles) > MAX_ARTICLE_IDS:
            raise InvalidInput(
                f"At most {MAX_ARTICLE_IDS} article ids; use 'all' or 'unannotated' for more.",
                fields={"articles": [f"at most {MAX_ARTICLE_IDS} ids"]},
            )
        articles = sorted(set(articles))
    elif articles not in ARTICLE_CHOICES:
        raise InvalidInput(
            "articles must be 'all', 'unannotated' or a list of article ids.",
            fields={"articles": ["'all', 'unannotated' or a list of ids"]},
        )
    min_score = params.get("min_score", 0.0)
    if isinstance(min_score, bool) or not isinstance(min_score, int | float) or not 0 <= min_score <= 1:
        raise InvalidInput("min_score must be a number from 0 to 1.", fields={"min_score": ["0 to 1"]})
    return {"recognisers": list(dict.fromkeys(names)), "articles": articles, "min_score": float(min_score)}


def selected_articles(project_id: int, articles: str | list[int]) -> QuerySet[Article]:
    """The project's articles a run covers: all, those nobody has annotated yet (no span in an
    annotator's or the gold layer, not submitted), or the listed ones."""
    qs = Article.objects.filter(project_id=project_id)
    if isinstance(articles, list):
        return qs.filter(pk__in=articles)
    if articles == "unannotated":
        spans = Span.objects.filter(article=OuterRef("pk"), layer__in=(Layer.ANNOTATOR, Layer.GOLD))
        submitted = ArticleState.objects.filter(article=OuterRef("pk"), status=Status.SUBMITTED)
        qs = qs.filter(~Exists(spans), ~Exists(submitted))
    return qs


def _check_project(project_id: int, params: dict[str, Any]) -> None:
    """What params alone cannot tell: the articles and labels are the project's, a model exists."""
    if isinstance(params["articles"], list):
        found = set(selected_articles(project_id, params["articles"]).values_list("pk", flat=True))
        missing = [a for a in params["articles"] if a not in found]
        if missing:
            shown = ", ".join(map(str, missing[:20])) + (" ..." if len(missing) > 20 else "")
            raise InvalidInput(
                f"{len(missing)} article id(s) are not in this project: {shown}.",
                fields={"articles": ["ids of this project's articles"]},
            )
    schema = schema_of(project_id)
    for name in params["recognisers"]:
        spec = recogniser_for(name, project_id=project_id) if name == LEARNED else recogniser_get(name)
        assert spec is not None  # _check_params refused unknown names
        lacking = [label for label in spec.labels if label not in schema.spans]
        if lacking:
            raise InvalidInput(
                f"Recogniser {name!r} proposes {', '.join(lacking)}, which this project has no span "
                "label for; add the label(s) or leave the recogniser out.",
                fields={"recognisers": [f"{name} needs label(s) {', '.join(lacking)}"]},
            )


def preannotate_start(*, actor: User, project_id: int, params: dict[str, Any], publish: bool = True) -> Job:
    """Queue a pre-annotation job (project admins only); checked now, not in the worker.
    ``publish=False``: for a caller that runs the job itself (``manage.py preannotate``)."""
    require_admin(membership_get(user=actor, project_id=project_id), "run pre-annotation")
    checked = _check_params(params)
    _check_project(project_id, checked)
    return job_create(actor=actor, project_id=project_id, kind=PREANNOTATE, params=checked, publish=publish)


@job_kind(
    PREANNOTATE,
    description="Run recognisers over a project's articles and write their proposals as suggestions.",
    check_params=_check_params,
)
def run_preannotate(job: Job, ctx: JobContext) -> dict[str, Any]:
    """Replace the chosen recognisers' pending suggestions in the chosen articles, batch by
    batch (each its own transaction); decided suggestions and annotators' layers stay."""
    params = job.params
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
