"""The benchmark databases (never the development one) and the settings a benchmark runs under."""

import os
import secrets
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

from bench.support.paths import BENCH_DIR, ROOT

SQLITE_PATH = BENCH_DIR / "bench.sqlite3"


@dataclass
class BenchDatabase:
    vendor: str
    url: str
    maintenance_url: str = ""  # PostgreSQL: where CREATE/DROP DATABASE run
    name: str = ""
    sqlite_path: Path = SQLITE_PATH

    def create(self) -> None:
        if self.vendor == "sqlite":
            BENCH_DIR.mkdir(parents=True, exist_ok=True)
            self.drop()
            return
        self._admin(f'DROP DATABASE IF EXISTS "{self.name}" WITH (FORCE)')
        self._admin(f'CREATE DATABASE "{self.name}"')

    def drop(self) -> None:
        if self.vendor == "sqlite":
            for suffix in ("", "-wal", "-shm", "-journal"):
                Path(f"{self.sqlite_path}{suffix}").unlink(missing_ok=True)
            return
        self._admin(f'DROP DATABASE IF EXISTS "{self.name}" WITH (FORCE)')

    def describe(self) -> str:
        return str(self.sqlite_path.relative_to(ROOT)) if self.vendor == "sqlite" else f"database {self.name}"

    def _admin(self, sql: str) -> None:
        import psycopg

        # Only ever create or drop a database this script named.
        if not self.name.endswith("_bench"):
            raise SystemExit(f"refusing to create or drop {self.name!r}: not a benchmark database")
        with psycopg.connect(self.maintenance_url, autocommit=True) as conn:
            conn.execute(sql)


def bench_database(database_url: str, tag: str = "") -> BenchDatabase:
    """SQLite var/bench/<tag or "bench">.sqlite3 by default; ``<name>[_<tag>]_bench`` beside a
    PostgreSQL DATABASE_URL. A tag per script lets the benchmarks run at the same time."""
    parts = urlsplit(database_url)
    if parts.scheme not in ("postgres", "postgresql", "pgsql"):
        path = BENCH_DIR / f"{tag}.sqlite3" if tag else SQLITE_PATH
        return BenchDatabase(vendor="sqlite", url=f"sqlite:///{path}", sqlite_path=path)
    name = (parts.path.lstrip("/") or "annotator").removesuffix("_bench")
    if tag:
        name = name.removesuffix(f"_{tag}") + f"_{tag}"
    bench_name = f"{name}_bench"
    return BenchDatabase(
        vendor="postgresql",
        url=urlunsplit(parts._replace(path=f"/{bench_name}")),
        maintenance_url=urlunsplit(parts._replace(scheme="postgresql", path="/postgres")),
        name=bench_name,
    )


def bench_env(db: BenchDatabase) -> dict[str, str]:
    """Production-like settings (DEBUG off) on the benchmark database, without TLS redirects."""
    env = dict(os.environ)
    env.update(
        DJANGO_SETTINGS_MODULE="annotator.settings",
        DATABASE_URL=db.url,
        DEBUG="0",
        SECRET_KEY=secrets.token_urlsafe(50),
        # testserver: DRF's APIClient, used in-process to count queries.
        ALLOWED_HOSTS="127.0.0.1,testserver",
        SECURE_SSL_REDIRECT="0",
        SESSION_COOKIE_SECURE="0",
        CSRF_COOKIE_SECURE="0",
        SECURE_HSTS_SECONDS="0",
        # Keep the secret key file, broker folders and static root of the bench apart too.
        ANNOTATOR_VAR_DIR=str(BENCH_DIR),
        LOG_LEVEL="WARNING",
    )
    return env


@contextmanager
def fresh_database(tag: str, *, keep: bool = False) -> Iterator[tuple[BenchDatabase, dict[str, str]]]:
    """A fresh, migrated benchmark database (``bench_database(DATABASE_URL, tag)``) with this
    process's Django set up on it, and the environment a child process needs to use it;
    dropped afterwards unless ``keep``."""
    db = bench_database(os.environ.get("DATABASE_URL", ""), tag)
    env = bench_env(db)
    print(f"benchmark database: {db.vendor}, {db.describe()} (created fresh)", flush=True)
    db.create()
    try:
        subprocess.run(
            [sys.executable, "manage.py", "migrate", "--noinput", "-v", "0"], cwd=ROOT, env=env, check=True
        )
        os.environ.update(env)
        import django

        django.setup()
        yield db, env
    finally:
        if not keep:
            if "django" in sys.modules:
                from django.db import connections

                connections.close_all()
            db.drop()


def analyze(db: BenchDatabase) -> None:
    """Fresh planner statistics and visibility map after a bulk fill (PostgreSQL), as
    autovacuum would give a minute later: without the map the planner prices an index-only
    scan as reading the table too, and may choose a worse index."""
    if db.vendor == "postgresql":
        from django.db import connection

        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE")  # not in a transaction: Django autocommits here
