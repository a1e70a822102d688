"""Adjudication, the review queue and review status (docs/api.md, "Adjudication")."""

from rest_framework import serializers

from annotator.workflow.models import ReviewStatus
from annotator.workflow.review import NOT_REVIEWED, ORDERINGS
from api.serializers.fields import ServiceCheckedChoice


class ReviewQueueQuerySerializer(serializers.Serializer):
    min_submitted = serializers.IntegerField(
        required=False, min_value=1, max_value=10, allow_null=True, default=None,
        help_text="Ready when at least this many annotators submitted (default: every assignee; k in open projects).",
    )  # fmt: skip
    review_status = serializers.ChoiceField(
        choices=[NOT_REVIEWED, *ReviewStatus.values], required=False, allow_blank=True, default=""
    )
    ordering = serializers.ChoiceField(choices=ORDERINGS, required=False, default="-disagreements")


class QueueAnnotatorSerializer(serializers.Serializer):
    username = serializers.CharField()
    status = serializers.CharField()


class ReviewQueueItemSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    external_id = serializers.CharField()
    title = serializers.CharField()
    annotators = QueueAnnotatorSerializer(many=True)
    submitted = serializers.IntegerField(help_text="Annotators who submitted it.")
    agreement = serializers.FloatField(
        allow_null=True, help_text="Share of span keys every submitted layer has; null without spans."
    )
    disagreements = serializers.IntegerField(help_text="Span keys some submitted layer lacks.")
    review_status = serializers.CharField(help_text='"", adjudicated or needs_discussion')
    gold_spans = serializers.IntegerField()


class AdjudicateSerializer(serializers.Serializer):
    min_agreement = serializers.IntegerField(
        required=False, default=2, help_text="m: copy what at least m layers share."
    )
    layers = serializers.ListField(
        child=serializers.CharField(max_length=150),
        required=False,
        allow_null=True,
        default=None,
        max_length=100,
        help_text="Usernames whose layers to use (default: every annotator who submitted).",
    )


class ProjectAdjudicateSerializer(serializers.Serializer):
    min_agreement = serializers.IntegerField(required=False, default=2)
    min_submitted = serializers.IntegerField(required=False, allow_null=True, default=None)


class VersionSerializer(serializers.Serializer):
    annotators = serializers.ListField(child=serializers.CharField())
    ids = serializers.ListField(child=serializers.IntegerField())
    label = serializers.CharField()  # type: ignore[assignment]
    start = serializers.IntegerField(required=False)
    end = serializers.IntegerField(required=False)
    text = serializers.CharField(required=False)
    vars()["source"] = serializers.DictField(required=False, help_text="Relations: the source span.")
    target = serializers.DictField(required=False, help_text="Relations: the target span.")


class DisagreementSerializer(serializers.Serializer):
    kind = serializers.CharField(help_text="span, relation or document_label")
    versions = VersionSerializer(many=True)


class AddedSerializer(serializers.Serializer):
    spans = serializers.IntegerField()
    relations = serializers.IntegerField()
    document_labels = serializers.IntegerField()


class AdjudicateResultSerializer(serializers.Serializer):
    added = AddedSerializer()
    disagreements = DisagreementSerializer(many=True)


class CopySerializer(serializers.Serializer):
    layer = serializers.CharField(required=False, default="gold", help_text="gold (the only one)")


class ReviewSerializer(serializers.Serializer):
    status = serializers.CharField(help_text='"" (not reviewed), adjudicated or needs_discussion')
    reviewed_by = serializers.CharField(allow_null=True)
    version = serializers.IntegerField(help_text="0 before the first review")
    updated_at = serializers.DateTimeField(allow_null=True)


class ReviewUpdateSerializer(serializers.Serializer):
    status = ServiceCheckedChoice(choices=ReviewStatus.choices)
