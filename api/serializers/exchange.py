from rest_framework import serializers

from annotator.exchange.formats.registry import FILE_FORMATS, IMPORT_FORMATS
from annotator.exchange.importing import ON_ERROR


class ImportSerializer(serializers.Serializer):
    file = serializers.FileField(
        help_text=".jsonl, .json, .txt (one article) or .zip of those (brat: .txt + .ann pairs)."
    )
    format = serializers.ChoiceField(choices=IMPORT_FORMATS, default="native")
    on_error = serializers.ChoiceField(
        choices=ON_ERROR,
        default="abort",
        help_text="abort: write nothing if any line fails; skip: write the rest.",
    )
    create_labels = serializers.BooleanField(
        default=False, help_text="Create labels the file uses but the project lacks."
    )
    layer = serializers.CharField(
        required=False,
        allow_null=True,
        default=None,
        max_length=200,
        help_text="Where annotations go: as the file says (omit), gold, suggestions, annotator:<username>, "
        "or none (articles only).",
    )


class ExportSerializer(serializers.Serializer):
    format = serializers.ChoiceField(choices=FILE_FORMATS, default="native")
    layers = serializers.ListField(
        child=serializers.CharField(max_length=150),
        default=["all"],
        help_text="all, gold, suggestions, or annotator usernames.",
    )
    status = serializers.CharField(required=False, allow_blank=True, default="")
    articles = serializers.ListField(child=serializers.IntegerField(min_value=1), default=list)
    since = serializers.CharField(required=False, allow_blank=True, default="", help_text="A cursor.")
