from django.conf import settings
from django.db import models
from django.db.models import Q

from annotator.annotations.models import Layer, Relation, Span
from annotator.articles.models import Article
from annotator.common.models import TimestampedModel
from annotator.projects.models import Project


class ReviewStatus(models.TextChoices):
    ADJUDICATED = "adjudicated"
    NEEDS_DISCUSSION = "needs_discussion"


class ArticleReview(TimestampedModel):
    """A reviewer's verdict on an article's gold layer. No row: not reviewed (version 0)."""

    article = models.OneToOneField(Article, on_delete=models.CASCADE, related_name="review")
    status = models.CharField(max_length=20, choices=ReviewStatus.choices)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=[s.value for s in ReviewStatus]), name="review_status_valid"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.article_id}: {self.status}"


class Comment(TimestampedModel):
    """A comment on an article, or on one span or relation of it; replies name a parent.

    Who may read it is fixed when the thread starts (``layer``, ``layer_annotator``): a thread
    on an annotator's span or relation, or one an annotator starts on the article, belongs to
    that annotator's layer (they, reviewers, admins and researchers read it; no other annotator
    does); a thread a reviewer or admin starts on the article, or on a gold or suggested
    annotation, is the project's (``layer`` "gold"/"suggestion"/"" as the annotation's). Replies
    copy their thread's."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="+")
    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="comments")
    # The annotation a thread is about stays gone when deleted; its thread stays (scope kept).
    span = models.ForeignKey(Span, null=True, blank=True, on_delete=models.SET_NULL, related_name="comments")
    relation = models.ForeignKey(
        Relation, null=True, blank=True, on_delete=models.SET_NULL, related_name="comments"
    )
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.CASCADE, related_name="replies"
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    body = models.TextField()
    resolved = models.BooleanField(default=False)  # on a thread's first comment
    layer = models.CharField(max_length=16, blank=True, default="")  # "" = the whole article
    layer_annotator = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["id"]
        indexes = [models.Index(fields=["article", "id"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(layer__in=["", *[v.value for v in Layer]]), name="comment_layer_valid"
            ),
            models.CheckConstraint(
                condition=(Q(layer=Layer.ANNOTATOR) & Q(layer_annotator__isnull=False))
                | (~Q(layer=Layer.ANNOTATOR) & Q(layer_annotator__isnull=True)),
                name="comment_layer_owner",
            ),
        ]

    def __str__(self) -> str:
        return f"comment {self.pk} on {self.article_id}"


class AssignmentQueue(models.Model):
    """The row every writer of a project's assignments locks first (the queue's claims,
    up-front assignment, unassigning): two of them at once would each count the same
    assignees and together pass k. Annotation writers never take it, so it cannot deadlock
    with them (they lock an article, then the project).

    ``full_below``: every article of the project with a smaller id has k annotators (k as
    ``k``), so a claim looks for a short article from there, not from the first article."""

    project = models.OneToOneField(Project, on_delete=models.CASCADE, primary_key=True, related_name="+")
    k = models.PositiveSmallIntegerField(default=0)  # the k full_below was counted for
    full_below = models.BigIntegerField(default=0)

    def __str__(self) -> str:
        return f"queue of {self.project_id}: full below {self.full_below} (k={self.k})"
