"""The platform under Porch: settings, SQLite durability, /healthz, Redis, the CLI."""

import os
import subprocess
import sys

import pytest
from django.conf import settings
from django.db import connection

from tests.conftest import REDIS_TEST_URL

PORCH = [sys.executable, "-m", "porch.cli"]


def run_porch(*args, env=None):
    """Run the `porch` command in a child process, on its own SQLite data directory."""
    full_env = {**os.environ, **(env or {})}
    full_env.pop("PORCH_DATABASE_URL", None)
    return subprocess.run(
        [*PORCH, *args], capture_output=True, text=True, env=full_env, timeout=60, check=False
    )


@pytest.mark.django_db
def test_the_database_is_durable():
    """SQLite: WAL, synchronous=FULL, IMMEDIATE transactions, a real file. PostgreSQL:
    fsync and synchronous commit on. An acknowledged write survives a power cut."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SHOW fsync")
            assert cursor.fetchone()[0] == "on"
            cursor.execute("SHOW synchronous_commit")
            assert cursor.fetchone()[0] == "on"
            return
        assert connection.vendor == "sqlite"
        cursor.execute("PRAGMA journal_mode")
        assert cursor.fetchone()[0] == "wal"
        cursor.execute("PRAGMA synchronous")
        assert cursor.fetchone()[0] == 2  # FULL
        cursor.execute("PRAGMA foreign_keys")
        assert cursor.fetchone()[0] == 1
    assert settings.DATABASES["default"]["OPTIONS"]["transaction_mode"] == "IMMEDIATE"
    # A real file on disk, never ":memory:".
    assert os.path.isfile(settings.DATABASES["default"]["NAME"])


@pytest.mark.django_db
def test_healthz_answers_when_the_database_does(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json()["checks"]["database"] == "ok"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "script-src 'self'" in response["Content-Security-Policy"]


@pytest.mark.redis
@pytest.mark.django_db
def test_healthz_checks_a_real_redis(client, settings):
    settings.REDIS_URL = REDIS_TEST_URL
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_TEST_URL,
            "KEY_PREFIX": f"porch-test-{os.getpid()}",
        }
    }
    from django.core.cache import caches

    caches["default"].set("round-trip", {"a": 1}, 5)
    assert caches["default"].get("round-trip") == {"a": 1}
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json()["checks"] == {"database": "ok", "redis": "ok"}


@pytest.mark.django_db
def test_healthz_reports_an_unreachable_redis(client, settings):
    settings.REDIS_URL = "redis://127.0.0.1:1/0"
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": "redis://127.0.0.1:1/0",
        }
    }
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["checks"]["redis"].startswith("error")


def test_production_refuses_to_start_without_a_secret(tmp_path):
    result = run_porch(
        "check",
        env={"PORCH_ENV": "production", "PORCH_SECRET_KEY": "", "PORCH_DATA_DIR": str(tmp_path)},
    )
    assert result.returncode == 2
    assert result.stderr.strip() == (
        "porch: configuration error: PORCH_SECRET_KEY is required when PORCH_ENV=production"
    )


def test_bad_settings_are_one_line_errors(tmp_path):
    result = run_porch("check", env={"PORCH_DEBUG": "maybe", "PORCH_DATA_DIR": str(tmp_path)})
    assert result.returncode == 2
    assert result.stderr.count("\n") == 1 and "PORCH_DEBUG" in result.stderr


def test_createadmin_refuses_a_weak_password_with_exit_code_2(tmp_path):
    env = {"PORCH_DATA_DIR": str(tmp_path), "PORCH_ADMIN_PASSWORD": "short"}
    assert run_porch("migrate", "--noinput", env=env).returncode == 0
    result = run_porch("createadmin", "--username", "host", env=env)
    assert result.returncode == 2
    assert result.stderr.startswith("porch: ") and "at least 8 characters" in result.stderr
    env["PORCH_ADMIN_PASSWORD"] = "a-much-better-password-7"
    result = run_porch("createadmin", "--username", "host", env=env)
    assert result.returncode == 0, result.stderr
    assert "Admin host created." in result.stdout


def test_development_secret_is_generated_once_and_private(tmp_path):
    env = {"PORCH_DATA_DIR": str(tmp_path), "PORCH_SECRET_KEY": ""}
    first = run_porch(
        "shell", "-c", "from django.conf import settings; print(settings.SECRET_KEY)", env=env
    )
    second = run_porch(
        "shell", "-c", "from django.conf import settings; print(settings.SECRET_KEY)", env=env
    )
    assert first.returncode == 0, first.stderr
    assert first.stdout == second.stdout and len(first.stdout.strip()) >= 50
    assert oct((tmp_path / "secret_key").stat().st_mode & 0o777) == "0o600"


def test_the_demo_refuses_to_load_in_production(tmp_path):
    env = {"PORCH_DATA_DIR": str(tmp_path), "PORCH_ENV": "production", "PORCH_SECRET_KEY": "s" * 50}
    result = run_porch("demo", env=env)
    assert result.returncode == 2
    assert result.stderr.strip() == (
        "porch: the demo publishes its members' password; it does not load when "
        "PORCH_ENV=production"
    )


def test_without_redis_every_process_shares_one_cache_on_disk(tmp_path):
    """`porch serve` starts a process per core; without PORCH_REDIS_URL they share the
    disk cache in PORCH_DATA_DIR/cache, so what one process counts or keeps (rate
    limits, kept feed rankings) another reads."""
    env = {"PORCH_DATA_DIR": str(tmp_path)}
    env_without_redis = {**env, "PORCH_REDIS_URL": ""}
    write = "from django.core.cache import cache; cache.set('shared', 41); cache.incr('shared')"
    read = "from django.core.cache import cache; print(cache.get('shared'))"
    assert run_porch("shell", "-c", write, env=env_without_redis).returncode == 0
    result = run_porch("shell", "-c", read, env=env_without_redis)
    assert result.stdout.strip().splitlines()[-1] == "42", result.stderr
    assert (tmp_path / "cache").is_dir()


def test_porch_serve_starts_a_process_per_core_by_default(monkeypatch):
    from porch.serving import MOST_WORKERS, default_workers

    monkeypatch.setattr(os, "cpu_count", lambda: 2)
    assert default_workers() == 2
    monkeypatch.setattr(os, "cpu_count", lambda: 64)
    assert default_workers() == MOST_WORKERS
    monkeypatch.setattr(os, "cpu_count", lambda: None)
    assert default_workers() == 1


def test_each_server_process_loads_the_hostility_model_as_it_starts(tmp_path):
    """Otherwise the first reply each worker process took waited 0.8 s for it."""
    code = (
        "import porch.wsgi; from porch.safety.hostility import _model; "
        "print(_model.cache_info().currsize)"
    )
    env = {**os.environ, "PORCH_DATA_DIR": str(tmp_path)}
    env.pop("PORCH_DATABASE_URL", None)
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, env=env, timeout=60
    )
    assert result.stdout.strip() == "1", result.stderr
