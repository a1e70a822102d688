from django.db import models

from annotator.projects.models import Project


class RecommenderModel(models.Model):
    """One trained version of a project's learned classifier (recognisers.learned), with what
    it was trained on and its cross-validated scores. Older versions keep their figures (the
    history of how it improved) but not their blob."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="+")
    version = models.PositiveIntegerField()  # 1, 2, ... per project
    created_at = models.DateTimeField(auto_now_add=True)
    # Submitted article states when it was trained: retraining counts new ones from here.
    trained_on_submissions = models.PositiveIntegerField(default=0)
    examples = models.JSONField(default=dict)  # sentences per label, NONE for unmarked ones
    metrics = models.JSONField(default=dict)  # per label: cross-validated precision, recall, f1
    labels = models.JSONField(default=list)  # the labels it proposes
    left_out = models.JSONField(default=dict)  # label: why it was not learned (too few examples)
    blob = models.BinaryField()  # TrainedModel.dumps(); emptied once superseded

    class Meta:
        ordering = ["project", "-version"]
        constraints = [
            models.UniqueConstraint(fields=["project", "version"], name="recommender_model_unique_version")
        ]

    def __str__(self) -> str:
        return f"project {self.project_id} model {self.version}"
