from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from .models import Job


@admin.register(Job)
class JobAdmin(admin.ModelAdmin):
    """Jobs are started and cancelled through the API (services check roles); here they are
    only inspected, or deleted when a project is cleaned up."""

    list_display = ["id", "project", "kind", "status", "progress_done", "progress_total", "created_at"]
    list_filter = ["status", "kind"]
    search_fields = ["kind", "message", "error"]
    list_select_related = ["project"]
    date_hierarchy = "created_at"

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
