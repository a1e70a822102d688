"""Query strings no database can store: the parsers check bodies (api/parsers.py); this checks
the query string of every request, once, before any view or filter reads it."""

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest, JsonResponse

from annotator.common.errors import InvalidInput
from api.errors import error_body
from api.parsers import check_storable_fields


class StorableQueryStringMiddleware:
    """A query string with a NUL character (PostgreSQL refuses it in any query) is a 400 naming
    the parameter, in the API's error shape under /api/, not a 500 from the database."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        try:
            check_storable_fields(request.GET, "query string")
        except InvalidInput as exc:
            if request.path.startswith("/api/"):
                return JsonResponse(error_body(exc.message, exc.code, exc.fields), status=400)
            return HttpResponseBadRequest(exc.message, content_type="text/plain; charset=utf-8")
        return self.get_response(request)
