"""Shared fixtures: a real database (SQLite file, or PostgreSQL when
PORCH_DATABASE_URL points at one), real Redis when reachable, and small factories.

Outside CI a missing PostgreSQL or Redis skips the tests that need it, with the reason;
with CI=true it fails them instead.
"""

from __future__ import annotations

import atexit
import os
import shutil
import socket
import tempfile
from urllib.parse import urlparse

import pytest
from django.conf import settings

IN_CI = os.environ.get("CI", "").lower() == "true"

# Without Redis the cache is a folder on disk that every process using it shares
# (settings.CACHES), and tests clear it: each test process gets a folder of its own, so
# two test runs, or a test run and `make run`, never see each other's entries.
if settings.CACHES["default"]["BACKEND"] == "porch.cache.SharedDiskCache":
    _CACHE_DIR = tempfile.mkdtemp(prefix="porch-test-cache-")
    atexit.register(shutil.rmtree, _CACHE_DIR, True)
    settings.CACHES["default"]["LOCATION"] = _CACHE_DIR
REDIS_TEST_URL = os.environ.get("PORCH_TEST_REDIS_URL", "redis://127.0.0.1:6379/15")


def _reachable(host: str, port: int) -> bool:
    try:
        with socket.create_connection((host, port), timeout=1):
            return True
    except OSError:
        return False


def _server_missing(url: str, default_port: int) -> str | None:
    parsed = urlparse(url)
    host, port = parsed.hostname or "127.0.0.1", parsed.port or default_port
    if _reachable(host, port):
        return None
    return f"no server reachable at {host}:{port}"


def pytest_collection_modifyitems(config, items):
    engine = settings.DATABASES["default"]["ENGINE"]
    if "postgresql" in engine:
        missing = _server_missing(os.environ["PORCH_DATABASE_URL"], 5432)
        if missing:
            if IN_CI:
                raise pytest.UsageError(f"CI=true needs PostgreSQL: {missing}")
            skip = pytest.mark.skip(reason=f"PostgreSQL tests skipped: {missing}")
            for item in items:
                item.add_marker(skip)
    redis_missing = _server_missing(REDIS_TEST_URL, 6379)
    if redis_missing:
        if IN_CI:
            raise pytest.UsageError(f"CI=true needs Redis: {redis_missing}")
        skip = pytest.mark.skip(reason=f"Redis tests skipped: {redis_missing}")
        for item in items:
            if "redis" in item.keywords:
                item.add_marker(skip)


@pytest.fixture(scope="session")
def django_db_modify_db_settings():
    """Give each test run its own database names, so two runs never collide."""
    from pytest_django.fixtures import _set_suffix_to_test_databases

    _set_suffix_to_test_databases(suffix=f"p{os.getpid()}")


@pytest.fixture(autouse=True)
def fast_password_hashing(request, settings):
    """argon2id costs ~0.3 s per password by design; tests that are not about hashing
    use a fast hasher. Tests marked ``real_password_hashing`` keep Porch's own list."""
    if request.node.get_closest_marker("real_password_hashing") is None:
        # Fast hashes for new passwords; Porch's hashers stay listed so passwords hashed
        # outside this fixture (module-scoped data) still verify.
        settings.PASSWORD_HASHERS = [
            "django.contrib.auth.hashers.MD5PasswordHasher",
            *settings.PASSWORD_HASHERS,
        ]


# --- Factories ------------------------------------------------------------------------
PASSWORD = "a-long-test-password-42"


@pytest.fixture
def make_member(db):
    from porch.accounts.models import Member

    counter = {"n": 0}

    def make(username: str | None = None, **fields):
        counter["n"] += 1
        username = username or f"member{counter['n']}"
        fields.setdefault("display_name", username.capitalize())
        return Member.objects.create_user(username=username, password=PASSWORD, **fields)

    return make


@pytest.fixture
def befriend():
    from porch.graph.services import do_accept_friend_request, do_send_friend_request

    def make(a, b):
        do_send_friend_request(a, b)
        do_accept_friend_request(b, a)

    return make


@pytest.fixture(autouse=True)
def fresh_rate_limits():
    """Rate-limit counters live in the cache; every test starts with none."""
    from django.core.cache import caches

    for cache in caches.all():
        cache.clear()
    yield
