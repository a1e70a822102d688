from rest_framework import serializers


class RecogniserSerializer(serializers.Serializer):
    name = serializers.CharField(read_only=True, help_text="What pre-annotation jobs name it by.")
    version = serializers.CharField(
        read_only=True, help_text="Its suggestions carry it; a new version may propose differently."
    )
    description = serializers.CharField(read_only=True)
    labels = serializers.ListField(
        child=serializers.CharField(),
        read_only=True,
        help_text="The span labels it proposes; none listed: any of the project's (string_match).",
    )
    relations = serializers.ListField(
        child=serializers.CharField(), read_only=True, help_text="The relation labels it proposes."
    )


class PreannotateSerializer(serializers.Serializer):
    """The shape of a pre-annotation request; the service checks the values (one set of rules
    and messages for the API and the command)."""

    recognisers = serializers.ListField(
        child=serializers.CharField(), help_text="Names from GET /api/v1/recognisers/, run in this order."
    )
    articles = serializers.JSONField(
        required=False,
        help_text='"all" (default), "unannotated" (no span in an annotator\'s or the gold layer, not '
        "submitted) or a list of article ids.",
    )
    min_score = serializers.FloatField(
        required=False, default=0.0, help_text="Proposals scored below this are not written (0 to 1)."
    )
