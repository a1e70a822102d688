"""What a server process does once its code is loaded, before its first request or task."""

import gc
from importlib import import_module

from django.conf import settings


def freeze_loaded(*, urls: bool) -> None:
    """Take what the process has loaded so far (Django, every module; with ``urls``, the URL
    patterns and so every view, serializer and service) out of the cyclic collector's
    generations. It lives as long as the process; left in, every full collection, which a
    request or import that builds many objects sets off, scans all of it again."""
    if urls:
        import_module(settings.ROOT_URLCONF)
    gc.collect()  # nothing unreachable is frozen with the rest (it would never be freed)
    gc.freeze()
