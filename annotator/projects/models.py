from django.conf import settings
from django.db import models
from django.db.models import Q

from annotator.common.models import TimestampedModel


class Assignment(models.TextChoices):
    """How a project hands articles to annotators (annotator.workflow)."""

    OPEN = "open"  # every annotator sees and may annotate every article
    OVERLAP = "overlap"  # each article goes to annotators_per_article annotators; each sees only theirs


MAX_ANNOTATORS_PER_ARTICLE = 10


class Project(TimestampedModel):
    name = models.CharField(max_length=200)
    description = models.TextField(blank=True, default="")
    guidelines = models.TextField(blank=True, default="", help_text="Markdown")
    allow_overlapping_spans = models.BooleanField(default=True)
    # On SQLite, bumped by every write to the project's articles or annotations: the change
    # stamps incremental export cursors count in (common.db.change_stamp). PostgreSQL stamps
    # with transaction ids and leaves it alone.
    change_seq = models.BigIntegerField(default=0, editable=False)
    assignment = models.CharField(max_length=16, choices=Assignment.choices, default=Assignment.OPEN)
    annotators_per_article = models.PositiveSmallIntegerField(default=2)  # k, under "overlap"
    # Who the queue may hand articles to under "overlap": user ids, or null for every annotator.
    annotator_pool = models.JSONField(null=True, blank=True, default=None)

    class Meta:
        ordering = ["id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(assignment__in=[a.value for a in Assignment]), name="project_assignment_valid"
            ),
            models.CheckConstraint(
                condition=Q(annotators_per_article__gte=1)
                & Q(annotators_per_article__lte=MAX_ANNOTATORS_PER_ARTICLE),
                name="project_annotators_per_article_range",
            ),
        ]

    def __str__(self) -> str:
        return self.name


class Role(models.TextChoices):
    ADMIN = "admin"
    REVIEWER = "reviewer"
    ANNOTATOR = "annotator"
    RESEARCHER = "researcher"


class Membership(TimestampedModel):
    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="memberships")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships")
    role = models.CharField(max_length=16, choices=Role.choices)

    class Meta:
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(fields=["project", "user"], name="membership_unique_user"),
            models.CheckConstraint(
                condition=Q(role__in=[r.value for r in Role]), name="membership_role_valid"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user_id}@{self.project_id}:{self.role}"


class LabelKind(models.TextChoices):
    SPAN = "span"
    RELATION = "relation"
    DOCUMENT = "document"


class Label(TimestampedModel):
    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="labels")
    kind = models.CharField(max_length=16, choices=LabelKind.choices)
    name = models.CharField(max_length=100)
    colour = models.CharField(max_length=7, default="#888888")
    hotkey = models.CharField(max_length=1, blank=True, default="")
    description = models.TextField(blank=True, default="")
    # For relation labels: which span labels may be the source / target (empty = any).
    allowed_sources = models.ManyToManyField("self", symmetrical=False, blank=True, related_name="+")
    allowed_targets = models.ManyToManyField("self", symmetrical=False, blank=True, related_name="+")
    # Relation labels only: whether the two spans may lie in different articles of the
    # project, and whether a->b means b->a (so the reverse of an existing one is a duplicate).
    cross_article = models.BooleanField(default=False)
    symmetric = models.BooleanField(default=False)

    class Meta:
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(fields=["project", "kind", "name"], name="label_unique_name"),
            models.UniqueConstraint(
                fields=["project", "hotkey"],
                condition=~Q(hotkey=""),
                name="label_unique_hotkey",
            ),
            models.CheckConstraint(
                condition=Q(kind__in=[k.value for k in LabelKind]), name="label_kind_valid"
            ),
            models.CheckConstraint(condition=Q(colour__regex=r"^#[0-9a-fA-F]{6}$"), name="label_colour_hex"),
        ]

    def __str__(self) -> str:
        return f"{self.kind}:{self.name}"
