from pathlib import Path

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.csrf import ensure_csrf_cookie

# `vite build` (make run, CI) writes the app here; Django serves its assets as static files.
DIST = Path(__file__).resolve().parent / "dist"


@ensure_csrf_cookie  # the app sends it back as X-CSRFToken when it signs in
def index(request: HttpRequest) -> HttpResponse:
    """The single-page app for every page of it: the built index, or how to build it."""
    built = DIST / "index.html"
    if built.is_file():
        return HttpResponse(built.read_bytes(), content_type="text/html; charset=utf-8")
    return render(request, "frontend/index.html")
