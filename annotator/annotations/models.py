from django.conf import settings
from django.db import models
from django.db.models import F, Q

from annotator.articles.models import Article
from annotator.common.models import TimestampedModel
from annotator.projects.models import Label, Project

from . import rules


class Layer(models.TextChoices):
    ANNOTATOR = "annotator"  # one per annotator: Span.annotator says whose
    GOLD = "gold"  # adjudicated
    SUGGESTION = "suggestion"  # proposed by a pre-annotation job


class Origin(models.TextChoices):
    MANUAL = "manual"
    SUGGESTED = "suggested"  # a suggestion itself
    ACCEPTED = "accepted"  # accepted from a suggestion, unchanged
    EDITED = "edited"  # accepted from a suggestion, then changed
    IMPORTED = "imported"
    ADJUDICATED = "adjudicated"  # copied into gold by a reviewer (annotator.workflow)


class SuggestionStatus(models.TextChoices):
    NONE = ""  # not a suggestion
    PENDING = "pending"
    ACCEPTED = "accepted"
    REJECTED = "rejected"


class LayeredAnnotation(TimestampedModel):
    """What spans, relations and document labels share: layer, owner, provenance, version."""

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="+")
    # RESTRICT: a label in use cannot be deleted on its own, but deleting the whole project
    # (which cascades to its articles and so to these rows) still works.
    label = models.ForeignKey(Label, on_delete=models.RESTRICT, related_name="+")
    layer = models.CharField(max_length=16, choices=Layer.choices)
    annotator = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    # Who made the row: a record, not a link the data depends on. No database constraint:
    # PostgreSQL checks each row's foreign keys one by one, and for an import this one was
    # an eighth of the server's work. No index either: only deleting a user reads by it
    # (Django sets it NULL then, with one scan).
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        db_constraint=False,
        db_index=False,
    )
    origin = models.CharField(max_length=16, choices=Origin.choices, default=Origin.MANUAL)
    recogniser = models.CharField(max_length=100, blank=True, default="")
    recogniser_version = models.CharField(max_length=50, blank=True, default="")
    score = models.FloatField(null=True, blank=True)
    suggestion_status = models.CharField(
        max_length=16, choices=SuggestionStatus.choices, blank=True, default=""
    )
    attributes = models.JSONField(default=dict, blank=True)
    # Gold rows made by adjudication: {"from": [usernames], "by": username}; else null.
    adjudication = models.JSONField(null=True, blank=True, default=None)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        abstract = True

    @classmethod
    def layer_constraints(cls, prefix: str) -> list[models.BaseConstraint]:
        return [
            models.CheckConstraint(
                condition=Q(layer__in=[v.value for v in Layer]), name=f"{prefix}_layer_valid"
            ),
            # An annotator's layer names its annotator; gold and suggestion layers do not.
            models.CheckConstraint(
                condition=(Q(layer=Layer.ANNOTATOR) & Q(annotator__isnull=False))
                | (~Q(layer=Layer.ANNOTATOR) & Q(annotator__isnull=True)),
                name=f"{prefix}_layer_owner",
            ),
            # Only suggestions carry a suggestion status.
            models.CheckConstraint(
                condition=(Q(layer=Layer.SUGGESTION) & ~Q(suggestion_status=""))
                | (~Q(layer=Layer.SUGGESTION) & Q(suggestion_status="")),
                name=f"{prefix}_suggestion_status",
            ),
        ]


class Span(LayeredAnnotation):
    # No index of its own: the (article, layer, annotator) index below starts with it.
    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="spans", db_index=False)
    start = models.PositiveIntegerField()
    end = models.PositiveIntegerField()
    text = models.TextField()
    # Indexed only where set (spans accepted from a suggestion): most spans have none.
    source_suggestion = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="accepted_as", db_index=False
    )

    class Meta:
        ordering = ["article_id", "start", "end", "id"]
        indexes = [
            models.Index(fields=["article", "layer", "annotator"]),
            models.Index(
                fields=["source_suggestion"],
                condition=Q(source_suggestion__isnull=False),
                name="span_accepted_from",
            ),
        ]
        constraints = [
            *LayeredAnnotation.layer_constraints("span"),
            models.CheckConstraint(condition=Q(end__gt=F("start")), name="span_end_after_start"),
        ]

    def __str__(self) -> str:
        return f"[{self.start},{self.end}) {self.text[:30]!r}"


class Relation(LayeredAnnotation):
    # article and annotator are its spans' (a relation joins two spans of one layer), kept
    # here to select a layer's relations directly. No database constraint on these copies:
    # the foreign keys to the two spans, and theirs, hold the rows together, and PostgreSQL's
    # row-by-row checks of the copies were a twentieth of an import's work on the server.
    # No index of its own on article: the (article, layer, annotator) index below starts with it.
    article = models.ForeignKey(
        Article, on_delete=models.CASCADE, related_name="relations", db_index=False, db_constraint=False
    )
    annotator = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        db_constraint=False,
    )
    # No index of its own: relation_unique_pair (source, target, label) starts with it.
    source = models.ForeignKey(Span, on_delete=models.CASCADE, related_name="outgoing", db_index=False)
    target = models.ForeignKey(Span, on_delete=models.CASCADE, related_name="incoming")

    class Meta:
        ordering = ["id"]
        indexes = [models.Index(fields=["article", "layer", "annotator"])]
        constraints = [
            *LayeredAnnotation.layer_constraints("relation"),
            models.UniqueConstraint(fields=["source", "target", "label"], name="relation_unique_pair"),
            models.CheckConstraint(condition=~Q(source=F("target")), name="relation_not_to_itself"),
        ]


class DocumentLabel(LayeredAnnotation):
    # No index of its own: the (article, layer, annotator) index below starts with it.
    article = models.ForeignKey(
        Article, on_delete=models.CASCADE, related_name="document_labels", db_index=False
    )

    class Meta:
        ordering = ["id"]
        indexes = [models.Index(fields=["article", "layer", "annotator"])]
        constraints = [*LayeredAnnotation.layer_constraints("doclabel")]


class Status(models.TextChoices):
    NOT_STARTED = rules.NOT_STARTED
    IN_PROGRESS = "in_progress"
    SUBMITTED = "submitted"
    SKIPPED = "skipped"


FINISHED = (Status.SUBMITTED, Status.SKIPPED)  # what Assignment.finished records


class ArticleState(TimestampedModel):
    """One annotator's progress on one article. No row means not started (version 0)."""

    # No index of its own: the unique (article, annotator) constraint's index starts with it.
    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="states", db_index=False)
    annotator = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.NOT_STARTED)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(fields=["article", "annotator"], name="state_unique"),
            models.CheckConstraint(
                condition=Q(status__in=[s.value for s in Status]), name="state_status_valid"
            ),
        ]
        # An annotator's articles in progress, in article order: the queue's first choice, read
        # without walking every state they have (thousands late in a project).
        indexes = [
            models.Index(
                fields=["annotator", "article"],
                condition=Q(status=Status.IN_PROGRESS),
                name="state_in_progress",
            )
        ]


class AnnotationEvent(models.Model):
    """Append-only history written by the services: who did what, when, before and after."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="+")
    article = models.ForeignKey(Article, null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    action = models.CharField(max_length=40)  # e.g. "span.create", "state.update"
    object_type = models.CharField(max_length=40)
    object_id = models.BigIntegerField()
    layer = models.CharField(max_length=16, blank=True, default="")
    layer_annotator = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    before = models.JSONField(null=True, blank=True)
    after = models.JSONField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        ordering = ["id"]
        indexes = [models.Index(fields=["project", "id"])]

    def __str__(self) -> str:
        return f"{self.action} {self.object_type} {self.object_id}"


# Columns for annotator.common.bulk.insert_rows (every NOT NULL column given): the import and
# pre-annotation write plain value tuples in this order, not model instances.
LAYERED_FIELDS = (  # what spans, relations and document labels share (LayeredAnnotation)
    "article_id",
    "label_id",
    "layer",
    "annotator_id",
    "created_by_id",
    "origin",
    "recogniser",
    "recogniser_version",
    "score",
    "suggestion_status",
    "attributes",
    "version",
    "created_at",
    "updated_at",
)
SPAN_FIELDS = (*LAYERED_FIELDS, "start", "end", "text")
RELATION_FIELDS = (*LAYERED_FIELDS, "source_id", "target_id")
DOCUMENT_LABEL_FIELDS = LAYERED_FIELDS
STATE_FIELDS = ("article_id", "annotator_id", "status", "version", "created_at", "updated_at")


class Speaker(TimestampedModel):
    """Who claims or rebuts, as the project names them: the ``name`` shown, and every spelling
    that spans' ``attributes.speaker`` use for them ("Mr Barclay", "the Health Secretary")."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="speakers")
    name = models.CharField(max_length=200)

    class Meta:
        ordering = ["name", "id"]

    def __str__(self) -> str:
        return self.name


class SpeakerSpelling(models.Model):
    """One spelling of a speaker, the name included: a spelling names one speaker per project."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="+")
    speaker = models.ForeignKey(Speaker, on_delete=models.CASCADE, related_name="spellings")
    spelling = models.CharField(max_length=200)

    class Meta:
        ordering = ["speaker", "spelling"]
        constraints = [
            models.UniqueConstraint(fields=["project", "spelling"], name="speaker_spelling_unique")
        ]

    def __str__(self) -> str:
        return self.spelling
