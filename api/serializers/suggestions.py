"""Bodies and answers of the suggestion review endpoints. They validate shapes only: what a
caller may accept, and into which layer, is the services' business."""

from rest_framework import serializers

from annotator.annotations.models import SuggestionStatus
from api.serializers.annotations import LAYER_HELP, RelationSerializer, SpanSerializer

STATUS_CHOICES = [
    SuggestionStatus.PENDING.value,
    SuggestionStatus.ACCEPTED.value,
    SuggestionStatus.REJECTED.value,
]


class SuggestionQuerySerializer(serializers.Serializer):
    status = serializers.ChoiceField(
        choices=STATUS_CHOICES,
        required=False,
        default=SuggestionStatus.PENDING.value,
        allow_blank=True,
        help_text="pending (the default), accepted or rejected; empty for every status.",
    )
    min_score = serializers.FloatField(
        required=False, help_text="Only suggestions scoring at least this; no score counts as 0."
    )
    recogniser = serializers.CharField(
        required=False, default="", allow_blank=True, help_text="Only this recogniser's suggestions."
    )


class SuggestionListSerializer(serializers.Serializer):
    spans = SpanSerializer(many=True, read_only=True)
    relations = RelationSerializer(
        many=True,
        read_only=True,
        help_text="Relation suggestions; `from` and `to` are span suggestion ids, which may be "
        "missing from `spans` when they do not match the filters.",
    )


class SuggestionAcceptSerializer(serializers.Serializer):
    layer = serializers.CharField(required=False, default="annotator", help_text=LAYER_HELP)


class SuggestionBulkSerializer(serializers.Serializer):
    min_score = serializers.FloatField(
        required=False,
        default=0.0,
        help_text="Only suggestions scoring at least this (default 0: all); no score counts as 0.",
    )
    recogniser = serializers.CharField(
        required=False, default="", allow_blank=True, help_text="Only this recogniser's suggestions."
    )
    layer = serializers.CharField(
        required=False, default="annotator", help_text=f"For accept: {LAYER_HELP}. Ignored by reject."
    )


class SkippedSuggestionSerializer(serializers.Serializer):
    kind = serializers.CharField(help_text="span or relation")  # no enum: "kind" names one already
    id = serializers.IntegerField()
    code = serializers.CharField(
        help_text="The error code a single accept would have got (conflict, invalid)."
    )
    detail = serializers.CharField()


class SuggestionBulkResultSerializer(serializers.Serializer):
    """What a bulk accept or reject did (documentation only: the service's dict is sent)."""

    action = serializers.ChoiceField(choices=["accept", "reject"])
    accepted = serializers.IntegerField(required=False, help_text="accept: suggestions now accepted.")
    rejected = serializers.IntegerField(required=False, help_text="reject: suggestions now rejected.")
    spans = serializers.IntegerField(help_text="Span suggestions among them.")
    relations = serializers.IntegerField(help_text="Relation suggestions among them.")
    created = serializers.IntegerField(
        help_text="Spans and relations made in the target layer (accept; 0 for reject). Fewer than "
        "accepted where the layer had an equal annotation already."
    )
    skipped = serializers.IntegerField(help_text="Suggestions left pending; each is in skipped_items.")
    skipped_items = SkippedSuggestionSerializer(many=True)
