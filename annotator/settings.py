"""The one settings module, driven by the environment (django-environ).

With nothing set it runs on SQLite and a filesystem Celery broker under ``var/``.
``DATABASE_URL`` and ``CELERY_BROKER_URL`` switch to PostgreSQL and Redis.
With ``DEBUG`` off it refuses to start without ``SECRET_KEY`` and ``ALLOWED_HOSTS``, except
as the local server of ``make run`` (``ANNOTATOR_LOCAL_SERVER``, which ``manage.py serve``
sets): there ``DEBUG`` is off unless asked for, the key is kept under ``var/`` and the
local host names are allowed.
"""

import os
import secrets
from collections.abc import Mapping
from datetime import timedelta
from pathlib import Path
from typing import Any

import environ
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent

env = environ.Env()
environ.Env.read_env(BASE_DIR / ".env", overwrite=False)

VAR_DIR = Path(env.str("ANNOTATOR_VAR_DIR", default=str(BASE_DIR / "var")))
VAR_DIR.mkdir(parents=True, exist_ok=True)

# `make run` (manage.py serve) is how users run the service on their machine: DEBUG stays off
# there (a 500 or an unknown URL must not show tracebacks or routes) unless DEBUG=1 asks.
LOCAL_SERVER = env.bool("ANNOTATOR_LOCAL_SERVER", default=False)
DEBUG = env.bool("DEBUG", default=not LOCAL_SERVER)
# Production: the secure-cookie, HTTPS-redirect and HSTS defaults below are on. A local
# server is reached over plain http://127.0.0.1, where they would lock its user out.
PRODUCTION = not DEBUG and not LOCAL_SERVER


def _local_secret_key() -> str:
    # Kept under var/ so sessions survive restarts of a development or local server.
    path = VAR_DIR / "secret_key"
    if not path.exists():
        path.write_text(secrets.token_urlsafe(50))
        path.chmod(0o600)
    return path.read_text().strip()


def _local_hosts() -> list[str]:
    hosts = ["127.0.0.1", "localhost", "[::1]"]
    bound = env.str("HOST", default="").strip()  # make run's address, when it is a single one
    if bound and bound not in ("0.0.0.0", "::", "[::]"):  # noqa: S104 (compared, not bound)  # nosec B104
        hosts.append(bound)
    return hosts if LOCAL_SERVER else [*hosts, "testserver"]


SECRET_KEY = env.str("SECRET_KEY", default="")
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=[])
if PRODUCTION:
    if not SECRET_KEY:
        raise ImproperlyConfigured("DEBUG is off: set SECRET_KEY in the environment.")
    if not ALLOWED_HOSTS:
        raise ImproperlyConfigured("DEBUG is off: set ALLOWED_HOSTS in the environment.")
else:
    SECRET_KEY = SECRET_KEY or _local_secret_key()
    ALLOWED_HOSTS = ALLOWED_HOSTS or _local_hosts()
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])
CSRF_FAILURE_VIEW = "api.errors.csrf_failure"  # JSON for /api/ (the web UI shows it), Django's page elsewhere

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "csp",
    "rest_framework",
    # Before drf_spectacular: its templates/drf_spectacular/ serves the API docs page without
    # inline style (Content-Security-Policy below).
    "frontend",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "annotator.common",
    "annotator.accounts",
    "annotator.projects",
    "annotator.articles",
    "annotator.annotations",
    "annotator.jobs",
    "annotator.exchange",
    "annotator.preannotation",
    "annotator.workflow",
    "annotator.agreement",
    "annotator.live",
    "annotator.webhooks",
    "annotator.demo",
    "api",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "api.middleware.StorableQueryStringMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

ROOT_URLCONF = "annotator.urls"
WSGI_APPLICATION = "annotator.wsgi.application"
ASGI_APPLICATION = "annotator.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

# --- Database -------------------------------------------------------------------------
DATABASES = {
    "default": env.db_url("DATABASE_URL", default=f"sqlite:///{VAR_DIR / 'annotator.sqlite3'}"),
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["OPTIONS"] = {
        # WAL lets the web process read while the worker writes; IMMEDIATE takes the write
        # lock up front so a transaction never fails half-way on a lock upgrade.
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
    }
    # A file (not :memory:) so a real worker process can share the test database.
    DATABASES["default"]["TEST"] = {"NAME": str(VAR_DIR / "test.sqlite3")}
# Keep connections between requests: opening one (and, on SQLite, re-reading the schema)
# costs more than most requests.
DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=60)
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
# Except under ASGI (ANNOTATOR_ASGI, set by whatever serves annotator.asgi: manage.py serve,
# deploy/): there each request's sync code runs in a thread of its own (asgiref), so a
# connection kept per thread stays open after its request, one more per request, until
# PostgreSQL refuses new ones (bench/team_load.py found 503s at 100 annotators). There
# PostgreSQL connections come from psycopg's pool, DATABASE_POOL_SIZE per process, and a
# request that finds none free waits for one; SQLite connects per request.
if env.bool("ANNOTATOR_ASGI", default=False):
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
        DATABASES["default"].setdefault("OPTIONS", {})["pool"] = {
            "min_size": 2,
            "max_size": env.int("DATABASE_POOL_SIZE", default=10),
            "timeout": 30,
        }


def _snapshot_alias(default: dict[str, Any]) -> dict[str, Any]:
    """A second connection to the same database that exports read through: one consistent
    snapshot per export while annotators keep writing (DESIGN.md: REPEATABLE READ)."""
    alias = {**default, "OPTIONS": dict(default.get("OPTIONS", {})), "TEST": {"MIRROR": "default"}}
    if default["ENGINE"] == "django.db.backends.sqlite3":
        # A deferred transaction takes no write lock; in WAL mode its first read fixes the
        # snapshot it sees until it ends.
        alias["OPTIONS"]["transaction_mode"] = "DEFERRED"
    elif default["ENGINE"] == "django.db.backends.postgresql":
        from psycopg import IsolationLevel

        alias["OPTIONS"]["isolation_level"] = IsolationLevel.REPEATABLE_READ
    return alias


DATABASES["snapshot"] = _snapshot_alias(DATABASES["default"])

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "en"
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = VAR_DIR / "static"
STATIC_ROOT.mkdir(exist_ok=True)  # whitenoise warns on every request while it is missing
# The web UI's bundle (`vite build` in frontend/): collected with the rest, served by whitenoise.
FRONTEND_DIST = BASE_DIR / "frontend" / "dist"
STATICFILES_DIRS = [FRONTEND_DIST] if FRONTEND_DIST.is_dir() else []
STORAGES: dict[str, dict[str, Any]] = {
    # Import uploads and export files. Set ANNOTATOR_S3_BUCKET to keep them in S3 or an
    # S3-compatible store (MinIO, ...) instead: needed as soon as there is more than one host.
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}


def s3_storage(environ: Mapping[str, str]) -> dict[str, Any] | None:
    """The default storage that ANNOTATOR_S3_* in ``environ`` ask for (None: no bucket set)."""
    from botocore.config import Config

    if not environ.get("ANNOTATOR_S3_BUCKET"):
        return None
    return {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": environ["ANNOTATOR_S3_BUCKET"],
            "endpoint_url": environ.get("ANNOTATOR_S3_ENDPOINT_URL") or None,
            "region_name": environ.get("ANNOTATOR_S3_REGION") or None,
            "location": environ.get("ANNOTATOR_S3_PREFIX", "annotator"),
            # Credentials: ANNOTATOR_S3_ACCESS_KEY_ID / _SECRET_ACCESS_KEY, else boto3's own
            # lookup (AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY, an instance role, ...).
            "access_key": environ.get("ANNOTATOR_S3_ACCESS_KEY_ID") or None,
            "secret_key": environ.get("ANNOTATOR_S3_SECRET_ACCESS_KEY") or None,
            # "path" suits MinIO and other stores behind one host name; AWS takes either.
            "addressing_style": environ.get("ANNOTATOR_S3_ADDRESSING_STYLE") or "path",
            "default_acl": "private",
            "querystring_auth": True,
            "file_overwrite": False,  # two jobs never write over each other's file
            # A store that does not answer fails the request (and /readyz) in seconds.
            "client_config": Config(
                connect_timeout=3, read_timeout=30, retries={"max_attempts": 3, "mode": "standard"}
            ),
        },
    }


STORAGES["default"] = s3_storage(os.environ) or STORAGES["default"]
MEDIA_ROOT = VAR_DIR / "media"
WHITENOISE_USE_FINDERS = DEBUG

LOGIN_URL = "/admin/login/"

# --- More than one process or machine (docs/deploy.md) --------------------------------
# The distributed shape: more than one web process (ANNOTATOR_WEB_PROCESSES, else gunicorn's
# WEB_CONCURRENCY) or ANNOTATOR_DISTRIBUTED=1. In it the start-up check
# (annotator/common/checks.py) refuses local-disk file storage and a channel layer that is not
# Redis, unless ANNOTATOR_ALLOW_LOCAL=1 (one machine, on purpose).
ANNOTATOR_WEB_PROCESSES = env.int("ANNOTATOR_WEB_PROCESSES", default=0) or env.int(
    "WEB_CONCURRENCY", default=1
)
ANNOTATOR_DISTRIBUTED = env.bool("ANNOTATOR_DISTRIBUTED", default=False)
# make run (a local server) is one machine by construction: its processes share var/.
ANNOTATOR_ALLOW_LOCAL = env.bool("ANNOTATOR_ALLOW_LOCAL", default=LOCAL_SERVER)
# GET /readyz gives each dependency (database, broker, storage) this long to answer.
ANNOTATOR_READYZ_TIMEOUT_SECONDS = env.float("ANNOTATOR_READYZ_TIMEOUT_SECONDS", default=3.0)

# --- Security (production) ------------------------------------------------------------
SESSION_COOKIE_SECURE = env.bool("SESSION_COOKIE_SECURE", default=PRODUCTION)
CSRF_COOKIE_SECURE = env.bool("CSRF_COOKIE_SECURE", default=PRODUCTION)
SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=PRODUCTION)
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=31536000 if PRODUCTION else 0)
# Load balancers and container health checks probe over plain HTTP: never redirected.
SECURE_REDIRECT_EXEMPT = [r"^healthz$", r"^readyz$"]
SECURE_HSTS_INCLUDE_SUBDOMAINS = env.bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", default=PRODUCTION)
SECURE_HSTS_PRELOAD = env.bool("SECURE_HSTS_PRELOAD", default=PRODUCTION)
if env.bool("BEHIND_TLS_PROXY", default=False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
# How many reverse proxies stand in front and append to X-Forwarded-For. The login limit
# counts per client address: with 0 that is REMOTE_ADDR whatever the headers say; with n, the
# address the n-th proxy from here saw. More than there really are lets clients pick their own.
TRUSTED_PROXIES = env.int("TRUSTED_PROXIES", default=0)
if TRUSTED_PROXIES < 0:
    raise ImproperlyConfigured("TRUSTED_PROXIES is a number of proxies: 0 or more.")
X_FRAME_OPTIONS = "DENY"
SECURE_REFERRER_POLICY = "same-origin"
# django-csp. The web app (vite's build), the admin and the API docs (drf-spectacular's
# Swagger UI, its assets from drf-spectacular-sidecar) load only their own files: no inline
# script or style, no third-party origin. data: images are CSS icons (Swagger UI) and the
# app's empty favicon.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [NONE],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    },
}

# --- REST API -------------------------------------------------------------------------
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "api.authentication.TokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_SCHEMA_CLASS": "api.schema.ErrorDocumentingAutoSchema",
    # Bodies that are too big, or hold what no database stores, are refused here (api/parsers.py).
    "DEFAULT_PARSER_CLASSES": [
        "api.parsers.JSONParser",
        "api.parsers.FormParser",
        "api.parsers.MultiPartParser",
    ],
    "DEFAULT_PAGINATION_CLASS": "api.pagination.PageNumberPagination",
    "PAGE_SIZE": 100,
    "EXCEPTION_HANDLER": "api.errors.exception_handler",
    # Password sign-ins (api/throttling.py): per client address, and per username from any
    # number of addresses.
    "DEFAULT_THROTTLE_RATES": {
        "auth": env.str("ANNOTATOR_AUTH_RATE", default="30/min"),
        "auth_username": env.str("ANNOTATOR_AUTH_USERNAME_RATE", default="30/hour"),
    },
    "UNAUTHENTICATED_USER": None,
}
SPECTACULAR_SETTINGS = {
    "TITLE": "annotator API",
    "DESCRIPTION": "Collaborative text annotation: projects, articles, spans, relations, jobs.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    # No schema check against swagger.io's online validator: a third-party origin.
    "SWAGGER_UI_SETTINGS": {"deepLinking": True, "validatorUrl": None},
    "COMPONENT_SPLIT_REQUEST": True,
    # The path ids of api/urls.py: 1 to 2**63-1 (anything else is a 404 without a query).
    "PATH_CONVERTER_OVERRIDES": {"id": {"type": "integer", "minimum": 1, "maximum": 2**63 - 1}},
}

# --- Domain limits --------------------------------------------------------------------
ANNOTATOR_MAX_ARTICLE_CHARS = env.int("ANNOTATOR_MAX_ARTICLE_CHARS", default=2_000_000)
ANNOTATOR_MAX_ARTICLES_PER_POST = 1000
DATA_UPLOAD_MAX_MEMORY_SIZE = env.int("DATA_UPLOAD_MAX_MEMORY_SIZE", default=64 * 1024 * 1024)
# Imports: a bigger upload is refused with 413; a longer JSONL line, a bigger .json/.txt file
# or a bigger zip (unpacked) is a reported error.
ANNOTATOR_MAX_UPLOAD_BYTES = env.int("ANNOTATOR_MAX_UPLOAD_BYTES", default=512 * 1024 * 1024)
ANNOTATOR_MAX_IMPORT_LINE_BYTES = env.int("ANNOTATOR_MAX_IMPORT_LINE_BYTES", default=16 * 1024 * 1024)
ANNOTATOR_MAX_IMPORT_FILE_BYTES = env.int("ANNOTATOR_MAX_IMPORT_FILE_BYTES", default=128 * 1024 * 1024)
ANNOTATOR_MAX_ZIP_ENTRIES = env.int("ANNOTATOR_MAX_ZIP_ENTRIES", default=200_000)
ANNOTATOR_MAX_ZIP_BYTES = env.int("ANNOTATOR_MAX_ZIP_BYTES", default=2 * 1024 * 1024 * 1024)

# --- Celery and jobs ------------------------------------------------------------------
CELERY_BROKER_URL = env.str("CELERY_BROKER_URL", default="filesystem://")
if CELERY_BROKER_URL.startswith("filesystem://"):
    _broker_dir = Path(env.str("CELERY_FILESYSTEM_DIR", default=str(VAR_DIR / "broker")))
    for _sub in ("queue", "processed", "control"):
        (_broker_dir / _sub).mkdir(parents=True, exist_ok=True)
    # kombu's filesystem transport, with messages written whole before a worker sees them.
    CELERY_BROKER_TRANSPORT = "annotator.common.broker:Transport"
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(_broker_dir / "queue"),
        "data_folder_out": str(_broker_dir / "queue"),
        "processed_folder": str(_broker_dir / "processed"),
        "control_folder": str(_broker_dir / "control"),  # broadcast (inspect/ping) exchanges
        "store_processed": False,
        # kombu lists the queue folder this often (its default, 1 s, is most of a small job's wait).
        "polling_interval": env.float("CELERY_FILESYSTEM_POLL_SECONDS", default=0.1),
    }
else:
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "visibility_timeout": env.int("CELERY_VISIBILITY_TIMEOUT", default=3600),
    }
CELERY_TASK_DEFAULT_QUEUE = env.str("CELERY_TASK_DEFAULT_QUEUE", default="annotator")
CELERY_TASK_IGNORE_RESULT = True
CELERY_RESULT_BACKEND = None
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
# Publishing gives up quickly: a job whose message cannot be sent is marked failed,
# never run inline.
CELERY_TASK_PUBLISH_RETRY_POLICY = {"max_retries": 2, "interval_start": 0, "interval_step": 0.5}
CELERY_BROKER_CONNECTION_TIMEOUT = 3
# Lifts the webhook address rule (loopback, private, link-local... refused) for tests and
# closed networks; see docs/api.md "Webhooks".
WEBHOOK_ALLOW_PRIVATE = env.bool("ANNOTATOR_WEBHOOK_ALLOW_PRIVATE", default=False)
CELERY_TASK_ALWAYS_EAGER = env.bool("CELERY_TASK_ALWAYS_EAGER", default=False)
CELERY_BEAT_SCHEDULE_FILENAME = str(VAR_DIR / "celerybeat-schedule")
CELERY_BEAT_SCHEDULE = {
    "fail-stale-jobs": {
        "task": "annotator.jobs.fail_stale",
        "schedule": timedelta(seconds=env.int("JOB_SWEEP_SECONDS", default=30)),
    },
    "resend-lost-webhook-deliveries": {
        "task": "annotator.webhooks.resend_lost",
        "schedule": timedelta(minutes=5),
    },
}
# A running job writes a heartbeat this often; one silent for JOB_STALE_AFTER is failed.
JOB_HEARTBEAT_SECONDS = env.float("JOB_HEARTBEAT_SECONDS", default=5.0)
JOB_STALE_AFTER_SECONDS = env.float("JOB_STALE_AFTER_SECONDS", default=60.0)
JOB_TIME_LIMIT_SECONDS = env.int("JOB_TIME_LIMIT_SECONDS", default=6 * 3600)
# A project's learned classifier is retrained after this many new submissions (once it has
# been trained at all); 0: only when an admin asks.
RECOMMENDER_RETRAIN_EVERY = env.int("RECOMMENDER_RETRAIN_EVERY", default=20)
# The modules that register job kinds (the apps' jobs.py; tests add theirs through the environment).
JOB_KIND_MODULES = [
    "annotator.annotations.jobs",
    "annotator.exchange.jobs",
    "annotator.preannotation.jobs",
    "annotator.workflow.jobs",
    "annotator.agreement.jobs",
    *env.list("JOB_KIND_MODULES", default=[]),
]

# --- Cache ----------------------------------------------------------------------------
# The login limit (api/throttling.py) counts in the default cache, so every web process must
# share it: Redis when there is one (REDIS_URL, else a redis:// CELERY_BROKER_URL), else files
# under var/, shared by the processes of the one machine the filesystem broker serves.
REDIS_URL = env.str("REDIS_URL", default="")
if not REDIS_URL and CELERY_BROKER_URL.startswith(("redis://", "rediss://")):
    REDIS_URL = CELERY_BROKER_URL
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "api.throttling.SharedRedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": "annotator-cache",
        }
    }
else:
    CACHES = {
        "default": {
            "BACKEND": "api.throttling.FileCache",
            "LOCATION": str(VAR_DIR / "cache"),
            # Culling drops expired entries first, then live ones at random: keep it rare.
            "OPTIONS": {"MAX_ENTRIES": 100_000},
        }
    }

# --- Pushed updates (annotator.live, docs/live.md) -----------------------------------------
# channels-redis wherever there is Redis; else the SQLite spool under var/, which every process
# of this one machine shares (annotator.live.layers).
if REDIS_URL:
    CHANNEL_LAYERS = {
        "default": {
            "BACKEND": "channels_redis.core.RedisChannelLayer",
            "CONFIG": {
                "hosts": [REDIS_URL],
                "prefix": env.str("ANNOTATOR_CHANNELS_PREFIX", default="annotator"),
            },
        }
    }
else:
    CHANNEL_LAYERS = {
        "default": {
            "BACKEND": "annotator.live.layers.SpoolChannelLayer",
            "CONFIG": {"path": str(VAR_DIR / "live-events.sqlite3")},
        }
    }

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s: %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
}
