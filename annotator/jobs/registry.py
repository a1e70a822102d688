"""Job kinds by name. A kind is a plain function ``handler(job, ctx) -> dict | None``.

Kinds register with ``@job_kind`` in the apps that own them (their ``jobs.py``, above this
one). The modules named in ``settings.JOB_KIND_MODULES`` are imported the first time the
registry is asked, so the web process and every worker know the same kinds without
import-order tricks.
"""

from __future__ import annotations

import importlib
import threading
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.conf import settings

if TYPE_CHECKING:
    from annotator.jobs.models import Job
    from annotator.jobs.runner import JobContext

Handler = Callable[["Job", "JobContext"], "dict[str, Any] | None"]
# Returns the cleaned params or raises InvalidInput.
ParamsCheck = Callable[[dict[str, Any]], dict[str, Any]]


@dataclass(frozen=True)
class JobKind:
    name: str
    handler: Handler
    api_startable: bool
    description: str
    check_params: ParamsCheck | None


_kinds: dict[str, JobKind] = {}
_loaded = False
_lock = threading.Lock()


def job_kind(
    name: str,
    *,
    api_startable: bool = False,
    description: str = "",
    check_params: ParamsCheck | None = None,
) -> Callable[[Handler], Handler]:
    """Register the decorated function as the handler of job kind ``name``."""

    def register(handler: Handler) -> Handler:
        existing = _kinds.get(name)
        # The same function imported twice (e.g. a module reloaded) may re-register itself;
        # two different functions under one name is a mistake that would run the wrong code.
        if existing is not None and _qualified(existing.handler) != _qualified(handler):
            raise ValueError(f"job kind {name!r} is already registered by {_qualified(existing.handler)}")
        _kinds[name] = JobKind(
            name=name,
            handler=handler,
            api_startable=api_startable,
            description=description or (handler.__doc__ or "").strip().split("\n")[0],
            check_params=check_params,
        )
        return handler

    return register


def _qualified(handler: Handler) -> str:
    return f"{getattr(handler, '__module__', '?')}.{getattr(handler, '__qualname__', repr(handler))}"


def _ensure_loaded() -> None:
    global _loaded
    if _loaded:
        return
    with _lock:
        if _loaded:
            return
        for module in settings.JOB_KIND_MODULES:
            importlib.import_module(module)
        _loaded = True


def kind_get(name: str) -> JobKind | None:
    """The registered kind called ``name``, or None."""
    _ensure_loaded()
    return _kinds.get(name)


def kinds_all() -> dict[str, JobKind]:
    """Every registered kind by name."""
    _ensure_loaded()
    return dict(_kinds)
