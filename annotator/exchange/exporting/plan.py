"""What an export reads: its filters as a client sends them, checked into a plan (layers,
articles, the cursor of an incremental pull)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.models import User
from django.db.models import Q

from annotator.annotations.models import Layer, Status
from annotator.articles.changes import ARTICLE_PART, GOLD_PART, SUGGESTION_PART
from annotator.common.db import change_clock, change_horizon
from annotator.common.errors import InvalidInput
from annotator.exchange.formats import registry
from annotator.projects.access import READ_ALL_LAYERS, membership_get, require_role
from annotator.projects.models import Project
from annotator.workflow.models import ReviewStatus

NOT_REVIEWED = "none"
REVIEW_STATUSES = (NOT_REVIEWED, *ReviewStatus.values)


def cursor_format(project_id: int, seq: int) -> str:
    """A pull's cursor: the project, the change clock's name and the stamp pulled up to.
    The clock's name keeps a cursor of one clock from being read as a stamp of another."""
    return f"{project_id}-{change_clock()}{seq}"


def _cursor_parse(project_id: int, value: str) -> int:
    head, _, tail = value.partition("-")
    clock = tail.rstrip("0123456789")
    seq = tail[len(clock) :]
    if not (value.isascii() and head.isdigit() and seq.isdigit() and (clock == "" or clock.isalpha())):
        raise InvalidInput(
            "since must be a cursor from an earlier export (X-Export-Cursor).",
            fields={"since": ["malformed"]},
        )
    if int(head) != project_id:
        raise InvalidInput("This cursor belongs to another project.", fields={"since": ["other project"]})
    if clock != change_clock():
        # Counted by another change clock (before the service stamped changes with transaction
        # ids, or on another database): its number says nothing about today's stamps.
        raise InvalidInput(
            "This cursor is from an earlier version of the service and cannot be continued: "
            "take a full export (without since) and continue from its cursor.",
            fields={"since": ["outdated: take a full export"]},
            code="cursor_outdated",
        )
    return int(seq)


@dataclass(frozen=True)
class ExportFilters:
    """An export's parameters as a client sends them (strings), checked by ``export_plan``."""

    format: str = "native"
    layers: tuple[str, ...] = ("all",)  # "all", "gold", "suggestions", annotator usernames
    status: str = ""  # keep annotator layers whose state is this
    articles: tuple[int, ...] = ()  # article ids; empty = all
    since: str = ""
    offsets: str = ""  # the unit of the file's offsets (doccano); "" = the format's default
    form: str = ""  # which shape of the format (doccano: relations or label); "" = its default
    review_status: str = ""  # keep articles with this review status ("none": not reviewed)
    comments: bool = False  # native only: each article's comments of the exported layers

    def as_dict(self) -> dict[str, Any]:
        filters: dict[str, Any] = {
            "format": self.format,
            "layers": list(self.layers),
            "status": self.status,
            "articles": list(self.articles),
            "since": self.since,
        }
        # Only when chosen: manifests of exports without them stay as they were.
        chosen = (("offsets", self.offsets), ("form", self.form), ("review_status", self.review_status))
        filters.update({k: v for k, v in chosen if v})
        if self.comments:
            filters["comments"] = True
        return filters

    def format_options(self) -> registry.Options:
        return registry.Options(offsets=self.offsets, form=self.form)


@dataclass(frozen=True)
class Plan:
    project: Project
    filters: ExportFilters
    since: int | None
    gold: bool
    suggestions: bool
    annotators: frozenset[int] | None  # None = every annotator; empty = none

    def layer_q(self, owner: str = "annotator_id") -> Q:
        """The annotation rows of the selected layers (``owner``: the rows' field naming the
        annotator of an annotator layer)."""
        q = Q(pk__in=[])
        if self.gold:
            q |= Q(layer=Layer.GOLD)
        if self.suggestions:
            q |= Q(layer=Layer.SUGGESTION)
        if self.annotators is None:
            q |= Q(layer=Layer.ANNOTATOR)
        elif self.annotators:
            q |= Q(layer=Layer.ANNOTATOR, **{f"{owner}__in": self.annotators})
        return q

    def parts_q(self) -> Q:
        """The change parts that put an article into an incremental pull."""
        q = Q(part=ARTICLE_PART)
        if self.gold:
            q |= Q(part=GOLD_PART)
        if self.suggestions:
            q |= Q(part=SUGGESTION_PART)
        if self.annotators is None:
            q |= Q(part__startswith="annotator:")
        else:
            q |= Q(part__in=[f"annotator:{uid}" for uid in self.annotators])
        return q

    def comments_q(self) -> Q:
        """The comments an export with comments carries: the whole project's threads, and
        those of the exported layers (a comment's layer is its readers')."""
        return Q(layer="") | self.layer_q(owner="layer_annotator_id")

    def layer_count(self) -> int | None:
        if self.annotators is None:
            return None
        return int(self.gold) + int(self.suggestions) + len(self.annotators)


def export_plan(
    *, actor: User, project_id: int, filters: ExportFilters, formats: Iterable[str] = registry.STREAM_FORMATS
) -> Plan:
    """Check an export's filters; researchers, reviewers and admins may export, annotators not."""
    membership = membership_get(user=actor, project_id=project_id)
    require_role(membership, READ_ALL_LAYERS, "export")
    allowed = tuple(formats)
    if filters.format not in allowed:
        raise InvalidInput(
            f"Unknown export format {filters.format!r}.", fields={"format": [f"one of {', '.join(allowed)}"]}
        )
    if filters.review_status and filters.review_status not in REVIEW_STATUSES:
        raise InvalidInput(
            f"Unknown review status {filters.review_status!r}.",
            fields={"review_status": [f"one of {', '.join(REVIEW_STATUSES)}"]},
        )
    if filters.comments and filters.format != "native":
        raise InvalidInput(
            "Comments go into native exports only.", fields={"comments": ["native format only"]}
        )
    if filters.status and filters.status not in Status.values:
        raise InvalidInput(
            f"Unknown status {filters.status!r}.", fields={"status": [f"one of {', '.join(Status.values)}"]}
        )
    names = set(filters.layers) or {"all"}
    everything = "all" in names
    usernames = names - {"all", "gold", "suggestions"}
    users = dict(get_user_model().objects.filter(username__in=usernames).values_list("username", "pk"))
    unknown = sorted(usernames - set(users))
    if unknown:
        raise InvalidInput(
            f"No user called {', '.join(unknown)}.",
            fields={"layers": ["all, gold, suggestions or annotator usernames"]},
        )
    plan = _plan(
        membership.project,
        filters,
        since=_cursor_parse(project_id, filters.since) if filters.since else None,
        annotators=None if everything else frozenset(users.values()),
    )
    spec = registry.get(filters.format)
    problem = spec.options_problem(filters.format_options(), exporting=True)
    if problem is not None:
        name, message = problem
        raise InvalidInput(f"{name}: {message}.", fields={name: [message]})
    if plan.since is not None and not spec.tombstones:
        raise InvalidInput(
            "Incremental pulls (since) are native JSONL only: other formats cannot say an article was deleted.",
            fields={"since": ["native format only"]},
        )
    if plan.since is not None and plan.since > change_horizon(project_id):
        raise InvalidInput(
            "This cursor is ahead of the project (was it reset?).", fields={"since": ["unknown"]}
        )
    if spec.layers == registry.ONE and plan.layer_count() != 1:
        raise InvalidInput(
            f"{filters.format} holds one layer per article: choose one (layers=gold, suggestions or a username).",
            fields={"layers": ["exactly one layer"]},
        )
    return plan


def _plan(
    project: Project, filters: ExportFilters, since: int | None, annotators: frozenset[int] | None
) -> Plan:
    names = set(filters.layers) or {"all"}
    everything = "all" in names
    return Plan(
        project=project,
        filters=filters,
        since=since,
        gold=everything or "gold" in names,
        suggestions=everything or "suggestions" in names,
        annotators=annotators,
    )


def plan_params(plan: Plan) -> dict[str, Any]:
    """A checked plan as a job's params: its filters, with the layers' users and the cursor
    resolved, so the job needs no second check."""
    return {
        **plan.filters.as_dict(),
        "annotator_ids": None if plan.annotators is None else sorted(plan.annotators),
        "since_seq": plan.since,
    }


def plan_from_params(project: Project, params: Mapping[str, Any]) -> Plan:
    """The plan that ``plan_params`` stored, as it was checked then (not checked again)."""
    filters = ExportFilters(
        format=params["format"],
        layers=tuple(params["layers"]),
        status=params["status"],
        articles=tuple(params["articles"]),
        since=params["since"],
        offsets=params.get("offsets", ""),
        form=params.get("form", ""),
        review_status=params.get("review_status", ""),
        comments=bool(params.get("comments", False)),
    )
    ids = params["annotator_ids"]
    return _plan(
        project, filters, since=params["since_seq"], annotators=None if ids is None else frozenset(ids)
    )


def export_filters(params: Mapping[str, Any]) -> ExportFilters:
    """Export parameters from a JSON body or query string (lists may be comma-separated)."""

    def strings(value: object, name: str) -> tuple[str, ...]:
        if isinstance(value, str):
            value = [v for v in value.split(",") if v]
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            raise InvalidInput(f"{name} must be a list of strings.", fields={name: ["list of strings"]})
        return tuple(value)

    articles = params.get("articles", [])
    if isinstance(articles, str):
        articles = [a for a in articles.split(",") if a]
    try:
        article_ids = tuple(int(a) for a in articles)
    except (TypeError, ValueError):
        raise InvalidInput("articles must be article ids.", fields={"articles": ["list of ids"]}) from None
    for key in ("format", "status", "since", "offsets", "form", "review_status"):
        if not isinstance(params.get(key, ""), str):
            raise InvalidInput(f"{key} must be a string.", fields={key: ["a string"]})
    comments = params.get("comments", False)
    if comments not in (True, False, "1", "0", "true", "false", ""):
        raise InvalidInput("comments must be 1 or 0.", fields={"comments": ["1 or 0"]})
    return ExportFilters(
        format=params.get("format", "native") or "native",
        layers=strings(params.get("layers", ["all"]), "layers") or ("all",),
        status=params.get("status", ""),
        articles=article_ids,
        since=params.get("since", ""),
        offsets=params.get("offsets", ""),
        form=params.get("form", ""),
        review_status=params.get("review_status", ""),
        comments=comments in (True, "1", "true"),
    )
