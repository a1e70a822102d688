from django.conf import settings
from django.db import models

from annotator.common.models import TimestampedModel
from annotator.projects.models import Project


class Article(TimestampedModel):
    """A text to annotate. ``text`` never changes after import: spans index into it."""

    # Its own index although article_unique_external_id starts with it: in (project, id)
    # order (the row id is in every index), which the export's keyset batches read in.
    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="articles")
    external_id = models.CharField(max_length=255)
    title = models.CharField(max_length=500, blank=True, default="")
    source_url = models.URLField(max_length=2000, blank=True, default="")
    published_at = models.DateField(null=True, blank=True)
    meta = models.JSONField(default=dict, blank=True)
    text = models.TextField()
    text_sha256 = models.CharField(max_length=64)
    # How many annotators it is assigned to (Assignment rows), kept with those rows by
    # annotator.workflow's writers: the queue finds the first article short of k through the
    # index below, not by counting every article's assignments.
    assignees = models.PositiveSmallIntegerField(default=0, db_default=0)  # bulk inserts leave it out

    class Meta:
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(fields=["project", "external_id"], name="article_unique_external_id"),
        ]
        indexes = [models.Index(fields=["project", "assignees", "id"], name="article_assignees")]

    def __str__(self) -> str:
        return f"{self.external_id}: {self.title}"


class ArticleChange(models.Model):
    """The project change_seq at which one part of an article's export record last changed.

    ``part`` is "article" (created, metadata edited) or a layer: "gold", "suggestion",
    "annotator:<user id>". Incremental exports select articles by these rows.
    """

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="+")
    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="changes")
    part = models.CharField(max_length=40)
    seq = models.BigIntegerField()

    class Meta:
        ordering = ["seq"]
        constraints = [models.UniqueConstraint(fields=["article", "part"], name="article_change_unique")]
        indexes = [models.Index(fields=["project", "seq"])]

    def __str__(self) -> str:
        return f"{self.article_id}:{self.part}@{self.seq}"


class ArticleTombstone(models.Model):
    """A deleted article, kept so incremental exports can tell mirrors to drop it."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="+")
    article_pk = models.BigIntegerField()
    external_id = models.CharField(max_length=255)
    seq = models.BigIntegerField()
    deleted_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["seq"]
        indexes = [models.Index(fields=["project", "seq"])]

    def __str__(self) -> str:
        return f"{self.external_id} deleted @{self.seq}"


class Assignment(models.Model):
    """An article handed to one annotator (projects under "overlap" assignment).

    The rows live here, beside Article, because who may see an article (articles.access) is
    decided below the annotations; what hands them out (the queue, up-front assignment) is
    annotator.workflow's."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="+")
    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="assignments")
    annotator = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    assigned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(fields=["article", "annotator"], name="assignment_unique"),
        ]
        indexes = [models.Index(fields=["project", "annotator"])]

    def __str__(self) -> str:
        return f"{self.article_id} -> {self.annotator_id}"
