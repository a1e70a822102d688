from typing import Any

from rest_framework import serializers


class ServiceCheckedChoice(serializers.ChoiceField):
    """A string whose choices the schema lists but the service checks, not the serializer: one
    rule and one message (naming the same field) for the API, the commands and the jobs."""

    def to_internal_value(self, data: Any) -> str:
        return str(serializers.CharField().to_internal_value(data))
