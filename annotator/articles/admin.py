from django.contrib import admin

from .models import Article


@admin.register(Article)
class ArticleAdmin(admin.ModelAdmin):
    list_display = ["id", "project", "external_id", "title", "created_at"]
    search_fields = ["external_id", "title"]
    readonly_fields = ["text", "text_sha256"]  # article text never changes after import
    list_select_related = ["project"]
