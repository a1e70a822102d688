from django.db import models


class TimestampedModel(models.Model):
    """Base for domain models: creation and last-change times."""

    # Not indexed: nothing looks rows up by it, and every insert would keep one more index.
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        abstract = True
