"""Job handlers of the annotations app: the integrity check of the stored articles and spans
(each span's text is its article's text between its offsets; the text matches its hash)."""

from typing import Any

from django.db.models import Max

from annotator.annotations.models import Span
from annotator.articles.models import Article
from annotator.common.errors import InvalidInput
from annotator.common.text import sha256_hex
from annotator.jobs.models import Job
from annotator.jobs.registry import job_kind
from annotator.jobs.runner import JobContext

INTEGRITY_BATCH = 100  # articles per batch: bounds memory (texts may be long) and progress steps
MAX_PROBLEMS_REPORTED = 100


def _no_params(params: dict[str, Any]) -> dict[str, Any]:
    if params:
        names = ", ".join(sorted(params))
        raise InvalidInput(
            f"integrity_check takes no params (got {names})", fields={"params": ["must be empty"]}
        )
    return {}


@job_kind(
    "integrity_check",
    api_startable=True,
    description=(
        "Check that every article's text matches its text_sha256 and every span's text "
        "equals article.text[start:end]."
    ),
    check_params=_no_params,
)
def integrity_check(job: Job, ctx: JobContext) -> dict[str, Any]:
    """Verify the stored invariants of a project's articles and spans; change nothing."""
    articles = Article.objects.filter(project_id=job.project_id)
    # Articles imported while this runs are left for the next check: total stays honest.
    last_id = articles.aggregate(last=Max("id"))["last"] or 0
    articles = articles.filter(id__lte=last_id).order_by("id")
    total = articles.count()
    ctx.progress(0, total, "checking articles and spans")
    done = span_count = problem_count = 0
    problems: list[dict[str, Any]] = []

    def problem(**item: Any) -> None:
        nonlocal problem_count
        problem_count += 1
        if len(problems) < MAX_PROBLEMS_REPORTED:
            problems.append(item)

    after = 0
    while True:
        batch = list(
            articles.filter(id__gt=after).only("id", "external_id", "text", "text_sha256")[:INTEGRITY_BATCH]
        )
        if not batch:
            break
        texts = {}
        for article in batch:
            texts[article.pk] = article.text
            actual = sha256_hex(article.text)
            if actual != article.text_sha256:
                problem(
                    kind="text_sha256_mismatch",
                    article=article.pk,
                    external_id=article.external_id,
                    message=f"stored text_sha256 {article.text_sha256} but the text hashes to {actual}",
                )
        spans = (
            Span.objects.filter(article_id__in=texts)
            .order_by("id")
            .values_list("id", "article_id", "start", "end", "text")
        )
        for span_id, article_id, start, end, text in spans.iterator(chunk_size=2000):
            span_count += 1
            article_text = texts[article_id]
            if not 0 <= start < end <= len(article_text):
                problem(
                    kind="span_out_of_range",
                    article=article_id,
                    span=span_id,
                    message=f"[{start}, {end}) is outside the article's {len(article_text)} code points",
                )
            elif article_text[start:end] != text:
                problem(
                    kind="span_text_mismatch",
                    article=article_id,
                    span=span_id,
                    message=f"span text {text[:40]!r} != article text {article_text[start:end][:40]!r}",
                )
        done += len(batch)
        after = batch[-1].pk
        ctx.progress(done, total)
    summary = f"{done} articles and {span_count} spans checked; {problem_count} problem(s)"
    ctx.progress(done, total, summary)
    return {
        "articles": done,
        "spans": span_count,
        "problem_count": problem_count,
        "problems": problems,
    }
