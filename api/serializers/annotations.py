from typing import Any

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from annotator.annotations import rules
from annotator.annotations.models import (
    ArticleState,
    DocumentLabel,
    LayeredAnnotation,
    Origin,
    Relation,
    Span,
    Status,
)
from api.serializers.fields import IdField, LabelRefField, ServiceCheckedChoice


class ProvenanceSchema(serializers.Serializer):
    """The shape of ``provenance`` (documentation only: the server decides it and ignores any
    sent). The recogniser's version is ``recogniser_version``, as in exports; it was ``version``,
    which read as the annotation's own version (the ETag)."""

    origin = serializers.ChoiceField(choices=Origin.choices)
    recogniser = serializers.CharField(required=False)
    recogniser_version = serializers.CharField(required=False)
    score = serializers.FloatField(required=False, allow_null=True)
    suggestion = serializers.IntegerField(required=False, help_text="The suggestion it was accepted from.")
    # Spelled "from" in JSON: a Python keyword, so declared below.
    by = serializers.CharField(required=False, help_text="Adjudicated: the reviewer who took it into gold.")


ProvenanceSchema._declared_fields["from"] = serializers.ListField(
    child=serializers.CharField(),
    required=False,
    help_text="Adjudicated: the annotators whose layers had it.",
)


@extend_schema_field(ProvenanceSchema)
class ProvenanceField(serializers.Field):
    """Where an annotation came from: manual, imported, a suggestion, or accepted/edited from one."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs["source"] = "*"
        kwargs["read_only"] = True
        super().__init__(**kwargs)

    def to_representation(self, obj: LayeredAnnotation) -> dict[str, Any]:
        return provenance_data(
            obj.origin,
            obj.adjudication,
            obj.recogniser,
            obj.recogniser_version,
            obj.score,
            getattr(obj, "source_suggestion_id", None),
        )


def provenance_data(
    origin: str,
    adjudication: dict[str, Any] | None,
    recogniser: str,
    recogniser_version: str,
    score: float | None,
    suggestion_id: int | None,
) -> dict[str, Any]:
    """``provenance`` from an annotation's columns (ProvenanceField, and the article detail's
    rows read as tuples: api/serializers/article_detail.py)."""
    data: dict[str, Any] = {"origin": origin}
    if origin == Origin.ADJUDICATED:
        adjudication = adjudication or {}
        data.update({"from": adjudication.get("from", []), "by": adjudication.get("by")})
        return data
    if origin != Origin.MANUAL:
        data.update(recogniser=recogniser, recogniser_version=recogniser_version, score=score)
    if suggestion_id:
        data["suggestion"] = suggestion_id
    return data


class AnnotationSerializer(serializers.ModelSerializer):
    label = serializers.CharField(source="label.name", read_only=True)  # type: ignore[assignment]
    label_id = serializers.IntegerField(read_only=True)
    annotator = serializers.CharField(
        source="annotator.username",
        read_only=True,
        allow_null=True,
        default=None,
        help_text="Whose layer, for the annotator layer; null for gold and suggestions.",
    )
    provenance = ProvenanceField()
    suggestion_status = serializers.CharField(
        read_only=True, help_text="pending/accepted/rejected for suggestions, empty otherwise."
    )

    COMMON = [
        "id",
        "article",
        "label",
        "label_id",
        "layer",
        "annotator",
        "provenance",
        "suggestion_status",
        "attributes",
        "version",
        "created_at",
        "updated_at",
    ]


class SpanSerializer(AnnotationSerializer):
    class Meta:
        model = Span
        fields = [*AnnotationSerializer.COMMON[:2], "start", "end", "text", *AnnotationSerializer.COMMON[2:]]
        read_only_fields = fields


class RelationSerializer(AnnotationSerializer):
    vars()["from"] = serializers.IntegerField(source="source_id", read_only=True)
    to = serializers.IntegerField(source="target_id", read_only=True)
    to_article = serializers.SerializerMethodField(
        help_text="The article of the span named in to: another article than article for a "
        "cross-article relation."
    )

    class Meta:
        model = Relation
        fields = [
            *AnnotationSerializer.COMMON[:2],
            "from",
            "to",
            "to_article",
            *AnnotationSerializer.COMMON[2:],
        ]
        read_only_fields = fields

    @extend_schema_field(serializers.IntegerField())
    def get_to_article(self, obj: Relation) -> int:
        # Lists are read with target_article_id annotated (annotations.selectors); a relation
        # just written has its target loaded.
        annotated = getattr(obj, "target_article_id", None)
        return annotated if annotated is not None else obj.target.article_id


class DocumentLabelSerializer(AnnotationSerializer):
    class Meta:
        model = DocumentLabel
        fields = AnnotationSerializer.COMMON
        read_only_fields = fields


class StateSerializer(serializers.Serializer):
    status = serializers.CharField()
    version = serializers.IntegerField()


def state_data(state: ArticleState | None) -> dict[str, Any]:
    """The caller's state; no row yet means not started at version 0."""
    status, version = rules.article_state(None if state is None else (state.status, state.version))
    return {"status": status, "version": version}


LabelRef = LabelRefField  # a label name or id; the service resolves and checks it
LAYER_HELP = "annotator (your own layer, the default) or gold (reviewers and admins)"


class SpanCreateSerializer(serializers.Serializer):
    start = serializers.IntegerField(help_text="Code point offset, inclusive.")
    end = serializers.IntegerField(help_text="Code point offset, exclusive.")
    label = LabelRef(help_text="Span label name or id.")  # type: ignore[assignment]
    layer = serializers.CharField(required=False, default="annotator", help_text=LAYER_HELP)


class SpanUpdateSerializer(serializers.Serializer):
    start = serializers.IntegerField(required=False)
    end = serializers.IntegerField(required=False)
    label = LabelRef(required=False)  # type: ignore[assignment]
    speaker = serializers.CharField(
        required=False,
        allow_blank=True,
        max_length=200,
        help_text="Who makes the claim or rebuttal: sets attributes.speaker; empty removes it.",
    )


class RelationCreateSerializer(serializers.Serializer):
    vars()["from"] = IdField(help_text="Source span id.")
    to = IdField(help_text="Target span id.")
    label = LabelRef(help_text="Relation label name or id.")  # type: ignore[assignment]


class LabelOnlySerializer(serializers.Serializer):
    label = LabelRef()  # type: ignore[assignment]


class DocumentLabelCreateSerializer(serializers.Serializer):
    label = LabelRef(help_text="Document label name or id.")  # type: ignore[assignment]
    layer = serializers.CharField(required=False, default="annotator", help_text=LAYER_HELP)


class StateUpdateSerializer(serializers.Serializer):
    status = ServiceCheckedChoice(choices=Status.choices)  # the service checks it
