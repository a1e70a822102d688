from django.http import HttpRequest, HttpResponse
from django.shortcuts import render


def index(request: HttpRequest) -> HttpResponse:
    """The single-page app's entry point (a landing page until the web UI lands)."""
    return render(request, "frontend/index.html")
