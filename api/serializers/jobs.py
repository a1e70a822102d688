from rest_framework import serializers

from annotator.jobs.models import Job


class JobProgressSerializer(serializers.Serializer):
    done = serializers.IntegerField(source="progress_done", read_only=True)
    total = serializers.IntegerField(
        source="progress_total", read_only=True, allow_null=True, help_text="null until the job knows it."
    )


class JobSerializer(serializers.ModelSerializer):
    progress = JobProgressSerializer(source="*", read_only=True)
    created_by = serializers.CharField(
        source="created_by.username", read_only=True, allow_null=True, default=None
    )
    result = serializers.JSONField(read_only=True, allow_null=True, help_text="Set when the job succeeded.")
    error = serializers.CharField(
        read_only=True,
        help_text=(
            "A short message when the job failed; one that begins 'worker lost:' says its worker "
            "process died (killed, or silent past the heartbeat limit): retry it."
        ),
    )

    class Meta:
        model = Job
        fields = [
            "id",
            "project",
            "kind",
            "status",
            "progress",
            "message",
            "result",
            "error",
            "cancel_requested",
            "created_by",
            "created_at",
            "started_at",
            "finished_at",
            "heartbeat_at",
        ]
        read_only_fields = fields


class JobCreateSerializer(serializers.Serializer):
    kind = serializers.CharField(max_length=50, help_text="A job kind that may be started over the API.")
    # The service checks that params is an object, and what each kind needs in it.
    params = serializers.JSONField(required=False, default=dict, help_text="A JSON object; depends on kind.")
