"""Search a project's spans of one layer by text, label and speaker: what "link to another
article" offers to link to. A paged query, so the project's size never reaches the browser."""

from django.contrib.auth.models import User
from django.db.models import Q, QuerySet

from annotator.articles.access import visible_articles_q
from annotator.common.errors import InvalidInput
from annotator.projects.access import membership_get
from annotator.projects.models import Label, LabelKind

from .access import one_layer_q
from .models import Span, SpeakerSpelling


def span_search(
    *,
    actor: User,
    project_id: int,
    layer: str = "",
    q: str = "",
    label: str = "",
    speaker: str = "",
    exclude_article: int | None = None,
) -> QuerySet[Span]:
    """Spans of ``layer`` (as the graph names layers) on articles the caller sees, having every
    word of ``q`` in their text (any case), the span label ``label``, and a speaker (spelling or
    the speaker's name) containing ``speaker`` (any case); by article, then position."""
    membership = membership_get(user=actor, project_id=project_id)
    _, in_layer = one_layer_q(membership, layer)
    spans = Span.objects.filter(in_layer, article__project_id=project_id).filter(
        visible_articles_q(membership, "article__")
    )
    if label:
        found = Label.objects.filter(project_id=project_id, kind=LabelKind.SPAN, name=label).first()
        if found is None:
            raise InvalidInput(f"No span label {label!r}.", fields={"label": ["unknown span label"]})
        spans = spans.filter(label=found)
    for word in q.split():
        spans = spans.filter(text__icontains=word)
    if speaker.strip():
        part = " ".join(speaker.split())
        # A list, not a subquery: a JSON key compares with JSON values (a subquery gives text).
        named = SpeakerSpelling.objects.filter(project_id=project_id, speaker__name__icontains=part)
        spellings = list(named.values_list("spelling", flat=True))
        spans = spans.filter(Q(attributes__speaker__icontains=part) | Q(attributes__speaker__in=spellings))
    if exclude_article is not None:
        spans = spans.exclude(article_id=exclude_article)
    return spans.select_related("label", "article").order_by("article_id", "start", "pk")
