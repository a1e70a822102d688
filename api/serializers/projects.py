from django.contrib.auth.models import User
from rest_framework import serializers

from annotator.projects.models import Assignment as Mode
from annotator.projects.models import Label, LabelKind, Membership, Project, Role
from annotator.projects.presets import PRESETS
from api.serializers.fields import LabelRefField, ServiceCheckedChoice

# Names, roles, presets, kinds, colours and hotkeys are checked by the services (one message
# for every caller); these serializers check shapes and document the choices.


class ProjectSerializer(serializers.ModelSerializer):
    role = serializers.SerializerMethodField(help_text="The caller's role in this project.")

    class Meta:
        model = Project
        fields = [
            "id",
            "name",
            "description",
            "guidelines",
            "allow_overlapping_spans",
            "assignment",
            "annotators_per_article",
            "annotator_pool",
            "role",
            "created_at",
            "updated_at",
        ]
        read_only_fields = fields

    annotator_pool = serializers.SerializerMethodField(
        help_text="Who the queue hands articles to under overlap: usernames, or null for every annotator."
    )

    def get_role(self, project: Project) -> str | None:
        return self.context.get("roles", {}).get(project.pk)

    def get_annotator_pool(self, project: Project) -> list[str] | None:
        if project.annotator_pool is None:
            return None
        return list(
            User.objects.filter(pk__in=project.annotator_pool)
            .order_by("username")
            .values_list("username", flat=True)
        )


class ProjectCreateSerializer(serializers.Serializer):
    name = serializers.CharField(allow_blank=True, help_text="At most 200 characters.")
    description = serializers.CharField(required=False, allow_blank=True, default="")
    guidelines = serializers.CharField(required=False, allow_blank=True, default="")
    allow_overlapping_spans = serializers.BooleanField(required=False, default=True)
    preset = ServiceCheckedChoice(choices=sorted(PRESETS), required=False, allow_null=True, default=None)


class ProjectUpdateSerializer(serializers.Serializer):
    name = serializers.CharField(required=False, allow_blank=True, help_text="At most 200 characters.")
    description = serializers.CharField(required=False, allow_blank=True)
    guidelines = serializers.CharField(required=False, allow_blank=True)
    allow_overlapping_spans = serializers.BooleanField(required=False)
    assignment = ServiceCheckedChoice(
        choices=Mode.choices, required=False, help_text="open: everyone sees every article; overlap: k each."
    )
    annotators_per_article = serializers.IntegerField(required=False, help_text="k, 1 to 10.")
    annotator_pool = serializers.ListField(
        child=serializers.CharField(max_length=150),
        required=False,
        allow_null=True,
        max_length=1000,
        help_text="Usernames of annotators of the project, or null for all of them.",
    )


class UserBriefSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    username = serializers.CharField()


class MembershipSerializer(serializers.ModelSerializer):
    user = UserBriefSerializer(read_only=True)
    username = serializers.CharField(source="user.username", read_only=True)

    class Meta:
        model = Membership
        fields = ["id", "user", "username", "role", "created_at"]
        read_only_fields = fields


class MemberAddSerializer(serializers.Serializer):
    username = serializers.CharField(max_length=150)
    role = ServiceCheckedChoice(choices=Role.choices)


class MemberRoleSerializer(serializers.Serializer):
    role = ServiceCheckedChoice(choices=Role.choices)


class LabelSerializer(serializers.ModelSerializer):
    allowed_sources = serializers.SlugRelatedField[Label](slug_field="name", many=True, read_only=True)
    allowed_targets = serializers.SlugRelatedField[Label](slug_field="name", many=True, read_only=True)

    class Meta:
        model = Label
        fields = [
            "id",
            "project",
            "kind",
            "name",
            "colour",
            "hotkey",
            "description",
            "allowed_sources",
            "allowed_targets",
            "cross_article",
            "symmetric",
        ]
        read_only_fields = fields


LabelRef = LabelRefField  # a label id or name; the service resolves and checks it


class LabelWriteSerializer(serializers.Serializer):
    kind = ServiceCheckedChoice(choices=LabelKind.choices, required=False, default=LabelKind.SPAN)
    name = serializers.CharField(allow_blank=True, help_text="At most 100 characters.")
    colour = serializers.CharField(required=False, default="#888888", help_text="#rrggbb")
    hotkey = serializers.CharField(
        required=False, allow_blank=True, default="", trim_whitespace=False, help_text="One character."
    )
    description = serializers.CharField(required=False, allow_blank=True, default="")
    allowed_sources = serializers.ListField(child=LabelRef(), required=False, default=list, max_length=100)
    allowed_targets = serializers.ListField(child=LabelRef(), required=False, default=list, max_length=100)
    cross_article = serializers.BooleanField(
        required=False, default=False, help_text="Relation labels: may join spans of two articles."
    )
    symmetric = serializers.BooleanField(
        required=False, default=False, help_text="Relation labels: a->b is the same as b->a."
    )


class LabelUpdateSerializer(serializers.Serializer):
    name = serializers.CharField(required=False, allow_blank=True, help_text="At most 100 characters.")
    colour = serializers.CharField(required=False, help_text="#rrggbb")
    hotkey = serializers.CharField(
        required=False, allow_blank=True, trim_whitespace=False, help_text="One character."
    )
    description = serializers.CharField(required=False, allow_blank=True)
    allowed_sources = serializers.ListField(child=LabelRef(), required=False, max_length=100)
    allowed_targets = serializers.ListField(child=LabelRef(), required=False, max_length=100)
    cross_article = serializers.BooleanField(required=False)
    symmetric = serializers.BooleanField(required=False)
