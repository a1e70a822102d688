"""The password-login limit: per client address and per username, shared by every process.

Attempts are counted in the default cache, which every web process of a deployment shares
(settings.CACHES: Redis, or files under var/ on one machine). An attempt claims one of
``limit`` numbered slots with ``cache.add``, which is atomic, and each slot expires
``period`` seconds after it was claimed: a sliding window that concurrent attempts in
different processes cannot over-count, since two of them never claim the same slot.

The client address is REMOTE_ADDR unless ``TRUSTED_PROXIES`` says how many proxies stand in
front: only the hops those proxies appended to X-Forwarded-For are believed, never what a
client wrote there itself.
"""

import contextlib
import hashlib
import ipaddress
import os
import time
from collections.abc import Iterator
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.core.cache.backends.base import DEFAULT_TIMEOUT
from django.core.cache.backends.filebased import FileBasedCache
from django.core.cache.backends.redis import RedisCache
from django.core.exceptions import ImproperlyConfigured
from django.core.files import locks
from django.http import HttpRequest
from redis import Redis
from rest_framework.request import Request
from rest_framework.settings import api_settings
from rest_framework.throttling import BaseThrottle
from rest_framework.views import APIView

PERIOD_SECONDS = {"s": 1, "m": 60, "h": 3600, "d": 86400}
# One IPv6 subscriber usually gets a whole /64: counting single addresses would hand each
# of them 2**64 fresh allowances.
IPV6_PREFIX = 64


def parse_rate(rate: str) -> tuple[int, int]:
    """'30/min' -> (30, 60): DRF's rate format (s, m, h or d, or a word starting so)."""
    number, _, period = rate.partition("/")
    try:
        return int(number), PERIOD_SECONDS[period.strip()[0]]
    except (ValueError, IndexError, KeyError):
        raise ImproperlyConfigured(f"Bad throttle rate {rate!r}: use e.g. '30/min' or '100/hour'.") from None


def client_address(request: HttpRequest) -> str:
    """The address the request came from. With ``TRUSTED_PROXIES = n`` it is the n-th
    X-Forwarded-For entry from the right (the one the outermost trusted proxy appended);
    with 0, or without the header, REMOTE_ADDR, whatever the headers say."""
    remote = str(request.META.get("REMOTE_ADDR", ""))
    hops: int = settings.TRUSTED_PROXIES
    forwarded = str(request.META.get("HTTP_X_FORWARDED_FOR", ""))
    if hops <= 0 or not forwarded.strip():
        return remote
    chain = [hop.strip() for hop in forwarded.split(",")]
    return chain[-min(hops, len(chain))] or remote


def address_bucket(address: str) -> str:
    """What one client's attempts are counted under: the address, or its /64 for IPv6."""
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return address
    if isinstance(ip, ipaddress.IPv6Address):
        if ip.ipv4_mapped is not None:
            return str(ip.ipv4_mapped)
        return str(ipaddress.IPv6Network((ip, IPV6_PREFIX), strict=False))
    return str(ip)


class _LoginThrottle(BaseThrottle):
    """Counts POSTs (sign-in attempts, right or wrong) under ``subject`` at the rate
    REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"][scope]; signing out is never throttled."""

    scope = ""

    def __init__(self) -> None:
        self._wait: float | None = None

    def subject(self, request: Request) -> str | None:
        raise NotImplementedError

    def allow_request(self, request: Request, view: APIView) -> bool:
        if request.method != "POST":
            return True
        subject = self.subject(request)
        if subject is None:
            return True
        limit, period = parse_rate(str(api_settings.DEFAULT_THROTTLE_RATES[self.scope]))
        digest = hashlib.sha256(subject.encode("utf-8", "surrogatepass")).hexdigest()
        keys = [f"login:{self.scope}:{digest}:{slot}" for slot in range(limit)]
        now = time.time()
        claimed: dict[str, Any] = cache.get_many(keys)
        for key in keys:
            # A slot another process took since get_many makes add fail: try the next one.
            if key not in claimed and cache.add(key, now, timeout=period):
                return True
        # Refused attempts claim nothing: they do not push the window further out.
        oldest = min((float(t) for t in claimed.values()), default=now)
        self._wait = max(1.0, oldest + period - now)
        return False

    def wait(self) -> float | None:
        return self._wait


class LoginAddressThrottle(_LoginThrottle):
    """Sign-in attempts per client address (see ``client_address``)."""

    scope = "auth"

    def subject(self, request: Request) -> str | None:
        return address_bucket(client_address(request))


class LoginUsernameThrottle(_LoginThrottle):
    """Sign-in attempts per username, from any number of addresses: a guess at one account
    spread over many machines is slowed too (and the right password waits like the wrong)."""

    scope = "auth_username"

    def subject(self, request: Request) -> str | None:
        data = request.data
        username = data.get("username") if hasattr(data, "get") else None
        if not isinstance(username, str) or not username.strip():
            return None  # the serializer refuses it; nothing to guess at
        return username.strip().casefold()


# --- the caches the counts live in (settings.CACHES) ----------------------------------------


class FileCache(FileBasedCache):
    """Django's file cache (the zero-config default, shared by the processes of one machine)
    with an atomic ``add``, which the login slots rely on, and a cull that drops expired
    entries before live ones: Django's culls at random, so anyone who filled the cache with
    junk could erase the counts of their own attempts."""

    def __init__(self, dir: str, params: dict[str, Any]) -> None:
        super().__init__(dir, params)
        self._lock_path = os.path.join(os.path.abspath(dir), "add.lock")  # not *.djcache: clear() keeps it

    @contextlib.contextmanager
    def _locked(self) -> Iterator[None]:
        os.makedirs(os.path.dirname(self._lock_path), exist_ok=True)
        with open(self._lock_path, "ab") as lock:
            locks.lock(lock, locks.LOCK_EX)
            try:
                yield
            finally:
                locks.unlock(lock)

    def add(
        self, key: Any, value: Any, timeout: float | None = DEFAULT_TIMEOUT, version: int | None = None
    ) -> bool:
        with self._locked():
            return super().add(key, value, timeout, version)

    # Django's private helpers below are not in django-stubs, hence the ignores.
    def _cull(self) -> None:
        names: list[str] = self._list_cache_files()  # type: ignore[attr-defined]
        if len(names) < self._max_entries:
            return
        for name in names:
            with contextlib.suppress(FileNotFoundError), open(name, "rb") as entry:
                self._is_expired(entry)  # type: ignore[attr-defined]  # deletes it when expired
        super()._cull()  # type: ignore[misc]


class SharedRedisCache(RedisCache):
    """Django's Redis cache whose ``clear`` deletes only this cache's keys: its database
    may be the Celery broker's, whose queues and bindings a FLUSHDB would drop."""

    def redis(self) -> Redis:
        """The redis-py client of this cache's server."""
        client: Redis = self._cache.get_client(None, write=True)  # type: ignore[attr-defined]
        return client

    def clear(self) -> None:
        client = self.redis()
        batch: list[bytes] = []
        for key in client.scan_iter(match=f"{self.key_prefix}:*", count=1000):
            batch.append(key)
            if len(batch) == 1000:
                client.delete(*batch)
                batch = []
        if batch:
            client.delete(*batch)
