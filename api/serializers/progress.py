from rest_framework import serializers


class StatusCountsSerializer(serializers.Serializer):
    not_started = serializers.IntegerField()
    in_progress = serializers.IntegerField()
    submitted = serializers.IntegerField()
    skipped = serializers.IntegerField()


class AnnotatorProgressSerializer(serializers.Serializer):
    username = serializers.CharField()
    role = serializers.CharField(allow_null=True, help_text="null: no longer a member; their layer remains.")
    statuses = StatusCountsSerializer(help_text="Articles per status; every article counts once.")
    spans = serializers.IntegerField()
    relations = serializers.IntegerField()
    document_labels = serializers.IntegerField()


class SuggestionCountsSerializer(serializers.Serializer):
    pending = serializers.IntegerField()
    accepted = serializers.IntegerField()
    rejected = serializers.IntegerField()


class LabelProgressSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()
    kind = serializers.CharField()
    colour = serializers.CharField()
    annotators = serializers.DictField(
        child=serializers.IntegerField(), help_text="Username -> uses in that annotator's layer."
    )
    gold = serializers.IntegerField()
    suggestions = SuggestionCountsSerializer()


class ProjectProgressSerializer(serializers.Serializer):
    articles = serializers.IntegerField()
    annotators = AnnotatorProgressSerializer(many=True)
    labels = LabelProgressSerializer(many=True)
