from rest_framework import serializers

from annotator.accounts.models import ApiToken
from api.serializers.fields import BlankableEmailField


class LoginSerializer(serializers.Serializer):
    username = serializers.CharField(max_length=150)
    password = serializers.CharField(max_length=4096, trim_whitespace=False, write_only=True)
    name = serializers.CharField(max_length=100, required=False, default="")


class SessionLoginSerializer(serializers.Serializer):
    username = serializers.CharField(max_length=150)
    password = serializers.CharField(max_length=4096, trim_whitespace=False, write_only=True)


class TokenSerializer(serializers.ModelSerializer):
    class Meta:
        model = ApiToken
        fields = ["id", "name", "prefix", "created_at", "last_used_at"]
        read_only_fields = fields


class NewTokenSerializer(TokenSerializer):
    """A token as shown once, at creation, with its key."""

    token = serializers.CharField(read_only=True)

    class Meta(TokenSerializer.Meta):
        fields = ["token", *TokenSerializer.Meta.fields]
        read_only_fields = fields


class TokenCreateSerializer(serializers.Serializer):
    name = serializers.CharField(max_length=100, required=False, default="")


class MembershipBriefSerializer(serializers.Serializer):
    project = serializers.IntegerField(source="project_id")
    role = serializers.CharField()


class MeSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    username = serializers.CharField()
    email = BlankableEmailField()
    is_superuser = serializers.BooleanField()
    memberships = MembershipBriefSerializer(many=True)
    live = serializers.BooleanField(
        help_text="Whether this server pushes live updates over /ws/projects/{id}/ (docs/live.md)."
    )
