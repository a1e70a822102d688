from django.db import models

from annotator.common.models import TimestampedModel
from annotator.projects.models import Project


class Article(TimestampedModel):
    """A text to annotate. ``text`` never changes after import: spans index into it."""

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
