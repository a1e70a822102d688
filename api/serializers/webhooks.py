"""Webhooks and their deliveries (docs/api.md, "Webhooks")."""

from rest_framework import serializers

from annotator.webhooks.models import EVENTS, Delivery, DeliveryAttempt, Webhook


class WebhookSerializer(serializers.ModelSerializer):
    events = serializers.ListField(child=serializers.ChoiceField(choices=EVENTS), read_only=True)
    disabled_reason = serializers.CharField(
        read_only=True,
        help_text="Why the server turned it off (every delivery failed for a day); empty otherwise.",
    )
    failing_since = serializers.DateTimeField(
        read_only=True, allow_null=True, help_text="Start of the current run of failed attempts."
    )
    failed_deliveries = serializers.IntegerField(
        read_only=True, default=0, help_text="Deliveries that gave up after their last attempt."
    )

    class Meta:
        model = Webhook
        fields = [
            "id",
            "project",
            "url",
            "events",
            "active",
            "disabled_reason",
            "failing_since",
            "failed_deliveries",
            "created_at",
            "updated_at",
        ]
        read_only_fields = fields


class WebhookCreatedSerializer(WebhookSerializer):
    secret = serializers.CharField(
        read_only=True,
        help_text="The HMAC-SHA256 key of X-Annotator-Signature. Shown only in this answer: keep it.",
    )

    class Meta(WebhookSerializer.Meta):
        fields = [*WebhookSerializer.Meta.fields, "secret"]
        read_only_fields = fields


class WebhookWriteSerializer(serializers.Serializer):
    url = serializers.CharField(
        max_length=2000, help_text="http(s); its host must resolve to public addresses only (docs)."
    )
    events = serializers.ListField(
        child=serializers.CharField(max_length=64),
        max_length=len(EVENTS),
        help_text=f"Some of: {', '.join(EVENTS)}.",
    )
    active = serializers.BooleanField(required=False, default=True)


class AttemptSerializer(serializers.ModelSerializer):
    response_body = serializers.CharField(read_only=True, help_text="At most its first 1 KB.")

    class Meta:
        model = DeliveryAttempt
        fields = [
            "number",
            "status_code",
            "duration_ms",
            "error",
            "response_body",
            "next_retry_at",
            "created_at",
        ]
        read_only_fields = fields


class DeliverySerializer(serializers.ModelSerializer):
    id = serializers.IntegerField(read_only=True, help_text="The delivery's number in paths (redeliver).")
    delivery = serializers.UUIDField(
        source="uid", read_only=True, help_text="The payload's id and X-Annotator-Delivery."
    )
    status_code = serializers.SerializerMethodField(help_text="The last attempt's HTTP status, if any.")
    duration_ms = serializers.SerializerMethodField(help_text="The last attempt's duration.")
    error = serializers.SerializerMethodField(help_text="The last attempt's error (no answer, refused...).")
    attempt_list = AttemptSerializer(source="attempt_rows", many=True, read_only=True)

    class Meta:
        model = Delivery
        fields = [
            "id",
            "delivery",
            "event",
            "status",
            "attempts",
            "status_code",
            "duration_ms",
            "error",
            "next_retry_at",
            "created_at",
            "attempt_list",
        ]
        read_only_fields = fields

    def _last(self, obj: Delivery) -> DeliveryAttempt | None:
        rows = list(obj.attempt_rows.all())
        return rows[-1] if rows else None

    def get_status_code(self, obj: Delivery) -> int | None:
        last = self._last(obj)
        return last.status_code if last else None

    def get_duration_ms(self, obj: Delivery) -> int | None:
        last = self._last(obj)
        return last.duration_ms if last else None

    def get_error(self, obj: Delivery) -> str:
        last = self._last(obj)
        return last.error if last else ""


class DeliveryQuerySerializer(serializers.Serializer):
    status = serializers.ChoiceField(
        choices=Delivery.Status.choices, required=False, help_text="Only deliveries in this state."
    )
