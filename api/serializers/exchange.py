"""Import and export options. The services check the values (formats, error policy, layers,
statuses, cursors): one rule and one message for the API, the commands and the jobs. These
serializers check shapes and document the choices."""

from rest_framework import serializers

from annotator.exchange.exporting.plan import REVIEW_STATUSES
from annotator.exchange.formats.doccano import FORMS
from annotator.exchange.formats.offsets import UNITS
from annotator.exchange.formats.registry import FILE_FORMATS, IMPORT_FORMATS, STREAM_FORMATS
from annotator.exchange.importing import ON_ERROR
from api.serializers.fields import CursorText, IdField, IdListText, ServiceCheckedChoice

OFFSETS_HELP = "doccano only: what offsets count, utf16 (default), codepoint or grapheme."
FORM_HELP = "doccano only: relations (entities and relations, default) or label ([[start, end, label]])."


class ImportSerializer(serializers.Serializer):
    file = serializers.FileField(
        help_text=".jsonl, .json, .txt (one article), .conll or .zip of those (brat: .txt + .ann pairs; conll: .conll or .txt)."
    )
    format = ServiceCheckedChoice(choices=IMPORT_FORMATS, default="native")
    on_error = ServiceCheckedChoice(
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
    offsets = ServiceCheckedChoice(
        choices=UNITS,
        required=False,
        allow_blank=True,
        default="",
        help_text="doccano only: what the file's offsets count (default utf16).",
    )


REVIEW_HELP = "Only articles with this review status (none: not reviewed yet)."
COMMENTS_HELP = "Native only: each article's comments of the exported layers, under comments."


class ExportSerializer(serializers.Serializer):
    format = ServiceCheckedChoice(choices=FILE_FORMATS, default="native")
    layers = serializers.ListField(
        child=serializers.CharField(max_length=150),
        default=["all"],
        help_text="all, gold, suggestions, or annotator usernames.",
    )
    status = serializers.CharField(required=False, allow_blank=True, default="")
    articles = serializers.ListField(child=IdField(), default=list)
    since = CursorText(required=False, allow_blank=True, default="", help_text="A cursor.")
    offsets = ServiceCheckedChoice(
        choices=UNITS, required=False, allow_blank=True, default="", help_text=OFFSETS_HELP
    )
    form = ServiceCheckedChoice(
        choices=FORMS, required=False, allow_blank=True, default="", help_text=FORM_HELP
    )
    review_status = ServiceCheckedChoice(
        choices=REVIEW_STATUSES, required=False, allow_blank=True, default="", help_text=REVIEW_HELP
    )
    comments = serializers.BooleanField(required=False, default=False, help_text=COMMENTS_HELP)


class ExportQuerySerializer(serializers.Serializer):
    """The query string of a streamed export; lists are comma-separated."""

    format = ServiceCheckedChoice(
        choices=STREAM_FORMATS, required=False, allow_blank=True, help_text="Default native."
    )
    layers = serializers.CharField(
        required=False,
        allow_blank=True,
        trim_whitespace=False,
        help_text="Comma-separated: all (default), gold, suggestions, usernames.",
    )
    status = serializers.CharField(
        required=False,
        allow_blank=True,
        trim_whitespace=False,
        help_text="Only annotator layers whose article status is this.",
    )
    articles = IdListText(
        required=False, allow_blank=True, trim_whitespace=False, help_text="Comma-separated article ids."
    )
    since = CursorText(
        required=False,
        allow_blank=True,
        trim_whitespace=False,
        help_text="A cursor (X-Export-Cursor of an earlier export): changes after it.",
    )
    offsets = ServiceCheckedChoice(choices=UNITS, required=False, allow_blank=True, help_text=OFFSETS_HELP)
    form = ServiceCheckedChoice(choices=FORMS, required=False, allow_blank=True, help_text=FORM_HELP)
    review_status = ServiceCheckedChoice(
        choices=REVIEW_STATUSES, required=False, allow_blank=True, help_text=REVIEW_HELP
    )
    comments = ServiceCheckedChoice(
        choices=["1", "0"], required=False, allow_blank=True, help_text=COMMENTS_HELP
    )
