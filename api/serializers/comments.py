"""Comments (docs/api.md, "Comments")."""

from rest_framework import serializers

from annotator.workflow.models import Comment
from api.serializers.fields import IdField


class CommentSerializer(serializers.ModelSerializer):
    author = serializers.SlugRelatedField[Comment](slug_field="username", read_only=True, allow_null=True)
    layer_annotator = serializers.SlugRelatedField[Comment](
        slug_field="username", read_only=True, allow_null=True
    )
    layer = serializers.CharField(
        read_only=True,
        help_text='Who reads it: "" (everyone in the project), annotator (layer_annotator), gold, suggestion.',
    )

    class Meta:
        model = Comment
        fields = [
            "id",
            "article",
            "span",
            "relation",
            "parent",
            "author",
            "body",
            "resolved",
            "layer",
            "layer_annotator",
            "created_at",
            "updated_at",
            "version",
        ]
        read_only_fields = fields


class CommentCreateSerializer(serializers.Serializer):
    body = serializers.CharField(
        max_length=10_000, help_text="Plain text (shown as text; Markdown formatting only)."
    )
    span = IdField(
        required=False, allow_null=True, default=None, help_text="A span of the article the thread is about."
    )
    relation = IdField(
        required=False, allow_null=True, default=None, help_text="A relation the thread is about."
    )
    # Spelled "parent" in JSON; a serializer field's own attribute, so declared this way.
    vars()["parent"] = IdField(
        required=False, allow_null=True, default=None, help_text="The comment this replies to."
    )


class CommentUpdateSerializer(serializers.Serializer):
    body = serializers.CharField(required=False, max_length=10_000, help_text="Its author only.")
    resolved = serializers.BooleanField(
        required=False, help_text="A thread's first comment: resolve or reopen it."
    )
