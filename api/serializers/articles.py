from rest_framework import serializers

from annotator.annotations.models import Status
from annotator.articles.models import Article
from api.serializers.annotations import (
    DocumentLabelSerializer,
    RelationSerializer,
    SpanSerializer,
    StateSerializer,
)
from api.serializers.fields import BlankableURLField, check_id_text


class ArticleInputSerializer(serializers.Serializer):
    external_id = serializers.CharField(
        max_length=255,
        required=False,
        allow_blank=True,
        default="",
        help_text="Your id for the article, unique in the project; derived from the text if omitted.",
    )
    title = serializers.CharField(max_length=500, required=False, allow_blank=True, default="")
    text = serializers.CharField(trim_whitespace=False, help_text="Stored exactly as sent; never changes.")
    source_url = serializers.CharField(max_length=2000, required=False, allow_blank=True, default="")
    published_at = serializers.DateField(required=False, allow_null=True, default=None)
    meta = serializers.JSONField(required=False, default=dict)


class ArticleUpdateSerializer(serializers.Serializer):
    title = serializers.CharField(max_length=500, required=False, allow_blank=True)
    source_url = serializers.CharField(max_length=2000, required=False, allow_blank=True)
    published_at = serializers.DateField(required=False, allow_null=True)
    meta = serializers.JSONField(required=False)
    text = serializers.CharField(trim_whitespace=False, required=False, help_text="Read-only after import.")


class ArticleQuerySerializer(serializers.Serializer):
    """The article list's filters (a query string)."""

    search = serializers.CharField(
        required=False,
        allow_blank=True,
        default="",
        help_text="Words in the title or text, or an exact external id.",
    )
    status = serializers.ChoiceField(
        choices=Status.values,
        required=False,
        allow_blank=True,
        default="",
        error_messages={"invalid_choice": f"one of {', '.join(Status.values)}"},
        help_text="The caller's status.",
    )
    has_label = serializers.CharField(
        validators=[check_id_text],
        required=False,
        allow_blank=True,
        default="",
        help_text="Has a visible span with this label (name or id).",
    )
    assigned_to = serializers.CharField(
        required=False,
        allow_blank=True,
        default="",
        max_length=150,
        help_text="Assigned to this annotator (username); annotators may name only themselves.",
    )


class ArticleSerializer(serializers.ModelSerializer):
    source_url = BlankableURLField(read_only=True)
    my_status = serializers.CharField(read_only=True, help_text="The caller's status for this article.")

    class Meta:
        model = Article
        fields = [
            "id",
            "project",
            "external_id",
            "title",
            "source_url",
            "published_at",
            "meta",
            "text_sha256",
            "my_status",
            "created_at",
        ]
        read_only_fields = fields


class ArticleBatchResultSerializer(serializers.Serializer):
    created = serializers.IntegerField()
    unchanged = serializers.IntegerField()
    articles = ArticleSerializer(many=True)


class ArticleDetailSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    project = serializers.IntegerField(source="project_id")
    external_id = serializers.CharField()
    title = serializers.CharField()
    source_url = BlankableURLField()
    published_at = serializers.DateField(allow_null=True)
    meta = serializers.JSONField()
    text = serializers.CharField()
    text_sha256 = serializers.CharField()
    offsets = serializers.CharField(default="codepoint", help_text="Offsets count Unicode code points.")
    state = StateSerializer(help_text="The caller's own status; version 0 until first set.")
    spans = SpanSerializer(many=True)
    relations = RelationSerializer(many=True)
    incoming_relations = RelationSerializer(
        many=True, help_text="Cross-article relations of other articles whose to is a span of this one."
    )
    document_labels = DocumentLabelSerializer(many=True)
