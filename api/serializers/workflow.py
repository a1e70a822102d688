"""Assignment, the queue and the workload (docs/api.md, "Assignment and the queue")."""

from rest_framework import serializers

from annotator.articles.models import Assignment
from api.serializers.fields import IdField


class AssignRequestSerializer(serializers.Serializer):
    # Documents the body; the service checks it (one set of messages for the API and the job).
    annotators_per_article = serializers.IntegerField(
        required=False, help_text="k, 1-10 (default: the project's)."
    )
    articles = serializers.JSONField(
        required=False, help_text='"unassigned" (default), "all" or a list of article ids.'
    )
    annotators = serializers.JSONField(
        required=False, help_text='"all" (default: the pool) or a list of usernames.'
    )
    strategy = serializers.CharField(required=False, help_text='"balanced" (the only one).')


class AssignResultSerializer(serializers.Serializer):
    created = serializers.IntegerField(help_text="Assignments made.")
    articles = serializers.IntegerField(help_text="Articles the request named.")
    loads = serializers.DictField(
        child=serializers.IntegerField(), help_text="Each chosen annotator's load after."
    )


class AssignmentSerializer(serializers.ModelSerializer):
    article_external_id = serializers.CharField(source="article.external_id", read_only=True)
    article_title = serializers.CharField(source="article.title", read_only=True)
    annotator = serializers.CharField(source="annotator.username", read_only=True)
    assigned_by = serializers.SerializerMethodField()
    status = serializers.CharField(read_only=True, help_text="The annotator's status of the article.")

    class Meta:
        model = Assignment
        fields = [
            "id",
            "article",
            "article_external_id",
            "article_title",
            "annotator",
            "assigned_by",
            "created_at",
            "status",
        ]
        read_only_fields = fields

    def get_assigned_by(self, obj: Assignment) -> str | None:
        return obj.assigned_by.username if obj.assigned_by is not None else None


class AssignmentQuerySerializer(serializers.Serializer):
    annotator = serializers.CharField(required=False, allow_blank=True, default="", max_length=150)
    article = IdField(required=False, allow_null=True, default=None)


class AssignmentMoveSerializer(serializers.Serializer):
    annotator = serializers.CharField(max_length=150, help_text="The annotator who takes the article over.")


class LoadSerializer(serializers.Serializer):
    annotator = serializers.CharField()
    assigned = serializers.IntegerField()
    not_started = serializers.IntegerField()
    in_progress = serializers.IntegerField()
    submitted = serializers.IntegerField()
    skipped = serializers.IntegerField()


class WorkloadSerializer(serializers.Serializer):
    articles = serializers.IntegerField(help_text="Articles in the project.")
    short = serializers.IntegerField(help_text="Articles with fewer than k annotators.")
    annotators = LoadSerializer(many=True)


class QueueSerializer(serializers.Serializer):
    to_do = serializers.IntegerField(help_text="Not started: assigned, or that the queue may still hand out.")
    in_progress = serializers.IntegerField()
    submitted = serializers.IntegerField()
    skipped = serializers.IntegerField()
    assignment = serializers.CharField(help_text="open or overlap")
    annotators_per_article = serializers.IntegerField()


class QueueNextQuerySerializer(serializers.Serializer):
    exclude = serializers.RegexField(
        r"^[0-9]{1,19}(,[0-9]{1,19}){0,99}$",
        required=False,
        allow_blank=True,
        default="",
        help_text="Article ids not to hand out now, comma-separated (the one open).",
    )


class QueueNextSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    external_id = serializers.CharField()
    title = serializers.CharField()
    status = serializers.CharField(help_text="The caller's status of it: in_progress or not_started.")
