"""Porch settings: every host-facing knob is a PORCH_* environment variable.

Read this file top to bottom: the table of variables comes first, then the Django
settings built from it. Options a host edits while the server runs (site name,
sign-up mode) live in the database instead (``accounts.SiteSettings``).
"""

from __future__ import annotations

import os
import secrets
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent


def _env_bool(name: str, default: bool) -> bool:
    raw = os.environ.get(name)
    if raw is None or raw == "":
        return default
    value = raw.strip().lower()
    if value in {"1", "true", "yes", "on"}:
        return True
    if value in {"0", "false", "no", "off"}:
        return False
    raise ImproperlyConfigured(f"{name} must be true or false, not {raw!r}")


def _env_list(name: str, default: str) -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


# --- The PORCH_* table -------------------------------------------------------------
# PORCH_ENV            "development" (default) or "production"
# PORCH_DEBUG          Django debug pages; default false
# PORCH_DATA_DIR       where the SQLite file and the development secret live; default ./var
# PORCH_DATABASE_URL   e.g. postgres://user@host:5432/porch; default SQLite in PORCH_DATA_DIR
# PORCH_REDIS_URL      e.g. redis://127.0.0.1:6379/0; enables the Redis cache
# PORCH_CACHE_DIR      the shared disk cache when there is no Redis; default PORCH_DATA_DIR/cache
# PORCH_SECRET_KEY     required in production; generated and kept in PORCH_DATA_DIR otherwise
# PORCH_ALLOWED_HOSTS  comma-separated host names; default 127.0.0.1,localhost
# PORCH_HTTPS          true when served behind HTTPS (secure cookies, HSTS); default = production
# PORCH_TRUSTED_PROXY  true when a reverse proxy sets X-Forwarded-Proto; default false
# PORCH_TASKS          "database" (default: `porch serve` runs a worker) or "immediate"
#                      (background work runs inside the request that asked for it)
ENVIRONMENT = os.environ.get("PORCH_ENV", "development")
if ENVIRONMENT not in {"development", "production"}:
    raise ImproperlyConfigured("PORCH_ENV must be 'development' or 'production'")
PRODUCTION = ENVIRONMENT == "production"
DEBUG = _env_bool("PORCH_DEBUG", False)
DATA_DIR = Path(os.environ.get("PORCH_DATA_DIR", BASE_DIR / "var")).resolve()
CACHE_DIR = Path(os.environ.get("PORCH_CACHE_DIR", DATA_DIR / "cache")).resolve()
DATABASE_URL = os.environ.get("PORCH_DATABASE_URL", "")
REDIS_URL = os.environ.get("PORCH_REDIS_URL", "")
HTTPS = _env_bool("PORCH_HTTPS", PRODUCTION)
TRUSTED_PROXY = _env_bool("PORCH_TRUSTED_PROXY", False)
ALLOWED_HOSTS = _env_list("PORCH_ALLOWED_HOSTS", "127.0.0.1,localhost")


def _secret_key() -> str:
    key = os.environ.get("PORCH_SECRET_KEY", "")
    if key:
        if len(key) < 32:
            raise ImproperlyConfigured("PORCH_SECRET_KEY must be at least 32 characters")
        return key
    if PRODUCTION:
        raise ImproperlyConfigured("PORCH_SECRET_KEY is required when PORCH_ENV=production")
    DATA_DIR.mkdir(parents=True, exist_ok=True)
    path = DATA_DIR / "secret_key"
    if not path.exists():
        path.write_text(secrets.token_urlsafe(50))
        path.chmod(0o600)
    return path.read_text().strip()


SECRET_KEY = _secret_key()

# --- Applications ------------------------------------------------------------------
INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "porch.accounts",
    "porch.graph",
    "porch.posts",
    "porch.feed",
    "porch.notifications",
    "porch.safety",
    "porch.moderation",
    "porch.trust",
    "porch.notes",
    "porch.web",
    "porch.api",
    "porch.demo",
    "porch.simulation",
    "django_ratelimit",
    "django_tasks",
    "django_tasks_db",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "porch.web.middleware.GraphReadOnce",
]

ROOT_URLCONF = "porch.urls"
WSGI_APPLICATION = "porch.wsgi.application"
AUTH_USER_MODEL = "accounts.Member"
LOGIN_URL = "web:login"
LOGIN_REDIRECT_URL = "web:home"
LOGOUT_REDIRECT_URL = "web:login"

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
                "porch.web.context.porch",
            ],
        },
    },
]

# --- Database ----------------------------------------------------------------------
# SQLite: WAL so readers never wait for the writer, synchronous=FULL so an acknowledged
# post survives power loss, IMMEDIATE transactions so writers queue on the busy timeout
# instead of failing with "database is locked" half-way through.
if DATABASE_URL:
    DATABASES = {"default": dj_database_url.parse(DATABASE_URL, conn_max_age=60)}
    if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
        # No JIT compilation: the visibility rule's subqueries make PostgreSQL's cost
        # estimates large enough to JIT-compile a query that then runs in 2 ms, after
        # 70 ms of compiling (every notifications page on the bench data).
        options = DATABASES["default"].setdefault("OPTIONS", {})
        options["options"] = " ".join(filter(None, [options.get("options"), "-c jit=off"]))
else:
    DATA_DIR.mkdir(parents=True, exist_ok=True)
    DATABASES = {
        "default": {
            "ENGINE": "porch.sqlite",
            "NAME": DATA_DIR / "porch.sqlite3",
            "OPTIONS": {
                "transaction_mode": "IMMEDIATE",
                "timeout": 20,
                "init_command": (
                    "PRAGMA journal_mode=WAL;PRAGMA synchronous=FULL;PRAGMA foreign_keys=ON;"
                ),
            },
            # Each server thread keeps its connection: opening one (and running the
            # PRAGMAs) on every request cost about a tenth of a feed request's time.
            "CONN_MAX_AGE": None,
            "CONN_HEALTH_CHECKS": True,
            # Tests use a real SQLite file too, never an in-memory database.
            "TEST": {"NAME": str(DATA_DIR / "test_porch.sqlite3")},
        }
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Cache -------------------------------------------------------------------------
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": "porch",
        }
    }
else:
    # Without Redis, a cache on disk that every worker process shares (diskcache: SQLite
    # and files in PORCH_CACHE_DIR), so `porch serve` can run a process per core and
    # still count rate limits once, keep one ranking per member and forget it everywhere.
    # Besides rate-limit counters it keeps each member's feed ranking (about 70 kB for a
    # full window) and every author's reply ratio; least recently used entries go first
    # past 256 MB.
    CACHES = {
        "default": {
            "BACKEND": "porch.cache.SharedDiskCache",
            "LOCATION": str(CACHE_DIR),
            "SHARDS": 4,
            # How long a cache write waits for another process's before it retries.
            "DATABASE_TIMEOUT": 0.1,
            "OPTIONS": {
                "size_limit": 256 * 1024 * 1024,
                # Values up to 1 MB stay in the cache's SQLite file: by default those over
                # 32 kB (a member's kept ranking is about 70 kB) each went to a file of
                # their own, and writing one took 1.3 ms instead of 0.5.
                "disk_min_file_size": 1024 * 1024,
            },
        }
    }

# Rate limits (porch/limits.py) count in the default cache, shared by every worker
# process (Redis, or the disk cache). django-ratelimit flags both caches because it only
# knows memcached and django-redis; both count atomically (Redis INCR, and diskcache's
# incr in an SQLite transaction).
SILENCED_SYSTEM_CHECKS = ["django_ratelimit.E003", "django_ratelimit.W001"]
RATELIMIT_IP_META_KEY = "porch.limits.client_address"

# --- Background tasks ----------------------------------------------------------------
# django.tasks (the django-tasks backport until Django 6): trust scores and community
# notes are computed in the background. The database backend keeps the queue in Porch's
# own database, so no broker is needed; `porch serve` starts its worker.
TASKS_MODE = os.environ.get("PORCH_TASKS", "database")
if TASKS_MODE not in {"database", "immediate"}:
    raise ImproperlyConfigured("PORCH_TASKS must be 'database' or 'immediate'")
TASKS = {
    "default": {
        "BACKEND": "django_tasks_db.DatabaseBackend"
        if TASKS_MODE == "database"
        else "django_tasks.backends.immediate.ImmediateBackend"
    }
}

# --- Accounts and sessions ---------------------------------------------------------
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 8},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
    {"NAME": "porch.accounts.validators.MaximumLengthValidator"},
]
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_SECURE = HTTPS
CSRF_COOKIE_SECURE = HTTPS
CSRF_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_AGE = 60 * 60 * 24 * 30
if HTTPS:
    SECURE_HSTS_SECONDS = 60 * 60 * 24 * 365
    SECURE_SSL_REDIRECT = _env_bool("PORCH_SSL_REDIRECT", False)
if TRUSTED_PROXY:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
CSRF_TRUSTED_ORIGINS = _env_list("PORCH_CSRF_TRUSTED_ORIGINS", "")
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"

# A Content-Security-Policy without inline scripts or styles.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "object-src": ["'none'"],
        "base-uri": ["'none'"],
        "frame-ancestors": ["'none'"],
        "form-action": ["'self'"],
    }
}

# --- Static files ------------------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = DATA_DIR / "static"
STATIC_ROOT.mkdir(
    parents=True, exist_ok=True
)  # `porch collectstatic` fills it; finders serve until then
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}
WHITENOISE_USE_FINDERS = True

# --- Internationalisation ----------------------------------------------------------
LANGUAGE_CODE = "en"
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

# --- Logging -----------------------------------------------------------------------
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("PORCH_LOG_LEVEL", "WARNING")},
}
