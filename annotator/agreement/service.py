"""A project's agreement report (docs/agreement.md): the request's parameters checked, the
chosen layers read in a fixed number of queries (a few per 5,000 articles, none per article),
and the figures computed by ``compute``; also the report as CSV tables."""

from collections import defaultdict
from collections.abc import Iterator
from typing import Any

from django.contrib.auth.models import User
from django.db.models.functions import Length

from annotator.annotations.models import ArticleState, DocumentLabel, Layer, Relation, Span, Status
from annotator.articles.models import Article
from annotator.common.errors import InvalidInput
from annotator.projects.access import READ_ALL_LAYERS, membership_get, require_role
from annotator.projects.models import Label, LabelKind, Membership, Project

from .compute import ArticleInfo, Gathered, LayerData, agreement_report
from .metrics_spans import MATCHES

STATUSES = {"submitted": [Status.SUBMITTED], "any": [Status.IN_PROGRESS, Status.SUBMITTED]}
FIELDS = ("labels", "status", "articles", "annotators", "match", "tokens")
CHUNK = 5000  # article ids per query


def _names(value: object, field: str) -> list[str] | None:
    if value is None:
        return None
    if isinstance(value, str):
        value = [part.strip() for part in value.split(",") if part.strip()]
    if not isinstance(value, list) or not all(isinstance(v, str) and v for v in value):
        raise InvalidInput(f"{field}: a list of names.", fields={field: ["a list of names"]})
    return list(dict.fromkeys(value)) or None


def check_params(params: dict[str, Any]) -> dict[str, Any]:
    """The report's parameters with their defaults, or a 400 naming the field."""
    unknown = sorted(set(params) - set(FIELDS))
    if unknown:
        raise InvalidInput(
            f"Unknown fields: {', '.join(unknown)}.", fields={name: ["unknown field"] for name in unknown}
        )
    status, match, tokens = (
        params.get("status") or "submitted",
        params.get("match") or "exact",
        params.get("tokens", True),
    )
    if status not in STATUSES:
        raise InvalidInput("status: submitted or any.", fields={"status": ["submitted or any"]})
    if match not in MATCHES:
        raise InvalidInput("match: exact or overlap.", fields={"match": ["exact or overlap"]})
    if not isinstance(tokens, bool):
        raise InvalidInput("tokens: true or false.", fields={"tokens": ["true or false"]})
    articles = params.get("articles")
    if isinstance(articles, str):
        articles = [part for part in articles.split(",") if part]
        articles = [int(a) if a.isdigit() else a for a in articles]
    if articles is not None and (
        not isinstance(articles, list) or not all(type(a) is int and 1 <= a < 2**63 for a in articles)
    ):
        raise InvalidInput("articles: a list of article ids.", fields={"articles": ["a list of article ids"]})
    return {
        "labels": _names(params.get("labels"), "labels"),
        "status": status,
        "articles": sorted(set(articles)) if articles else None,
        "annotators": _names(params.get("annotators"), "annotators"),
        "match": match,
        "tokens": tokens,
    }


def _unknown(field: str, missing: set[Any]) -> InvalidInput:
    shown = ", ".join(str(m) for m in sorted(missing, key=str)[:10])
    return InvalidInput(
        f"{field}: not in this project: {shown}.", fields={field: [f"not in this project: {shown}"]}
    )


def _chunks(ids: list[int]) -> Iterator[list[int]]:
    for at in range(0, len(ids), CHUNK):
        yield ids[at : at + CHUNK]


def _coders(project: Project, params: dict[str, Any]) -> dict[int, list[int]]:
    """Article id -> the annotators whose chosen layers of it are compared (two or more)."""
    states = ArticleState.objects.filter(
        article__project_id=project.pk, status__in=STATUSES[params["status"]]
    )
    if params["annotators"]:
        users = dict(
            Membership.objects.filter(project=project, user__username__in=params["annotators"]).values_list(
                "user__username", "user_id"
            )
        )
        if missing := set(params["annotators"]) - set(users):
            raise _unknown("annotators", missing)
        states = states.filter(annotator_id__in=users.values())
    chosen: dict[int, list[int]] = defaultdict(list)
    for article_id, user_id in states.order_by().values_list("article_id", "annotator_id"):
        chosen[article_id].append(user_id)
    if params["articles"]:
        wanted = set(params["articles"])
        found: set[int] = set()
        for ids in _chunks(params["articles"]):
            found.update(
                Article.objects.filter(project_id=project.pk, pk__in=ids).values_list("pk", flat=True)
            )
        if missing := wanted - found:
            raise _unknown("articles", missing)
        chosen = defaultdict(list, {a: users for a, users in chosen.items() if a in wanted})
    return {a: users for a, users in chosen.items() if len(users) >= 2}


def _gather(project: Project, params: dict[str, Any]) -> Gathered:
    labels = list(
        Label.objects.filter(project=project).order_by("kind", "name").values_list("pk", "kind", "name")
    )
    if params["labels"] and (missing := set(params["labels"]) - {name for _, _, name in labels}):
        raise _unknown("labels", missing)
    in_scope = {
        kind: [
            name for _, k, name in labels if k == kind and (not params["labels"] or name in params["labels"])
        ]
        for kind in LabelKind.values
    }
    names = {pk: name for pk, _, name in labels}
    coders = _coders(project, params)
    layers: dict[int, dict[int, LayerData]] = {
        a: {u: LayerData() for u in users} for a, users in coders.items()
    }
    articles: dict[int, ArticleInfo] = {}
    ids = sorted(coders)
    for chunk in _chunks(ids):
        rows = Article.objects.filter(pk__in=chunk).annotate(length=Length("text"))
        for pk, external_id, title, length in rows.values_list("pk", "external_id", "title", "length"):
            articles[pk] = ArticleInfo(external_id, title, length)
        own = {"article_id__in": chunk, "layer": Layer.ANNOTATOR}
        for pk, article_id, user_id, start, end, label_id in (
            Span.objects.filter(**own)
            .order_by()
            .values_list("pk", "article_id", "annotator_id", "start", "end", "label_id")
        ):
            if (layer := layers[article_id].get(user_id)) is not None:
                layer.spans[pk] = (start, end, names[label_id])
        for article_id, user_id, source_id, target_id, label_id in (
            Relation.objects.filter(**own)
            .order_by()
            .values_list("article_id", "annotator_id", "source_id", "target_id", "label_id")
        ):
            if (layer := layers[article_id].get(user_id)) is not None:
                layer.relations.append((source_id, target_id, names[label_id]))
        for article_id, user_id, label_id in (
            DocumentLabel.objects.filter(**own)
            .order_by()
            .values_list("article_id", "annotator_id", "label_id")
        ):
            if (layer := layers[article_id].get(user_id)) is not None:
                layer.document_labels.add(names[label_id])

    def texts() -> Iterator[tuple[int, str]]:
        for chunk in _chunks(ids):
            yield from Article.objects.filter(pk__in=chunk).values_list("pk", "text").iterator(chunk_size=500)

    users = {u for users in coders.values() for u in users}
    return Gathered(
        match=params["match"],
        usernames=dict(User.objects.filter(pk__in=users).values_list("pk", "username")),
        articles=articles,
        layers=layers,
        span_labels=in_scope[LabelKind.SPAN],
        relation_labels=in_scope[LabelKind.RELATION],
        document_labels=in_scope[LabelKind.DOCUMENT],
        texts=texts if params["tokens"] else None,
    )


def project_agreement(*, actor: User, project_id: int, params: dict[str, Any]) -> dict[str, Any]:
    """The agreement report of a project's annotator layers (reviewers, admins, researchers):
    what the layers hold now, however often it is asked."""
    membership = membership_get(user=actor, project_id=project_id)
    require_role(membership, READ_ALL_LAYERS, "see the project's agreement")
    params = check_params(params)
    report = agreement_report(_gather(membership.project, params))
    return {"status": params["status"], **report}


# --- the report as tables ---------------------------------------------------------------------

PAIR_COLUMNS = ("a", "b", "articles", "span_f1", "relation_f1", "kappa", "token_kappa")
LABEL_COLUMNS = (
    "kind",
    "label",
    "count",
    "alpha_unitized",
    "f1",
    "krippendorff_alpha",
    "percentage_agreement",
)


def report_table(report: dict[str, Any], table: str) -> tuple[tuple[str, ...], list[list[Any]]]:
    """The pairwise (``pairs``) or the per-label (``labels``) table of a report: columns and
    rows; a figure that cannot be computed is None."""
    if table == "pairs":
        return PAIR_COLUMNS, [[pair[c] for c in PAIR_COLUMNS] for pair in report["pairs"]]
    if table != "labels":
        raise InvalidInput("table: pairs or labels.", fields={"table": ["pairs or labels"]})
    labels: list[list[Any]] = []
    for kind, section in (("span", "spans"), ("relation", "relations"), ("document", "document_labels")):
        for name, row in report[section]["per_label"].items():
            values = {"kind": kind, "label": name, "count": row.get("count", row.get("units")), **row}
            labels.append([values.get(c) for c in LABEL_COLUMNS])
    return LABEL_COLUMNS, labels
