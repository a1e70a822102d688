"""The OpenAPI schema's view of errors: every operation lists the error responses it can give,
with the one error shape of api/errors.py, decided here from what the operation is (a write,
an object named in the path, an If-Match, a throttle) rather than written out per view."""

from typing import Any

from drf_spectacular.openapi import AutoSchema
from rest_framework import serializers


class ItemErrorSerializer(serializers.Serializer):
    index = serializers.IntegerField(help_text="The item's position in the list sent.")
    errors = serializers.DictField(child=serializers.ListField(child=serializers.CharField()))  # type: ignore[assignment]


class ErrorSerializer(serializers.Serializer):
    """Every 4xx and 5xx answer of the API."""

    detail = serializers.CharField(help_text="What went wrong, for people.")
    code = serializers.CharField(help_text="What went wrong, for programs: invalid, not_found, conflict...")
    errors = serializers.DictField(  # type: ignore[assignment]  # a field here, not Serializer.errors
        child=serializers.ListField(child=serializers.CharField()),
        help_text="Messages per field; a nested field is dotted (items.0.name).",
    )
    items = ItemErrorSerializer(
        many=True, required=False, help_text="A list sent as the body: the errors of each invalid item."
    )


DESCRIPTIONS = {
    400: "Invalid input: the errors name the fields (or query parameters).",
    401: "No credentials, or a token that is unknown or revoked.",
    403: "Not allowed: the caller's role may not do this (or the CSRF token is missing).",
    404: "Not found, or not visible to the caller (or a page past the last).",
    409: "Conflicts with the current state.",
    412: "Stale: the If-Match version is not the current one (the ETag header has it).",
    413: "The request body is over the size limit.",
    415: "The body's media type is not one this operation reads.",
    428: "If-Match is required for this write.",
    429: "Too many attempts; the Retry-After header says when to try again.",
    503: "The database is busy or unreachable; the Retry-After header says when to try again.",
}
WRITES = {"POST", "PUT", "PATCH", "DELETE"}


class ErrorDocumentingAutoSchema(AutoSchema):
    def error_codes(self) -> set[int]:
        """The error statuses this operation can answer with."""
        codes = {400, 503}  # any query string can be refused; the database can be busy
        if self.get_auth():
            codes |= {401, 403}
        if "{" in self.path or (self.method == "GET" and self._get_paginator() and self._is_list_view()):
            codes.add(404)  # an object named in the path; or a page past the last
        if self.method in WRITES:
            codes |= {403, 409}
        if self.method in {"POST", "PUT", "PATCH"}:
            codes |= {413, 415}
        if any(getattr(p, "name", None) == "If-Match" for p in self.get_override_parameters()):
            codes |= {412, 428}
        if getattr(self.view, "throttle_classes", None):
            codes.add(429)
        return codes

    def _get_response_bodies(self, direction: Any = "response") -> dict[str, Any]:
        responses: dict[str, Any] = super()._get_response_bodies(direction)
        for code in sorted(self.error_codes()):
            documented = responses.get(str(code))
            if documented is not None and documented.get("content"):
                continue
            error = self._get_response_for_code(ErrorSerializer, str(code), direction=direction)
            error["description"] = (documented or {}).get("description") or DESCRIPTIONS[code]
            responses[str(code)] = error
        return responses
