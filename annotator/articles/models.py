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

    class Meta:
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(fields=["project", "external_id"], name="article_unique_external_id"),
        ]

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

    # The article's project, copied to select a project's assignments directly: no database
    # constraint (the article's holds the row to the project, and deleting the project deletes
    # its articles) and no index of its own (the (project, annotator) index starts with it).
    # Up-front assignment writes 300,000 of these rows at once; each check is time.
    project = models.ForeignKey(
        Project, on_delete=models.CASCADE, related_name="+", db_constraint=False, db_index=False
    )
    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="assignments")
    annotator = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    # Who assigned it: a record, not a link the data depends on (as created_by of annotations).
    assigned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        db_constraint=False,
        db_index=False,
    )
    created_at = models.DateTimeField(auto_now_add=True)
    # True once the annotator has submitted or skipped the article (annotations.services.state_set
    # keeps it in step), so that the queue finds an annotator's next assigned article through
    # the open ones' index instead of reading every finished one's state: late in a project an
    # annotator has finished thousands. False is always safe (the queue checks the state too):
    # what assigns an article writes False.
    finished = models.BooleanField(default=False)

    class Meta:
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(fields=["article", "annotator"], name="assignment_unique"),
        ]
        indexes = [
            models.Index(fields=["project", "annotator"]),
            models.Index(
                fields=["annotator", "project", "article"],
                condition=models.Q(finished=False),
                name="assignment_open",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.article_id} -> {self.annotator_id}"
