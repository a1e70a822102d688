from django.contrib import admin

from .models import Label, Membership, Project


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    raw_id_fields = ["user"]


@admin.register(Project)
class ProjectAdmin(admin.ModelAdmin):
    list_display = ["id", "name", "allow_overlapping_spans", "created_at"]
    search_fields = ["name"]
    inlines = [MembershipInline]


@admin.register(Label)
class LabelAdmin(admin.ModelAdmin):
    list_display = ["id", "project", "kind", "name", "hotkey", "colour"]
    list_filter = ["kind"]
    search_fields = ["name"]
