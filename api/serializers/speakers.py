"""The project's speakers (docs/api.md, "Speakers")."""

from rest_framework import serializers

from annotator.annotations.models import Speaker


class SpeakerSerializer(serializers.ModelSerializer):
    spellings = serializers.SerializerMethodField(
        help_text="Every spelling of attributes.speaker that names this speaker, its name included."
    )

    class Meta:
        model = Speaker
        fields = ["id", "name", "spellings", "created_at", "updated_at"]
        read_only_fields = fields

    def get_spellings(self, obj: Speaker) -> list[str]:
        return [s.spelling for s in obj.spellings.all()]


class SpeakerWriteSerializer(serializers.Serializer):
    name = serializers.CharField(max_length=200, help_text="The name the graph shows.")
    spellings = serializers.ListField(
        child=serializers.CharField(max_length=200),
        max_length=500,
        required=False,
        help_text="Its other spellings (replaced as a whole on PATCH); the name is always one.",
    )


class SpellingSerializer(serializers.Serializer):
    spelling = serializers.CharField(help_text="A value of attributes.speaker, as written.")
    spans = serializers.IntegerField(help_text="How many spans (every layer) carry it.")
    speaker = serializers.IntegerField(allow_null=True, help_text="The speaker it names, if any.")
