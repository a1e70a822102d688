from rest_framework import serializers


class LabelMetricsSerializer(serializers.Serializer):
    precision = serializers.FloatField(read_only=True)
    recall = serializers.FloatField(read_only=True)
    f1 = serializers.FloatField(read_only=True)
    folds = serializers.IntegerField(read_only=True, help_text="Cross-validation folds.")


class RecommenderHistorySerializer(serializers.Serializer):
    version = serializers.IntegerField(read_only=True)
    created_at = serializers.DateTimeField(read_only=True)
    trained_on_submissions = serializers.IntegerField(read_only=True)
    examples = serializers.DictField(child=serializers.IntegerField(), read_only=True)
    metrics = serializers.DictField(child=LabelMetricsSerializer(), read_only=True)


class RecommenderSerializer(serializers.Serializer):
    version = serializers.IntegerField(
        read_only=True, allow_null=True, help_text="The latest model's; null: never trained."
    )
    created_at = serializers.DateTimeField(read_only=True, allow_null=True)
    examples = serializers.DictField(
        child=serializers.IntegerField(),
        read_only=True,
        help_text="Sentences it learned from, per label; NONE: sentences marked with neither.",
    )
    metrics = serializers.DictField(
        child=LabelMetricsSerializer(), read_only=True, help_text="Cross-validated, per label."
    )
    labels = serializers.ListField(child=serializers.CharField(), read_only=True)
    left_out = serializers.DictField(
        child=serializers.CharField(), read_only=True, help_text="Labels not learned, and why."
    )
    trained_on_submissions = serializers.IntegerField(read_only=True, allow_null=True)
    submissions = serializers.IntegerField(read_only=True, help_text="Submitted article states now.")
    submissions_since = serializers.IntegerField(read_only=True, help_text="Since the latest model.")
    retrain_every = serializers.IntegerField(
        read_only=True, help_text="Retrained after this many new submissions (0: only on demand)."
    )
    training_job = serializers.IntegerField(
        read_only=True, allow_null=True, help_text="A training job queued or running now."
    )
    history = RecommenderHistorySerializer(many=True, read_only=True, help_text="Newest first.")
