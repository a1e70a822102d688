"""Spans found by the project's span search (docs/api.md, "Relations across articles")."""

from rest_framework import serializers

from annotator.annotations.models import Span


class SpanQuerySerializer(serializers.Serializer):
    layer = serializers.CharField(
        required=False, default="", help_text="gold or a username (default: gold, or your own layer)."
    )
    q = serializers.CharField(
        required=False, default="", max_length=200, help_text="Every word in the text, any case."
    )
    label = serializers.CharField(  # type: ignore[assignment]
        required=False, default="", max_length=100, help_text="A span label's name."
    )
    speaker = serializers.CharField(
        required=False,
        default="",
        max_length=200,
        help_text="Part of the speaker's spelling or name, any case.",
    )
    exclude_article = serializers.IntegerField(
        required=False, min_value=1, help_text="Leave out this article's spans (the one being linked from)."
    )


class SpanHitSerializer(serializers.ModelSerializer):
    article = serializers.IntegerField(source="article_id", read_only=True)
    article_external_id = serializers.CharField(source="article.external_id", read_only=True)
    article_title = serializers.CharField(source="article.title", read_only=True)
    label = serializers.CharField(source="label.name", read_only=True)  # type: ignore[assignment]
    speaker = serializers.SerializerMethodField(
        help_text="The speaker's name from the project's speaker list, else attributes.speaker as written."
    )

    class Meta:
        model = Span
        fields = [
            "id",
            "article",
            "article_external_id",
            "article_title",
            "start",
            "end",
            "text",
            "label",
            "speaker",
            "version",
        ]
        read_only_fields = fields

    def get_speaker(self, obj: Span) -> str | None:
        said = obj.attributes.get("speaker") or None
        return self.context.get("speakers", {}).get(said, said) if said else None
