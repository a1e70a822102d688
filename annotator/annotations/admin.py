from django.contrib import admin

from .models import AnnotationEvent, ArticleState, DocumentLabel, Relation, Span


@admin.register(Span)
class SpanAdmin(admin.ModelAdmin):
    list_display = ["id", "article", "label", "layer", "annotator", "start", "end", "version"]
    list_filter = ["layer", "origin"]
    raw_id_fields = ["article", "source_suggestion"]
    readonly_fields = ["text"]


@admin.register(Relation)
class RelationAdmin(admin.ModelAdmin):
    list_display = ["id", "article", "label", "source", "target", "layer", "annotator"]
    raw_id_fields = ["article", "source", "target"]


@admin.register(DocumentLabel)
class DocumentLabelAdmin(admin.ModelAdmin):
    list_display = ["id", "article", "label", "layer", "annotator"]
    raw_id_fields = ["article"]


@admin.register(ArticleState)
class ArticleStateAdmin(admin.ModelAdmin):
    list_display = ["id", "article", "annotator", "status", "version"]
    raw_id_fields = ["article"]


@admin.register(AnnotationEvent)
class AnnotationEventAdmin(admin.ModelAdmin):
    """History is append-only: readable here, never editable."""

    list_display = ["id", "project", "article", "actor", "action", "object_id", "created_at"]
    list_filter = ["action"]

    def has_add_permission(self, request: object) -> bool:
        return False

    def has_change_permission(self, request: object, obj: object = None) -> bool:
        return False

    def has_delete_permission(self, request: object, obj: object = None) -> bool:
        return False
