"""The password-login limit holds: against forged X-Forwarded-For, across addresses (per
username), and across processes (the counts live in the shared cache)."""

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any
from urllib.parse import quote

import pytest
from django.core.cache import caches
from django.db import connection
from django.test import RequestFactory
from rest_framework.test import APIClient

from api.throttling import SharedRedisCache, address_bucket, client_address
from tests.conftest import make_user

ROOT = Path(__file__).resolve().parents[2]
TOKEN = "/api/v1/auth/token/"
SESSION = "/api/v1/auth/session/"
ADDRESS_LIMIT = 30  # ANNOTATOR_AUTH_RATE's default, 30/min
USERNAME_LIMIT = 30  # ANNOTATOR_AUTH_USERNAME_RATE's default, 30/hour


def attempt(client: APIClient, username: str, password: str = "wrong", **extra: Any) -> Any:  # noqa: S107
    return client.post(TOKEN, {"username": username, "password": password}, format="json", **extra)


def assert_throttled(response: Any) -> None:
    assert response.status_code == 429, response.content
    body = response.json()
    assert body["code"] == "throttled" and body["errors"] == {} and "throttled" in body["detail"]
    assert 1 <= int(response["Retry-After"]) <= 3600


# --- the client's address ------------------------------------------------------------------


def test_forwarded_for_is_ignored_without_trusted_proxies() -> None:
    request = RequestFactory().post(TOKEN, REMOTE_ADDR="192.0.2.1", HTTP_X_FORWARDED_FOR="203.0.113.9")
    assert client_address(request) == "192.0.2.1"


def test_trusted_proxies_count_hops_from_the_right(settings: Any) -> None:
    forged = "10.9.9.9, 198.51.100.7, 203.0.113.5"  # client-written, then what 2 proxies appended
    request = RequestFactory().post(TOKEN, REMOTE_ADDR="192.0.2.1", HTTP_X_FORWARDED_FOR=forged)
    settings.TRUSTED_PROXIES = 1
    assert client_address(request) == "203.0.113.5"
    settings.TRUSTED_PROXIES = 2
    assert client_address(request) == "198.51.100.7"
    no_header = RequestFactory().post(TOKEN, REMOTE_ADDR="192.0.2.1")
    assert client_address(no_header) == "192.0.2.1"


def test_an_ipv6_subscriber_counts_as_one_address() -> None:
    assert address_bucket("2001:db8:1:2::1") == address_bucket("2001:db8:1:2:ffff::9") == "2001:db8:1:2::/64"
    assert address_bucket("2001:db8:1:3::1") != address_bucket("2001:db8:1:2::1")
    assert address_bucket("::ffff:192.0.2.1") == "192.0.2.1" == address_bucket("192.0.2.1")


# --- through the API -----------------------------------------------------------------------


def test_forged_forwarded_for_gets_no_fresh_allowance(db: None) -> None:
    make_user("alice")
    client = APIClient()
    codes = [
        # A fresh header and a fresh username each time: only the address can hold them back.
        attempt(client, f"user{i}", HTTP_X_FORWARDED_FOR=f"198.51.100.{i}").status_code
        for i in range(ADDRESS_LIMIT)
    ]
    assert codes == [400] * ADDRESS_LIMIT
    assert_throttled(attempt(client, "someone", HTTP_X_FORWARDED_FOR="203.0.113.250"))
    # The right password waits like the wrong one, and the session sign-in shares the count.
    assert_throttled(attempt(client, "alice", "pw-alice", HTTP_X_FORWARDED_FOR="203.0.113.251"))
    session = client.post(SESSION, {"username": "alice", "password": "pw-alice"}, format="json")
    assert_throttled(session)
    assert client.delete(SESSION).status_code == 204  # signing out is never throttled
    # Another machine is not held back.
    assert attempt(APIClient(REMOTE_ADDR="192.0.2.77"), "alice", "pw-alice").status_code == 201


def test_behind_a_trusted_proxy_each_client_is_counted_apart(db: None, settings: Any) -> None:
    settings.TRUSTED_PROXIES = 1
    proxy = APIClient(REMOTE_ADDR="10.0.0.2")
    for i in range(ADDRESS_LIMIT):
        # What the client wrote comes first; the proxy appended the address it saw.
        forged = f"198.51.100.{i}, 203.0.113.5"
        assert attempt(proxy, f"user{i}", HTTP_X_FORWARDED_FOR=forged).status_code == 400
    assert_throttled(attempt(proxy, "someone", HTTP_X_FORWARDED_FOR="192.0.2.9, 203.0.113.5"))
    assert attempt(proxy, "someone", HTTP_X_FORWARDED_FOR="203.0.113.6").status_code == 400


def test_the_username_limit_holds_across_addresses(db: None) -> None:
    make_user("bob")
    codes = []
    for i in range(USERNAME_LIMIT):
        client = APIClient(REMOTE_ADDR=f"198.51.100.{i}")
        # Case and surrounding spaces do not make it another account.
        username = "BOB" if i % 3 == 0 else "bob"
        if i % 2:
            codes.append(attempt(client, username).status_code)
        else:
            body = {"username": f" {username} ", "password": "wrong"}
            codes.append(client.post(SESSION, body, format="json").status_code)
    assert codes == [400] * USERNAME_LIMIT
    fresh = APIClient(REMOTE_ADDR="203.0.113.1")
    assert_throttled(attempt(fresh, "bob"))
    assert_throttled(attempt(fresh, "bob", "pw-bob"))
    assert attempt(fresh, "carol").status_code == 400  # other accounts are not held back


# --- across processes ----------------------------------------------------------------------

# Another web process: the same settings and cache, the test database, its own memory.
OTHER_PROCESS = """
import json, sys
import django
django.setup()
from django.conf import settings
settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
from django.test import Client
client = Client()
body = json.dumps({"username": sys.argv[2], "password": "wrong"})
codes = [
    client.post("/api/v1/auth/token/", body, content_type="application/json").status_code
    for _ in range(int(sys.argv[1]))
]
print(json.dumps(codes))
"""


def _test_database_url() -> str:
    db = connection.settings_dict
    if db["ENGINE"] == "django.db.backends.sqlite3":
        return f"sqlite:///{db['NAME']}"
    credentials = quote(db["USER"] or "") + (":" + quote(db["PASSWORD"]) if db["PASSWORD"] else "")
    return f"postgres://{credentials}@{db['HOST'] or 'localhost'}:{db['PORT'] or 5432}/{db['NAME']}"


def _other_processes(count: int, attempts: int, username: str) -> list[list[int]]:
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "annotator.settings",
        "DATABASE_URL": _test_database_url(),
    }
    env.pop("DEBUG", None)
    processes = [
        subprocess.Popen(
            [sys.executable, "-c", OTHER_PROCESS, str(attempts), username],
            cwd=ROOT,
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for _ in range(count)
    ]
    results = []
    for process in processes:
        out, err = process.communicate(timeout=180)
        assert process.returncode == 0, err
        results.append(json.loads(out.strip().splitlines()[-1]))
    return results


def test_attempts_in_other_processes_add_up(transactional_db: None) -> None:
    # Two processes at once, as two gunicorn workers: together they get the limit, not twice it.
    results = _other_processes(2, 25, "dora")
    codes = [code for result in results for code in result]
    assert sorted(set(codes)) == [400, 429], results
    assert codes.count(400) == ADDRESS_LIMIT, results
    # And this process sees their attempts too.
    assert_throttled(attempt(APIClient(), "dora"))


def test_clearing_the_redis_cache_keeps_the_brokers_keys() -> None:
    cache = caches["default"]
    if not isinstance(cache, SharedRedisCache):
        pytest.skip("the cache is not Redis here (no REDIS_URL / redis:// CELERY_BROKER_URL)")
    client = cache.redis()
    client.set("not-the-cache:marker", b"1")
    cache.set("ours", 1)
    try:
        cache.clear()
        assert cache.get("ours") is None
        assert client.get("not-the-cache:marker") == b"1"
    finally:
        client.delete("not-the-cache:marker")
