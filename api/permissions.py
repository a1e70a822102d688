"""Authentication is required everywhere (settings); who may do what inside a project is
decided by the domain (annotator.projects.access), not by view permission classes, so the
same rules hold for every client."""

from django.contrib.auth.models import User
from rest_framework.request import Request


class AuthenticatedRequest(Request):
    """A request behind IsAuthenticated: its user is a real user, never anonymous."""

    user: User
