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
